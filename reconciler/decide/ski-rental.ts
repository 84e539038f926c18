/**
 * The ski-rental rule of auto mode: a burst shorter than a scale-up is cheaper left on Lambda.
 *
 * Renting is staying on Lambda through a burst and paying its extra cost over what Fargate would have
 * charged for the same minutes; buying is a round trip to Fargate, which costs about
 * (scale-up minutes + minimum stay + scale-down minutes) of the idle Fargate tier, since the Fargate
 * infrastructure runs while Lambda still serves during both moves, and once up the stack stays at least
 * max(cooldown, scale-down window) minutes. Like the deterministic ski-rental strategy (rent until the
 * rent paid equals the price, then buy), auto mode scales up on the rate only once the burst's
 * accumulated extra Lambda cost has reached a round trip's cost: it never pays more than about twice
 * what foresight would have paid. So that a threshold the user set for headroom rather than cost (one
 * below the break-even, where Lambda's extra cost never accumulates) still takes effect, the wait is
 * bounded too: a burst that lasted a whole round trip's minutes scales up whatever it cost.
 * Lambda concurrency pressure and throttles bypass this rule: they are not about money.
 *
 * Bursts that come back: the rent is also counted over a fixed window of recent minutes
 * (`windowExtraLambdaCost`), signed, so that the quiet minutes between bursts (where Lambda is the cheaper
 * tier) are set against them; a run that restarts at every quiet stretch would otherwise never add up,
 * although the tier it keeps the stack on is the dearer one on average.
 */
import type { DesiredState, Thresholds } from '../../spec/types';
import { fargateMinuteCost, lambdaMinuteCost } from './tier-cost';

/** How long the moves take. Defaults from docs/aws-facts.md; `lambdaflex simulate` passes measured ones. */
export interface MoveDurations {
  /** ALB active (≈ 3 min), tasks running (≈ 1 min) and healthy (≈ 2.5 min with the defaults). */
  scaleUpMinutes: number;
  /** Route 53 INSYNC (≤ 1 min), TTL × 2 (2 min at 60 s) and the deregistration delay (≤ 5 min). */
  scaleDownMinutes: number;
}

export const DEFAULT_MOVE_DURATIONS: MoveDurations = { scaleUpMinutes: 6, scaleDownMinutes: 7 };

export type CostSpec = Pick<DesiredState, 'lambda' | 'fargate'>;

/** Minutes a round trip keeps the Fargate tier up beyond what serving needs. */
export function roundTripMinutes(thresholds: Thresholds, moves: MoveDurations): number {
  const minimumStay = Math.max(thresholds.cooldownMinutes, thresholds.scaleDown.forMinutes);
  return moves.scaleUpMinutes + minimumStay + moves.scaleDownMinutes;
}

/** A round trip's cost: its minutes of the idle Fargate tier (minTasks tasks, the ALB and its IPs). */
export function roundTripCost(spec: CostSpec, thresholds: Thresholds, moves: MoveDurations): number {
  return roundTripMinutes(thresholds, moves) * fargateMinuteCost(0, spec.fargate);
}

/** What Lambda charged in the burst's minutes beyond what Fargate would have (never below zero a minute). */
export function burstExtraLambdaCost(rates: readonly number[], durationMs: number, spec: CostSpec): number {
  let extra = 0;
  for (const rps of rates) {
    const lambda = lambdaMinuteCost(rps, durationMs, spec.lambda.memoryMb);
    extra += Math.max(0, lambda - fargateMinuteCost(rps, spec.fargate));
  }
  return extra;
}

/**
 * What Lambda charged in these minutes beyond what Fargate would have, signed: a minute where Fargate
 * would have cost more counts against the total.
 */
export function windowExtraLambdaCost(rates: readonly number[], durationMs: number, spec: CostSpec): number {
  let extra = 0;
  for (const rps of rates) {
    extra += lambdaMinuteCost(rps, durationMs, spec.lambda.memoryMb) - fargateMinuteCost(rps, spec.fargate);
  }
  return extra;
}

/** Whether a minute at `rps` costs less on Fargate than on Lambda (above the break-even). */
export function fargateCheaper(rps: number, durationMs: number, spec: CostSpec): boolean {
  return lambdaMinuteCost(rps, durationMs, spec.lambda.memoryMb) > fargateMinuteCost(rps, spec.fargate);
}
