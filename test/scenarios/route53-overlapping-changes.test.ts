/**
 * Route 53 as AWS documents PriorRequestNotComplete: a hosted zone refuses a change only while it is still
 * processing the previous request, not until that change is INSYNC, so several changes of one zone may be
 * PENDING at once (docs/aws-facts.md, "Timings"). These scenarios fail if the reconciler was only right
 * because the simulator used to serialize a zone's changes, one per propagation. Each runs under both of
 * the simulator's models; the adversary's ('until-insync') is the old one.
 *
 * - Safety rule 2 waits for INSYNC of the change that took traffic off Fargate. A scale-down asked for
 *   while the shift's own change is still PENDING writes its change on top of it; the wait must follow
 *   that latest change, not the earlier one, which turns INSYNC first.
 * - Stacks sharing one hosted zone change their records without waiting for each other's propagation; a
 *   change refused because another stack's was being processed is retried, never an error of the stack.
 */
import { reconcileStack, type PassResult } from '../../reconciler/reconcile';
import { setRoute53InsyncDelay } from '../../aws-sim/services/route53';
import type { HookClient } from './call-hooks';
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  expectNoFargateWeightOffHealthyAlb,
  passUntilShiftStarts,
  pendingChangesOf,
  recordWeights,
  ROUTE53_MODELS,
  scenario,
  specInput,
  type Scenario,
} from './harness';

/** Changes made after the shift's take this long to be INSYNC, so that following the wrong one shows. */
const SLOW_INSYNC_MS = 200_000;

describe.each(ROUTE53_MODELS)('Route 53 %s: changes of one zone on top of each other', (route53) => {
  it('a scale-down while the shift’s change is PENDING: nothing serving the Fargate tier goes before the latest change’s INSYNC + TTL × 2 + the deregistration delay', async () => {
    const s = scenario({ seed: 71, route53 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'lambda', dns }));
    await s.settle();
    await s.apply(specInput({ mode: 'fargate', dns }));
    await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
    expect(pendingChangesOf(s, zone)).toBe(1);
    // Every later change takes longer to reach Route 53's servers than the shift's: the shift's change is
    // INSYNC long before the one that takes its weight away.
    setRoute53InsyncDelay(s.account, SLOW_INSYNC_MS);
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    s.account.advance(5_000);
    await s.apply(specInput({ mode: 'lambda', dns }));

    let mostPending = 0;
    let last: PassResult | undefined;
    for (let i = 0; i < 300 && !last?.settled; i++) {
      const result = await s.pass();
      expect(result).not.toBe('crashed');
      if (result === 'crashed') break;
      mostPending = Math.max(mostPending, pendingChangesOf(s, zone));
      last = result;
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(last).toMatchObject({ settled: true, phase: 'Lambda' });
    expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();
    // As documented, the rollback was taken while the shift's change was PENDING; the adversary refused it
    // until then. Either way, the scenario is what it claims to be.
    if (route53 === 'while-processing') expect(mostPending).toBeGreaterThanOrEqual(2);
    else expect(mostPending).toBe(1);

    const operations = new Set(watch.calls.map((c) => c.operation));
    expect([...operations]).toEqual(
      expect.arrayContaining(['DeleteLoadBalancer', 'DeleteService', 'DeleteTargetGroup']),
    );
    const early = watch.calls.filter(
      (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
    );
    expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
  });

  it('three stacks in one hosted zone shift to Fargate side by side: a change refused for another stack’s is retried, and each keeps safety rule 1', async () => {
    const s = scenario({ seed: 73, route53 });
    const zone = await exampleZoneId(s);
    const stacks = ['orders-a', 'orders-b', 'orders-c'];
    const recordOf = (stack: string) => `${stack}.example.test`;
    for (const stack of stacks) {
      await s.apply({ ...specInput({ mode: 'fargate', dns: exampleDns(zone, recordOf(stack)) }), stack });
    }
    const refusals = countRefusals(s);
    const settled = new Set<string>();
    let mostPending = 0;
    for (let round = 0; round < 200 && settled.size < stacks.length; round++) {
      let requeue = 60_000;
      // All stacks' passes at the same instant, as workers of one fleet run them.
      for (const stack of stacks.filter((name) => !settled.has(name))) {
        const result = await reconcileStack(s.reconciler, stack);
        expect(result.phase).not.toBe('Error');
        if (result.settled) settled.add(stack);
        requeue = Math.min(requeue, result.requeueAfterMs ?? 15_000);
        await expectNoFargateWeightOffHealthyAlb(s, zone, recordOf(stack), { stack });
      }
      mostPending = Math.max(mostPending, pendingChangesOf(s, zone));
      s.account.advance(Math.max(5_000, requeue));
    }
    expect([...settled].sort()).toEqual(stacks);
    for (const stack of stacks) {
      expect(await recordWeights(s, zone, recordOf(stack))).toEqual({ lambda: 0, fargate: 100 });
    }
    // As documented, the stacks' changes overlap in propagation; the adversary takes one at a time.
    if (route53 === 'while-processing') expect(mostPending).toBeGreaterThanOrEqual(2);
    else expect(mostPending).toBe(1);
    // Changes of passes at the same instant met each other's processing, and were retried.
    expect(refusals.count).toBeGreaterThan(0);
  });
});

/** Counts the PriorRequestNotComplete answers the reconciler's Route 53 client gets (every attempt). */
function countRefusals(s: Scenario): { count: number } {
  const counter = { count: 0 };
  (s.clients.route53 as unknown as HookClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if ((error as { name?: string }).name === 'PriorRequestNotComplete') counter.count += 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'countRefusals', priority: 'low' },
  );
  return counter;
}
