/**
 * The reconciler against the simulated AWS.
 *
 * 1. Scale-up from nothing (mode fargate, one stack): the simulated time until the stack's targets are
 *    healthy, the clock moved by each pass's requeueAfterMs held to 1–5 s so the measure is fine-grained,
 *    against (a) the sum of all the plan's step latencies done one after another and (b) the longest chain
 *    of steps that wait for each other (the lower bound). Step latencies come from the simulator's own
 *    timing model (ALB provisioning, task start, health checks, EC2's eventual consistency), the chain from
 *    the `dependsOn` graph of a plan made from an empty observation. Target: within 10 % of (b).
 * 2. A steady-state pass: its API calls per stack (target: at most 6, none mutating), by operation; beside
 *    it the periodic full observation's calls and the average over a quarter hour of passes; and its
 *    wall time with 50 ms of real latency per call for 1, 10 and 100 stacks, the stacks run 10 at once,
 *    against the sequential baseline (one stack's pass × the number of stacks).
 *
 * Rate limits: the simulated account's token buckets refill on the simulated clock, which stands still
 * while real time passes, so ten passes at once would only collect Throttling. The timed runs therefore
 * use the 100-stack account without rate limits (bench/support.ts), measuring latency and parallelism. A
 * last run copies that account into a standard one and lets the simulated clock follow real time: AWS's
 * own rates for 100 stacks at once; it says how many passes came out clean (empty plan, nothing throttled).
 */
import { TARGET_GROUP_HEALTH_CHECK } from '../reconciler/resources/elbv2/target-group';
import { plan as makePlan } from '../reconciler/engine/plan';
import type { PlanStep } from '../reconciler/engine/types';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../reconciler/engine/observation-snapshot';
import type { PassResult } from '../reconciler/reconcile';
import { validateSpec } from '../spec';
import type { Elbv2State } from '../aws-sim/services/elbv2/state';
import type { EcsState } from '../aws-sim/services/ecs/state';
import { healthySince } from '../aws-sim/services/elbv2/health';
import {
  formatMs,
  hundredStacks,
  mapBounded,
  median,
  specDoc,
  stackName,
  timed,
  verdict,
  withRateLimits,
  world,
  type BenchWorld,
} from './support';

const MIN_STEP_MS = 1_000;
const MAX_STEP_MS = 5_000;
const MAX_PASSES = 300;
const CHAIN_TOLERANCE = 0.1;
const STEADY_CALLS_TARGET = 6;
const LATENCY_MS = 50;
const PARALLEL = 10;
const SINGLE_RUNS = 3;
/** The reconciler's EventBridge schedule: rate(1 minute) (reconciler/bootstrap/schedule.ts). */
const SCHEDULE_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------
// 1. Scale-up

interface Latencies {
  albProvisioningMs: number;
  taskStartMs: number;
  healthMs: number;
  ec2ConsistencyMs: number;
}

/** The simulator's timing model, read from the account's own configuration. */
function latenciesOf(w: BenchWorld): Latencies {
  const elbv2 = w.account.stateOf<Elbv2State>('elbv2').config;
  const ecs = w.account.stateOf<EcsState>('ecs').config;
  const check = TARGET_GROUP_HEALTH_CHECK;
  return {
    albProvisioningMs: elbv2.provisioningMs,
    taskStartMs: ecs.taskStartMs,
    healthMs: check.intervalSeconds * 1000 * check.healthyThreshold,
    ec2ConsistencyMs: w.account.toJSON().consistencyDelayMs,
  };
}

/** How long a step takes until its dependents may go on, by the simulator's model; IAM and the rest ≈ 0. */
function stepLatency(step: PlanStep, l: Latencies): { ms: number; why: string } {
  if (step.key === 'alb') return { ms: l.albProvisioningMs, why: 'ALB provisioning' };
  if (step.key === 'service') {
    return { ms: l.taskStartMs + l.healthMs, why: 'task start + interval × healthy threshold' };
  }
  if (step.type.startsWith('AWS::EC2::')) return { ms: l.ec2ConsistencyMs, why: 'EC2 eventual consistency' };
  return { ms: 0, why: '≈ 0' };
}

/** Longest path through the steps' `dependsOn` graph, each step weighted by its latency. */
function longestChain(steps: PlanStep[], latency: (s: PlanStep) => number): { ms: number; chain: string[] } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, { ms: number; chain: string[] }>();
  const finish = (step: PlanStep): { ms: number; chain: string[] } => {
    const known = memo.get(step.id);
    if (known) return known;
    let best = { ms: 0, chain: [] as string[] };
    for (const dep of step.dependsOn) {
      const before = byId.get(dep);
      if (!before) continue;
      const candidate = finish(before);
      if (
        candidate.ms > best.ms ||
        (candidate.ms === best.ms && candidate.chain.length > best.chain.length)
      ) {
        best = candidate;
      }
    }
    const result = { ms: best.ms + latency(step), chain: [...best.chain, step.key] };
    memo.set(step.id, result);
    return result;
  };
  return steps.map(finish).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] });
}

