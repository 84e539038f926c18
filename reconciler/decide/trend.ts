/**
 * The request rate's trend over the last minutes, and where it is headed: a least-squares line through
 * the known minutes (gaps left out, never read as zero), and the scatter of the minutes around it.
 *
 * Pure. Used by auto mode for capacity ahead of a rise (capacity-ahead.ts) and for Lambda's concurrency
 * ahead of a rise (auto.ts).
 */

/** A minute's known rate. */
export interface RatePoint {
  minute: number;
  rps: number;
}

export interface Trend {
  /** The line's value at the newest minute. */
  level: number;
  /** Requests per second gained per minute (negative when falling). */
  slope: number;
  /** The standard deviation of the minutes around the line (rps): the noise. */
  noise: number;
  /**
   * The minute-to-minute noise, robustly: the median change between consecutive minutes, as a standard
   * deviation (÷ 0.6745 for a median absolute deviation, ÷ √2 for a difference of two minutes). A line
   * through a jump scatters far more than this; a rise does not.
   */
  minuteNoise: number;
  /** The largest rise from one minute to the next (rps). */
  largestRise: number;
  /** Minutes from the oldest to the newest minute fitted. */
  span: number;
  /** The newest minute the trend is fitted to. */
  newest: number;
  /** Minutes with data the fit used. */
  points: number;
}

/** A line needs this many minutes before its slope says anything. */
export const MIN_TREND_POINTS = 4;

/**
 * The least-squares line through the points; undefined with fewer than MIN_TREND_POINTS.
 *
 * @example
 * fitTrend([{ minute: 0, rps: 10 }, { minute: 1, rps: 12 }, { minute: 2, rps: 14 }, { minute: 3, rps: 16 }]);
 * // { level: 16, slope: 2, noise: 0, minuteNoise: 2.1, largestRise: 2, span: 3, newest: 3, points: 4 }
 */
export function fitTrend(points: readonly RatePoint[]): Trend | undefined {
  if (points.length < MIN_TREND_POINTS) return undefined;
  const n = points.length;
  const meanMinute = points.reduce((s, p) => s + p.minute, 0) / n;
  const meanRps = points.reduce((s, p) => s + p.rps, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.minute - meanMinute) * (p.rps - meanRps);
    variance += (p.minute - meanMinute) ** 2;
  }
  // Distinct minutes always spread (variance > 0); equal ones would make any slope fit.
  const slope = variance > 0 ? covariance / variance : 0;
  const newest = Math.max(...points.map((p) => p.minute));
  const at = (minute: number) => meanRps + slope * (minute - meanMinute);
  let squares = 0;
  for (const p of points) squares += (p.rps - at(p.minute)) ** 2;
  // n − 2 degrees of freedom: two were spent on the line.
  const noise = Math.sqrt(squares / Math.max(1, n - 2));
  const sorted = [...points].sort((a, b) => a.minute - b.minute);
  const changes: number[] = [];
  let largestRise = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.minute !== sorted[i - 1]!.minute + 1) continue;
    const change = sorted[i]!.rps - sorted[i - 1]!.rps;
    changes.push(Math.abs(change));
    largestRise = Math.max(largestRise, change);
  }
  changes.sort((a, b) => a - b);
  const medianChange = changes.length ? changes[Math.floor(changes.length / 2)]! : 0;
  const minuteNoise = medianChange / 0.6745 / Math.SQRT2;
  const span = newest - sorted[0]!.minute;
  return { level: at(newest), slope, noise, minuteNoise, largestRise, span, newest, points: n };
}

/** A line that scatters more than this many times the minute-to-minute noise was fitted through a jump. */
export const JUMP_FACTOR = 3;

/**
 * Whether the rate is rising beyond its noise, as a line: the line gains more over the fitted minutes
 * than the minutes scatter around it (a slope that two standard errors do not explain away), and the
 * minutes follow the line (a jump, such as a flash crowd's first minutes, is not a rise to extrapolate:
 * it would ask for tasks for a rate twice as high, minutes after the burst ended).
 */
export function isRising(trend: Trend): boolean {
  if (trend.slope <= 0) return false;
  // A jump: the minutes scatter around the line far more than from one minute to the next, and one change
  // makes half the line's rise. (The first test alone would also catch the knee of a clean ramp, whose
  // flat minutes have no noise at all.)
  const jumped =
    trend.noise > JUMP_FACTOR * trend.minuteNoise && trend.largestRise >= 0.5 * trend.slope * trend.span;
  if (jumped) return false;
  // Standard error of a least-squares slope over n evenly spaced minutes: σ / sqrt(Σ (x − x̄)²),
  // and Σ (x − x̄)² = n (n² − 1) / 12 for n consecutive minutes.
  const n = trend.points;
  const spread = Math.sqrt((n * (n * n - 1)) / 12);
  return trend.slope > (2 * trend.noise) / spread;
}

/**
 * Whether the rate is falling beyond its noise, as a line: the mirror of `isRising` (a slope below zero
 * that two standard errors do not explain away), and not a line through a drop (a burst's end: the
 * minutes scatter around it far more than from one minute to the next).
 */
export function isFalling(trend: Trend): boolean {
  if (trend.slope >= 0) return false;
  if (trend.noise > JUMP_FACTOR * trend.minuteNoise && trend.noise > 0) return false;
  const n = trend.points;
  const spread = Math.sqrt((n * (n * n - 1)) / 12);
  return -trend.slope > (2 * trend.noise) / spread;
}

/** The line's value `minutes` after its newest minute (never below zero). */
export function forecast(trend: Trend, minutes: number): number {
  return Math.max(0, trend.level + trend.slope * minutes);
}
