/**
 * Auto mode: the tier a stack should be in, from its metrics, thresholds and history (docs/auto-policy.md).
 *
 * Rules, in the order they are applied:
 * 1. Modes `lambda` and `fargate` pin the tier; metrics are not read.
 * 2. The tier auto mode is in is the one it last asked for (its history), else the one the phase implies.
 * 3. On Lambda, scale up at once when Lambda concurrency reached `lambdaConcurrencyPercent` of its limit
 *    or Lambda throttled in the last few minutes; or when the rate stayed above `scaleUp` for
 *    `forMinutes` (every minute with data) and the rise is worth a round trip, by any of:
 *    a. the ski-rental rule (ski-rental.ts): the run's extra Lambda cost reached a round trip's, or the
 *       run lasted as long as a round trip;
 *    b. over the last TREND_WINDOW_MINUTES the stack's extra Lambda cost, signed (the quiet minutes,
 *       where Fargate would have cost more, count against it), reached a round trip's cost and the
 *       window's mean rate is above `scaleUp`: traffic that keeps coming back in bursts (10 min busy,
 *       10 min quiet) is paid for as one, instead of the count starting again after every quiet stretch;
 *    c. the rate was above both `scaleUp` and the break-even (Fargate cheaper in that minute) in
 *       SUSTAINED_SHARE of the last SUSTAINED_MINUTES, each minute with data: a level that holds, as on
 *       the rising side of a day, is not a burst, and waiting for its extra cost to add up (slow just
 *       above the break-even) costs more than it saves.
 *    Short bursts (minutes) stay on Lambda: they pass neither (b) nor (c).
 * 4. On Fargate, scale down when the rate stayed below `scaleDown` for `forMinutes`, every one of those
 *    minutes with data, and Lambda has the concurrency for it.
 * 5. No transition within `cooldownMinutes` of the last one, in either direction: a round trip costs
 *    minutes of infrastructure, and a Lambda tier that stays up is the fallback while a move waits.
 * 6. A minute without data is never read as zero: it breaks a run of minutes above or below a threshold,
 *    and with no recent data at all the tier is kept.
 *
 * Pure: time comes in as `now`, and the history to store comes back in the decision.
 */
import { DEFAULT_MEAN_DURATION_MS } from '../../spec';
import type { DesiredState, Thresholds, Tier } from '../../spec/types';
import type { Phase } from '../state/types';
import { effectiveThresholds } from './effective-thresholds';
import { emptyHistory, recordDecision, type AutoHistory } from './history';
import type { MinuteSample } from './metrics';
import { carriersFor, requestRate, type TrafficCarriers } from './rate';
import {
  DEFAULT_MOVE_DURATIONS,
  burstExtraLambdaCost,
  fargateCheaper,
  roundTripCost,
  roundTripMinutes,
  windowExtraLambdaCost,
  type MoveDurations,
} from './ski-rental';

/** AWS's default regional Lambda concurrency (docs/aws-facts.md). */
export const DEFAULT_LAMBDA_CONCURRENCY_LIMIT = 1000;
/** CloudWatch publishes a minute a little late: the newest minute with data may be this old. */
export const RECENT_MINUTES = 3;
/** The mean Lambda duration is taken over this many minutes. */
export const DURATION_WINDOW_MINUTES = 15;
/** Rule 3b weighs the extra Lambda cost of this many minutes (two bursts and the quiet between). */
export const TREND_WINDOW_MINUTES = 30;
/** Rule 3c: a level held this many minutes… */
export const SUSTAINED_MINUTES = 15;
/** …in at least this share of them (noise may dip a minute or two below). */
export const SUSTAINED_SHARE = 0.8;
const MS_PER_MINUTE = 60_000;

export interface AutoInput {
  spec: Pick<DesiredState, 'mode' | 'lambda' | 'fargate' | 'thresholds'>;
  /** The stack's samples; minutes at or after `now`'s minute are still filling up and are ignored. */
  samples: readonly MinuteSample[];
  phase: Phase;
  /** Route 53's weights as observed (status.traffic); the phase decides when unknown. */
  traffic?: { lambda: number; fargate: number };
  /** From the status (readAutoHistory); empty for a new stack. */
  history?: AutoHistory;
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
  /** The tier auto mode was in before this decision. */
  from: Tier;
  transition: boolean;
  /** The newest known request rate, if any. */
  rps?: number;
  meanDurationMs: number;
  thresholds: Thresholds;
  /** To be stored in the status (AUTO_HISTORY_FIELD). */
  history: AutoHistory;
}

