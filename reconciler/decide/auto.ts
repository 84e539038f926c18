/**
 * Auto mode: the tier a stack should be in, from its metrics, thresholds and what it learned of its
 * traffic, and the Fargate tasks to run ahead of a rise. docs/auto-policy.md gives the formulas.
 *
 * Rules, in the order they are applied:
 * 1. Modes `lambda` and `fargate` pin the tier; metrics are not read.
 * 2. The tier auto mode is in is the one it last asked for (its history), else the one the phase implies.
 * 3. On Lambda, scale up at once when Lambda cannot carry the traffic (lambda-capacity.ts: concurrency or
 *    throttles reported, rate × duration, or the rise expected by the time Fargate could serve, against
 *    `lambdaConcurrencyPercent` of the limit): a capacity move, said so in the reason. Otherwise when the
 *    rate stayed above `scaleUp` for `forMinutes` (every minute with data) and the rise is worth a round
 *    trip, by any of:
 *    a. the ski-rental rule (ski-rental.ts): the run's extra Lambda cost reached a round trip's, or the
 *       run lasted as long as a round trip;
 *    b. over the last TREND_WINDOW_MINUTES the stack's extra Lambda cost, signed (the quiet minutes,
 *       where Fargate would have cost more, count against it), reached a round trip's cost and the
 *       window's mean rate is above `scaleUp`: traffic that keeps coming back in bursts (10 min busy,
 *       10 min quiet) is paid for as one, instead of the count starting again after every quiet stretch;
 *    c. the rate was above both `scaleUp` and the break-even (Fargate cheaper in that minute) in
 *       SUSTAINED_SHARE of the last SUSTAINED_MINUTES, each minute with data: a level that holds, as on
 *       the rising side of a day, is not a burst, and waiting for its extra cost to add up (slow just
 *       above the break-even) costs more than it saves;
 *    d. the rate rises as a line, and what Lambda would charge beyond Fargate until a tier started now
 *       could serve, if the rise goes on, reaches a round trip's cost (ahead of demand);
 *    e. (the scale-up rate computed, the rate at or below it) the rate stayed where Fargate is cheaper for
 *       `forMinutes`, and Lambda's surplus in that run reached a round trip's cost;
 *    unless the stack's learned bursts say this one will most likely end before a Fargate tier pays
 *    (burst-rental.ts `learnedHold`) and its bursts do not belong on Fargate by staying there between
 *    them (burst-rhythm.ts `recurringBursts`).
 *    And, whatever the rate, ahead of the next burst: the stack's bursts belong on Fargate (staying
 *    between them, or coming back ahead of each, burst-rhythm.ts), none is going on, and a scale-up
 *    started now has the tier serving when the next may come.
 * 4. On Fargate, scale down when Lambda is the cheaper place to be, by any of:
 *    a. the rate stayed below `scaleDown` for `forMinutes`, every one of those minutes with data;
 *    b. (the scale-down rate computed) the rate stayed below the break-even for at least `forMinutes`, and
 *       what Fargate charged in that run beyond Lambda reached a round trip's cost (the ski-rental rule on
 *       the way down: a rate that settles between `scaleDown` and the break-even), or the rate stayed
 *       below the break-even for `forMinutes` and falls as a line (it moves away from the break-even);
 *    c. (the scale-down rate computed) the stack's bursts are met by coming back ahead of each, and the
 *       ledger has seen the last one end (BURST_END_MINUTES at or below `scaleUp`);
 *    d. the move to Fargate never served the rate it was asked for: the rate fell below `scaleDown` while
 *       the move was under way or before its tier could serve, and stayed there UNNEEDED_MOVE_MINUTES;
 *    and Lambda has the concurrency for it, and the tier is not held for the stack's bursts: by a rhythm
 *    of staying between them, by one of coming back that would not be back in time, or after the first
 *    burst, while no gap is known (burst-rhythm.ts `firstGapStay`).
 *    While it stays on Fargate and the rate rises, it asks for the tasks of the rate expected when a task
 *    started now would serve (capacity-ahead.ts), and around the stack's learned bursts their tasks, from
 *    just before the next is due until it has ended; scale-in stays with target tracking.
 * 5. No transition within `cooldownMinutes` of the last one, in either direction: a round trip costs
 *    minutes of infrastructure, and a Lambda tier that stays up is the fallback while a move waits.
 * 6. A minute without data is never read as zero: it breaks a run of minutes above or below a threshold,
 *    and with no recent data at all the tier is kept.
 *
 * Pure: time comes in as `now`; the history and the ledger to store come back in the decision.
 */
import { DEFAULT_MEAN_DURATION_MS } from '../../spec';
import type { DesiredState, Thresholds, Tier } from '../../spec/types';
import type { Phase } from '../state/types';
import { computedRates, effectiveThresholds } from './effective-thresholds';
import { emptyHistory, recordDecision, type AutoHistory } from './history';
import type { MinuteSample } from './metrics';
import { carriersByMinute, carriersFor, UNWEIGHTED_CARRIERS } from './rate';
import { withMoveProgress, type MoveWeights } from './move-progress';
import { scaleUpWait, scaleUpWaitText } from './scale-up-wait';
import { learnedHold } from './burst-rental';
import {
  firstGapStay,
  heldThroughBurst,
  learnedBurstTasks,
  recurringBursts,
  type BurstRhythm,
  type FirstGap,
  type RhythmCosts,
} from './burst-rhythm';
import {
  BACKTEST_MINUTES,
  PANIC_MINUTES,
  TASK_READY_MINUTES,
  TREND_MINUTES,
  driftShare,
  tasksAhead,
  trackedTasks,
  type TasksAhead,
} from './capacity-ahead';
import { lambdaShortOfCapacity } from './lambda-capacity';
import { BURST_END_MINUTES, emptyLedger, foldDrift, foldMinutes, type AutoLedger } from './ledger';
import { Observed, RECENT_MINUTES } from './observed';
import {
  DEFAULT_MOVE_DURATIONS,
  burstExtraLambdaCost,
  fargateCheaper,
  roundTripCost,
  roundTripMinutes,
  windowExtraLambdaCost,
  type MoveDurations,
} from './ski-rental';
import { fargateMinuteCost, fargateTaskHourlyCost, lambdaMinuteCost } from './tier-cost';
import { fitTrend, forecast, isFalling, isRising, type Trend } from './trend';
import { TIER_NAME, tierOfPhase } from './tier';
import { MINUTE_MS, MINUTES_PER_HOUR } from '../../util/time';

