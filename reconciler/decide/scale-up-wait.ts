/**
 * How long auto mode keeps a rise on Lambda if the rate holds where it is, for the reason: the rate must
 * stay above `scaleUp` for `forMinutes`, and then the ski-rental rule (docs/auto-policy.md, "Up", rule
 * 2a) waits until the run's extra Lambda cost reaches a round trip's, or the run lasts as long as a round
 * trip. Without it, "for 1 of 3 min" reads as a move in two minutes, and the move comes minutes later.
 *
 * An estimate at the newest rate: the other rules (a level, a rise, bursts that come back) may move
 * sooner, a falling rate later, and the learned bursts may hold it (their own reason says so then).
 */

export interface ScaleUpWaitInput {
  /** Minutes of the run above `scaleUp` so far. */
  runMinutes: number;
  /** What Lambda charged in the run beyond Fargate. */
  runExtra: number;
  /** …and in a minute at the newest rate (≤ 0: Fargate would not be cheaper at this rate). */
  extraPerMinute: number;
  forMinutes: number;
  /** A round trip's cost and its minutes (ski-rental.ts). */
  roundTrip: number;
  roundTripMinutes: number;
}

export interface ScaleUpWait {
  /** Minutes from now until rule 2a lets the rise move, at the newest rate. */
  minutes: number;
  /** What ends the wait: the run's length alone, the extra cost, or a run as long as a round trip. */
  until: 'forMinutes' | 'cost' | 'length';
}

/** A cent's ten-thousandth: the cost sums are floating point. */
const EPSILON = 1e-9;

/**
 * @example
 * scaleUpWait({ runMinutes: 1, runExtra: 0.0048, extraPerMinute: 0.0048, forMinutes: 3, roundTrip: 0.029, roundTripMinutes: 31 });
 * // { minutes: 5, until: 'cost' }
 */
export function scaleUpWait(input: ScaleUpWaitInput): ScaleUpWait {
  const forLeft = Math.max(0, input.forMinutes - input.runMinutes);
  const costShort = input.roundTrip - input.runExtra;
  const byCost =
    costShort <= EPSILON
      ? 0
      : input.extraPerMinute > 0
        ? Math.ceil(costShort / input.extraPerMinute - EPSILON)
        : Infinity;
  const byLength = Math.max(0, input.roundTripMinutes - input.runMinutes);
  const worth = Math.min(byCost, byLength);
  if (worth <= forLeft) return { minutes: forLeft, until: 'forMinutes' };
  return { minutes: worth, until: byCost <= byLength ? 'cost' : 'length' };
}

/**
 * The words for the reason, after "staying on Lambda": `; at this rate a move in ~5 min, when …`.
 *
 * @example
 * scaleUpWaitText({ minutes: 5, until: 'cost' }, { threshold: 9, forMinutes: 3, roundTrip: '$0.0290', roundTripMinutes: 31 });
 * // "; at this rate a move in ~5 min, when the burst's extra Lambda cost reaches a round trip's $0.0290 (the ski-rental wait)"
 */
export function scaleUpWaitText(
  wait: ScaleUpWait,
  context: { threshold: number; forMinutes: number; roundTrip: string; roundTripMinutes: number },
): string {
  const when =
    wait.until === 'forMinutes'
      ? `when it has been above ${context.threshold} for ${context.forMinutes} min`
      : wait.until === 'cost'
        ? `when the burst's extra Lambda cost reaches a round trip's ${context.roundTrip} (the ski-rental wait)`
        : `when the burst has lasted as long as a round trip, ${context.roundTripMinutes} min (the ski-rental wait)`;
  return `; at this rate a move in ~${wait.minutes} min, ${when}`;
}
