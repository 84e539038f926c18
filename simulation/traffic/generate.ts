/**
 * Seeded traffic traces of the shapes users have, for tuning and benchmarking auto mode on traffic it has
 * not seen (the bench's `traces`): each family draws its shape's parameters from the seed, so a seed names
 * one trace exactly, and a sample of seeds stands for the family.
 *
 * Families:
 * - `ramp`: a base rate rising to a height over hours, held, and back (slopes of about 0.3–6 rps a minute);
 * - `flash-crowd`: a low base with bursts of 2–15 min, every 30 min – 6 h (±15 %), of 100–400 rps;
 * - `beyond-lambda`: a ramp to more concurrent requests (rate × duration) than Lambda's 1,000;
 * - `random-walk`: a mean-reverting walk of the log of the rate;
 * - `weekly`: a week of working days with a daytime peak and quieter weekends;
 * - `slow-requests`: a day's bump of requests of 0.5–3 s, below Lambda's concurrency limit.
 *
 * Every minute carries multiplicative noise (a few percent, as the public traces in examples/traces have).
 * Pure: no clock, no I/O; `traceToCsv` writes the CSV that `loadTrace` reads.
 */
import { createRandomState, nextRandom, type RandomState } from '../../aws-sim/core/random';
import type { Trace, TraceRow } from './types';

export const TRACE_FAMILIES = [
  'ramp',
  'flash-crowd',
  'beyond-lambda',
  'random-walk',
  'weekly',
  'slow-requests',
] as const;
export type TraceFamily = (typeof TRACE_FAMILIES)[number];

export interface GeneratedTrace {
  /** `<family>-<seed>`. */
  name: string;
  family: TraceFamily;
  seed: number;
  /** The shape's parameters as drawn, rounded, for reports (burst length, period, height, …). */
  params: Record<string, number>;
  trace: Trace;
}

const DAY = 1440;
const WEEK = 7 * DAY;
/** AWS's default regional Lambda concurrency, which `beyond-lambda` goes past. */
const LAMBDA_CONCURRENCY = 1000;
/** Highest rate a family asks for: 40 tasks of 100 rps (the bench's spec) with room to spare. */
const MAX_RPS = 3500;

/** A draw in [low, high). */
const uniform = (rng: RandomState, low: number, high: number) => low + (high - low) * nextRandom(rng);
const integer = (rng: RandomState, low: number, high: number) => Math.floor(uniform(rng, low, high + 1));

/** A standard normal draw (Box–Muller). */
function gaussian(rng: RandomState): number {
  const u = Math.max(nextRandom(rng), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextRandom(rng));
}

/** The rate with `share` of multiplicative noise, never negative, in hundredths as the public traces. */
function noisy(rng: RandomState, rps: number, share: number): number {
  return Math.round(Math.max(0, rps * (1 + share * gaussian(rng))) * 100) / 100;
}

function rowsOf(
  minutes: number,
  rate: (minute: number) => TraceRow['rps'],
  durationMs: (m: number) => number,
) {
  const rows: TraceRow[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    rows.push({ minute, rps: rate(minute), durationMs: durationMs(minute) });
  }
  return rows;
}

/** Base → height linearly over `rise` minutes from `start`, held `hold`, back over `fall`. */
function trapezoid(
  minute: number,
  shape: { base: number; height: number; start: number; rise: number; hold: number; fall: number },
): number {
  const { base, height, start, rise, hold, fall } = shape;
  const t = minute - start;
  if (t < 0) return base;
  if (t < rise) return base + ((height - base) * t) / rise;
  if (t < rise + hold) return height;
  if (t < rise + hold + fall) return height - ((height - base) * (t - rise - hold)) / fall;
  return base;
}

function ramp(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const shape = {
    base: uniform(rng, 2, 10),
    height: uniform(rng, 100, 400),
    start: integer(rng, 60, 300),
    rise: integer(rng, 60, 360),
    hold: integer(rng, 60, 240),
    fall: integer(rng, 60, 360),
  };
  const rows = rowsOf(
    DAY,
    (m) => noisy(rng, trapezoid(m, shape), 0.04),
    () => 100,
  );
  return { params: roundAll({ ...shape, slope: (shape.height - shape.base) / shape.rise }), trace: { rows } };
}

function flashCrowd(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const base = uniform(rng, 1, 5);
  const height = uniform(rng, 100, 400);
  const length = integer(rng, 2, 15);
  const period = integer(rng, 30, 360);
  const bursts = new Set<number>();
  for (
    let start = integer(rng, 0, period);
    start < DAY;
    start += Math.round(period * uniform(rng, 0.85, 1.15))
  ) {
    for (let m = start; m < start + length; m++) bursts.add(m);
  }
  const rows = rowsOf(
    DAY,
    (m) => noisy(rng, bursts.has(m) ? height : base, 0.05),
    () => 100,
  );
  return { params: roundAll({ base, height, length, period }), trace: { rows } };
}

