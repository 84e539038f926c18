/**
 * `npm run bench scale` (and `-- --json`): LambdaFlex fanned out (reconciler/dispatch/) over N = 10, 100
 * and 1,000 settled stacks in one simulated account with AWS's documented account-wide API limits, every
 * AWS call taking 50 ms and every DynamoDB call 10 ms of simulated time (bench/scale/fleet.ts), on
 * virtual time (bench/scale/virtual-time.ts).
 *
 * Per N: read calls per stack per steady minute (over a whole fleet resync period, at least 30 minutes,
 * so that every stack's periodic full pass is in it), the peak calls per second of each service against
 * its documented sustained limit, the longest steady pass (a schedule's dispatcher run and the work it
 * sent), throttles met, the time from an edit to its first mutating call, and the time for every stack
 * to switch from Lambda to Fargate at once against one stack's switch alone.
 *
 * Targets (at 1,000 stacks): ≤ 0.2 reads per stack per steady minute; every service under its limit with
 * no sustained throttling; a steady pass inside one minute; an edit acted on within 5 s; all switching
 * within 2 × a single stack's switch.
 *
 * `--stacks=10,100` picks the sizes; `--switch-max=100` the largest fleet switched at once (default all);
 * `--switch-real-minutes=60` how long in real time a fleet's switch may run before the bench gives up;
 * `--switch-calls` prints every operation's calls per stack while switching, reads and changes, by service;
 * `--switch-only` measures the switch alone, after a minute's warm-up instead of the steady window;
 * `--progress` prints, every simulated minute of a fleet's switch, how many stacks have settled;
 * `--dump-calls=<file>` writes the switch's calls (with the environment, role and attempt of each) and
 * the invocations as JSON, to find where a rate went;
 * `--dump-edit=<file>` writes, as JSON, every call, invocation and wait for a budget token from the steady
 * window's edit to its first change, to find where the edit's seconds went.
 */
import { resyncPeriod } from '../reconciler/dispatch/sweep';
import { writeFileSync } from 'node:fs';
import { bucketsOf, DOCUMENTED_LIMITS } from '../aws-sim/core/rate-limits';
import type { ServiceName } from '../reconciler/aws/clients';
import { buildFleet, ScaleWorld, specOf, type CallRecord } from './scale/fleet';
import { verdict } from './support';
import { positiveIntegers } from './help';
import { ALL_SERVICES } from '../aws-sim/services';

const LATENCY_MS = 50;
const STORE_LATENCY_MS = 10;
const MIN_WINDOW_MS = 30 * 60_000;
/** How long all stacks may take to switch before the run gives up (simulated time). */
const SWITCH_LIMIT_MS = 4 * 3_600_000;
/**
 * Real time a switch of the whole fleet may take before it is given up (the machine is shared):
 * `--switch-real-minutes`, 20 by default.
 */
const switchRealLimitMs = () =>
  (positiveIntegers('switch-real-minutes', option('switch-real-minutes'))?.[0] ?? 20) * 60_000;
/** Services that are the reconciler's own plumbing, not the stacks' AWS APIs. */
const PLUMBING = new Set(['sqs']);

export interface ScaleRow {
  stacks: number;
  readsPerStackPerMinute: number;
  steadyPassSeconds: number;
  editToFirstActionSeconds: number | null;
  throttles: number;
  peakCallsPerSecond: Record<string, number>;
  /**
   * The highest rate over a minute beyond the bucket's burst, steady or switching (what a service
   * sustains, against `limits`).
   */
  sustainedCallsPerSecond: Record<string, number>;
  /** The sustained limit of the bucket each `sustainedCallsPerSecond` is of. */
  sustainedLimits: Record<string, number>;
  limits: Record<string, number>;
  allSwitchSeconds: number | null;
  singleSwitchSeconds: number | null;
}

/**
 * The buckets a call takes a token from in the simulated account (aws-sim/core/rate-limits.ts), each with
 * its sustained rate and its burst.
 */
