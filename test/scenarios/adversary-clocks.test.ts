/**
 * Adversary scenarios: the reconciler's clock (and so its table writes' clock: the lease, the backoffs, the
 * ownership window, the transition view's ages) jumps forward by an hour or a day, and back by minutes,
 * between passes and mid-pass, while AWS's own time runs on. The stack still switches to Fargate and back
 * with one resource per wanted thing, settles, plans nothing after; and, whatever the reconciler's clock
 * says, the Fargate tier is never deleted while resolvers still send it requests (AWS's time decides what
 * resolvers cache), nor anything that serves it before Route 53's INSYNC + TTL × 2 + the deregistration
 * delay in AWS's time (safety rule 2: the wait is measured on AWS's answers' Date, never on the
 * reconciler's clock; adversary-drain-clock.test.ts jumps the clock during the drain alone).
 */
import {
  planStack,
  reconcileStack,
  type PassResult,
  type ReconcilerOptions,
} from '../../reconciler/reconcile';
import { InMemoryStateStore } from '../../reconciler/state';
import { resolverWeights } from '../../aws-sim/services/route53';
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

/** How the reconciler's clock moves against AWS's: one jump before some passes, and some mid-pass. */
const BETWEEN_PASSES = [HOUR_MS, 0, -10 * 60_000, 0, DAY_MS, 0, -5 * 60_000, 0];
/** Every MID_PASS_EVERY-th pass, the clock jumps right before the pass's MID_PASS_AT_CALL-th call. */
const MID_PASS_EVERY = 3;
const MID_PASS_AT_CALL = 6;
const MID_PASS = [HOUR_MS, -3 * 60_000];
/** Passes of each switch with the clock jumping; then faults stop, and the stack must converge. */
const JUMPING_PASSES = 60;

function clockedWorld(seed: number) {
  const s = scenario({ seed });
  let skew = 0;
  const now = () => s.account.now() + skew;
  const store = new InMemoryStateStore(now);
  const options: ReconcilerOptions = { ...s.reconciler, store, now };
  let calls = 0;
  let midPassJump = 0;
  beforeEveryCall(s.clients, 'clockJumps', () => {
    if (++calls === MID_PASS_AT_CALL) skew += midPassJump;
  });
  /** Passes until one settles (or the record is deleted), the clock jumping as it goes. */
  const settle = async (max = 300): Promise<PassResult> => {
    let jumps = 0;
    for (let i = 0; i < max; i++) {
      // The clock misbehaves for the first passes, then keeps time (with whatever offset it has).
      const jumping = i < JUMPING_PASSES;
      if (jumping) skew += BETWEEN_PASSES[i % BETWEEN_PASSES.length]!;
      calls = 0;
      midPassJump = jumping && i % MID_PASS_EVERY === 1 ? MID_PASS[jumps++ % MID_PASS.length]! : 0;
      const result = await reconcileStack(options, STACK);
      if (result.settled || result.outcome === 'deleted') return result;
      s.account.advance(Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)));
    }
    throw new Error(`not settled after ${max} passes`);
  };
  return { s, store, options, settle, skew: () => skew };
}

describe('adversary: the reconciler’s clock jumps forward and back', () => {
  it('switches up and down with one of each resource, settles, and never deletes the Fargate tier while resolvers send it requests', async () => {
    // Reference: the same switch with a clock that keeps time.
    const ref = scenario({ seed: 47 });
    const refZone = await exampleZoneId(ref);
    await ref.apply(specInput({ mode: 'fargate', dns: exampleDns(refZone, EXAMPLE_RECORD) }));
    await ref.settle();
    const built = byType(ref.owned());
    await ref.apply(specInput({ mode: 'lambda', dns: exampleDns(refZone, EXAMPLE_RECORD) }));
    await ref.settle();
    const scaledDown = byType(ref.owned());

    const w = clockedWorld(47);
    const zone = await exampleZoneId(w.s);
    // Whenever the ALB is deleted: the share of resolvers' answers still naming the Fargate tier.
    const servedAtDelete: number[] = [];
    w.s.account.observeCalls(({ operation }) => {
      if (operation !== 'DeleteLoadBalancer') return;
      // In AWS's time, at the delete: no resolver still answers with the ALB (their caches counted).
      const answers = resolverWeights(w.s.account, zone, EXAMPLE_RECORD);
      servedAtDelete.push(
        answers.filter((a) => a.setIdentifier === 'fargate').reduce((n, a) => n + a.share, 0),
      );
    });

    await w.store.putSpec(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD) }));
    expect(await w.settle()).toMatchObject({ phase: 'Fargate', settled: true });
    expect(byType(w.s.owned())).toEqual(built);
    expect((await planStack(w.options, STACK)).plan.steps).toEqual([]);

    const drain = watchDrain(w.s.account, w.s.clients, zone, EXAMPLE_RECORD);
    await w.store.putSpec(specInput({ mode: 'lambda', dns: exampleDns(zone, EXAMPLE_RECORD) }));
    expect(await w.settle()).toMatchObject({ phase: 'Lambda', settled: true });
    expect(byType(w.s.owned())).toEqual(scaledDown);
    expect((await planStack(w.options, STACK)).plan.steps).toEqual([]);
    expect(w.skew()).toBeGreaterThan(DAY_MS);

    expect(servedAtDelete.length).toBeGreaterThan(0);
    expect(servedAtDelete.filter((share) => share > 0)).toEqual([]);
    // Safety rule 2 in AWS's time: INSYNC, then TTL × 2 (60 s) and the deregistration delay.
    expect(drain.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    const early = drain.calls.filter(
      (c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS,
    );
    expect(early).toEqual([]);
  });
});