export { RECENT_MINUTES, DURATION_WINDOW_MINUTES } from './observed';

/** AWS's default regional Lambda concurrency (docs/aws-facts.md). */
export const DEFAULT_LAMBDA_CONCURRENCY_LIMIT = 1000;
/** Rule 3b weighs the extra Lambda cost of this many minutes (two bursts and the quiet between). */
export const TREND_WINDOW_MINUTES = 30;
/** Rule 3c: a level held this many minutes… */
export const SUSTAINED_MINUTES = 15;
/** …in at least this share of them (noise may dip a minute or two below). */
export const SUSTAINED_SHARE = 0.8;
/**
 * Rule 4d: a move to Fargate whose tier has not served yet turns back after this many minutes in a row
 * below `scaleDown` (one low minute is noise), instead of `scaleDown.forMinutes`.
 */
export const UNNEEDED_MOVE_MINUTES = 2;
/** The most minutes folded into the ledger in one decision (the metrics window is about an hour). */
const MAX_FOLD_MINUTES = 180;

export interface AutoInput {
  spec: Pick<DesiredState, 'mode' | 'lambda' | 'fargate' | 'thresholds'>;
  /** The stack's samples; minutes at or after `now`'s minute are still filling up and are ignored. */
  samples: readonly MinuteSample[];
  phase: Phase;
  /**
   * Route 53's weights as observed (status.traffic; the phase decides when unknown), or, without `dns`,
   * `'unweighted'` (`'unweighted-unhealthy'` when the Fargate tier, which served, has unhealthy targets):
   * no record, so nothing shifts or drains (the reasons then say the tier is built or deleted), and a
   * minute's rate is whatever both tiers counted.
   */
  traffic?: MoveWeights;
  /** From the status (readAutoHistory); empty for a new stack. */
  history?: AutoHistory;
  /** What the stack learned of its traffic (readLedger); empty for a new stack. */
  ledger?: AutoLedger;
  /** Epoch milliseconds (the simulation passes minute × 60 000). */
  now: number;
  /** Defaults to the spec's reservedConcurrency, else 1000. */
  lambdaConcurrencyLimit?: number;
  moves?: MoveDurations;
}

export interface AutoDecision {
  tier: Tier;
  /** With its numbers: "42.0 rps > 7 for 3 min; …". */
  reason: string;
  /**
   * The reason in the decider's own words for staying ("…: staying on Fargate"), when `reason` says
   * instead where a move to `tier` stands (move-progress.ts): the pass that ends the move decides before
   * it changes anything, and records this one when the phase it reaches is the tier's settled one.
   */
  settledReason?: string;
  /** The tier auto mode was in before this decision. */
  from: Tier;
  transition: boolean;
  /** The newest known request rate, if any. */
  rps?: number;
  meanDurationMs: number;
  thresholds: Thresholds;
  /** To be stored in the status (AUTO_HISTORY_FIELD). */
  history: AutoHistory;
  /** To be stored in the stack's bookkeeping, for the next decision. */
  ledger: AutoLedger;
  /** On Fargate while the rate rises: the tasks to run ahead of it (the scalable target's minimum). */
  tasksAhead?: TasksAhead;
}

const rpsText = (rps: number) => `${rps.toFixed(1)} rps`;
const dollars = (usd: number) => `$${usd.toFixed(4)}`;

interface Verdict {
  tier: Tier;
  reason: string;
}

interface Context {
  input: AutoInput;
  observed: Observed;
  thresholds: Thresholds;
  meanDurationMs: number;
  limit: number;
  moves: MoveDurations;
  /** The ledger with the newest minutes folded in. */
  ledger: AutoLedger;
  /** The rate's trend over the last TREND_MINUTES up to the newest minute, if there are enough. */
  trend?: Trend;
  /** …and over the last PANIC_MINUTES. */
  shortTrend?: Trend;
  /** Which rates are computed from the break-even (the user wrote the others). */
  computed: { scaleUp: boolean; scaleDown: boolean };
  /** Minutes left before a transition is allowed; 0 when allowed. */
  cooldownLeft: number;
  sinceTransition?: number;
}

function heldByCooldown(ctx: Context, trigger: string, stay: Tier): Verdict {
  return {
    tier: stay,
    reason:
      `${trigger}, but the last transition was ${ctx.sinceTransition} min ago, ` +
      `cooldown ${ctx.thresholds.cooldownMinutes} min (${ctx.cooldownLeft} min left): staying on ${TIER_NAME[stay]}`,
  };
}

