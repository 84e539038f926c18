/**
 * Bursts that come back: where a stack whose bursts recur should meet the next one, from the bursts its
 * ledger learned (ledger.ts). Three ways, each priced for one burst and the gap before the next (G, from
 * one burst's start to the next's; L the bursts' length; q what an idle Fargate minute costs beyond
 * Lambda's quiet minute; f what a minute of the idle tier costs while a move runs and Lambda serves):
 *
 * - **stay** on Fargate through the gap: q × (G − L);
 * - **return**: leave after the burst and come back ahead of the next, the tier serving `lead` minutes
 *   after the last burst began (the shortest gap learned, less LEAD_MARGIN of the median one: coming too
 *   early costs q a minute, too late a burst met from Lambda): q × the quiet minutes before a scale-down
 *   may start (scaleDown.forMinutes), f × (D + U) for the two moves, and q × the wait from the tier serving
 *   to the burst. Only when both moves and the cooldown between them fit in the gap;
 * - **Lambda**: meet it there (`meetingCost`): all of its extra cost when it is too short to catch
 *   (L ≤ forMinutes + U), else a round trip and its extra cost until the tier serves.
 *
 * Both Fargate ways add the burst's tasks (its learned peak's, beyond minTasks) from TASK_READY_MINUTES
 * before the shortest gap learned to the burst, once MIN_GAPS_FOR_TASKS gaps are learned: target tracking
 * sees a burst a minute or two late, and would let it overrun the one task that waits for it.
 *
 * The stack belongs on Fargate for its bursts (stay or return, the cheaper) when RHYTHM_MARGIN × that is
 * less than meeting one from Lambda: a close call stays on Lambda, where a burst is served without a miss
 * (on Fargate, without its tasks ready, its first minute or two overrun them), and the rhythm is an
 * estimate. The rhythm counts while the last burst began less than EXPIRY × the median gap ago.
 *
 * This is what ECS predictive scaling does with a daily shape (capacity launched a buffer ahead of the
 * forecast), with a forecast learned from the stack's own bursts instead of 24 hours of history.
 *
 * Pure: the costs come in; nothing is read from a clock.
 */
import type { FargateSize } from '../../spec/types';
import { TASK_READY_MINUTES, trackedTasks } from './capacity-ahead';
import type { AutoLedger, BurstRecord } from './ledger';

/** See above: Fargate must cost this many times less than meeting a burst from Lambda. */
export const RHYTHM_MARGIN = 1.5;
/** The tier is to serve this share of the median gap before the shortest gap learned. */
export const LEAD_MARGIN = 0.1;
/** The burst's tasks are started ahead of it once this many gaps are learned. */
export const MIN_GAPS_FOR_TASKS = 3;
/** The rhythm is over once the last burst began this many median gaps ago. */
export const EXPIRY = 1.5;

export interface RhythmCosts {
  /** USD a minute an idle Fargate tier costs beyond Lambda at the quiet rate (q). */
  idleExtraPerMinute: number;
  /** USD a minute of the idle Fargate tier while a move runs (Lambda serves meanwhile) (f). */
  idleTierPerMinute: number;
  roundTrip: number;
  scaleUpMinutes: number;
  scaleDownMinutes: number;
  /** scaleUp.forMinutes: the least a burst lasts before any rule acts. */
  forMinutes: number;
  /**
   * The quiet minutes on Fargate before a scale-down may start (scaleDown.forMinutes); undefined when
   * the quiet rate never lets it (a written scale-down rate below it).
   */
  quietMinutesToLeave?: number;
  cooldownMinutes: number;
  /** USD a minute of one task beyond `minTasks` (the burst's tasks, started ahead of it). */
  taskPerMinute: number;
  fargate: Pick<FargateSize, 'minTasks' | 'maxTasks' | 'targetRequestsPerTask'>;
}