function bucketsOfCall(c: CallRecord): { key: string; limit?: number; capacity?: number }[] {
  const service = ALL_SERVICES.find((s) => s.name === c.service);
  if (!service) return [{ key: `${c.service}:${c.mutating ? 'mutating' : 'describe'}` }];
  const { own, account } = bucketsOf(service, c.operation, DOCUMENTED_LIMITS[c.service as ServiceName]);
  return [own, ...(account ? [account] : [])].map(({ key, spec }) => ({
    key,
    ...(spec ? { limit: spec.refillPerSecond, capacity: spec.capacity } : {}),
  }));
}

/**
 * The least time AWS's limits allow for `calls` (those that succeeded), `times` over, whoever makes them:
 * for each bucket, what its burst does not cover at its sustained rate. The busiest bucket, and its
 * seconds.
 */
function budgetFloor(calls: CallRecord[], times = 1): { bucket: string; seconds: number } {
  const counts = new Map<string, { n: number; limit?: number; capacity?: number }>();
  for (const c of calls) {
    if (c.throttled) continue;
    for (const { key, limit, capacity } of bucketsOfCall(c)) {
      const entry = counts.get(key) ?? { n: 0, limit, capacity };
      entry.n += times;
      counts.set(key, entry);
    }
  }
  let floor = { bucket: 'none', seconds: 0 };
  for (const [key, { n, limit, capacity }] of counts) {
    if (!limit) continue;
    const seconds = Math.max(0, n - (capacity ?? 0)) / limit;
    if (seconds > floor.seconds) floor = { bucket: key, seconds };
  }
  return floor;
}

/** Rates are averaged over this window: a token bucket's burst is allowed above its sustained rate. */
const PEAK_WINDOW_MS = 10_000;
/**
 * What a service sustains: its rate over a minute beyond its bucket's burst, what the bucket had to refill.
 * Over ten seconds a full bucket's burst (ELBv2's 40 describes, four seconds' worth) lets 14 calls a second
 * through against a sustained 10, unthrottled; over a minute, 10.7.
 */
const SUSTAINED_WINDOW_MS = 60_000;

/**
 * Per service, the busiest of its buckets: the highest rate over any window of `windowMs` (calls per
 * second; with `beyondBurst`, of the calls beyond the bucket's burst) and that bucket's sustained limit
 * (EC2's buckets are per API action, so its busiest action).
 */