function decideOnLambda(ctx: Context, newest: number | undefined): Verdict {
  const { observed, thresholds } = ctx;
  const pressure = lambdaShortOfCapacity({
    observed,
    thresholds,
    limit: ctx.limit,
    meanDurationMs: ctx.meanDurationMs,
    ...(newest === undefined ? {} : { newest }),
    ...(ctx.trend ? { trend: ctx.trend } : {}),
    ...(ctx.shortTrend ? { shortTrend: ctx.shortTrend } : {}),
    scaleUpMinutes: ctx.moves.scaleUpMinutes,
  });
  if (pressure)
    return ctx.cooldownLeft > 0
      ? heldByCooldown(ctx, pressure, 'lambda')
      : { tier: 'fargate', reason: pressure };
  if (newest === undefined) return noData(ctx, 'lambda');

  const up = thresholds.scaleUp;
  const run = observed.runEndingAt(newest, (rps) => rps > up.requestsPerSecond);
  const rps = observed.rate(newest) as number;
  const ahead = aheadOfNextBurst(ctx);
  if (ahead) {
    return ctx.cooldownLeft > 0 ? heldByCooldown(ctx, ahead, 'lambda') : { tier: 'fargate', reason: ahead };
  }
  if (run.length < up.forMinutes) {
    const level = rps <= up.requestsPerSecond ? skiRental(ctx, newest, 'fargate') : undefined;
    if (level) {
      return ctx.cooldownLeft > 0 ? heldByCooldown(ctx, level, 'lambda') : { tier: 'fargate', reason: level };
    }
    const down = thresholds.scaleDown.requestsPerSecond;
    // A move to Lambda under way at a rate below the scale-down threshold: that threshold is what keeps
    // it going, not the scale-up one the rate happens to be under too.
    if (!run.length && ctx.input.phase !== 'Lambda' && rps < down) {
      return { tier: 'lambda', reason: `${rpsText(rps)} < ${down}: staying on Lambda` };
    }
    const above = run.length ? ` for ${run.length} of ${up.forMinutes} min` : '';
    const relation = run.length ? '>' : '≤';
    const wait = run.length ? waitText(ctx, run, rps) : '';
    return {
      tier: 'lambda',
      reason: `${rpsText(rps)} ${relation} ${up.requestsPerSecond}${above}: staying on Lambda${wait}`,
    };
  }
  const trigger = `${rpsText(rps)} > ${up.requestsPerSecond} for ${run.length} min`;
  const moves = ctx.moves;
  const extra = burstExtraLambdaCost(run, ctx.meanDurationMs, ctx.input.spec);
  const price = roundTripCost(ctx.input.spec, thresholds, moves);
  const longest = roundTripMinutes(thresholds, moves);
  const worthIt =
    extra >= price
      ? `; the burst's extra Lambda cost ${dollars(extra)} ≥ a round trip's ${dollars(price)}`
      : (trendTrigger(ctx, newest, price) ??
        (run.length >= longest ? `, as long as a round trip (${longest} min)` : undefined));
  if (worthIt === undefined) {
    return {
      tier: 'lambda',
      reason:
        `${trigger}, but the burst's extra Lambda cost ${dollars(extra)} < a round trip's ` +
        `${dollars(price)}: staying on Lambda${waitText(ctx, run, rps)}`,
    };
  }
  // Bursts that belong on Fargate by staying there lift the hold: this one's tier serves the next ones.
  // Met by coming back ahead of each, they do not: this one is over before its tier serves, and the tier
  // would leave after it.
  const rhythm = burstRhythm(ctx);
  if (rhythm?.way !== 'stay') {
    const held = heldByLearnedBursts(ctx, newest, run, price);
    if (held) return { tier: 'lambda', reason: `${trigger}${worthIt}, but ${held}: staying on Lambda` };
  }
  const because = rhythm ? `; ${rhythmText(rhythm)}` : '';
  if (ctx.cooldownLeft > 0) return heldByCooldown(ctx, `${trigger}${because}`, 'lambda');
  return { tier: 'fargate', reason: `${trigger}${worthIt}${because}` };
}

/**
 * Why this burst is not worth a Fargate tier by what the stack's bursts taught (burst-rental.ts), or
 * undefined. The burst's age is counted from the ledger's open burst (one noisy dip does not restart it).
 * The bursts learned from are those the cost rules would have moved for at this age, as this one: dear
 * enough (their extra cost a minute × the age reached a round trip's) or as long as a round trip. A burst
 * too cheap to move for says nothing about this one (the spike trace's 3-min bursts of 80 rps do not slow
 * the catch of its plateau of 120).
 */
function heldByLearnedBursts(
  ctx: Context,
  newest: number,
  run: readonly number[],
  price: number,
): string | undefined {
  const open = ctx.ledger.open;
  const age = open && open.lastAbove === newest ? newest - open.start + 1 : run.length;
  const longest = roundTripMinutes(ctx.thresholds, ctx.moves);
  const lengths = ctx.ledger.bursts
    .filter((b) => (b.extra / b.minutes) * age >= price || b.minutes >= longest)
    .map((b) => b.minutes);
  const extraPerMinute = burstExtraLambdaCost(run, ctx.meanDurationMs, ctx.input.spec) / run.length;
  // Fargate serves a scale-up's minutes after this decision, which comes the metrics' lag after `newest`.
  const scaleUpMinutes = ctx.moves.scaleUpMinutes + (ctx.observed.nowMinute - newest);
  const hold = learnedHold(lengths, age, { extraPerMinute, roundTrip: price, scaleUpMinutes });
  if (!hold) return undefined;
  return (
    `the last ${hold.alike} bursts as long as this one (${age} min) lasted at most ${hold.longest} min and ` +
    `Fargate would serve ${scaleUpMinutes} min after the newest minute seen: waiting (best at ${hold.bestAge} min) costs ` +
    `${dollars(hold.later)} a burst on average, scaling up now ${dollars(hold.now)}`
  );
}

