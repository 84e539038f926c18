/**
 * Creates AWS does not make idempotent (no client token, no unique name), answered with a 5xx after they
 * took effect (the simulated account's `error5xxAfterOperation`). The SDK would retry the 5xx and make a
 * second resource carrying the same nonce, which nothing then tells from a copy of the stack's tags: the
 * reconciler sends such a create once (reconciler/aws/create-retries.ts), keeps its intent awaited, and
 * the next pass finds the one resource by its nonce (docs/ownership.md "Creates journaled with a nonce").
 */
import type { Tier } from '../../spec';
import { byType, scenario, specInput, STACK } from './harness';
import { SENT_ONCE_CREATES } from './sent-once-creates';

describe('a create AWS does not deduplicate, answered 503 after it took effect', () => {
  it.each(SENT_ONCE_CREATES)(
    '$operation: sent once, and the stack ends with one $type, its own, nothing reported',
    async ({ operation, mode, type }) => {
      const s = scenario({ seed: 61 });
      s.account.setFaults({ error5xxAfterOperation: operation });
      await s.apply(specInput({ mode }));
      const passes = await s.settle();
      expect(passes.at(-1)?.phase).toBe(mode === 'fargate' ? 'Fargate' : 'Lambda');
      // The fault was spent on the first call, which took effect; no attempt or pass made another.
      expect(s.account.faults.error5xxAfterOperation).toBeUndefined();
      expect(s.account.callCounts().find((c) => c.operation === operation)?.count).toBe(1);
      const made = s.account.inventory().filter((item) => item.type === type);
      expect(made).toHaveLength(1);
      const record = await s.store.get(STACK);
      expect(record?.status?.conflicts ?? []).toEqual([]);
    },
  );
});

/**
 * Every other change the reconciler makes to a stack of either tier, answered 503 after it took effect
 * and retried by the SDK (or sent once): the stack settles in its tier, nothing reported, with the same
 * resources as without the fault (no second one, no refusal of its own first attempt taken as final).
 */
const ANSWER_LOST_AFTER_EFFECT = [
  'CreateSubnet',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'CreateRouteTable',
  // EC2's on a Fargate stack, API Gateway's on a Lambda one: each case runs both tiers.
  'CreateRoute',
  'AssociateRouteTable',
  'AttachInternetGateway',
  'ModifyVpcAttribute',
  'CreateLoadBalancer',
  'CreateTargetGroup',
  'CreateListener',
  'CreateCluster',
  'CreateService',
  'RegisterScalableTarget',
  'PutScalingPolicy',
  'CreateRole',
  'PutRolePolicy',
  'AttachRolePolicy',
  'CreateFunction',
  'AddPermission',
  'CreateStage',
];

describe('any other change answered 503 after it took effect', () => {
  const baseline: Partial<Record<Tier, Record<string, number>>> = {};
  const settledWith = async (mode: Tier, operation?: string) => {
    const s = scenario({ seed: 62 });
    if (operation) s.account.setFaults({ error5xxAfterOperation: operation });
    await s.apply(specInput({ mode }));
    const passes = await s.settle();
    return { s, phase: passes.at(-1)?.phase, resources: byType(s.owned()) };
  };

  it.each(ANSWER_LOST_AFTER_EFFECT)(
    '%s: the stack of either tier settles as it would have, nothing reported',
    async (operation) => {
      for (const mode of ['fargate', 'lambda'] as const) {
        baseline[mode] ??= (await settledWith(mode)).resources;
        const { s, phase, resources } = await settledWith(mode, operation);
        expect({ mode, phase }).toEqual({ mode, phase: mode === 'fargate' ? 'Fargate' : 'Lambda' });
        expect(resources).toEqual(baseline[mode]);
        expect((await s.store.get(STACK))?.status?.conflicts ?? []).toEqual([]);
      }
    },
  );
});
