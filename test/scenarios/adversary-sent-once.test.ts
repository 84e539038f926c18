/**
 * Creates AWS does not make idempotent (no client token, no unique name), answered with a 5xx after they
 * took effect (the simulated account's `error5xxAfterOperation`). The SDK would retry the 5xx and make a
 * second resource carrying the same nonce, which nothing then tells from a copy of the stack's tags: the
 * reconciler sends such a create once (reconciler/aws/create-retries.ts), keeps its intent awaited, and
 * the next pass finds the one resource by its nonce (docs/ownership.md "Creates journaled with a nonce").
 */
import type { Tier } from '../../spec';
import { scenario, specInput, STACK } from './harness';

const CASES: { operation: string; mode: Tier; type: string }[] = [
  { operation: 'CreateVpc', mode: 'fargate', type: 'AWS::EC2::VPC' },
  { operation: 'CreateInternetGateway', mode: 'fargate', type: 'AWS::EC2::InternetGateway' },
  { operation: 'RegisterTaskDefinition', mode: 'fargate', type: 'AWS::ECS::TaskDefinition' },
  { operation: 'CreateApi', mode: 'lambda', type: 'AWS::ApiGatewayV2::Api' },
  { operation: 'CreateIntegration', mode: 'lambda', type: 'AWS::ApiGatewayV2::Integration' },
];

describe('a create AWS does not deduplicate, answered 503 after it took effect', () => {
  it.each(CASES)(
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