function rhythmCosts(ctx: Context): RhythmCosts {
  const spec = ctx.input.spec;
  const quiet = ctx.ledger.quietRps ?? ctx.thresholds.scaleDown.requestsPerSecond;
  return {
    idleExtraPerMinute:
      fargateMinuteCost(quiet, spec.fargate) -
      lambdaMinuteCost(quiet, ctx.meanDurationMs, spec.lambda.memoryMb),
    idleTierPerMinute: fargateMinuteCost(0, spec.fargate),
    roundTrip: roundTripCost(spec, ctx.thresholds, ctx.moves),
    scaleUpMinutes: ctx.moves.scaleUpMinutes,
    scaleDownMinutes: ctx.moves.scaleDownMinutes,
    forMinutes: ctx.thresholds.scaleUp.forMinutes,
    // Rule 4c (a computed scale-down rate) leaves once the ledger has seen the burst end, which the
    // decision sees the metrics' lag later; else rule 4a at a quiet rate below the written scale-down
    // threshold; a written threshold above the quiet rate keeps the tier up: no coming back.
    ...(ctx.computed.scaleDown
      ? { quietMinutesToLeave: leaveAfterBurstMinutes(ctx) + metricsLag(ctx) }
      : quiet < ctx.thresholds.scaleDown.requestsPerSecond
        ? { quietMinutesToLeave: ctx.thresholds.scaleDown.forMinutes }
        : {}),
    cooldownMinutes: ctx.thresholds.cooldownMinutes,
    taskPerMinute: fargateTaskHourlyCost(spec.fargate) / MINUTES_PER_HOUR,
    fargate: spec.fargate,
  };
}

/**
 * The stack's bursts' rhythm when it makes Fargate the place to be for them (burst-rhythm.ts); with a
 * `margin` of 1, whenever Fargate is the cheaper place at all (see decideOnFargate).
 */
function burstRhythm(ctx: Context, margin?: number): BurstRhythm | undefined {
  return recurringBursts(ctx.ledger, ctx.observed.nowMinute, rhythmCosts(ctx), margin);
}

const firstGapText = (g: FirstGap, now: number) =>
  `one burst learned (began ${now - g.start} min ago) and meeting one like it from Lambda costs ` +
  `${dollars(g.perBurst)}: waiting on Fargate for the next until ${Math.ceil(g.until - now)} min from now`;

const rhythmText = (r: BurstRhythm) =>
  `bursts come back every ~${r.every.toFixed(0)} min (${r.bursts} learned) and meeting one from Lambda ` +
  `costs ${dollars(r.perBurst)}, ` +
  (r.way === 'stay'
    ? `an idle Fargate tier between two ${dollars(r.stay)}`
    : `leaving Fargate after one and coming back ahead of the next ${dollars(r.comeBack!)} ` +
      `(staying between two ${dollars(r.stay)})`);

/**
 * On Lambda between bursts that belong on Fargate (burst-rhythm.ts): the scale-up that has the tier serving
 * by the time the next burst is expected, once it is due (a scale-up's minutes before), or undefined.
 */
function aheadOfNextBurst(ctx: Context): string | undefined {
  if (ctx.ledger.open) return undefined;
  const rhythm = burstRhythm(ctx);
  if (!rhythm) return undefined;
  const now = ctx.observed.nowMinute;
  const startBy = Math.floor(rhythm.readyBy - ctx.moves.scaleUpMinutes);
  if (now < startBy) return undefined;
  return (
    `${rhythmText(rhythm)}; the next is expected from ~${Math.max(0, Math.round(rhythm.readyBy - now))} min ` +
    `from now and a scale-up takes ${ctx.moves.scaleUpMinutes} min: moving ahead of it`
  );
}

/**
 * Rule 4c's quiet minutes after a burst: as many as the ledger needs to see it end (BURST_END_MINUTES; a
 * burst that pauses for one minute goes on), never more than `scaleDown.forMinutes`. The rhythm says the
 * next burst is a gap away: `scaleDown.forMinutes` guard a level against a dip, and a burst that ended as
 * those learned is no level (one that goes on past them is not closed by the ledger, and keeps the tier).
 */
const leaveAfterBurstMinutes = (ctx: Context) =>
  Math.min(BURST_END_MINUTES, ctx.thresholds.scaleDown.forMinutes);

/** Minutes from the newest minute with a rate to this decision (the metrics' lag), 0 without one. */
function metricsLag(ctx: Context): number {
  const newest = ctx.observed.newestRateMinute();
  return newest === undefined ? 0 : ctx.observed.nowMinute - newest;
}

/**
 * Rule 4c: the stack's bursts are met by leaving Fargate after each and coming back ahead of the next
 * (burst-rhythm.ts), the scale-down rate is computed (a written one is the user's word), and the ledger has
 * seen the last burst end (`leaveAfterBurstMinutes` at or below the scale-up threshold since it): the
 * trigger, or undefined. The rhythm priced leaving at that point; a quiet rate between the scale-down
 * threshold and the break-even would otherwise hold the tier for the ski-rental's hour (rule 4b).
 */
function leaveToComeBack(ctx: Context, newest: number): string | undefined {
  const { thresholds } = ctx;
  if (!ctx.computed.scaleDown) return undefined;
  const rhythm = burstRhythm(ctx);
  if (rhythm?.way !== 'comeBack') return undefined;
  const up = thresholds.scaleUp.requestsPerSecond;
  const quiet = ctx.observed.runEndingAt(newest, (rps) => rps <= up);
  if (ctx.ledger.open || quiet.length < leaveAfterBurstMinutes(ctx)) return undefined;
  return `${rpsText(ctx.observed.rate(newest) as number)} ≤ ${up} for ${quiet.length} min since the last burst`;
}

/**
 * On Fargate between bursts that belong there and are met by coming back ahead of each: whether leaving
 * now still lets the tier come back (down, the cooldown, up) by the time the next is expected; if not, why.
 */
