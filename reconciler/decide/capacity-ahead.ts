/**
 * Fargate tasks ahead of the rate. Target tracking sizes the service for the rate it last saw; on a rise it
 * is always late: its scale-out alarm needs three one-minute datapoints above the target
 * (docs/aws-facts.md) and a new task takes about a minute to start and pass its health checks. Auto mode asks for the tasks of the larger of
 *
 *     rising:  level + slope × horizon + NOISE_MARGIN × noise × PI   (while the rate rises, trend.ts, over
 *                                                                  TREND_MINUTES or PANIC_MINUTES)
 *     step:    newest + step × horizon + NOISE_MARGIN × σ₁          (the newest minute rose STEP_RISE σ₁
 *                                                                  above a level, `firstStep`)
 *     level:   mean of the last LEVEL_MINUTES (the newest, after a step down)
 *              + LEVEL_NOISE_MARGIN × max(levelNoise, horizonNoise, learned drift × level)
 *     tasks    = ceil(expected / targetRequestsPerTask), within minTasks..maxTasks
 *     horizon  = (now − newest minute with data) + TASK_READY_MINUTES
 *
 * (level, slope and noise of the least-squares line through the last TREND_MINUTES; PI its prediction
 * interval's widening at the horizon, `predictionFactor`, for the quarter hour's line; horizonNoise the
 * level's forecast error at the horizon measured on the last BACKTEST_MINUTES, when it measured a level
 * that wanders, `wanderingDrift`; the learned drift the ledger's slow average of it as a share of the
 * level, on a level this hour measured as one that wanders). The first is the
 * rate expected when a task started now serves. The second, only when the level's noise band (± the
 * same margin) straddles a task boundary, keeps the level on the task above it: target tracking, scaling
 * in once its alarm has seen quiet minutes and its cooldown has passed, would otherwise take a task away
 * and miss the next minute above the boundary. A steady rate (its noise within one task count) asks for nothing more than
 * target tracking.
 * The reconciler sets the tasks as the scalable target's MinCapacity, which Application Auto Scaling
 * applies at once. When they are no more than the spec's `minTasks` the minimum goes back to the spec's;
 * scale-in stays with target tracking and its cooldown, the minimum only keeps it from going below the
 * level's tasks.
 *
 * Pure.
 */
import type { FargateSize } from '../../spec/types';
import { JUMP_FACTOR, fitTrend, forecast, isRising, type RatePoint, type Trend } from './trend';

/** Minutes the line is fitted to: long enough that a slow rise stands out of a few percent of noise. */
export const TREND_MINUTES = 15;
/**
 * A second, short line (Knative's panic window is a tenth of its stable one): a steep rise that began a
 * few minutes ago stands out in it long before it bends a quarter hour's line.
 */
export const PANIC_MINUTES = 5;
/**
 * The short line counts only when it rose this many times the minute-to-minute noise over its minutes: five
 * noisy minutes often lean up by chance, and asking for a task on each would cost a steady rate more
 * (Knative's panic mode likewise needs twice the target in its window, not any rise).
 */
export const PANIC_RISE = 6;
/**
 * From asking for a task to its serving: PROVISIONING → RUNNING (45 s by default, docs/aws-facts.md), two
 * health checks 5 s apart, and the rest of the minute the request is made in.
 */
export const TASK_READY_MINUTES = 2;
/** Standard deviations of the minutes' scatter kept as headroom while rising. */
export const NOISE_MARGIN = 3;
/** The level is the mean of this many newest minutes… */
export const LEVEL_MINUTES = 5;
/** …and its noise reaches this many standard deviations of the minute-to-minute noise above it. */
export const LEVEL_NOISE_MARGIN = 3;
/** …and a dip this many below it is ridden out on the tasks the level has. */
export const LEVEL_DIP_MARGIN = 3.5;
/**
 * The level's forecast error is measured over this many minutes of history (the decider reads an hour of
 * metrics)…
 */
