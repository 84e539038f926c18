/**
 * Adversary scenarios: the read-back of an idempotent create is throttled. CreateLoadBalancer and
 * CreateTargetGroup answer with whatever load balancer or group holds the name, so the stack reads the
 * answer's tags back (DescribeTags) and takes it only with the create's nonce (docs/ownership.md). When a
 * fleet switches tiers at once, ELBv2 throttles, and once the SDK's retry quota is spent a throttled call
 * fails on its first attempt with a 400. That read's failure passed for the create's own refusal: the
 * intent was dropped while the resource made by the create, carrying its nonce, existed, and every later
 * pass took the stack's own ALB for someone else's (conflict:alb, never settling). The stack must settle
 * on the resource its create made, and make no second one.
 */
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { simError } from '../../aws-sim/core/errors';
import { names, TAG_NONCE } from '../../spec';
import type { HookClient } from './call-hooks';
import { scenario, specInput, STACK, type Scenario } from './harness';

/**
 * The first DescribeTags naming what the stack's first `create` call answered with is throttled on its
 * only attempt, as the SDK gives up when its retry quota is spent (it retries no further).
 */
function throttleReadBack(client: unknown, create: string, arnOf: (output: unknown) => string | undefined) {
  let made: string | undefined;
  let throttled = 0;
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (command === create && made === undefined) {
        const output = (await next(args)) as { output: unknown };
        made = arnOf(output.output);
        return output;
      }
      const arns = (args.input.ResourceArns ?? []) as string[];
      if (command === 'DescribeTags' && made !== undefined && throttled === 0 && arns.includes(made)) {
        throttled++;
        const error = simError('elbv2', 'Throttling', 'Rate exceeded');
        Object.assign(error, { $metadata: { httpStatusCode: 400, attempts: 1 } });
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name: 'throttleReadBack', priority: 'high' },
  );
  return { made: () => made, throttled: () => throttled };
}

async function switchToFargate(s: Scenario, maxPasses = 80): Promise<void> {
  await s.apply(specInput({ mode: 'lambda' }));
  await s.settle();
  await s.apply(specInput({ mode: 'fargate' }));
  for (let i = 0; i < maxPasses; i++) {
    const result = await s.pass();
    if (result !== 'crashed' && result.settled) return;
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  const status = (await s.store.get(STACK))?.status;
  throw new Error(`not settled on Fargate; conflicts: ${JSON.stringify(status?.conflicts)}`);
}

describe('adversary: an idempotent create whose tag read-back is throttled', () => {
  it('CreateLoadBalancer answered, DescribeTags throttled: the stack takes its own ALB, and makes no other', async () => {
    const s = scenario({ seed: 41 });
    const hook = throttleReadBack(
      s.clients.elbv2,
      'CreateLoadBalancer',
      (output) =>
        (output as { LoadBalancers?: { LoadBalancerArn?: string }[] }).LoadBalancers?.[0]?.LoadBalancerArn,
    );

    await switchToFargate(s);

    expect(hook.throttled()).toBe(1);
    const record = await s.store.get(STACK);
    expect(record?.status?.conflicts ?? []).toEqual([]);
    expect(record?.bookkeeping.owned?.alb?.id).toBe(hook.made());
    const albs = await s.clients.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: [names(STACK).loadBalancer] }),
    );
    expect(albs.LoadBalancers?.map((lb) => lb.LoadBalancerArn)).toEqual([hook.made()]);
    // The one made carries the nonce the record keeps for it.
    const nonce = record?.bookkeeping.owned?.alb?.nonce;
    expect(nonce).toBeDefined();
    const tags = s.account
      .inventory()
      .find((item) => item.id === hook.made() || item.arn === hook.made())?.tags;
    expect(tags?.[TAG_NONCE]).toBe(nonce);
  });

  it('CreateTargetGroup answered, DescribeTags throttled: the stack takes its own group', async () => {
    const s = scenario({ seed: 42 });
    const hook = throttleReadBack(
      s.clients.elbv2,
      'CreateTargetGroup',
      (output) =>
        (output as { TargetGroups?: { TargetGroupArn?: string }[] }).TargetGroups?.[0]?.TargetGroupArn,
    );

    await switchToFargate(s);

    expect(hook.throttled()).toBe(1);
    const record = await s.store.get(STACK);
    expect(record?.status?.conflicts ?? []).toEqual([]);
    expect(record?.bookkeeping.owned?.tg?.id).toBe(hook.made());
    const groups = await s.clients.elbv2.send(
      new DescribeTargetGroupsCommand({ Names: [names(STACK).targetGroup] }),
    );
    expect(groups.TargetGroups?.map((group) => group.TargetGroupArn)).toEqual([hook.made()]);
  });
});