function tooSoonToLeave(ctx: Context, rhythm: BurstRhythm): string | undefined {
  const now = ctx.observed.nowMinute;
  const { scaleUpMinutes, scaleDownMinutes } = ctx.moves;
  const back = Math.max(scaleDownMinutes, ctx.thresholds.cooldownMinutes) + scaleUpMinutes;
  if (now + back <= rhythm.readyBy) return undefined;
  return (
    `the next is expected from ~${Math.max(0, Math.round(rhythm.readyBy - now))} min from now, too soon to ` +
    `leave and come back (${back} min)`
  );
}

/**
 * Rules 3b, 3c and 3d, over the minutes ending at `newest` (the end of a run above `scaleUp` of at least
 * `forMinutes`): why the rise is worth a round trip, with its numbers (appended to the trigger), or
 * undefined.
 */
function trendTrigger(ctx: Context, newest: number, price: number): string | undefined {
  const { observed, thresholds, meanDurationMs } = ctx;
  const spec = ctx.input.spec;
  const threshold = thresholds.scaleUp.requestsPerSecond;

  // The run ends at `newest`, so the window holds at least its minutes: never empty.
  const trend = observed.window(newest, TREND_WINDOW_MINUTES);
  const mean = trend.reduce((a, b) => a + b, 0) / trend.length;
  const extra = windowExtraLambdaCost(trend, meanDurationMs, spec);
  if (mean > threshold && extra >= price) {
    return (
      `; mean ${rpsText(mean)} > ${threshold} over the last ${TREND_WINDOW_MINUTES} min ` +
      `(${trend.length} with data), whose extra Lambda cost ${dollars(extra)} ≥ a round trip's ${dollars(price)}`
    );
  }

  const recent = observed.window(newest, SUSTAINED_MINUTES);
  const needed = Math.ceil(SUSTAINED_SHARE * SUSTAINED_MINUTES);
  const busy = recent.filter((r) => r > threshold && fargateCheaper(r, meanDurationMs, spec)).length;
  if (busy >= needed) {
    return (
      `; above ${threshold} and the break-even in ${busy} of the last ${SUSTAINED_MINUTES} min ` +
      `(≥ ${needed}): a level, not a burst`
    );
  }
  return riseTrigger(ctx, newest, price);
}

/**
 * Rule 3d, ahead of demand: the rate rises as a line (trend.ts, not a jump), and what Lambda would charge
 * beyond Fargate until a Fargate tier started now could serve, if the rise goes on, already reaches a
 * round trip's cost. A ramp is caught as it starts, not once its cost has added up.
 */
function riseTrigger(ctx: Context, newest: number, price: number): string | undefined {
  const { meanDurationMs, thresholds } = ctx;
  // The line through the run above the threshold only: a ramp that starts after a flat hour would be
  // watered down by the flat minutes of a longer fit.
  const run = ctx.observed.runEndingAt(newest, (rps) => rps > thresholds.scaleUp.requestsPerSecond);
  const since = newest - Math.min(run.length, TREND_MINUTES) + 1;
  const trend = fitTrend(ctx.observed.points(since, newest));
  if (!trend || !isRising(trend)) return undefined;
  const horizon = ctx.observed.nowMinute - newest + ctx.moves.scaleUpMinutes;
  const coming = Array.from({ length: horizon }, (_, k) => forecast(trend, k + 1));
  const extra = burstExtraLambdaCost(coming, meanDurationMs, ctx.input.spec);
  if (extra < price) return undefined;
  return (
    `; rising ${trend.slope.toFixed(1)} rps/min, Lambda would cost ${dollars(extra)} more than Fargate ` +
    `in the ${horizon} min before a Fargate tier started now could serve, ≥ a round trip's ${dollars(price)}`
  );
}

/**
 * Rule 4d: the minutes the move to Fargate was asked (auto mode's last transition) and when its tier could
 * first serve (a scale-up's minutes later), when the run below `scaleDown` ending at `newest` began before
 * that, or while the move is still under way; else undefined (the tier served the rate: rule 4a's
 * minutes guard it against a dip).
 */
function unservedMove(ctx: Context, newest: number, runLength: number): UnservedMove | undefined {
  const history = ctx.input.history;
  const asked = history?.lastTransitionMinute;
  if (runLength === 0 || asked === undefined) return undefined;
  const servesFrom = asked + ctx.moves.scaleUpMinutes;
  const lowSince = newest - runLength + 1;
  if (lowSince > servesFrom && ctx.input.phase !== 'ScalingUp') return undefined;
  const last = history?.transitions.at(-1);
  const pinned = last?.minute === asked && last.to === 'fargate' && last.pinnedBy === 'fargate';
  return { askedAgo: ctx.observed.nowMinute - asked, pinned };
}

/** A move to Fargate the tier has not served yet: how long ago, and whether mode fargate made it. */
interface UnservedMove {
  askedAgo: number;
  pinned: boolean;
}

/**
 * Why an unserved move turns back, after the low rate: a move auto mode made was for a rate, now gone;
 * one that mode fargate pinned was for none, and auto mode, back on, finds no rate that needs the tier.
 */
function unservedMoveText({ askedAgo, pinned }: UnservedMove): string {
  return pinned
    ? `, before the Fargate tier that mode fargate asked for ${askedAgo} min ago could serve: that move ` +
        'was pinned by the mode, not made for a rate, and no rate needs the tier now'
    : `, before the Fargate tier asked for ${askedAgo} min ago could serve: the rate the move was for is gone`;
}