export const BACKTEST_MINUTES = 45;
/** …from at least this many forecasts (fewer say nothing about the error's spread). */
export const MIN_BACKTESTS = 12;
/**
 * A newest minute this many minute-to-minute noises above the level before it may be a rise's first
 * (noise alone goes that far about once in 50,000 minutes: the difference of a minute and a mean of five
 * has 1.1 times the noise's deviation).
 */
export const STEP_RISE = 4.5;

export interface TasksAhead {
  tasks: number;
  /** The rate the tasks are for. */
  expectedRps: number;
  /** Whether they are more than target tracking asks for the newest minute's rate. */
  aheadOfTracking: boolean;
  horizonMinutes: number;
  reason: string;
}

/**
 * The level's noise: the minute-to-minute noise, or the scatter around the line when that is larger and
 * the line was not fitted through a jump (over 15 minutes the scatter is the steadier estimate; after a
 * jump it measures the jump, not the noise).
 */
export function levelNoise(trend: Trend): number {
  return trend.noise <= JUMP_FACTOR * trend.minuteNoise
    ? Math.max(trend.noise, trend.minuteNoise)
    : trend.minuteNoise;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The level's noise `horizon` minutes ahead, measured on the stack's own history: for each minute of it,
 * how far the rate `horizon` minutes later strayed from the level then (the mean of the LEVEL_MINUTES up
 * to it), robustly (the median absolute deviation of those errors around their median, as a standard
 * deviation, so that a burst's edge or a ramp's slope does not count as noise), ÷ √(1 + 1/LEVEL_MINUTES):
 * on noise of σ around a steady level it is σ again. A level that wanders (a random walk, a slow drift)
 * strays further the further ahead, about √horizon × its step a minute, which the minute-to-minute noise
 * does not show: a band of 3σ₁ around it lets target tracking take a task the level needs five minutes
 * later. Undefined with fewer than MIN_BACKTESTS forecasts.
 *
 * @example
 * horizonNoise(lastHour, 5); // ≈ σ on white noise, ≈ √5 × the step on a walk
 */
export function horizonNoise(history: readonly RatePoint[], horizon: number): number | undefined {
  const rate = new Map(history.map((p) => [p.minute, p.rps]));
  const errors: number[] = [];
  for (const { minute } of history) {
    const later = rate.get(minute + horizon);
    if (later === undefined) continue;
    const level: number[] = [];
    for (let m = minute - LEVEL_MINUTES + 1; m <= minute; m++) {
      const rps = rate.get(m);
      if (rps !== undefined) level.push(rps);
    }
    if (level.length < LEVEL_MINUTES - 1) continue;
    errors.push(later - level.reduce((a, b) => a + b, 0) / level.length);
  }
  if (errors.length < MIN_BACKTESTS) return undefined;
  const centre = median(errors);
  const spread = median(errors.map((e) => Math.abs(e - centre))) / 0.6745;
  return spread / Math.sqrt(1 + 1 / LEVEL_MINUTES);
}

/**
 * Whether one minute's change in the points is more than STEP_RISE standard deviations of a one-minute
 * change (their median change as one, robustly): a burst's edge, not a level that wanders.
 */
export function jumpsIn(history: readonly RatePoint[]): boolean {
  const changes: number[] = [];
  for (let i = 1; i < history.length; i++) {
    if (history[i]!.minute === history[i - 1]!.minute + 1) {
      changes.push(Math.abs(history[i]!.rps - history[i - 1]!.rps));
    }
  }
  if (changes.length === 0) return false;
  const deviation = median(changes) / 0.6745;
  return Math.max(...changes) > STEP_RISE * deviation;
}

/**
 * The level's measured forecast error `horizon` minutes ahead (`horizonNoise`), when it measured a level
 * that wanders rather than a jump; else undefined. An error beyond JUMP_FACTOR × the noise now measured a
 * jump in the window (a burst's edges filling much of it: a quiet level after a 15-minute burst is not
 * ±150 rps), unless no minute of the window jumped and the error is within what a level wandering by its
 * noise each minute strays over the horizon (√horizon × the noise), JUMP_FACTOR times over: a walk's own
 * error five minutes on is about 2.5 × its minute-to-minute noise, and was thrown away as a jump whenever
 * the walk moved a little faster than usual, the minutes it most needed the band.
 */
export function wanderingDrift(
  trend: Trend | undefined,
  history: readonly RatePoint[],
  horizon: number,
): number | undefined {
  const drift = horizonNoise(history, horizon);
  if (drift === undefined) return undefined;
  const steady = trend ? levelNoise(trend) : 0;
  if (drift <= JUMP_FACTOR * steady) return drift;
  return drift <= JUMP_FACTOR * Math.sqrt(horizon) * steady && !jumpsIn(history) ? drift : undefined;
}

/**
 * `wanderingDrift` as a share of the level (the mean of the newest LEVEL_MINUTES), for the ledger's slow
 * average, when the level is at least `minLevel`; else undefined.
 */
export function driftShare(
  trend: Trend | undefined,
  history: readonly RatePoint[],
  horizon: number,
  minLevel: number,
): number | undefined {
  // Only a level that wanders teaches how far it wanders: a window with a burst's edge in it says
  // nothing of the levels on either side.
  if (jumpsIn(history)) return undefined;
  const drift = wanderingDrift(trend, history, horizon);
  const newest = history.slice(-LEVEL_MINUTES);
  const level = newest.reduce((sum, p) => sum + p.rps, 0) / Math.max(1, newest.length);
  return drift === undefined || !(level > 0) || level < minLevel ? undefined : drift / level;
}

/**
 * How much wider than the noise the line's forecast `minutes` after its newest minute may stray: the
 * least-squares prediction interval, √(1 + 1/n + (minutes + span/2)² / Σ(x − x̄)²). Its slope is
 * uncertain too, and the error of a slope grows with the distance forecast (over 15 minutes of 4 % noise,
 * a slope of 14 rps/min is read anywhere from 6 to 22).
 */
export function predictionFactor(trend: Trend, minutes: number): number {
  const n = trend.points;
  const spread = (n * (n * n - 1)) / 12;
  const distance = minutes + trend.span / 2;
  return Math.sqrt(1 + 1 / n + (distance * distance) / spread);
}

/**
 * The rate expected `minutes` after the newest minute while the rate rises as a line in either window,
 * plus NOISE_MARGIN × its noise (the quarter hour's, the steadier estimate, when there is one), for the
 * quarter hour's line widened to its prediction interval; 0 when it does not rise.
 */
export function expectedOnRise(long: Trend | undefined, short: Trend | undefined, minutes: number): number {
  const noise = long ? long.noise : (short?.noise ?? 0);
  const along = (t: Trend | undefined, widen: number) =>
    t && isRising(t) ? forecast(t, minutes) + NOISE_MARGIN * noise * widen : 0;
  // The short line's margin is the quarter hour's scatter, which the knee of a steep rise already
  // inflates: widening it again for five minutes' slope would ask for twice the tasks.
  const longRise = long ? along(long, predictionFactor(long, minutes)) : 0;
  return Math.max(longRise, panics(short, long) ? along(short, 1) : 0);
}

/**
 * Whether the short line rose PANIC_RISE times the minute-to-minute noise over its minutes (the quarter
 * hour's, robust to the knee of a rise, which inflates its scatter around a line).
 */
function panics(short: Trend | undefined, long: Trend | undefined): short is Trend {
  if (short === undefined) return false;
  const noise = long ? long.minuteNoise : short.minuteNoise;
  const rise = short.slope * short.span;
  // Five minutes are too few to tell their own noise from a jump (trend.ts): the quarter hour's noise
  // does. A line that scatters more than it, with one change making half the rise, is a jump.
  const jumped = short.noise > JUMP_FACTOR * noise && short.largestRise >= 0.5 * rise;
  return !jumped && rise >= PANIC_RISE * noise;
}

/** The slope of the rise: the steeper of the lines that rise (the short one only when it panics). */
export function risingSlope(long: Trend | undefined, short: Trend | undefined): number {
  const lines = [long, panics(short, long) ? short : undefined];
  const slopes = lines.filter((t): t is Trend => t !== undefined && isRising(t)).map((t) => t.slope);
  return Math.max(0, ...slopes);
}

/**
 * A rise's first minute: the newest minute rose above the level of the LEVEL_MINUTES before it by more
 * than STEP_RISE × the minute-to-minute noise of the quarter hour before it, which was level (its line
 * not rising), and the rate less than doubled (a flash crowd's jump, ×10 or ×100, is a step to a new level
 * that target tracking meets; extrapolating it would ask for ten times the tasks). The rise over the
 * level and the noise before it, or undefined. A line needs minutes to stand out of the noise; by then a steep ramp from a level
 * just under a task boundary has overrun the tasks for the minutes the metrics lag. (Against the level,
 * not the minute before: a dip and a high minute after it are noise twice, not a rise.)
 */
export function firstStep(history: readonly RatePoint[]): { rise: number; noise: number } | undefined {
  const newest = history[history.length - 1];
  if (!newest) return undefined;
  // The quarter hour before the newest minute: its noise, and only from a level (on a rise the lines
  // already see it, and a noisy minute there is not a new rise).
  const earlier = fitTrend(history.slice(-TREND_MINUTES, -1));
  if (!earlier || isRising(earlier) || earlier.noise > JUMP_FACTOR * earlier.minuteNoise) return undefined;
  // The steadier of the two estimates of the noise (levelNoise): a median of a dozen changes alone is
  // often read low, and a noisy minute then looks like a step.
  const noise = levelNoise(earlier);
  const before = history.filter((p) => p.minute >= newest.minute - LEVEL_MINUTES && p.minute < newest.minute);
  if (before.length < LEVEL_MINUTES - 1) return undefined;
  const level = before.reduce((sum, p) => sum + p.rps, 0) / before.length;
  const rise = newest.rps - level;
  if (!(rise > STEP_RISE * noise) || newest.rps >= 2 * level) return undefined;
  return { rise, noise };
}

/** The tasks target tracking settles on for `rps`. */
export function trackedTasks(
  rps: number,
  fargate: Pick<FargateSize, 'minTasks' | 'maxTasks' | 'targetRequestsPerTask'>,
): number {
  return Math.min(
    fargate.maxTasks,
    Math.max(fargate.minTasks, Math.ceil(rps / fargate.targetRequestsPerTask)),
  );
}

/**
 * The tasks to run ahead of the rate, or undefined when the spec's `minTasks` are enough.
 *
 * @example
 * tasksAhead({ trend: { level: 190, slope: 4, noise: 5, minuteNoise: 5, newest: 99, points: 15 },
 *   recent: [180, 184, 188, 192, 190], minutesSinceNewest: 3,
 *   fargate: { minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 } });
 * // { tasks: 3, expectedRps: 220, horizonMinutes: 5, reason: 'rising 4.0 rps/min: 3 tasks for 220 rps in 5 min' }
 */
export function tasksAhead(input: {
  trend: Trend | undefined;
  /** The line through the last PANIC_MINUTES, if any. */
  shortTrend?: Trend | undefined;
  /** The newest known minutes' rates, oldest first (the last is the newest minute's). */
  recent: readonly number[];
  /** The known minutes of the last BACKTEST_MINUTES up to the newest, for the level's forecast error. */
  history?: readonly RatePoint[];
  /** Whole minutes from the newest minute with data to the decision's minute. */
  minutesSinceNewest: number;
  /** The stack's learned `wanderingDrift` as a share of the level (the ledger's `levelDrift`), if any. */
  learnedDrift?: number;
  fargate: Pick<FargateSize, 'minTasks' | 'maxTasks' | 'targetRequestsPerTask'>;
}): TasksAhead | undefined {
  const { trend, fargate, recent } = input;
  const newestRps = recent[recent.length - 1];
  if (newestRps === undefined) return undefined;
  const horizonMinutes = input.minutesSinceNewest + TASK_READY_MINUTES;
  const lastFew = recent.slice(-LEVEL_MINUTES);
  // After a step down (a burst's end) the mean still holds the burst: a newest minute below half of it
  // is the level. A noisy dip is not: it would let target tracking take a task the level needs.
  const mean = lastFew.reduce((a, b) => a + b, 0) / lastFew.length;
  const level = newestRps < mean / 2 ? newestRps : mean;
  // The level's noise where the tasks will serve: the larger of the noise now, the error of the level's
  // forecast that far ahead as measured on the last BACKTEST_MINUTES (a wandering level strays further),
  // and what the stack's level has strayed on average over the last hours (one hour's measure of a walk
  // is often half its own: a quiet stretch of the walk narrowed the band just before it climbed).
  const steady = trend ? levelNoise(trend) : 0;
  const drift = input.history ? wanderingDrift(trend, input.history, horizonMinutes) : undefined;
  // Only on a level this hour measured as one that wanders (enough minutes of it, no burst's edge in
  // them): the share learned on a quiet level, times a burst's, is not the burst's noise.
  const learned =
    input.learnedDrift === undefined || drift === undefined || (input.history && jumpsIn(input.history))
      ? 0
      : input.learnedDrift * level;
  const noise = Math.max(steady, drift ?? 0, learned);
  const spread = LEVEL_NOISE_MARGIN * noise;
  // Only a level whose noise straddles a task boundary is held: within one task count, target tracking
  // neither adds nor takes a task on a noisy minute, and a held minimum would only outlast the level.
  // Below, the band reaches further (LEVEL_DIP_MARGIN): a dip under the boundary costs nothing to ride
  // out (target tracking would add the task back a minute later), missing the minute after it does.
  const straddles =
    trackedTasks(level - LEVEL_DIP_MARGIN * noise, fargate) < trackedTasks(level + spread, fargate);
  const levelRps = straddles ? level + spread : 0;
  const step = input.history ? firstStep(input.history) : undefined;
  const stepRps = step ? newestRps + step.rise * horizonMinutes + NOISE_MARGIN * step.noise : 0;
  const risingRps = Math.max(expectedOnRise(trend, input.shortTrend, horizonMinutes), stepRps);
  const tracked = trackedTasks(newestRps, fargate);
  // A rise counts when it asks for more than target tracking does now; a straddling level always (it
  // keeps target tracking from taking a task away on a quiet minute).
  const rising = trackedTasks(risingRps, fargate) > tracked ? risingRps : 0;
  const expectedRps = Math.max(rising, levelRps);
  if (expectedRps === 0) return undefined;
  const tasks = trackedTasks(expectedRps, fargate);
  if (tasks <= fargate.minTasks) return undefined;
  const why =
    rising >= levelRps
      ? rising === stepRps && step !== undefined
        ? `the newest minute ${step.rise.toFixed(1)} rps above the level, as if a rise began`
        : `rising ${risingSlope(trend, input.shortTrend).toFixed(1)} rps/min`
      : `a level of ${level.toFixed(0)} rps ± ${noise.toFixed(0)}`;
  return {
    tasks,
    expectedRps,
    aheadOfTracking: tasks > tracked,
    horizonMinutes,
    reason: `${why}: ${tasks} tasks for ${expectedRps.toFixed(0)} rps in ${horizonMinutes} min`,
  };
}