export interface BurstRhythm {
  /** Median minutes between the starts of two bursts. */
  every: number;
  /** Median cost of meeting one of them from Lambda (USD). */
  perBurst: number;
  /** Staying on Fargate through a gap (USD). */
  stay: number;
  /** Leaving after a burst and coming back ahead of the next (USD); undefined when it does not fit. */
  comeBack?: number;
  /** The cheaper of the two. */
  way: 'stay' | 'comeBack';
  /** The start of the last burst (or the open one). */
  lastStart: number;
  /** The minute the tier should serve by for the next burst (lastStart + lead). */
  readyBy: number;
  /** The minute the rhythm is over if no burst came (lastStart + EXPIRY × every). */
  until: number;
  /** The tasks for a burst like those learned (their median peak), when more than `minTasks`… */
  tasks?: number;
  /** …and the minute to start them, so that they serve by the shortest gap learned. */
  tasksFrom?: number;
  /** Bursts it is learned from. */
  bursts: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * What meeting a burst like `b` from Lambda costs: all of it if too short to catch, else a round trip and
 * its extra cost until the tier serves (its head, as the ledger kept it; in a ledger written before, its
 * mean minute's share, which overstates a ramp's first minutes).
 */
export function meetingCost(
  b: BurstRecord,
  costs: Pick<RhythmCosts, 'forMinutes' | 'scaleUpMinutes' | 'roundTrip'>,
): number {
  const catchable = costs.forMinutes + costs.scaleUpMinutes;
  if (b.minutes <= catchable) return b.extra;
  const head = b.head ?? (b.extra * catchable) / b.minutes;
  return Math.min(b.extra, costs.roundTrip + head);
}

/**
 * The stack's burst rhythm when its bursts come back often enough that meeting them from Fargate (staying,
 * or coming back ahead of each) costs less than from Lambda, and the rhythm still holds at `minute`;
 * otherwise undefined.
 */
export function recurringBursts(
  ledger: AutoLedger,
  minute: number,
  costs: RhythmCosts,
  margin = RHYTHM_MARGIN,
): BurstRhythm | undefined {
  const starts = [...ledger.bursts.map((b) => b.start), ...(ledger.open ? [ledger.open.start] : [])];
  if (ledger.bursts.length === 0 || starts.length < 2) return undefined;
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
  const every = median(gaps);
  const lastStart = starts[starts.length - 1]!;
  if (every <= 0 || minute - lastStart > EXPIRY * every) return undefined;
  const perBurst = median(ledger.bursts.map((b) => meetingCost(b, costs)));
  const q = Math.max(0, costs.idleExtraPerMinute);
  const length = mean(ledger.bursts.map((b) => b.minutes));
  // Either way the burst's tasks start ahead of it, to serve from the shortest gap learned: the minutes
  // from then to the burst cost their tasks beyond minTasks.
  const ready = burstTasks(ledger, gaps, costs);
  const stay = q * Math.max(0, mean(gaps) - length) + ready.cost;
  const lead = Math.min(...gaps) - LEAD_MARGIN * every;
  const back = comeBackCost(lead, length, gaps, q, costs);
  const comeBack = back === undefined ? undefined : back + ready.cost;
  const way = comeBack !== undefined && comeBack < stay ? 'comeBack' : 'stay';
  const cheaper = way === 'comeBack' ? comeBack! : stay;
  if (margin * cheaper >= perBurst) return undefined;
  return {
    every,
    perBurst,
    stay,
    ...(comeBack === undefined ? {} : { comeBack }),
    way,
    lastStart,
    readyBy: lastStart + lead,
    until: lastStart + EXPIRY * every,
    ...(ready.tasks > costs.fargate.minTasks
      ? { tasks: ready.tasks, tasksFrom: lastStart + Math.min(...gaps) - TASK_READY_MINUTES }
      : {}),
    bursts: ledger.bursts.length,
  };
}

/**
 * The tasks a burst like those learned needs (their median peak, where the ledger kept it), and what they
 * cost from TASK_READY_MINUTES before the shortest gap learned to the burst, on the mean over the gaps.
 */
function burstTasks(
  ledger: AutoLedger,
  gaps: readonly number[],
  costs: RhythmCosts,
): { tasks: number; cost: number } {
  // One gap says nothing of how much the next may differ: the wait is not bet on before a second.
  const tasks =
    gaps.length >= MIN_GAPS_FOR_TASKS
      ? (learnedBurstTasks(ledger, costs.fargate) ?? costs.fargate.minTasks)
      : costs.fargate.minTasks;
  const early = Math.min(...gaps) - TASK_READY_MINUTES;
  const wait = mean(gaps.map((g) => g - early));
  return { tasks, cost: (tasks - costs.fargate.minTasks) * Math.max(0, costs.taskPerMinute) * wait };
}

/**
 * The tasks a burst like those learned needs (target tracking's count for their median peak), when more
 * than `minTasks`; undefined without a learned peak (a ledger written before peaks were kept) or when
 * `minTasks` already serve it. Needs no gap: once a burst is seen, its tasks wait for nothing.
 */
export function learnedBurstTasks(
  ledger: AutoLedger,
  fargate: Pick<FargateSize, 'minTasks' | 'maxTasks' | 'targetRequestsPerTask'>,
): number | undefined {
  const peaks = ledger.bursts.flatMap((b) => (b.peak === undefined ? [] : [b.peak]));
  if (peaks.length === 0) return undefined;
  const tasks = trackedTasks(median(peaks), fargate);
  return tasks > fargate.minTasks ? tasks : undefined;
}

/** Leaving after a burst and being back `lead` minutes after its start; undefined when it does not fit. */
function comeBackCost(
  lead: number,
  length: number,
  gaps: readonly number[],
  q: number,
  costs: RhythmCosts,
): number | undefined {
  if (costs.quietMinutesToLeave === undefined) return undefined;
  const leaveAt = length + costs.quietMinutesToLeave;
  // Down, the cooldown before going up again, and up: all before the tier must serve.
  const moves = Math.max(costs.scaleDownMinutes, costs.cooldownMinutes) + costs.scaleUpMinutes;
  if (leaveAt + moves > lead) return undefined;
  const wait = mean(gaps.map((g) => Math.max(0, g - lead)));
  return (
    q * costs.quietMinutesToLeave +
    Math.max(0, costs.idleTierPerMinute) * (costs.scaleDownMinutes + costs.scaleUpMinutes) +
    q * wait
  );
}

/**
 * While a burst goes on, the tasks a burst like those learned needs stay the scalable target's minimum,
 * until the ledger has seen it end (or it has outlasted every learned burst: a new level, which target
 * tracking follows). Target tracking would otherwise scale in during the burst: its scale-in alarm counts
 * the minutes before and in the burst that the tasks started ahead kept below 90 % of its target, and
 * proposes the tasks of its newest datapoint, one task short of the burst's next high minute; the task
 * it then adds back keeps the per-task count above 90 % and its scale-in waits a quarter hour after the
 * burst. Held until the end, every datapoint of the alarm's window is low when the minimum falls, and
 * the burst's tasks go at once (docs/auto-policy.md, *Ahead of a burst*).
 *
 * The open burst's age and the longest learned burst's length, or undefined when it does not apply (no
 * open burst, no closed one, or the open one outlasted them all).
 *
 * Nor once the newest minute seen (`newest`) is quiet after a burst that lasted at least as long as the
 * shortest learned one: it has ended as those did, and the ledger would close it only a minute later (two
 * quiet minutes). Released a pass sooner, target tracking scales in a minute sooner, and, with bursts met
 * by coming back, before the scale-down starts: while traffic drains the scalable target is not touched,
 * and the burst's tasks would run through the drain. A dip shorter than every learned burst keeps them.
 */
export function heldThroughBurst(
  ledger: AutoLedger,
  newest?: number,
): { age: number; longest: number } | undefined {
  const open = ledger.open;
  if (!open || ledger.bursts.length === 0) return undefined;
  const lengths = ledger.bursts.map((b) => b.minutes);
  const longest = Math.max(...lengths);
  const age = open.lastAbove - open.start + 1;
  if (newest !== undefined && newest > open.lastAbove && age >= Math.min(...lengths)) return undefined;
  return age <= longest ? { age, longest } : undefined;
}

/**
 * Share of the break-even gap (perBurst ÷ q) the stack stays on Fargate after its first burst, while no gap
 * between two is known. The deterministic ski-rental stays the whole break-even and pays twice when the gap
 * is just longer; here the stake is one gap, since the second burst shows the rhythm: staying a share α
 * loses at most α × a burst's cost once (bursts rarer than that), and saves a burst's cost when they come
 * back within it.
 */
export const FIRST_GAP_SHARE = 0.5;

export interface FirstGap {
  /** The one burst learned: when it began, and what meeting one like it from Lambda costs (USD). */
  start: number;
  perBurst: number;
  /** The minute up to which the stack stays (start + FIRST_GAP_SHARE × perBurst ÷ q). */
  until: number;
}

/**
 * After the stack's first burst (one learned, none open), no gap is known yet: stay on Fargate until an
 * idle tier has cost FIRST_GAP_SHARE of what meeting a burst like it from Lambda would, counted from its
 * start as the rhythm's gaps are. Undefined once that is spent, or when a rhythm decides instead.
 *
 * Not when the stack was watched quiet, before its first burst, for at least as long as the wait: bursts
 * that come back at a rhythm come back at least about that far apart (the watch began somewhere in a
 * gap), so the next would come after the wait has ended, and the wait is paid for nothing. On a new stack
 * (its first burst minutes after it was created, as in a fresh sandbox) the watch is short: nothing says
 * the next burst is far, and the wait is the bet it was made for.
 */
export function firstGapStay(ledger: AutoLedger, minute: number, costs: RhythmCosts): FirstGap | undefined {
  if (ledger.bursts.length !== 1 || ledger.open) return undefined;
  const first = ledger.bursts[0]!;
  const perBurst = meetingCost(first, costs);
  if (costs.idleExtraPerMinute <= 0) return undefined;
  const wait = FIRST_GAP_SHARE * (perBurst / costs.idleExtraPerMinute);
  if (ledger.since !== undefined && first.start - ledger.since >= wait) return undefined;
  const until = first.start + wait;
  return minute < until ? { start: first.start, perBurst, until } : undefined;
}