function decideOnFargate(ctx: Context, newest: number | undefined): Verdict {
  const { observed, thresholds } = ctx;
  if (newest === undefined) return noData(ctx, 'fargate');
  const down = thresholds.scaleDown;
  const run = observed.runEndingAt(newest, (rps) => rps < down.requestsPerSecond);
  const rps = observed.rate(newest) as number;
  // A tier that never served the rate it was asked for has no level to keep across a dip: two low
  // minutes in a row (one is noise, as for the ledger's bursts) turn the move back, not 4a's minutes.
  const unserved = unservedMove(ctx, newest, run.length);
  const lowMinutes = unserved ? Math.min(UNNEEDED_MOVE_MINUTES, down.forMinutes) : down.forMinutes;
  const trigger =
    run.length >= lowMinutes
      ? `${rpsText(rps)} < ${down.requestsPerSecond} for ${run.length} min` +
        (unserved ? unservedMoveText(unserved) : '')
      : (skiRental(ctx, newest, 'lambda') ??
        fallingBelowBreakEven(ctx, newest) ??
        leaveToComeBack(ctx, newest));
  if (trigger === undefined) {
    const below = run.length ? ` for ${run.length} of ${lowMinutes} min` : '';
    const relation = run.length ? '<' : '≥';
    const turning = unserved
      ? ', before the Fargate tier could serve (the move turns back if the rate stays there)'
      : '';
    // A move to Fargate under way at a rate above the scale-up threshold: that threshold is what moved
    // it, and quoting the scale-down one ("50 rps ≥ 4: moving to Fargate") reads as the wrong rule.
    const up = thresholds.scaleUp.requestsPerSecond;
    const quoted =
      !run.length && ctx.input.phase !== 'Fargate' && rps > up
        ? `> ${up}`
        : `${relation} ${down.requestsPerSecond}${below}`;
    return {
      tier: 'fargate',
      reason: `${rpsText(rps)} ${quoted}${turning}: staying on Fargate`,
    };
  }
  // Never move traffic to a Lambda that could not take it: the rate is low, but requests may be slow.
  const low = run.length >= lowMinutes ? run : observed.window(newest, down.forMinutes);
  const needed = (Math.max(...low) * ctx.meanDurationMs) / 1000;
  const ceiling = (thresholds.scaleUp.lambdaConcurrencyPercent / 100) * ctx.limit;
  if (needed >= ceiling) {
    return {
      tier: 'fargate',
      reason: `${trigger}, but Lambda would need ${needed.toFixed(0)} concurrent executions ≥ ${ceiling}: staying on Fargate`,
    };
  }
  const rhythm = burstRhythm(ctx);
  if (rhythm?.way === 'stay') {
    return { tier: 'fargate', reason: `${trigger}, but ${rhythmText(rhythm)}: staying on Fargate` };
  }
  // Back for a burst, the tier waits for it unless Fargate no longer pays at all: the margin that moved
  // it here is not asked again (the quiet rate, and so the costs, drift a little every minute: a close
  // call would leave and come back within the cooldown).
  const waiting = burstRhythm(ctx, 1);
  const soon = waiting && tooSoonToLeave(ctx, waiting);
  if (waiting && soon) {
    return { tier: 'fargate', reason: `${trigger}, but ${rhythmText(waiting)}; ${soon}: staying on Fargate` };
  }
  const gap = firstGapStay(ctx.ledger, ctx.observed.nowMinute, rhythmCosts(ctx));
  if (gap) {
    return {
      tier: 'fargate',
      reason: `${trigger}, but ${firstGapText(gap, ctx.observed.nowMinute)}: staying on Fargate`,
    };
  }
  if (ctx.cooldownLeft > 0) return heldByCooldown(ctx, trigger, 'fargate');
  const since = ctx.sinceTransition === undefined ? '' : `, last transition ${ctx.sinceTransition} min ago`;
  return { tier: 'lambda', reason: `${trigger}${since}` };
}

/** The two ski-rentals of rules 3e and 4b, by the tier the rate has made the cheaper one. */
const SKI_RENTAL = {
  fargate: { run: 'cheaperOnFargate', threshold: 'scaleUp', side: 'above', dearer: 'lambda' },
  lambda: { run: 'cheaperOnLambda', threshold: 'scaleDown', side: 'below', dearer: 'fargate' },
} as const;

/**
 * Rule 3e (cheaper on Fargate: between the break-even and a computed scale-up rate) and rule 4b (cheaper
 * on Lambda): the rate has stayed where `cheaperTier` is the cheaper tier (the ledger's run, up to
 * `newest`) for at least the threshold's `forMinutes`, and what the dearer tier charged beyond it in that
 * run reached a round trip's cost. Only for a computed threshold: a written one is the user's word. (The
 * computed scale-up is the break-even rounded up: slow requests, whose break-even is a rate or two, would
 * otherwise stay on the dearer tier all night.) The trigger with its numbers, or undefined.
 */
function skiRental(ctx: Context, newest: number, cheaperTier: Tier): string | undefined {
  const rule = SKI_RENTAL[cheaperTier];
  const run = ctx.ledger[rule.run];
  if (!ctx.computed[rule.threshold] || !run || ctx.ledger.through !== newest) return undefined;
  const minutes = newest - run.since + 1;
  const price = roundTripCost(ctx.input.spec, ctx.thresholds, ctx.moves);
  if (minutes < ctx.thresholds[rule.threshold].forMinutes || run.extra < price) return undefined;
  return (
    `${rule.side} the break-even for ${minutes} min, where ${TIER_NAME[rule.dearer]} cost ` +
    `${dollars(run.extra)} more than ${TIER_NAME[cheaperTier]} would have ≥ a round trip's ${dollars(price)}`
  );
}

