/**
 * Fargate tasks ahead of the rate. Target tracking sizes the service for the rate it last saw; on a rise it
 * is always late: the metric is a minute or more old and a new task takes about a minute to start and pass
 * its health checks. Auto mode asks for the tasks of the larger of
 *
 *     rising:  level + slope × horizon + NOISE_MARGIN × noise      (while the rate rises, trend.ts, over
 *                                                                  TREND_MINUTES or PANIC_MINUTES)
 *     level:   mean of the last LEVEL_MINUTES (the newest, after a step down) + LEVEL_NOISE_MARGIN × levelNoise
 *     tasks    = ceil(expected / targetRequestsPerTask), within minTasks..maxTasks
 *     horizon  = (now − newest minute with data) + TASK_READY_MINUTES
 *
 * (level, slope and noise of the least-squares line through the last TREND_MINUTES). The first is the
 * rate expected when a task started now serves. The second, only when the level's noise band (± the
 * same margin) straddles a task boundary, keeps the level on the task above it: target tracking, scaling
 * in on the first quiet minute after its cooldown, would otherwise take a task away and miss the next
 * minute above the boundary. A steady rate (its noise within one task count) asks for nothing more than
 * target tracking.
 * The reconciler sets the tasks as the scalable target's MinCapacity, which Application Auto Scaling
 * applies at once. When they are no more than the spec's `minTasks` the minimum goes back to the spec's;
 * scale-in stays with target tracking and its cooldown, the minimum only keeps it from going below the
 * level's tasks.
 *
 * Pure.
 */
import type { FargateSize } from '../../spec/types';
import { JUMP_FACTOR, forecast, isRising, type Trend } from './trend';

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

/**
 * The rate expected `minutes` after the newest minute while the rate rises as a line in either window,
 * plus NOISE_MARGIN × its noise (the quarter hour's, the steadier estimate, when there is one); 0 when
 * it does not rise.
 */
export function expectedOnRise(long: Trend | undefined, short: Trend | undefined, minutes: number): number {
  const noise = long ? long.noise : (short?.noise ?? 0);
  const along = (t: Trend | undefined) =>
    t && isRising(t) ? forecast(t, minutes) + NOISE_MARGIN * noise : 0;
  return Math.max(along(long), panics(short, long) ? along(short) : 0);
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
  /** Whole minutes from the newest minute with data to the decision's minute. */
  minutesSinceNewest: number;
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
  const noise = trend ? levelNoise(trend) : 0;
  const spread = LEVEL_NOISE_MARGIN * noise;
  // Only a level whose noise straddles a task boundary is held: within one task count, target tracking
  // neither adds nor takes a task on a noisy minute, and a held minimum would only outlast the level.
  // Below, the band reaches further (LEVEL_DIP_MARGIN): a dip under the boundary costs nothing to ride
  // out (target tracking would add the task back a minute later), missing the minute after it does.
  const straddles =
    trackedTasks(level - LEVEL_DIP_MARGIN * noise, fargate) < trackedTasks(level + spread, fargate);
  const levelRps = straddles ? level + spread : 0;
  const risingRps = expectedOnRise(trend, input.shortTrend, horizonMinutes);
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
      ? `rising ${risingSlope(trend, input.shortTrend).toFixed(1)} rps/min`
      : `a level of ${level.toFixed(0)} rps ± ${(trend ? levelNoise(trend) : 0).toFixed(0)}`;
  return {
    tasks,
    expectedRps,
    aheadOfTracking: tasks > tracked,
    horizonMinutes,
    reason: `${why}: ${tasks} tasks for ${expectedRps.toFixed(0)} rps in ${horizonMinutes} min`,
  };
}