/** The exact simulated instant the stack's target group first had `min` healthy targets, from the sim's state. */
function healthyAt(w: BenchWorld, tgArn: string, min: number): number | undefined {
  const state = w.account.stateOf<Elbv2State>('elbv2');
  const group = state.targetGroups[tgArn];
  if (!group) return undefined;
  const since = group.targets
    .map((t) => healthySince(state, group, t, w.account.now(), w.account.faults))
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  return since[min - 1];
}

interface ScaleUp {
  observedMs: number;
  exactMs?: number;
  passes: number;
  sumMs: number;
  chainMs: number;
  chain: string[];
  latencies: { step: string; ms: number; why: string }[];
}

async function scaleUp(): Promise<{ result: ScaleUp; w: BenchWorld }> {
  const w = world({ seed: 1 });
  const stack = stackName(0);
  await w.store.putSpec(specDoc(stack));
  const validation = validateSpec(specDoc(stack));
  if (!validation.ok) throw new Error(`bench spec invalid: ${JSON.stringify(validation.errors)}`);
  const spec = validation.spec;

  const l = latenciesOf(w);
  const empty = makePlan(
    spec,
    'fargate',
    { resources: {}, unknown: {} },
    w.account.now(),
    w.reconciler.kinds,
  );
  const latencies = empty.steps.map((s) => ({ step: s.id, ...stepLatency(s, l) }));
  const sumMs = latencies.reduce((total, s) => total + s.ms, 0);
  const chain = longestChain(empty.steps, (s) => stepLatency(s, l).ms);

  const t0 = w.account.now();
  let observedMs: number | undefined;
  let passes = 0;
  let last: PassResult | undefined;
  for (; passes < MAX_PASSES;) {
    last = await w.pass(stack);
    passes += 1;
    // The pass saw the service ready (minTasks running and healthy in the target group): no step for it.
    const serviceStep = last.plan?.steps.some((s) => s.key === 'service');
    if (observedMs === undefined && last.plan && !serviceStep) observedMs = w.account.now() - t0;
    if (last.settled || last.outcome !== 'reconciled') break;
    w.account.advance(Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, last.requeueAfterMs ?? MAX_STEP_MS)));
  }
  if (!last?.settled || observedMs === undefined) {
    throw new Error(`scale-up did not settle in ${passes} passes: ${JSON.stringify(last?.plan?.steps)}`);
  }
  const tg = (await w.store.get(stack))?.status?.resources.tg;
  const exact = tg?.arn ? healthyAt(w, tg.arn, spec.fargate.minTasks) : undefined;
  return {
    w,
    result: {
      observedMs,
      exactMs: exact === undefined ? undefined : exact - t0,
      passes,
      sumMs,
      chainMs: chain.ms,
      chain: chain.chain,
      latencies,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// 2. Steady state

interface SteadyRun {
  stacks: number;
  ms: number;
  clean: number;
  mutating: number;
}

function isClean(r: PassResult): boolean {
  return r.outcome === 'reconciled' && r.calls.mutating === 0 && (r.plan?.steps.length ?? 1) === 0;
}

/** One steady pass over `stacks`, `PARALLEL` at once. */
async function steadyPass(w: BenchWorld, stacks: string[]): Promise<SteadyRun> {
  const { result, ms } = await timed(() => mapBounded(stacks, PARALLEL, (stack) => w.pass(stack)));
  return {
    stacks: stacks.length,
    ms,
    clean: result.filter(isClean).length,
    mutating: result.reduce((n, r) => n + r.calls.mutating, 0),
  };
}

/** The same, with the simulated clock following real time: AWS's rates apply as they would. */
async function steadyPassRealClock(w: BenchWorld, stacks: string[]): Promise<SteadyRun> {
  let last = process.hrtime.bigint();
  const follow = () => {
    const now = process.hrtime.bigint();
    w.account.advance(Number(now - last) / 1e6);
    last = now;
  };
  const timer = setInterval(follow, 100);
  try {
    return await steadyPass(w, stacks);
  } finally {
    clearInterval(timer);
  }
}

export default async function reconcilerBench(): Promise<void> {
  // 1. Scale-up.
  const up = await scaleUp();
  const s = up.result;
  const within = s.observedMs / s.chainMs - 1;
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `scale-up: ${s.passes} passes, clock moved by requeueAfterMs held to ${MIN_STEP_MS / 1000}–${MAX_STEP_MS / 1000} s`,
  );
  console.table([
    {
      measure: 'scale-up from nothing → healthy targets, as the reconciler saw them (simulated time)',
      value: sec(s.observedMs),
      baseline: `(b) longest chain ${sec(s.chainMs)}`,
      ratio: (s.observedMs / s.chainMs).toFixed(3),
      target: `within ${CHAIN_TOLERANCE * 100} % of (b) (is ${(within * 100).toFixed(1)} %): ${verdict(within <= CHAIN_TOLERANCE)}`,
    },
    {
      measure: '  the same, the instant the targets turned healthy in the simulated AWS',
      value: s.exactMs === undefined ? 'n/a' : sec(s.exactMs),
      baseline: `(b) longest chain ${sec(s.chainMs)}`,
      ratio: s.exactMs === undefined ? '' : (s.exactMs / s.chainMs).toFixed(3),
      target: 'informational',
    },
    {
      measure: '(a) sum of all steps’ latencies, one after another',
      value: sec(s.sumMs),
      baseline: '',
      ratio: (s.observedMs / s.sumMs).toFixed(3),
      target: 'informational (measured ÷ (a))',
    },
    {
      measure: `(b) longest chain: ${s.chain.join(' → ')}`,
      value: sec(s.chainMs),
      baseline: '',
      ratio: '',
      target: 'lower bound',
    },
  ]);
  console.table(
    s.latencies.filter((l) => l.ms > 0).map((l) => ({ step: l.step, latency: sec(l.ms), from: l.why })),
  );

  // 2. Steady state: calls of one pass, from the snapshot, and of the periodic full observation.
  up.w.account.advance(60_000);
  const steady = await up.w.pass(stackName(0));
  up.w.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
  const full = await up.w.pass(stackName(0));
  const calls = steady.calls;
  // With the reconciler's schedule of one pass a minute, one pass in `perFull` observes in full.
  const perFull = Math.round(DEFAULT_FULL_OBSERVE_EVERY_MS / SCHEDULE_MS);
  const averaged = (full.calls.total + (perFull - 1) * calls.total) / perFull;
  const planOf = (r: PassResult) =>
    r.plan?.steps.length === 0 ? 'empty plan' : `${r.plan?.steps.length} steps`;
  console.table([
    {
      measure: 'API calls of a steady-state pass, per stack',
      value: `${calls.total} (${calls.mutating} mutating)`,
      target: `≤ ${STEADY_CALLS_TARGET}, none mutating: ${verdict(calls.total <= STEADY_CALLS_TARGET && calls.mutating === 0)}`,
      plan: planOf(steady),
    },
    {
      measure: `  the full observation, every ${DEFAULT_FULL_OBSERVE_EVERY_MS / 60_000} min (and after any change)`,
      value: `${full.calls.total} (${full.calls.mutating} mutating)`,
      target: 'informational',
      plan: planOf(full),
    },
    {
      measure: `  per pass, averaged over ${perFull} passes a minute apart`,
      value: averaged.toFixed(1),
      target: `≤ ${STEADY_CALLS_TARGET}: ${verdict(averaged <= STEADY_CALLS_TARGET)}`,
      plan: '',
    },
  ]);
  console.table(
    Object.entries(calls.byOperation)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([operation, count]) => ({ operation, count })),
  );

  // 2. Steady state: wall time with 50 ms per call.
  const big = await hundredStacks();
  const w = big.world;
  w.account.advance(60_000);
  try {
    w.account.setFaults({ latencyMs: LATENCY_MS });
    const singles: number[] = [];
    let single: SteadyRun | undefined;
    for (let i = 0; i < SINGLE_RUNS; i++) {
      single = await steadyPass(w, big.stacks.slice(0, 1));
      singles.push(single.ms);
    }
    const one = median(singles);
    const ten = await steadyPass(w, big.stacks.slice(0, 10));
    const hundred = await steadyPass(w, big.stacks);
    const limited = withRateLimits(w);
    limited.account.setFaults({ latencyMs: LATENCY_MS });
    const realClock = await steadyPassRealClock(limited, big.stacks);

    const row = (run: SteadyRun, note: string) => ({
      stacks: run.stacks,
      wall: formatMs(run.ms),
      'sequential baseline': formatMs(one * run.stacks),
      ratio: (run.ms / (one * run.stacks)).toFixed(3),
      'clean passes': `${run.clean}/${run.stacks}`,
      'mutating calls': run.mutating,
      note,
    });
    console.log(
      `steady pass, ${LATENCY_MS} ms real latency per call, ${PARALLEL} stacks at once` +
        (big.built ? ` (100 stacks built by ${big.passes} passes first, without latency)` : ''),
    );
    console.table([
      row({ ...single!, ms: one }, `median of ${SINGLE_RUNS}`),
      row(ten, 'no rate limits'),
      row(hundred, 'no rate limits'),
      row(realClock, 'AWS rate limits, simulated clock = real clock; unclean = throttled look-ups'),
    ]);
  } finally {
    w.account.setFaults({});
  }
}