const TIER_NAME: Record<Tier, string> = { lambda: 'Lambda', fargate: 'Fargate' };
const rpsText = (rps: number) => `${rps.toFixed(1)} rps`;
const dollars = (usd: number) => `$${usd.toFixed(4)}`;

function tierOfPhase(phase: Phase): Tier {
  return phase === 'ScalingUp' || phase === 'Fargate' ? 'fargate' : 'lambda';
}

/** What the samples say, minute by minute, for the rules. */
class Observed {
  private readonly byMinute = new Map<number, MinuteSample>();

  constructor(
    samples: readonly MinuteSample[],
    readonly nowMinute: number,
    private readonly carriers: TrafficCarriers,
  ) {
    for (const sample of samples) if (sample.minute < nowMinute) this.byMinute.set(sample.minute, sample);
  }

  rate(minute: number): number | undefined {
    return requestRate(this.byMinute.get(minute), this.carriers);
  }

  /** The newest minute with a known rate, if it is recent. */
  newestRateMinute(): number | undefined {
    for (let m = this.nowMinute - 1; m >= this.nowMinute - RECENT_MINUTES; m--) {
      if (this.rate(m) !== undefined) return m;
    }
    return undefined;
  }

  /** Rates of the consecutive minutes ending at `end` that hold `test`, newest first; a gap ends the run. */
  runEndingAt(end: number, test: (rps: number) => boolean): number[] {
    const run: number[] = [];
    for (let m = end; ; m--) {
      const rps = this.rate(m);
      if (rps === undefined || !test(rps)) return run;
      run.push(rps);
    }
  }

  /** The known rates of the `length` minutes ending at `end`, oldest first (gaps left out, not zeros). */
  window(end: number, length: number): number[] {
    const rates: number[] = [];
    for (let m = end - length + 1; m <= end; m++) {
      const rps = this.rate(m);
      if (rps !== undefined) rates.push(rps);
    }
    return rates;
  }

  recent(): MinuteSample[] {
    const out: MinuteSample[] = [];
    for (let m = this.nowMinute - RECENT_MINUTES; m < this.nowMinute; m++) {
      const sample = this.byMinute.get(m);
      if (sample) out.push(sample);
    }
    return out;
  }

  meanDurationMs(): number | undefined {
    const durations: number[] = [];
    for (let m = this.nowMinute - DURATION_WINDOW_MINUTES; m < this.nowMinute; m++) {
      const d = this.byMinute.get(m)?.lambdaDurationMs;
      if (d !== undefined && d > 0) durations.push(d);
    }
    return durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : undefined;
  }
}

interface Verdict {
  tier: Tier;
  reason: string;
}

/** The reason Lambda is under pressure, from the recent minutes' concurrency and throttles. */
function lambdaPressure(observed: Observed, thresholds: Thresholds, limit: number): string | undefined {
  const percent = thresholds.scaleUp.lambdaConcurrencyPercent;
  const ceiling = (percent / 100) * limit;
  let peak: number | undefined;
  let throttles = 0;
  for (const sample of observed.recent()) {
    if (sample.lambdaConcurrentMax !== undefined) peak = Math.max(peak ?? 0, sample.lambdaConcurrentMax);
    throttles += sample.lambdaThrottles ?? 0;
  }
  if (peak !== undefined && peak >= ceiling) {
    return `Lambda concurrency ${peak} ≥ ${ceiling} (${percent} % of ${limit})`;
  }
  if (throttles > 0) return `Lambda throttled ${throttles} requests in the last ${RECENT_MINUTES} min`;
  return undefined;
}

interface Context {
  input: AutoInput;
  observed: Observed;
  thresholds: Thresholds;
  meanDurationMs: number;
  limit: number;
  /** Minutes left before a transition is allowed; 0 when allowed. */
  cooldownLeft: number;
  sinceTransition?: number;
}

function heldByCooldown(ctx: Context, trigger: string, stay: Tier): Verdict {
  return {
    tier: stay,
    reason:
      `${trigger}, but the last transition was ${ctx.sinceTransition} min ago, ` +
      `cooldown ${ctx.thresholds.cooldownMinutes} min: staying on ${TIER_NAME[stay]}`,
  };
}