function peaks(
  calls: CallRecord[],
  windowMs = PEAK_WINDOW_MS,
  beyondBurst = false,
): { peak: Record<string, number>; limits: Record<string, number> } {
  const perWindow = new Map<string, number>();
  const limitOf = new Map<string, number | undefined>();
  const burstOf = new Map<string, number>();
  for (const c of calls) {
    for (const { key, limit, capacity } of bucketsOfCall(c)) {
      limitOf.set(key, limit);
      burstOf.set(key, capacity ?? 0);
      const window = `${key}|${Math.floor(c.at / windowMs)}`;
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
  }
  const byBucket = new Map<string, number>();
  for (const [window, count] of perWindow) {
    const key = window.split('|')[0]!;
    const counted = beyondBurst ? Math.max(0, count - (burstOf.get(key) ?? 0)) : count;
    byBucket.set(key, Math.max(byBucket.get(key) ?? 0, counted / (windowMs / 1000)));
  }
  const peak: Record<string, number> = {};
  const limits: Record<string, number> = {};
  const load = (rate: number, limit?: number) => (limit ? rate / limit : 0);
  for (const [key, rate] of byBucket) {
    const service = key.split(':')[0]!;
    const limit = limitOf.get(key);
    if (peak[service] === undefined || load(rate, limit) > load(peak[service]!, limits[service])) {
      peak[service] = rate;
      if (limit !== undefined) limits[service] = limit;
      else delete limits[service];
    }
  }
  return { peak, limits };
}

/** Awaits `work` while virtual time runs (its calls wait on the simulated clock). */
async function during<T>(world: ScaleWorld, work: Promise<T>): Promise<T> {
  let finished = false;
  const result = work.finally(() => (finished = true));
  await world.vt.run(Infinity, () => finished);
  return result;
}

/** How many of `stacks` have settled on `phase` (for `--progress`). */
async function settledCount(
  world: ScaleWorld,
  stacks: string[],
  phase: 'Lambda' | 'Fargate',
): Promise<number> {
  let n = 0;
  for (const stack of stacks) {
    const status = (await world.fleet.store.get(stack))?.status;
    if (status?.phase === phase && status.lastPass?.requeueAfterMs === undefined) n += 1;
  }
  return n;
}

async function allSettledOn(
  world: ScaleWorld,
  stacks: string[],
  phase: 'Lambda' | 'Fargate',
): Promise<boolean> {
  for (const stack of stacks) {
    const status = (await world.fleet.store.get(stack))?.status;
    if (status?.phase !== phase || status.lastPass?.requeueAfterMs !== undefined) return false;
  }
  return true;
}

/** Where a switch's calls and time went, per stack: reads and budget waits by service (informational). */
interface SwitchBreakdown {
  stacks: number;
  seconds: number | null;
  readsPerStack: Record<string, number>;
  /** The busiest read operations, per stack. */
  topReads: [string, number][];
  /** Every operation's calls per stack, reads and changes, by `service:Operation` (`--switch-calls`). */
  calls: { service: string; operation: string; mutating: boolean; perStack: number }[];
  /** The least time AWS's limits allow for the switch's calls, and the bucket that sets it. */
  floor: { bucket: string; seconds: number };
  waitSecondsPerStack: Record<string, number>;
  throttled: Record<string, number>;
}
const switchBreakdowns: SwitchBreakdown[] = [];

/**
 * Switches `stacks` to Fargate at once; the simulated seconds until every one has settled there. Where
 * its calls and time went goes to `switchBreakdowns`.
 */
async function switchAll(world: ScaleWorld, stacks: string[]): Promise<number | null> {
  const callsFrom = world.calls.length;
  const waitsBefore = world.budgetWaits();
  const seconds = await untilAllSwitched(world, stacks);
  const readsPerStack: Record<string, number> = {};
  const byOperation = new Map<string, number>();
  const throttled: Record<string, number> = {};
  const everyCall = new Map<string, SwitchBreakdown['calls'][number]>();
  for (const c of world.calls.slice(callsFrom)) {
    if (c.throttled) throttled[c.service] = (throttled[c.service] ?? 0) + 1;
    if (!PLUMBING.has(c.service) && !c.throttled) {
      const key = `${c.service}:${c.operation}`;
      const entry = everyCall.get(key) ?? { ...c, perStack: 0 };
      entry.perStack += 1 / stacks.length;
      everyCall.set(key, entry);
    }
    if (c.mutating || PLUMBING.has(c.service)) continue;
    readsPerStack[c.service] = (readsPerStack[c.service] ?? 0) + 1 / stacks.length;
    const operation = `${c.service}:${c.operation}`;
    byOperation.set(operation, (byOperation.get(operation) ?? 0) + 1 / stacks.length);
  }
  const topReads = [...byOperation.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  const waitSecondsPerStack: Record<string, number> = {};
  for (const [service, ms] of Object.entries(world.budgetWaits())) {
    const waited = ms - (waitsBefore[service] ?? 0);
    if (waited > 0) waitSecondsPerStack[service] = waited / 1000 / stacks.length;
  }
  switchBreakdowns.push({
    stacks: stacks.length,
    seconds,
    readsPerStack,
    topReads,
    calls: [...everyCall.values()]
      .map(({ service, operation, mutating, perStack }) => ({ service, operation, mutating, perStack }))
      .sort((a, b) => a.service.localeCompare(b.service) || b.perStack - a.perStack),
    floor: budgetFloor(world.calls.slice(callsFrom).filter((c) => !PLUMBING.has(c.service))),
    waitSecondsPerStack,
    throttled,
  });
  return seconds;
}

async function untilAllSwitched(world: ScaleWorld, stacks: string[]): Promise<number | null> {
  const startedAt = world.account.now();
  const realStart = Date.now();
  await during(
    world,
    Promise.all(stacks.map((stack) => world.store.putSpec(specOf(stack, { mode: 'fargate' })))),
  );
  let done = false;
  let gaveUp = false;
  const progress = option('progress') !== undefined || process.argv.includes('--progress');
  const watch = (async () => {
    for (let tick = 1; !done && !gaveUp; tick++) {
      await world.vt.sleep(10_000);
      if (Date.now() - realStart > switchRealLimitMs()) gaveUp = true;
      else done = await allSettledOn(world, stacks, 'Fargate');
      if (progress && tick % 6 === 0) {
        const settled = await settledCount(world, stacks, 'Fargate');
        const real = ((Date.now() - realStart) / 60_000).toFixed(1);
        console.error(
          `switch: ${tick * 10} s simulated, ${settled}/${stacks.length} settled (${real} min real)`,
        );
      }
    }
  })();
  await world.vt.run(startedAt + SWITCH_LIMIT_MS, () => done || gaveUp);
  void watch;
  return done ? (world.account.now() - startedAt) / 1000 : null;
}

/** The steady figures: a quarter period's warm-up, then a whole resync period (at least 30 minutes). */
async function steadyRow(
  world: ScaleWorld,
  fleet: Awaited<ReturnType<typeof buildFleet>>,
  stacks: number,
  single: number | null,
): Promise<ScaleRow> {
  // A quarter period to warm up (execution environments, the first sweeps; a stack skips a resync instant
  // within a quarter period of its last full pass, so the window after it holds every stack's resync),
  // then the measured window.
  const periodMs = resyncPeriod(stacks);
  await world.vt.run(world.account.now() + Math.max(60_000, periodMs / 4));
  const windowMs = Math.max(MIN_WINDOW_MS, periodMs);
  const from = world.account.now();
  world.calls.length = 0;
  const dispatchesBefore = world.dispatches.length;
  // An edit in the third minute, away from the schedule's minute.
  const editAt = from + 3 * 60_000 + 17_000;
  await world.vt.run(editAt);
  const editedAt = world.account.now();
  await during(world, world.store.putSpec(specOf(fleet.stacks[0]!, { tag: '2' })));
  await world.vt.run(from + windowMs);
  const calls = world.calls.filter((c) => c.at >= from && c.at < from + windowMs);
  const reads = calls.filter((c) => !c.mutating && !PLUMBING.has(c.service)).length;
  const byOperation = new Map<string, number>();
  for (const c of calls) {
    if (c.mutating || PLUMBING.has(c.service)) continue;
    const key = `${c.service}:${c.operation}`;
    byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
  }
  topReads.set(
    stacks,
    [...byOperation.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([operation, n]) => ({ operation, perStackPerMinute: n / stacks / (windowMs / 60_000) })),
  );
  const throttledBy = new Map<string, number>();
  for (const c of calls.filter((x) => x.throttled)) {
    const key = `${c.service}:${c.operation}`;
    throttledBy.set(key, (throttledBy.get(key) ?? 0) + 1);
  }
  throttledOperations.set(
    stacks,
    [...throttledBy.entries()].sort((a, b) => b[1] - a[1]),
  );
  const firstAction = calls.find(
    (c) => c.at >= editedAt && c.mutating && !PLUMBING.has(c.service) && c.service !== 'scheduler',
  );
  const dumpEdit = option('dump-edit');
  if (dumpEdit) {
    const until = (firstAction?.at ?? editedAt + 10_000) + 1_000;
    const within = (at: number) => at >= editedAt - 2_000 && at <= until;
    writeFileSync(
      dumpEdit,
      JSON.stringify({
        editedAt,
        firstAction,
        calls: world.calls.filter((c) => within(c.at)),
        invocations: world.invocations.filter((i) => i.at <= until && i.at + i.ms >= editedAt - 2_000),
        tokenWaits: world.tokenWaits.filter((w) => within(w.startedAt)),
      }),
    );
  }
  const lambdaMs = world.invocations
    .filter((i) => i.at >= from && i.at < from + windowMs)
    .reduce((sum, i) => sum + i.ms, 0);
  lambdaSeconds.set(stacks, lambdaMs / 1000 / stacks / (windowMs / 60_000));
  const passes = world.dispatches.slice(dispatchesBefore).map((d) => (d.endedAt - d.startedAt) / 1000);
  const steadyCalls = calls.filter((c) => !PLUMBING.has(c.service));
  const { peak, limits } = peaks(steadyCalls);
  const sustained = peaks(steadyCalls, SUSTAINED_WINDOW_MS, true);
  const row: ScaleRow = {
    stacks,
    readsPerStackPerMinute: reads / stacks / (windowMs / 60_000),
    steadyPassSeconds: Math.max(0, ...passes),
    editToFirstActionSeconds: firstAction ? (firstAction.at - editedAt) / 1000 : null,
    throttles: calls.filter((c) => c.throttled).length,
    peakCallsPerSecond: peak,
    sustainedCallsPerSecond: sustained.peak,
    sustainedLimits: sustained.limits,
    limits,
    allSwitchSeconds: null,
    singleSwitchSeconds: single,
  };
  return row;
}

/**
 * `--switch-only`: a minute's warm-up (execution environments, the first sweep), no steady figures; the
 * switch as in a full run, without the half hour of steady simulation before it.
 */
async function switchWarmUp(world: ScaleWorld, stacks: number, single: number | null): Promise<ScaleRow> {
  await world.vt.run(world.account.now() + 60_000);
  return {
    stacks,
    readsPerStackPerMinute: NaN,
    steadyPassSeconds: NaN,
    editToFirstActionSeconds: null,
    throttles: 0,
    peakCallsPerSecond: {},
    sustainedCallsPerSecond: {},
    sustainedLimits: {},
    limits: {},
    allSwitchSeconds: null,
    singleSwitchSeconds: single,
  };
}

const switchOnly = () => process.argv.includes('--switch-only') || option('switch-only') !== undefined;

async function measure(stacks: number, switchMax: number, single: number | null): Promise<ScaleRow> {
  const fleet = await buildFleet(stacks);
  const world = new ScaleWorld(fleet, {
    latencyMs: LATENCY_MS,
    storeLatencyMs: STORE_LATENCY_MS,
    recordTokenWaits: option('dump-edit') !== undefined,
  });
  await world.setUp();
  world.start();
  const row = switchOnly()
    ? await switchWarmUp(world, stacks, single)
    : await steadyRow(world, fleet, stacks, single);
  if (stacks <= switchMax) {
    world.calls.length = 0;
    row.allSwitchSeconds = await switchAll(world, fleet.stacks);
    const dump = option('dump-calls');
    if (dump)
      writeFileSync(
        dump,
        JSON.stringify({
          environments: world.environmentCount,
          invocations: world.invocations,
          calls: world.calls,
        }),
      );
    switchThrottles.set(stacks, world.calls.filter((c) => c.throttled).length);
    const switchCalls = world.calls.filter((c) => !PLUMBING.has(c.service));
    switchCallCount.set(stacks, switchCalls.length);
    const switching = peaks(switchCalls);
    const switchingSustained = peaks(switchCalls, SUSTAINED_WINDOW_MS, true);
    const load = (rate: number | undefined, limit: number | undefined) =>
      rate === undefined ? -1 : limit ? rate / limit : 0;
    for (const [s, rate] of Object.entries(switching.peak)) {
      if (load(rate, switching.limits[s]) <= load(row.peakCallsPerSecond[s], row.limits[s])) continue;
      row.peakCallsPerSecond[s] = rate;
      if (switching.limits[s] !== undefined) row.limits[s] = switching.limits[s]!;
    }
    for (const [s, rate] of Object.entries(switchingSustained.peak)) {
      const limit = switchingSustained.limits[s];
      if (load(rate, limit) <= load(row.sustainedCallsPerSecond[s], row.sustainedLimits[s])) continue;
      row.sustainedCallsPerSecond[s] = rate;
      if (limit !== undefined) row.sustainedLimits[s] = limit;
    }
  }
  await world.stop();
  return row;
}

/** One stack's switch from Lambda to Fargate alone, in the same world: the critical path. */
async function singleSwitch(): Promise<number | null> {
  const fleet = await buildFleet(1, 5);
  const world = new ScaleWorld(fleet, { latencyMs: LATENCY_MS, storeLatencyMs: STORE_LATENCY_MS });
  await world.setUp();
  world.start();
  await world.vt.run(world.account.now() + 60_000);
  const from = world.calls.length;
  const seconds = await switchAll(world, fleet.stacks);
  singleSwitchCalls.push(...world.calls.slice(from).filter((c) => !PLUMBING.has(c.service)));
  await world.stop();
  return seconds;
}

/** The calls of one stack's switch alone (for what AWS's limits allow a fleet making them all at once). */
const singleSwitchCalls: CallRecord[] = [];

/**
 * `--name=value` after the bench's name; `npm run bench scale --stacks=10` hands it to npm instead, which
 * passes it on as `npm_config_stacks`.
 */
function option(name: string): string | undefined {
  return (
    process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ??
    process.env[`npm_config_${name.replace(/-/g, '_')}`]
  );
}

/** `--json`, or npm's own `--json` (`npm run bench scale --json` sets npm_config_json). */
export function jsonWanted(): boolean {
  return process.argv.includes('--json') || process.env.npm_config_json === 'true';
}

/** Throttles met while the whole fleet switched, by fleet size (the rows' `throttles` are the steady ones). */
const switchThrottles = new Map<number, number>();
/** Calls made while the whole fleet switched, by fleet size. */
const switchCallCount = new Map<number, number>();
/** Lambda run time of the steady window, seconds per stack per minute (informational: the cost). */
const lambdaSeconds = new Map<number, number>();
/** The steady window's throttled operations and how often, by fleet size (informational). */
const throttledOperations = new Map<number, [string, number][]>();
/** The steady window's busiest read operations, by fleet size (informational: where the reads go). */
const topReads = new Map<number, { operation: string; perStackPerMinute: number }[]>();

const fixed = (x: number | null, digits = 1) => (x === null ? 'n/a' : x.toFixed(digits));

export default async function scaleBench(): Promise<void> {
  const json = jsonWanted();
  // Every value is checked before the first measure, so that a typo costs no run.
  const sizes = positiveIntegers('stacks', option('stacks')) ?? [10, 100, 1000];
  const switchMax = positiveIntegers('switch-max', option('switch-max'))?.[0] ?? Infinity;
  switchRealLimitMs();
  const single = await singleSwitch();
  const rows: ScaleRow[] = [];
  for (const n of sizes) {
    if (!json) console.error(`measuring ${n} stacks …`);
    rows.push(await measure(n, switchMax, single));
  }
  if (json) {
    console.log(JSON.stringify({ rows }));
    return;
  }
  const services = [
    ...new Set(
      switchBreakdowns.flatMap((b) => [
        ...Object.keys(b.readsPerStack),
        ...Object.keys(b.waitSecondsPerStack),
      ]),
    ),
  ].sort();
  console.log('per stack while switching: the busiest read operations');
  console.table(
    switchBreakdowns.flatMap((b) =>
      b.topReads.map(([operation, n]) => ({
        stacks: b.stacks,
        'read operation': operation,
        'per stack': n.toFixed(1),
      })),
    ),
  );
  if (option('switch-calls') !== undefined || process.argv.includes('--switch-calls')) {
    console.log('per stack while switching: every operation (calls that reached AWS, throttled ones apart)');
    console.table(
      switchBreakdowns.flatMap((b) =>
        b.calls.map((c) => ({
          stacks: b.stacks,
          service: c.service,
          operation: c.operation,
          kind: c.mutating ? 'change' : 'read',
          'per stack': c.perStack.toFixed(2),
        })),
      ),
    );
  }
  console.log(
    'the least time AWS’s limits allow a fleet switching at once, for one stack’s changes each: ' +
      sizes
        .map((n) => {
          const floor = budgetFloor(
            singleSwitchCalls.filter((c) => c.mutating),
            n,
          );
          return `${n} stacks ${floor.seconds.toFixed(0)} s (${floor.bucket})`;
        })
        .join('; '),
  );
  console.log('per stack while switching: reads, and seconds calls waited for budget tokens, by service');
  console.table(
    switchBreakdowns.map((b) => ({
      stacks: b.stacks,
      'switch (s)': fixed(b.seconds, 0),
      'limits allow (s)': `${b.floor.seconds.toFixed(0)} (${b.floor.bucket})`,
      ...Object.fromEntries(
        services.map((s) => [
          s,
          `${(b.readsPerStack[s] ?? 0).toFixed(0)} r, ${(b.waitSecondsPerStack[s] ?? 0).toFixed(0)} s` +
            (b.throttled[s] ? `, ${b.throttled[s]} thr` : ''),
        ]),
      ),
    })),
  );
  console.log(
    `fanned out: ${LATENCY_MS} ms per AWS call, ${STORE_LATENCY_MS} ms per DynamoDB call, AWS's documented account limits, simulated time`,
  );
  console.table(
    rows.map((r) => ({
      stacks: r.stacks,
      'reads/stack/min': r.readsPerStackPerMinute.toFixed(3),
      'Lambda s/stack/min': (lambdaSeconds.get(r.stacks) ?? 0).toFixed(3),
      'steady pass (s)': r.steadyPassSeconds.toFixed(1),
      'edit → action (s)': fixed(r.editToFirstActionSeconds),
      'throttles (steady)': r.throttles,
      'all switch (s)': fixed(r.allSwitchSeconds, 0),
      'throttles (switch)': switchThrottles.get(r.stacks) ?? 'n/a',
      'one switch (s)': fixed(r.singleSwitchSeconds, 0),
    })),
  );
  console.table(
    rows.flatMap((r) =>
      Object.entries(r.peakCallsPerSecond).map(([service, peak]) => ({
        stacks: r.stacks,
        service,
        'peak calls/s (10 s)': peak.toFixed(1),
        'limit /s': r.limits[service] ?? 'none published',
        'sustained (60 s, beyond burst)': (r.sustainedCallsPerSecond[service] ?? 0).toFixed(1),
        'its limit /s': r.sustainedLimits[service] ?? 'none published',
        under:
          r.sustainedLimits[service] === undefined
            ? ''
            : verdict((r.sustainedCallsPerSecond[service] ?? 0) <= r.sustainedLimits[service]!),
      })),
    ),
  );
  console.table(
    rows.flatMap((r) =>
      (topReads.get(r.stacks) ?? []).map((t) => ({
        stacks: r.stacks,
        'read operation': t.operation,
        'per stack per minute': t.perStackPerMinute.toFixed(4),
      })),
    ),
  );
  const throttled = rows.flatMap((r) =>
    (throttledOperations.get(r.stacks) ?? []).map(([operation, n]) => ({
      stacks: r.stacks,
      'throttled operation (steady)': operation,
      calls: n,
    })),
  );
  if (throttled.length > 0) console.table(throttled);
  const big = rows.find((r) => r.stacks === 1000) ?? rows.at(-1)!;
  const underLimits = Object.entries(big.sustainedCallsPerSecond).every(
    ([s, rate]) => big.sustainedLimits[s] === undefined || rate <= big.sustainedLimits[s]!,
  );
  const switchThrottled = switchThrottles.get(big.stacks) ?? 0;
  const switchShare = switchThrottled / Math.max(1, switchCallCount.get(big.stacks) ?? 0);
  const targets = [
    {
      target: `≤ 0.2 reads per stack per steady minute (${big.stacks})`,
      value: big.readsPerStackPerMinute.toFixed(3),
      verdict: verdict(big.readsPerStackPerMinute <= 0.2),
    },
    {
      target: 'every service under its limit (a minute’s rate), no sustained throttling',
      value: `${big.throttles} throttles steady, ${switchThrottled} switching (${(100 * switchShare).toFixed(2)} % of its calls)`,
      verdict: verdict(underLimits && big.throttles === 0 && switchShare < 0.01),
    },
    {
      target: 'a steady pass inside one minute',
      value: `${big.steadyPassSeconds.toFixed(1)} s`,
      verdict: verdict(big.steadyPassSeconds < 60),
    },
    {
      target: 'an edit acted on within 5 s',
      value: `${fixed(big.editToFirstActionSeconds)} s`,
      verdict: verdict(big.editToFirstActionSeconds !== null && big.editToFirstActionSeconds <= 5),
    },
    {
      target: 'all switching within 2 × one switch',
      value: `${fixed(big.allSwitchSeconds, 0)} s vs ${fixed(big.singleSwitchSeconds, 0)} s`,
      verdict: verdict(
        big.allSwitchSeconds !== null &&
          big.singleSwitchSeconds !== null &&
          big.allSwitchSeconds <= 2 * big.singleSwitchSeconds,
      ),
    },
  ];
  // With --switch-only the steady figures were not measured: only the switch's target is judged.
  console.table(switchOnly() ? targets.slice(-1) : targets);
}