/**
 * Rule 4b, on a falling rate: (the scale-down rate computed) the rate has stayed below the break-even for
 * at least `scaleDown.forMinutes` (the ledger's run, up to `newest`) and falls as a line over the last
 * TREND_MINUTES (trend.ts `isFalling`, not through a drop). The ski-rental waits until Fargate's surplus
 * has reached a round trip's, which guards a rate that hovers at the break-even against a round trip each
 * way; a rate that moves away from the break-even is not hovering, and each minute of the wait is paid
 * for nothing (an evening's fall through the band, then a night above a computed scale-down rate). The
 * mirror of rule 3d on the way down. The trigger with its numbers, or undefined.
 */
function fallingBelowBreakEven(ctx: Context, newest: number): string | undefined {
  const run = ctx.ledger.cheaperOnLambda;
  const trend = ctx.trend;
  if (!ctx.computed.scaleDown || !run || ctx.ledger.through !== newest) return undefined;
  if (!trend || trend.newest !== newest || !isFalling(trend)) return undefined;
  const minutes = newest - run.since + 1;
  if (minutes < ctx.thresholds.scaleDown.forMinutes) return undefined;
  return (
    `below the break-even for ${minutes} min and falling ${(-trend.slope).toFixed(2)} rps/min ` +
    `over the last ${trend.points} min`
  );
}

/**
 * When a rise held on Lambda would move by rule 3a at its newest rate (scale-up-wait.ts): the run must
 * last `forMinutes` and its extra cost reach a round trip's, or the run last a round trip.
 */
function waitText(ctx: Context, run: readonly number[], rps: number): string {
  const spec = ctx.input.spec;
  const price = roundTripCost(spec, ctx.thresholds, ctx.moves);
  const longest = roundTripMinutes(ctx.thresholds, ctx.moves);
  const wait = scaleUpWait({
    runMinutes: run.length,
    runExtra: burstExtraLambdaCost(run, ctx.meanDurationMs, spec),
    extraPerMinute:
      lambdaMinuteCost(rps, ctx.meanDurationMs, spec.lambda.memoryMb) - fargateMinuteCost(rps, spec.fargate),
    forMinutes: ctx.thresholds.scaleUp.forMinutes,
    roundTrip: price,
    roundTripMinutes: longest,
  });
  return scaleUpWaitText(wait, {
    threshold: ctx.thresholds.scaleUp.requestsPerSecond,
    forMinutes: ctx.thresholds.scaleUp.forMinutes,
    roundTrip: dollars(price),
    roundTripMinutes: longest,
  });
}

function noData(ctx: Context, stay: Tier): Verdict {
  // Only a stack being created has no datapoint *yet*: one that served has none for minutes without requests.
  const created = ctx.input.phase === 'Pending';
  return {
    tier: stay,
    reason:
      `no request rate for the last ${RECENT_MINUTES} min: ${ctx.observed.whyNoRecentRate(created)} ` +
      `(missing data is not zero traffic): staying on ${TIER_NAME[stay]}`,
  };
}

/**
 * On Fargate between bursts that belong there (staying or coming back): the tasks for a burst like those
 * learned, from the minute they must start to serve by the shortest gap learned until the rhythm is over
 * (burst-rhythm.ts prices them in), and through the burst until it is seen to end (`heldThroughBurst`: its
 * first quiet minute once it lasted as long as the shortest learned one).
 * Through a burst seen on Fargate they need none of the gaps the bet ahead of it needs: before three are
 * learned (a flash crowd's first bursts, a burst met with minTasks), they are asked for from its first
 * published minute, a pass before target tracking's alarm would add them. Only where the bursts come back
 * (a rhythm: the days of a weekly pattern, learned as bursts, are levels) and the burst outruns minTasks
 * (a noisy level just above the threshold opens bursts that one task serves) (docs/auto-policy.md,
 * *Through the burst*).
 * Target tracking, which sees the burst a minute or two late, would otherwise let it overrun the one task
 * that waits for it, and, once its tasks serve, scale in during it and keep them a quarter hour after.
 * Undefined otherwise.
 */
function tasksForNextBurst(ctx: Context, newest: number | undefined): TasksAhead | undefined {
  const outrunsMinimum = (peak: number | undefined) =>
    peak !== undefined && trackedTasks(peak, ctx.input.spec.fargate) > ctx.input.spec.fargate.minTasks;
  const rhythm = burstRhythm(ctx, 1);
  const now = ctx.observed.nowMinute;
  const rps = newest === undefined ? undefined : ctx.observed.rate(newest);
  const fargate = ctx.input.spec.fargate;
  const aheadOf = (tasks: number) => rps === undefined || tasks > trackedTasks(rps, fargate);
  if (ctx.ledger.open) {
    // A burst seen: its tasks wait for nothing, so they need none of the gaps the bet ahead of it needs.
    const going = heldThroughBurst(ctx.ledger, newest);
    const tasks =
      rhythm?.tasks ??
      (rhythm && outrunsMinimum(ctx.ledger.open.peak) ? learnedBurstTasks(ctx.ledger, fargate) : undefined);
    if (!going || tasks === undefined) return undefined;
    return {
      tasks,
      expectedRps: tasks * fargate.targetRequestsPerTask,
      aheadOfTracking: aheadOf(tasks),
      horizonMinutes: 0,
      reason:
        `a burst goes on (${going.age} min, the learned ones lasted at most ${going.longest}): ` +
        `${tasks} tasks until it ends`,
    };
  }
  if (!rhythm?.tasks || rhythm.tasksFrom === undefined || now < rhythm.tasksFrom) return undefined;
  const from = Math.max(0, Math.round(rhythm.tasksFrom + TASK_READY_MINUTES - now));
  return {
    tasks: rhythm.tasks,
    expectedRps: rhythm.tasks * fargate.targetRequestsPerTask,
    aheadOfTracking: aheadOf(rhythm.tasks),
    horizonMinutes: from,
    reason: `the next burst may come from ~${from} min from now: ${rhythm.tasks} tasks for one like those learned`,
  };
}