function decideOnLambda(ctx: Context, newest: number | undefined): Verdict {
  const { observed, thresholds } = ctx;
  const pressure = lambdaPressure(observed, thresholds, ctx.limit);
  if (pressure)
    return ctx.cooldownLeft > 0
      ? heldByCooldown(ctx, pressure, 'lambda')
      : { tier: 'fargate', reason: pressure };
  if (newest === undefined) return noData('lambda');

  const up = thresholds.scaleUp;
  const run = observed.runEndingAt(newest, (rps) => rps > up.requestsPerSecond);
  const rps = observed.rate(newest) as number;
  if (run.length < up.forMinutes) {
    const above = run.length ? ` for ${run.length} of ${up.forMinutes} min` : '';
    const relation = run.length ? '>' : '≤';
    return {
      tier: 'lambda',
      reason: `${rpsText(rps)} ${relation} ${up.requestsPerSecond}${above}: staying on Lambda`,
    };
  }
  const trigger = `${rpsText(rps)} > ${up.requestsPerSecond} for ${run.length} min`;
  const moves = ctx.input.moves ?? DEFAULT_MOVE_DURATIONS;
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
        `${dollars(price)}: staying on Lambda`,
    };
  }
  if (ctx.cooldownLeft > 0) return heldByCooldown(ctx, trigger, 'lambda');
  return { tier: 'fargate', reason: `${trigger}${worthIt}` };
}

/**
 * Rules 3b and 3c, over the minutes ending at `newest` (the end of a run above `scaleUp` of at least
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
  return undefined;
}

function decideOnFargate(ctx: Context, newest: number | undefined): Verdict {
  const { observed, thresholds } = ctx;
  if (newest === undefined) return noData('fargate');
  const down = thresholds.scaleDown;
  const run = observed.runEndingAt(newest, (rps) => rps < down.requestsPerSecond);
  const rps = observed.rate(newest) as number;
  if (run.length < down.forMinutes) {
    const below = run.length ? ` for ${run.length} of ${down.forMinutes} min` : '';
    const relation = run.length ? '<' : '≥';
    return {
      tier: 'fargate',
      reason: `${rpsText(rps)} ${relation} ${down.requestsPerSecond}${below}: staying on Fargate`,
    };
  }
  const trigger = `${rpsText(rps)} < ${down.requestsPerSecond} for ${run.length} min`;
  // Never move traffic to a Lambda that could not take it: the rate is low, but requests may be slow.
  const needed = (Math.max(...run) * ctx.meanDurationMs) / 1000;
  const ceiling = (thresholds.scaleUp.lambdaConcurrencyPercent / 100) * ctx.limit;
  if (needed >= ceiling) {
    return {
      tier: 'fargate',
      reason: `${trigger}, but Lambda would need ${needed.toFixed(0)} concurrent executions ≥ ${ceiling}: staying on Fargate`,
    };
  }
  if (ctx.cooldownLeft > 0) return heldByCooldown(ctx, trigger, 'fargate');
  const since = ctx.sinceTransition === undefined ? '' : `, last transition ${ctx.sinceTransition} min ago`;
  return { tier: 'lambda', reason: `${trigger}${since}` };
}

function noData(stay: Tier): Verdict {
  return {
    tier: stay,
    reason: `no request rate for the last ${RECENT_MINUTES} min (missing data is not zero traffic): staying on ${TIER_NAME[stay]}`,
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
  const nowMinute = Math.floor(input.now / MS_PER_MINUTE);
  const from = history.tier ?? tierOfPhase(input.phase);
  const observed = new Observed(input.samples, nowMinute, carriersFor(input.phase, input.traffic));
  const observedDuration = observed.meanDurationMs();
  const meanDurationMs = observedDuration ?? history.meanDurationMs ?? DEFAULT_MEAN_DURATION_MS;
  const thresholds = effectiveThresholds(input.spec, meanDurationMs);

  let verdict: Verdict;
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
      cooldownLeft:
        sinceTransition === undefined ? 0 : Math.max(0, thresholds.cooldownMinutes - sinceTransition),
      ...(sinceTransition === undefined ? {} : { sinceTransition }),
    };
    const newest = observed.newestRateMinute();
    verdict = from === 'lambda' ? decideOnLambda(ctx, newest) : decideOnFargate(ctx, newest);
  }

  const newest = observed.newestRateMinute();
  const rps = newest === undefined ? undefined : observed.rate(newest);
  return {
    tier: verdict.tier,
    reason: verdict.reason,
    from,
    transition: verdict.tier !== from,
    ...(rps === undefined ? {} : { rps }),
    meanDurationMs,
    thresholds,
    history: recordDecision(history, {
      minute: nowMinute,
      tier: verdict.tier,
      reason: verdict.reason,
      from,
      ...(observedDuration === undefined ? {} : { meanDurationMs: observedDuration }),
    }),
  };
}