function beyondLambda(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const durationMs = integer(rng, 300, 1000);
  const concurrency = uniform(rng, 1.1, 1.6) * LAMBDA_CONCURRENCY;
  const height = Math.min(MAX_RPS, (concurrency * 1000) / durationMs);
  const shape = {
    base: uniform(rng, 20, 60),
    height,
    start: integer(rng, 60, 300),
    rise: integer(rng, 60, 240),
    hold: integer(rng, 120, 360),
    fall: integer(rng, 60, 240),
  };
  const rows = rowsOf(
    DAY,
    (m) => noisy(rng, trapezoid(m, shape), 0.04),
    () => durationMs,
  );
  return {
    params: roundAll({ ...shape, durationMs, peakConcurrency: (height * durationMs) / 1000 }),
    trace: { rows },
  };
}

function randomWalk(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const start = uniform(rng, 5, 100);
  const step = uniform(rng, 0.02, 0.05);
  const pull = 0.002;
  const home = Math.log(start);
  let level = home;
  const rows = rowsOf(
    DAY,
    () => {
      level += pull * (home - level) + step * gaussian(rng);
      level = Math.min(Math.log(600), Math.max(Math.log(0.5), level));
      return noisy(rng, Math.exp(level), 0.02);
    },
    () => 100,
  );
  return { params: roundAll({ start, step }), trace: { rows } };
}

/** A day's bump: `night` outside 06:00–22:00, a raised cosine up to `peak` at about 14:00. */
function dayShape(minuteOfDay: number, night: number, peak: number): number {
  const from = 6 * 60;
  const to = 22 * 60;
  if (minuteOfDay < from || minuteOfDay >= to) return night;
  return night + (peak - night) * Math.sin((Math.PI * (minuteOfDay - from)) / (to - from)) ** 2;
}

function weekly(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const peak = uniform(rng, 30, 300);
  const weekend = uniform(rng, 0.2, 0.6);
  const night = uniform(rng, 0.5, 3);
  const dayFactors = Array.from({ length: 7 }, (_, day) => (day >= 5 ? weekend : uniform(rng, 0.85, 1.15)));
  const rows = rowsOf(
    WEEK,
    (m) => noisy(rng, dayShape(m % DAY, night, peak * dayFactors[Math.floor(m / DAY)]!), 0.05),
    () => 100,
  );
  return { params: roundAll({ peak, weekend, night }), trace: { rows } };
}

function slowRequests(rng: RandomState): Omit<GeneratedTrace, 'name' | 'family' | 'seed'> {
  const durationMs = integer(rng, 500, 3000);
  // At most 70 % of Lambda's concurrency at the peak: beyond it is `beyond-lambda`'s family.
  const peak = Math.min(uniform(rng, 10, 200), (0.7 * LAMBDA_CONCURRENCY * 1000) / durationMs);
  const night = uniform(rng, 0.2, 2);
  const rows = rowsOf(
    DAY,
    (m) => noisy(rng, dayShape(m, night, peak), 0.05),
    () => Math.round(durationMs * (1 + 0.05 * gaussian(rng))),
  );
  return { params: roundAll({ durationMs, peak, night }), trace: { rows } };
}

const GENERATORS: Record<
  TraceFamily,
  (rng: RandomState) => Omit<GeneratedTrace, 'name' | 'family' | 'seed'>
> = {
  ramp,
  'flash-crowd': flashCrowd,
  'beyond-lambda': beyondLambda,
  'random-walk': randomWalk,
  weekly,
  'slow-requests': slowRequests,
};

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

/**
 * One trace of a family; the same family and seed give the same trace.
 *
 * @example
 * const { trace, params } = generateTrace('flash-crowd', 7);
 * params.length; // the bursts' length in minutes (2–15)
 */
export function generateTrace(family: TraceFamily, seed: number): GeneratedTrace {
  if (!TRACE_FAMILIES.includes(family)) {
    throw new RangeError(
      `generating a trace: unknown family '${String(family)}' (one of ${TRACE_FAMILIES.join(', ')})`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`generating a trace: seed must be a whole number ≥ 0, got ${seed}`);
  }
  // Nearby seeds give nearby mulberry32 states, whose first draws are alike: the state starts from a
  // draw of a state made of the seed and the family (so that seed 1 of two families are unrelated too).
  const mixer = createRandomState(seed * TRACE_FAMILIES.length + TRACE_FAMILIES.indexOf(family));
  nextRandom(mixer);
  const rng = createRandomState(Math.floor(nextRandom(mixer) * 0x100000000));
  return { name: `${family}-${seed}`, family, seed, ...GENERATORS[family](rng) };
}

/** `perFamily` traces of every family, seeds `firstSeed`, `firstSeed + 1`, …. */
export function sampleFamilies(perFamily: number, firstSeed = 1): GeneratedTrace[] {
  return TRACE_FAMILIES.flatMap((family) =>
    Array.from({ length: perFamily }, (_, i) => generateTrace(family, firstSeed + i)),
  );
}

/** The CSV `loadTrace` reads: `minute,rps,duration_ms`, one row per minute. */
export function traceToCsv(trace: Trace): string {
  return (
    ['minute,rps,duration_ms', ...trace.rows.map((r) => `${r.minute},${r.rps},${r.durationMs}`)].join('\n') +
    '\n'
  );
}
