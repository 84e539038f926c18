/**
 * Adversary scenarios on the drain's two clocks (safety rule 2's wait must be over in AWS's time and on
 * the reconciler's own clock, from the pass that began it): a second worker whose clock is behind takes
 * the stack over mid-drain, or the worker's clock steps back mid-drain. Safety: measured in AWS's time
 * (the simulated account's clock) nothing serving the Fargate tier goes before Route 53's answers stopped
 * naming it + TTL × 2 + the deregistration delay. Liveness: how much longer than the rule's wait the
 * drain takes is measured: the clock's error, at most one whole wait, plus a few passes.
 */
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../../reconciler/reconcile';
import { InMemoryStateStore } from '../../reconciler/state';
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
} from './harness';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A few passes' spacing: what the drain may take beyond the rule's wait and the clock's error. */
const PASSES_MS = 3 * MINUTE_MS;

type Plan = 'second worker behind' | 'clock steps back';

/** The stack drained by a worker whose clock goes `behindMs` behind AWS's time once the drain began. */
function world(seed: number) {
  const s = scenario({ seed });
  let skew = 0;
  let holder = 'first';
  let monotonicOrigin = 0;
  const now = () => s.account.now() + skew;
  const store = new InMemoryStateStore(now);
  const options = (): ReconcilerOptions => ({
    ...s.reconciler,
    store,
    holder,
    now,
    monotonic: () => s.account.now() + monotonicOrigin,
  });
  const settle = async (onPass?: () => void, max = 400): Promise<PassResult> => {
    for (let i = 0; i < max; i++) {
      const result = await reconcileStack(options(), STACK);
      onPass?.();
      if (result.settled || result.outcome === 'deleted') return result;
      s.account.advance(Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)));
    }
    throw new Error(`not settled after ${max} passes`);
  };
  return {
    s,
    store,
    settle,
    /** Another process (its own monotonic origin) with a clock `ms` behind, or the same one stepped back. */
    clockBack: (plan: Plan, ms: number) => {
      skew -= ms;
      if (plan === 'second worker behind') {
        holder = 'second';
        monotonicOrigin = -123_456_789;
      }
    },
  };
}

describe('adversary: the drain’s two clocks, one of them behind', () => {
  it.each<[Plan, number]>([
    ['second worker behind', 10 * MINUTE_MS],
    ['clock steps back', 10 * MINUTE_MS],
    ['second worker behind', HOUR_MS],
    ['clock steps back', HOUR_MS],
    ['second worker behind', 24 * HOUR_MS],
  ])(
    '%s by %d ms mid-drain: never early in AWS’s time, late by at most the clock’s error (one wait at most) and a few passes',
    async (plan, behindMs) => {
      const w = world(71);
      const zone = await exampleZoneId(w.s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await w.store.putSpec(specInput({ mode: 'fargate', dns }));
      expect(await w.settle()).toMatchObject({ phase: 'Fargate', settled: true });

      const watch = watchDrain(w.s.account, w.s.clients, zone, EXAMPLE_RECORD);
      await w.store.putSpec(specInput({ mode: 'lambda', dns }));
      let passesDrained = 0;
      const onPass = () => {
        // Two passes into the drain (the drain's start is recorded by then), the clock goes back.
        if (watch.drainedSince() !== undefined && ++passesDrained === 2) w.clockBack(plan, behindMs);
      };
      expect(await w.settle(onPass)).toMatchObject({ phase: 'Lambda', settled: true });
      expect(passesDrained).toBeGreaterThanOrEqual(2);
      expect(byType(w.s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();

      expect([...new Set(watch.calls.map((c) => c.operation))]).toEqual(
        expect.arrayContaining(['DeleteLoadBalancer', 'DeleteService', 'DeleteTargetGroup']),
      );
      const early = watch.calls.filter(
        (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
      );
      expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
      // The liveness cost: the clock's error, but never more than one whole wait (a start our clock has not
      // reached is moved to its now), so a worker a day behind does not keep the Fargate tier a day.
      const first = watch.calls[0]!;
      const tookMs = first.at - first.drainedSince!;
      expect(tookMs).toBeLessThanOrEqual(DRAIN_WAIT_MS + Math.min(behindMs, DRAIN_WAIT_MS) + PASSES_MS);
    },
  );
});
