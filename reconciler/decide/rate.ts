/**
 * The stack's request rate per minute, from both tiers, without ever reading a gap as zero.
 *
 * A minute's rate is known only when every tier that carried traffic in that minute reported its count:
 * with traffic on Fargate, an API Gateway count alone would read the load as nearly nothing (the seed
 * project's bug). A tier that carried no traffic may be silent; a count it does report (stragglers,
 * cached DNS) is added.
 */
import type { Tier } from '../../spec/types';
import type { Phase } from '../state/types';
import type { MinuteSample } from './metrics';
import { SECONDS_PER_MINUTE } from '../../util/time';

/** Which tiers receive requests: Route 53's weights when observed, else what the phase implies. */
export interface TrafficCarriers {
  lambda: boolean;
  fargate: boolean;
}

export function carriersFor(phase: Phase, weights?: { lambda: number; fargate: number }): TrafficCarriers {
  if (weights && (weights.lambda > 0 || weights.fargate > 0)) {
    return { lambda: weights.lambda > 0, fargate: weights.fargate > 0 };
  }
  // Without observed weights: traffic reaches Fargate only once the stack is there; during ScalingUp
  // it may already be shifting, so both counts are required then (missing data keeps the tier).
  if (phase === 'Fargate') return { lambda: false, fargate: true };
  if (phase === 'ScalingUp') return { lambda: true, fargate: true };
  return { lambda: true, fargate: false };
}

/**
 * Without `dns` there is no weight: clients call the API's URL or the ALB's as they choose, whatever the
 * phase (the Lambda tier stays up and reachable on Fargate too). No count is required, and a minute's
 * rate is whatever both tiers counted; it is missing only when neither reported.
 */
export const UNWEIGHTED_CARRIERS: TrafficCarriers = { lambda: false, fargate: false };

/**
 * The carriers of each minute while a move is under way (ScalingUp, ScalingDown). Route 53's weights are
 * observed now, and they moved only after the transition auto mode asked for: a minute at or before it
 * was carried by the tier the stack was leaving. Without this, the minutes just before a scale-down,
 * served by Fargate alone, would need API Gateway's count (Lambda's new weight) and read as missing:
 * "no request rate" while traffic flows.
 *
 * After a scale-down's transition, resolvers follow the new weights only as their cached answers expire
 * (the TTL, after Route 53 is in sync): for a minute or two Lambda may get nothing while Fargate serves
 * all. Neither count is required then, and the minute is read from whichever came; the ALB, measured
 * every minute while it exists, reads as zero when silent. (A low reading there only keeps the stack on
 * its way to Lambda; a rise still shows in the counts that come.) In a settled phase, and after a
 * scale-up's transition (Lambda keeps serving until the shift ends), every minute has the carriers of now.
 *
 * @example
 * const at = carriersByMinute({ lambda: true, fargate: false }, 'ScalingDown', { minute: 175, from: 'fargate' });
 * at(175); // { lambda: false, fargate: true }
 * at(176); // { lambda: false, fargate: false }: whichever reported
 */
export function carriersByMinute(
  current: TrafficCarriers,
  phase: Phase,
  lastTransition: { minute: number; from: Tier } | undefined,
): (minute: number) => TrafficCarriers {
  const moving = phase === 'ScalingUp' || phase === 'ScalingDown';
  if (!moving || !lastTransition) return () => current;
  const before = { lambda: lastTransition.from === 'lambda', fargate: lastTransition.from === 'fargate' };
  const leavingFargate = phase === 'ScalingDown' && lastTransition.from === 'fargate';
  const after = leavingFargate ? { lambda: false, fargate: false } : current;
  return (minute) => (minute <= lastTransition.minute ? before : after);
}

/**
 * ALB requests in the minute. CloudWatch omits a zero RequestCount, but an ALB that reported its
 * HealthyHostCount for the minute was measured, so its silence on requests means none came.
 */
function albRequests(sample: MinuteSample): number | undefined {
  if (sample.albRequests !== undefined) return sample.albRequests;
  return sample.healthyHosts !== undefined ? 0 : undefined;
}

/**
 * Requests per second in the minute, or undefined when a carrying tier did not report, or no tier did
 * (with no carrier required, whichever reported counts).
 */
export function requestRate(sample: MinuteSample | undefined, carriers: TrafficCarriers): number | undefined {
  if (!sample) return undefined;
  const api = sample.apiRequests;
  const alb = albRequests(sample);
  if (carriers.lambda && api === undefined) return undefined;
  if (carriers.fargate && alb === undefined) return undefined;
  if (api === undefined && alb === undefined) return undefined;
  return ((api ?? 0) + (alb ?? 0)) / SECONDS_PER_MINUTE;
}

/**
 * Why the minute has no rate: the counts its carriers did not report, by their CloudWatch names (none
 * when it has a rate).
 */
export function missingCounts(sample: MinuteSample | undefined, carriers: TrafficCarriers): string[] {
  if (requestRate(sample, carriers) !== undefined) return [];
  const missing: string[] = [];
  // With no carrier required, the minute lacks both counts.
  const either = !carriers.lambda && !carriers.fargate;
  if ((carriers.lambda || either) && sample?.apiRequests === undefined)
    missing.push("API Gateway's Count (Lambda)");
  if ((carriers.fargate || either) && (!sample || albRequests(sample) === undefined))
    missing.push("the ALB's RequestCount (Fargate)");
  return missing;
}
