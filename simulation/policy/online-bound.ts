/**
 * What a policy that knows only the past can achieve on a trace, as yardsticks beside the offline optimum
 * (which knows the whole trace): a target the optimum meets may be out of every such policy's reach, and
 * a miss is then judged against what is achievable.
 *
 * - `firstSightBound`: a lower bound on the cost of any policy that stays on Lambda while every minute it
 *   has seen was one Lambda serves more cheaply, and sees a minute only once it has ended. Until the
 *   first minute where Fargate is the cheaper tier, the trace is, minute for minute, the start of a trace
 *   that stays there (a quiet stack), where Lambda all day is optimal and any move to Fargate is a round
 *   trip paid for nothing: no policy can tell the two apart before that minute has ended, so it serves
 *   that minute on Lambda. From it on, the bound grants the policy the whole future (the optimum from that
 *   minute, starting on Lambda: a move may start the minute after it).
 *   So the bound is the optimum with the first sight of costly traffic delayed to when it can be seen;
 *   any real policy, which also does not know the rest, costs at least that.
 * - `unseenRiseMinutes`: minutes whose rate needs more Fargate tasks than the highest minute a policy
 *   could have seen in the quarter hour before them, with the metrics' lag, and lies more than STEP_RISE
 *   standard deviations of their noise above their level, while those minutes showed no sign of a rise
 *   (their line rises no more than their noise explains, trend.ts, and the newest of them is within
 *   STEP_RISE standard deviations of the ones before it): the rise was still unseen when the tasks had
 *   to be asked for, the minutes seen were those of a steady rate, and no margin for its noise reaches
 *   the minute. Every such minute is met only by standing headroom beyond the noise (tasks a steady rate
 *   pays for all day).
 *
 * Pure.
 */
import { fargateCheaper } from '../../reconciler/decide/ski-rental';
import { fargateTasksFor } from '../../reconciler/decide/tier-cost';
import { STEP_RISE, levelNoise } from '../../reconciler/decide/capacity-ahead';
import { fitTrend, isRising, type RatePoint } from '../../reconciler/decide/trend';
import type { Trace } from '../traffic/types';
import { minuteCost } from './cost';
import { oracle, type MoveMinutes } from './oracle';
import type { PolicyOptions, PolicyPhase, PolicySpec } from './types';

export interface FirstSightBound {
  /** USD: no policy that knows only the past (as above) costs less on the trace. */
  cost: number;
  /** The first minute where Fargate is the cheaper tier, if any: before its end, the trace is a quiet one. */
  firstCostly?: number;
}

/**
 * @example
 * const bound = firstSightBound(trace, spec, { scaleUpMinutes: 6, scaleDownMinutes: 7 });
 * bound.cost / Math.min(alwaysLambda(trace, spec).cost, alwaysFargate(trace, spec).cost); // the best ratio reachable
 */
export function firstSightBound(
  trace: Trace,
  spec: PolicySpec,
  moves: Omit<MoveMinutes, 'start'>,
  options: PolicyOptions = {},
): FirstSightBound {
  const rows = trace.rows;
  const firstCostly = rows.findIndex((row) => fargateCheaper(row.rps, row.durationMs, spec));
  if (firstCostly === -1) {
    return { cost: rows.reduce((sum, r) => sum + minuteCost('lambda', r.rps, r.durationMs, spec).total, 0) };
  }
  // Lambda until the first costly minute; the optimum from it, starting on Lambda: its first minute is
  // served there (it has not been seen yet), and a move may start the minute after it, once it has ended.
  let cost = 0;
  for (const row of rows.slice(0, firstCostly)) {
    cost += minuteCost('lambda', row.rps, row.durationMs, spec).total;
  }
  cost += oracle({ rows: rows.slice(firstCostly) }, spec, { ...moves, start: 'Lambda' }, options).cost;
  return { cost, firstCostly };
}

/** Minutes a rate must wait before any policy can read it (CloudWatch publishes a minute late). */
export interface UnseenRiseOptions {
  /** From a minute to the first pass that sees it: the newest minute a pass sees is this many old. */
  lagMinutes: number;
  /** From asking for a task to its serving. */
  taskReadyMinutes: number;
  /** The minutes seen before a rise that its tasks are sized from (default 15). */
  lookBackMinutes?: number;
}

/**
 * The minutes served on Fargate by `schedule` (the optimum's, for a yardstick) whose rate needs more
 * tasks than the highest of the `lookBackMinutes` a policy could have seen when the tasks serving the
 * minute had to be asked for (`lagMinutes + taskReadyMinutes` before it), those minutes not rising.
 *
 * @example
 * unseenRiseMinutes(trace, best.schedule, spec, { lagMinutes: 3, taskReadyMinutes: 0 }); // [176]
 */
export function unseenRiseMinutes(
  trace: Trace,
  schedule: readonly PolicyPhase[],
  spec: PolicySpec,
  options: UnseenRiseOptions,
): number[] {
  const rows = trace.rows;
  const behind = options.lagMinutes + options.taskReadyMinutes;
  const lookBack = options.lookBackMinutes ?? 15;
  const unseen: number[] = [];
  rows.forEach((row, minute) => {
    if (schedule[minute] !== 'Fargate') return;
    const newestSeen = minute - behind;
    if (newestSeen < 0) return;
    const seen = rows
      .slice(Math.max(0, newestSeen - lookBack + 1), newestSeen + 1)
      .map((r) => ({ minute: r.minute, rps: r.rps }));
    const needed = fargateTasksFor(row.rps, spec.fargate);
    if (needed <= fargateTasksFor(Math.max(...seen.map((r) => r.rps)), spec.fargate)) return;
    if (!showsRise(seen) && !withinNoise(seen, row.rps)) unseen.push(minute);
  });
  return unseen;
}

/**
 * Whether minutes seen show a rise: their line rises beyond their noise, or the newest stands more than
 * STEP_RISE standard deviations above the level of those before it (a rise's first minute).
 */
function showsRise(seen: readonly RatePoint[]): boolean {
  const line = fitTrend(seen);
  if (line && isRising(line)) return true;
  const before = fitTrend(seen.slice(0, -1));
  const newest = seen.at(-1);
  if (!before || !newest) return false;
  const level = seen.slice(0, -1).reduce((sum, p) => sum + p.rps, 0) / (seen.length - 1);
  return newest.rps > level + STEP_RISE * levelNoise(before);
}

/** Whether `rps` lies within STEP_RISE standard deviations of the seen minutes' noise above their level. */
function withinNoise(seen: readonly RatePoint[], rps: number): boolean {
  const line = fitTrend(seen);
  if (!line) return false;
  const level = seen.reduce((sum, p) => sum + p.rps, 0) / seen.length;
  return rps <= level + STEP_RISE * levelNoise(line);
}
