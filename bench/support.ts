/**
 * Shared pieces of the simulator and reconciler benchmarks: a reconciler wired to a simulated account,
 * a quick way to fill an account with many stacks' Fargate tiers, bounded concurrency and timing.
 */
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../reconciler/reconcile';
import { ALL_RESOURCES } from '../reconciler/resources';
import { InMemoryStateStore } from '../reconciler/state';
import type { DesiredStateInput } from '../spec/types';
import { clientsFor, createSimulatedAws, SimAccount, type FaultConfig, type SimulatedAws } from '../aws-sim';
import { ALL_SERVICES } from '../aws-sim/services';
import { createRandomState, nextRandom } from '../aws-sim/core/random';

export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1';

export function stackName(i: number): string {
  return `bench-${i + 1}`;
}

export function specDoc(stack: string): DesiredStateInput {
  return { stack, image: IMAGE, mode: 'fargate' };
}

export interface BenchWorld extends SimulatedAws {
  store: InMemoryStateStore;
  reconciler: ReconcilerOptions;
  pass(stack: string): Promise<PassResult>;
}

/**
 * A simulated account, an in-memory state store and a reconciler over every resource kind. With
 * `rateLimits: false` the account's services have no token buckets (a bench-only account, for timings
 * that measure latency and parallelism rather than AWS's rates).
 */
export function world(
  options: { seed?: number; faults?: FaultConfig; rateLimits?: boolean; store?: InMemoryStateStore } = {},
): BenchWorld {
  const seed = options.seed ?? 1;
  const sim =
    options.rateLimits === false
      ? unlimitedAws(seed, options.faults)
      : createSimulatedAws({ seed, faults: options.faults });
  const store = options.store ?? new InMemoryStateStore(() => sim.account.now());
  const jitter = createRandomState(seed);
  const reconciler: ReconcilerOptions = {
    store,
    clients: sim.clients,
    region: sim.account.region,
    kinds: ALL_RESOURCES,
    holder: 'bench',
    now: () => sim.account.now(),
    monotonic: () => sim.account.now(),
    random: () => nextRandom(jitter),
  };
  return { ...sim, store, reconciler, pass: (stack) => reconcileStack(reconciler, stack) };
}

function unlimitedAws(seed: number, faults?: FaultConfig): SimulatedAws {
  const account = new SimAccount(
    ALL_SERVICES.map((service) => ({ ...service, buckets: {} })),
    { seed, faults },
  );
  return { account, clients: clientsFor(account) };
}

/**
 * The same account state in a standard account (AWS's rate limits on), sharing the state store (whose
 * clock stays the original account's: it only times leases, taken and released within each pass).
 */
export function withRateLimits(w: BenchWorld): BenchWorld {
  const copy = world({ seed: 1, store: w.store });
  copy.account.restore(w.account.toJSON());
  return copy;
}

/**
 * Builds `count` stacks' Fargate tiers with the reconciler itself, in rounds: each round runs one pass
 * per unsettled stack, `spacingMs` of simulated time apart (so that the account's rate limits, token
 * buckets on the simulated clock, refill between stacks as they would for passes spread over a
 * schedule). Returns the number of passes and whether every stack settled.
 */
export async function buildStacks(
  w: BenchWorld,
  count: number,
  options: { spacingMs?: number; maxRounds?: number } = {},
): Promise<{ stacks: string[]; passes: number; settled: number }> {
  const spacingMs = options.spacingMs ?? 1_000;
  const stacks = Array.from({ length: count }, (_, i) => stackName(i));
  for (const stack of stacks) await w.store.putSpec(specDoc(stack));
  const pending = new Set(stacks);
  let passes = 0;
  for (let round = 0; round < (options.maxRounds ?? 40) && pending.size > 0; round++) {
    const roundStart = w.account.now();
    for (const stack of [...pending]) {
      const result = await w.pass(stack);
      passes += 1;
      if (result.settled || result.outcome !== 'reconciled') pending.delete(stack);
      w.account.advance(spacingMs);
    }
    // At least the EC2 consistency delay and a usual requeue between one stack's passes.
    const elapsed = w.account.now() - roundStart;
    if (elapsed < 15_000) w.account.advance(15_000 - elapsed);
  }
  return { stacks, passes, settled: count - pending.size };
}

/** Runs `fn` over `items`, at most `limit` at once. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Milliseconds of real time since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: msSince(start) };
}

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

let hundred: Promise<{ world: BenchWorld; stacks: string[]; passes: number }> | undefined;

/**
 * One account holding 100 stacks' Fargate tiers, built once per `npm run bench` and shared by the
 * benches (about 20 s to build), in a bench-only account without rate limits (see `withRateLimits`). `built` is false for the callers after the first.
 */
export async function hundredStacks(): Promise<{
  world: BenchWorld;
  stacks: string[];
  passes: number;
  built: boolean;
}> {
  const first = hundred === undefined;
  hundred ??= (async () => {
    // Without rate limits: 100 stacks' passes at one simulated instant would only collect Throttling.
    const w = world({ seed: 100, rateLimits: false });
    const built = await buildStacks(w, 100);
    if (built.settled !== 100) throw new Error(`only ${built.settled} of 100 stacks settled`);
    return { world: w, stacks: built.stacks, passes: built.passes };
  })();
  return { ...(await hundred), built: first };
}
