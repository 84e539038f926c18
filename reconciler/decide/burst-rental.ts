/**
 * Ski-rental with a learned distribution of burst lengths: whether a burst this stack is in is worth a
 * Fargate tier, given how long its last bursts lasted (ledger.ts). Whether its bursts come back often
 * enough that the stack belongs on Fargate for them is burst-rhythm.ts's.
 *
 **Hold a scale-up** (`learnedHold`). A burst has lasted `age` minutes and costs `e` a minute more on
 * Lambda than on Fargate; a round trip costs `P` and a scale-up takes `U` minutes, during which Lambda
 * still serves. Scaling up at age T costs a burst of length L
 *     cost(T, L) = e·L                       if L < T (it ended first: never built)
 *                = e·T + e·min(U, L − T) + P  otherwise (a burst seen for T minutes is built for).
 * Over the learned bursts that lasted at least `age` (the ones this burst may still be), scaling up now
 * is held when waiting longer has a lower mean cost. With no such burst (this one has outlasted all of
 * them, or nothing is learned yet) nothing is held: the rules of today decide, so a burst that keeps
 * going still moves, and a new plateau is caught as soon as it outlasts the bursts that were not worth
 * it. When every learned burst ended before a tier started at `age` could serve (L < age + U), waiting
 * saves P on each: the hold is certain.
 *
 * Pure: the costs come in; nothing is read from a clock.
 */

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
