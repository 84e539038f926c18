/**
 * Traffic beyond what Lambda can carry: rate × mean duration concurrent executions against the function's
 * limit (reserved concurrency, else the account's). Moving to Fargate then is a capacity decision, not a
 * cost one, and it is made as early as the metrics allow:
 * - Lambda's own ConcurrentExecutions (Maximum) or Throttles in the recent minutes;
 * - the newest rate × duration, which needs no concurrency metric;
 * - the rise: the rate expected when a Fargate tier started now would serve (trend.ts, with the noise
 *   margin of capacity-ahead.ts) × duration.
 * The ceiling is `lambdaConcurrencyPercent` of the limit. Every reason starts with CAPACITY_REASON.
 *
 * Pure.
 */
import type { Thresholds } from '../../spec/types';
import { expectedOnRise, risingSlope } from './capacity-ahead';
import { RECENT_MINUTES, type Observed } from './observed';
import type { Trend } from './trend';

export const CAPACITY_REASON = 'capacity, not cost';

export interface LambdaCapacityInput {
  observed: Observed;
  thresholds: Thresholds;
  limit: number;
  meanDurationMs: number;
  /** The newest minute with a known rate, if any. */
  newest?: number;
  /** The trend of the rate up to `newest`, if there are enough minutes. */
  trend?: Trend;
  /** The line through the last few minutes (capacity-ahead.ts PANIC_MINUTES). */
  shortTrend?: Trend;
  /** Minutes from deciding to scale up to Fargate serving. */
  scaleUpMinutes: number;
}

/** Concurrent executions `rps` requests of `durationMs` keep busy. */
export const concurrencyFor = (rps: number, durationMs: number) => (rps * durationMs) / 1000;

/** Why Lambda cannot carry the traffic (now or by the time Fargate could), or undefined. */
export function lambdaShortOfCapacity(input: LambdaCapacityInput): string | undefined {
  const { observed, thresholds, limit, meanDurationMs } = input;
  const percent = thresholds.scaleUp.lambdaConcurrencyPercent;
  const ceiling = (percent / 100) * limit;
  const of = `(${percent} % of ${limit})`;
  let peak: number | undefined;
  let throttles = 0;
  for (const sample of observed.recent()) {
    if (sample.lambdaConcurrentMax !== undefined) peak = Math.max(peak ?? 0, sample.lambdaConcurrentMax);
    throttles += sample.lambdaThrottles ?? 0;
  }
  if (peak !== undefined && peak >= ceiling) {
    return `${CAPACITY_REASON}: Lambda concurrency ${peak} ≥ ${ceiling} ${of}`;
  }
  if (throttles > 0) {
    return `${CAPACITY_REASON}: Lambda throttled ${throttles} requests in the last ${RECENT_MINUTES} min`;
  }
  if (input.newest === undefined) return undefined;
  const rps = observed.rate(input.newest)!;
  const needed = concurrencyFor(rps, meanDurationMs);
  if (needed >= ceiling) {
    return (
      `${CAPACITY_REASON}: ${rps.toFixed(1)} rps × ${meanDurationMs.toFixed(0)} ms needs ` +
      `${needed.toFixed(0)} concurrent executions ≥ ${ceiling} ${of}`
    );
  }
  const horizon = observed.nowMinute - input.newest + input.scaleUpMinutes;
  const expected = expectedOnRise(input.trend, input.shortTrend, horizon);
  const ahead = concurrencyFor(expected, meanDurationMs);
  if (expected === 0 || ahead < ceiling) return undefined;
  const slope = risingSlope(input.trend, input.shortTrend);
  return (
    `${CAPACITY_REASON}: rising ${slope.toFixed(1)} rps/min, Lambda would need ` +
    `${ahead.toFixed(0)} concurrent executions ≥ ${ceiling} ${of} within ${horizon} min, ` +
    `before a Fargate tier started later could serve`
  );
}
