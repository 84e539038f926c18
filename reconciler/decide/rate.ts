/**
 * The stack's request rate per minute, from both tiers, without ever reading a gap as zero.
 *
 * A minute's rate is known only when every tier that carries traffic reported its count: with traffic on
 * Fargate, an API Gateway count alone would read the load as nearly nothing (the seed project's bug).
 * A tier that carries no traffic may be silent; a count it does report (stragglers, cached DNS) is added.
 */
import type { Phase } from '../state/types';
import type { MinuteSample } from './metrics';

const SECONDS_PER_MINUTE = 60;

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
 * ALB requests in the minute. CloudWatch omits a zero RequestCount, but an ALB that reported its
 * HealthyHostCount for the minute was measured, so its silence on requests means none came.
 */
function albRequests(sample: MinuteSample): number | undefined {
  if (sample.albRequests !== undefined) return sample.albRequests;
  return sample.healthyHosts !== undefined ? 0 : undefined;
}

/** Requests per second in the minute, or undefined when a carrying tier did not report. */
export function requestRate(sample: MinuteSample | undefined, carriers: TrafficCarriers): number | undefined {
  if (!sample) return undefined;
  const api = sample.apiRequests;
  const alb = albRequests(sample);
  if (carriers.lambda && api === undefined) return undefined;
  if (carriers.fargate && alb === undefined) return undefined;
  if (api === undefined && alb === undefined) return undefined;
  return ((api ?? 0) + (alb ?? 0)) / SECONDS_PER_MINUTE;
}
