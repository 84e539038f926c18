/**
 * Adversary scenarios: safety rule 2 whatever the reconciler's clock does. While the stack scales down,
 * its clock jumps forward (between passes, mid-pass), or a second worker whose clock is a day ahead,
 * another process with its own monotonic clock, takes the stack over mid-drain; AWS's time runs on as
 * usual. Measured in AWS's time (the simulated account's clock), nothing that serves the Fargate tier's
 * requests (the ECS service, a listener, the target group, the load balancer) goes before Route 53's
 * answers stopped naming it + TTL × 2 + the deregistration delay; and the wait is longer than that by a
 * bounded amount only: the stack still reaches Lambda, with the Fargate tier gone.
 */
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../../reconciler/reconcile';
import { InMemoryStateStore } from '../../reconciler/state';
import { beforeEveryCall } from './call-hooks';
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

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How much longer than the rule's wait the drain may take: a few passes' spacing. */
const LATE_BY_AT_MOST_MS = 3 * 60_000;

/** How a worker's clock misbehaves during the drain ('keeping time': it doesn't, the control case). */
type ClockPlan = 'keeping time' | 'between passes' | 'mid-pass' | 'second worker ahead';

/** A worker: its own wall clock (AWS's time + skew) and its own monotonic clock, with an origin of its own. */
interface Worker {
  holder: string;
  skew: number;
  monotonicOrigin: number;
}

function drainWorld(seed: number) {
  const s = scenario({ seed });
  const first: Worker = { holder: 'first', skew: 0, monotonicOrigin: 0 };
  const second: Worker = { holder: 'second', skew: DAY_MS, monotonicOrigin: -987_654_321 };
  let worker = first;
  const now = () => s.account.now() + worker.skew;
  // One table for both workers; its time is that of the worker who calls it, as with DynamoDB.
  const store = new InMemoryStateStore(now);
  const optionsOf = (w: Worker): ReconcilerOptions => ({
    ...s.reconciler,
    store,
    holder: w.holder,
    now,
    monotonic: () => s.account.now() + w.monotonicOrigin,
  });
  /** Before the AWS call with this index in the pass (1-based), the worker's clock jumps by `midPassJump`. */
  let calls = 0;
  let midPassJump = 0;
  beforeEveryCall(s.clients, 'midPassJump', () => {
    if (++calls === 3) worker.skew += midPassJump;
  });
  let passes = 0;
  const pass = async (plan?: ClockPlan): Promise<PassResult> => {
    calls = 0;
    // Every other pass only: a pass whose clock jumped mid-pass finds the table's lease (wall-clock time,
    // written before the jump) run out when it writes its status, and the stack would never settle.
    midPassJump = plan === 'mid-pass' && passes++ % 2 === 0 ? HOUR_MS : 0;
    if (plan === 'between passes') worker.skew += HOUR_MS;
    return reconcileStack(optionsOf(worker), STACK);
  };
  const settle = async (plan?: ClockPlan, onPass?: () => void, max = 300): Promise<PassResult> => {
    for (let i = 0; i < max; i++) {
      const result = await pass(plan);
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
    takeOver: () => (worker = second),
    worker: () => worker,
  };
}

describe('adversary: the reconciler’s clock during the drain of safety rule 2', () => {
  it.each<ClockPlan>(['keeping time', 'between passes', 'mid-pass', 'second worker ahead'])(
    'its clock %s: nothing serving the Fargate tier goes before INSYNC + TTL × 2 + the deregistration delay, in AWS’s time',
    async (plan) => {
      const w = drainWorld(53);
      const zone = await exampleZoneId(w.s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await w.store.putSpec(specInput({ mode: 'fargate', dns }));
      expect(await w.settle()).toMatchObject({ phase: 'Fargate', settled: true });
      const built = byType(w.s.owned());
      expect(built['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBe(1);

      const watch = watchDrain(w.s.account, w.s.clients, zone, EXAMPLE_RECORD);
      await w.store.putSpec(specInput({ mode: 'lambda', dns }));
      // The second worker takes the stack over once Route 53 has the weights on Lambda in sync.
      const onPass =
        plan === 'second worker ahead'
          ? () => {
              if (watch.drainedSince() !== undefined) w.takeOver();
            }
          : undefined;
      const ownPlan = plan === 'second worker ahead' || plan === 'keeping time' ? undefined : plan;
      expect(await w.settle(ownPlan, onPass)).toMatchObject({
        phase: 'Lambda',
        settled: true,
      });
      if (plan === 'second worker ahead') expect(w.worker().holder).toBe('second');
      else if (ownPlan) expect(w.worker().skew).toBeGreaterThanOrEqual(HOUR_MS);

      // The Fargate tier is gone, and each of its serving parts went only once resolvers had let go of it.
      expect(byType(w.s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBeUndefined();
      const operations = new Set(watch.calls.map((c) => c.operation));
      expect([...operations].sort()).toEqual(
        expect.arrayContaining(['DeleteLoadBalancer', 'DeleteService', 'DeleteTargetGroup']),
      );
      const early = watch.calls.filter(
        (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
      );
      expect(early.map((c) => ({ ...c, waitedMs: c.at - (c.drainedSince ?? c.at) }))).toEqual([]);
      // Longer than the rule's wait by a bounded amount only.
      const first = watch.calls[0]!;
      expect(first.at - first.drainedSince!).toBeLessThanOrEqual(DRAIN_WAIT_MS + LATE_BY_AT_MOST_MS);
    },
  );
});