/**
 * The tier for a stack and why, with the history to store in its status.
 *
 * @example
 * const decision = decideAuto({ spec, samples, phase: 'Lambda', history: readAutoHistory(status), now });
 * // { tier: 'fargate', reason: '42.0 rps > 7 for 3 min; the burst's extra Lambda cost …', transition: true, … }
 */
export function decideAuto(input: AutoInput): AutoDecision {
  const history = input.history ?? emptyHistory();
  const nowMinute = Math.floor(input.now / MINUTE_MS);
  const from = history.tier ?? tierOfPhase(input.phase);
  const observed = new Observed(
    input.samples,
    nowMinute,
    typeof input.traffic === 'string'
      ? UNWEIGHTED_CARRIERS
      : carriersByMinute(carriersFor(input.phase, input.traffic), input.phase, history.transitions.at(-1)),
  );
  const observedDuration = observed.meanDurationMs();
  const meanDurationMs = observedDuration ?? history.meanDurationMs ?? DEFAULT_MEAN_DURATION_MS;
  const thresholds = effectiveThresholds(input.spec, meanDurationMs);
  const newest = observed.newestRateMinute();
  const moves = input.moves ?? DEFAULT_MOVE_DURATIONS;
  const folded = foldMinutes(
    input.ledger ?? emptyLedger(),
    newest === undefined ? [] : observed.points(newest - MAX_FOLD_MINUTES + 1, newest),
    {
      threshold: thresholds.scaleUp.requestsPerSecond,
      minBurstMinutes: thresholds.scaleUp.forMinutes,
      durationMs: meanDurationMs,
      spec: input.spec,
      headMinutes: thresholds.scaleUp.forMinutes + moves.scaleUpMinutes,
    },
  );
  const trend =
    newest === undefined ? undefined : fitTrend(observed.points(newest - TREND_MINUTES + 1, newest));
  // How far the level strays by the time a task asked for now serves, once per newest minute, whatever
  // the tier: the Fargate tier's bands then start from what the stack's traffic taught. Only from levels
  // of half a task's rate or more, where a band can reach a task boundary: a quiet level of 2 rps strays
  // a fifth of itself, which says nothing of a level of 120.
  const share =
    newest === undefined || newest === input.ledger?.through
      ? undefined
      : driftShare(
          trend,
          observed.points(newest - BACKTEST_MINUTES + 1, newest),
          nowMinute - newest + TASK_READY_MINUTES,
          input.spec.fargate.targetRequestsPerTask / 2,
        );
  const ledger = share === undefined ? folded : foldDrift(folded, share);
  const shortTrend =
    newest === undefined ? undefined : fitTrend(observed.points(newest - PANIC_MINUTES + 1, newest));

  let verdict: Verdict;
  let forBurst: TasksAhead | undefined;
  if (input.spec.mode === 'lambda' || input.spec.mode === 'fargate') {
    const tier: Tier = input.spec.mode;
    verdict = { tier, reason: `mode ${tier} pins the ${TIER_NAME[tier]} tier` };
  } else {
    const sinceTransition =
      history.lastTransitionMinute === undefined ? undefined : nowMinute - history.lastTransitionMinute;
    const ctx: Context = {
      input,
      observed,
      thresholds,
      meanDurationMs,
      limit:
        input.lambdaConcurrencyLimit ??
        input.spec.lambda.reservedConcurrency ??
        DEFAULT_LAMBDA_CONCURRENCY_LIMIT,
      moves,
      ledger,
      computed: computedRates(input.spec),
      ...(trend ? { trend } : {}),
      ...(shortTrend ? { shortTrend } : {}),
      cooldownLeft:
        sinceTransition === undefined ? 0 : Math.max(0, thresholds.cooldownMinutes - sinceTransition),
      ...(sinceTransition === undefined ? {} : { sinceTransition }),
    };
    verdict = from === 'lambda' ? decideOnLambda(ctx, newest) : decideOnFargate(ctx, newest);
    if (verdict.tier === 'fargate') forBurst = tasksForNextBurst(ctx, newest);
  }

  const rps = newest === undefined ? undefined : observed.rate(newest);
  const forRate =
    input.spec.mode === 'auto' && verdict.tier === 'fargate' && rps !== undefined
      ? tasksAhead({
          trend,
          shortTrend,
          recent: observed.points(newest! - TREND_MINUTES + 1, newest!).map((p) => p.rps),
          history: observed.points(newest! - BACKTEST_MINUTES + 1, newest!),
          minutesSinceNewest: nowMinute - newest!,
          fargate: input.spec.fargate,
          ...(ledger.levelDrift === undefined ? {} : { learnedDrift: ledger.levelDrift }),
        })
      : undefined;
  const ahead = forBurst && (!forRate || forBurst.tasks > forRate.tasks) ? forBurst : forRate;
  // A tier asked for before and not reached yet: the reason says where the move stands, not "staying".
  const reason = withMoveProgress(verdict.reason, verdict.tier, input.phase, input.traffic);
  const withAhead = (text: string) => (ahead?.aheadOfTracking ? `${text}; ${ahead.reason}` : text);
  return {
    tier: verdict.tier,
    reason: withAhead(reason),
    ...(reason === verdict.reason ? {} : { settledReason: withAhead(verdict.reason) }),
    from,
    transition: verdict.tier !== from,
    ...(rps === undefined ? {} : { rps }),
    ...(ahead ? { tasksAhead: ahead } : {}),
    meanDurationMs,
    thresholds,
    history: recordDecision(history, {
      minute: nowMinute,
      tier: verdict.tier,
      reason,
      from,
      ...(observedDuration === undefined ? {} : { meanDurationMs: observedDuration }),
    }),
    ledger,
  };
}
