/**
 * Ski-rental with a learned distribution of burst lengths: whether a burst this stack is in is worth a
 * Fargate tier, given how long its last bursts lasted (ledger.ts), and whether its bursts come back often
 * enough that the stack belongs on Fargate between them.
 *
 * 1. **Hold a scale-up** (`learnedHold`). A burst has lasted `age` minutes and costs `e` a minute more on
 *    Lambda than on Fargate; a round trip costs `P` and a scale-up takes `U` minutes, during which Lambda
 *    still serves. Scaling up at age T costs a burst of length L
 *        cost(T, L) = e·L                       if L < T (it ended first: never built)
 *                   = e·T + e·min(U, L − T) + P  otherwise (a burst seen for T minutes is built for).
 *    Over the learned bursts that lasted at least `age` (the ones this burst may still be), scaling up now
 *    is held when waiting longer has a lower mean cost. With no such burst (this one has outlasted all of
 *    them, or nothing is learned yet) nothing is held: the rules of today decide, so a burst that keeps
 *    going still moves, and a new plateau is caught as soon as it outlasts the bursts that were not worth
 *    it. When every learned burst ended before a tier started at `age` could serve (L < age + U), waiting
 *    saves P on each: the hold is certain.
 * 2. **Bursts that come back** (`recurringBursts`). From the bursts' starts, the median time between two
 *    (G), and what each would cost if the stack met it on Lambda: its whole extra cost when it is too short
 *    to catch (L ≤ forMinutes + U), else a round trip plus its extra until a scale-up serves. When an idle
 *    Fargate tier costs well less over G than that (RHYTHM_MARGIN · q·G < E, q = Fargate's idle minute −
 *    Lambda's quiet minute), the stack belongs on Fargate across its bursts: a scale-up is not held, and a
 *    scale-down between two bursts is. The rhythm counts while the last burst began less than 1.5 G ago.
 *
 * Pure: the costs come in; nothing is read from a clock.
 */
import type { AutoLedger, BurstRecord } from './ledger';

export interface RentalCosts {
  /** USD a minute this burst costs on Lambda beyond Fargate (≥ 0). */
  extraPerMinute: number;
  /** USD of a round trip (ski-rental.ts `roundTripCost`). */
  roundTrip: number;
  /**
   * Minutes from the newest minute seen to Fargate serving: the scale-up, and the minutes the metrics
   * lag behind the decision.
   */
  scaleUpMinutes: number;
}

/** cost(T, L) above. */
export function burstCost(scaleUpAt: number, length: number, costs: RentalCosts): number {
  const { extraPerMinute: e, roundTrip, scaleUpMinutes } = costs;
  if (length < scaleUpAt) return e * length;
  return e * scaleUpAt + e * Math.min(scaleUpMinutes, length - scaleUpAt) + roundTrip;
}

export interface LearnedHold {
  /** The learned bursts this one may still be (those that lasted at least its age). */
  alike: number;
  /** Mean cost of scaling up now, and of the best later age, over them. */
  now: number;
  later: number;
  /** The age at which scaling up would be best. */
  bestAge: number;
  /** The longest of them. */
  longest: number;
}

/**
 * The learned reason to wait, or undefined when scaling up now is as good as waiting (or nothing applies).
 *
 * @example
 * learnedHold([4, 4, 5], 3, { extraPerMinute: 0.02, roundTrip: 0.024, scaleUpMinutes: 11 });
 * // { alike: 3, now: 0.1107 (mean of 0.104, 0.104, 0.124), later: 0.0867, bestAge: 6, longest: 5 }
 */
export function learnedHold(
  lengths: readonly number[],
  age: number,
  costs: RentalCosts,
): LearnedHold | undefined {
  const alike = lengths.filter((l) => l >= age);
  if (alike.length === 0) return undefined;
  const mean = (at: number) => alike.reduce((sum, l) => sum + burstCost(at, l, costs), 0) / alike.length;
  const now = mean(age);
  const longest = Math.max(...alike);
  let later = Infinity;
  let bestAge = age;
  // Past the longest learned burst every one of them has ended: later ages cost the same.
  for (let at = age + 1; at <= longest + 1; at++) {
    const cost = mean(at);
    if (cost < later) [later, bestAge] = [cost, at];
  }
  return later < now ? { alike: alike.length, now, later, bestAge, longest } : undefined;
}

/**
 * Meeting a burst from Lambda must cost this many times an idle Fargate tier between two before the stack
 * stays on Fargate: there a burst overruns the running tasks for its first minute or two (Lambda takes it
 * without a miss), and the rhythm is an estimate. A close call stays on Lambda.
 */
export const RHYTHM_MARGIN = 1.5;

export interface BurstRhythm {
  /** Median minutes between the starts of two bursts. */
  every: number;
  /** Median cost of meeting one of them from Lambda (USD). */
  perBurst: number;
  /** What an idle Fargate tier costs beyond Lambda over `every` minutes (USD). */
  idleBetween: number;
  /** Bursts it is learned from. */
  bursts: number;
}

export interface RhythmCosts {
  /** USD a minute an idle Fargate tier costs beyond Lambda at the quiet rate (q). */
  idleExtraPerMinute: number;
  roundTrip: number;
  scaleUpMinutes: number;
  /** scaleUp.forMinutes: the least a burst lasts before any rule acts. */
  forMinutes: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** What meeting a burst like `b` from Lambda costs: all of it if too short to catch, else a catch. */
function meetingCost(b: BurstRecord, costs: RhythmCosts): number {
  const catchable = costs.forMinutes + costs.scaleUpMinutes;
  if (b.minutes <= catchable) return b.extra;
  return Math.min(b.extra, costs.roundTrip + (b.extra * catchable) / b.minutes);
}

/**
 * The stack's burst rhythm when its bursts come back often enough that Fargate between them costs less
 * than meeting each from Lambda, and the rhythm still holds at `minute`; otherwise undefined.
 */
export function recurringBursts(
  ledger: AutoLedger,
  minute: number,
  costs: RhythmCosts,
): BurstRhythm | undefined {
  const starts = [...ledger.bursts.map((b) => b.start), ...(ledger.open ? [ledger.open.start] : [])];
  if (ledger.bursts.length === 0 || starts.length < 2) return undefined;
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
  const every = median(gaps);
  const lastStart = starts[starts.length - 1]!;
  if (every <= 0 || minute - lastStart > 1.5 * every) return undefined;
  const perBurst = median(ledger.bursts.map((b) => meetingCost(b, costs)));
  const idleBetween = Math.max(0, costs.idleExtraPerMinute) * every;
  if (RHYTHM_MARGIN * idleBetween >= perBurst) return undefined;
  return { every, perBurst, idleBetween, bursts: ledger.bursts.length };
}
