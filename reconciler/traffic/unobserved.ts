/**
 * A look-up the traffic rules need that failed (throttled, 5xx, timed out) is not an absence (safety
 * rule 6): traffic stays where it was asked to be and nothing of the Fargate tier is deleted until a
 * clean look-up.
 */
import type { TrafficWeights } from '../resources/types';
import { RESOURCE_KEYS } from '../resources/keys';
import { couldNotObserve } from '../resources/named-unobserved';
import { DNS_KEYS, LEFTOVERS_KEY, weights, type Routed, type TrafficInput } from './decision';

/** What the traffic rules read; a failed look-up of one of these is not the same as its absence. */
export const WATCHED_KEYS: readonly string[] = [
  RESOURCE_KEYS.loadBalancer,
  RESOURCE_KEYS.targetGroup,
  RESOURCE_KEYS.service,
  DNS_KEYS.lambda,
  DNS_KEYS.fargate,
];

/**
 * On the way down, the records left at a name the spec dropped too: their removal is traffic leaving
 * Fargate, and a failed look-up of them is not "no records, nothing to drain". (On the way up they are
 * only deleted, never shifted: a failed look-up there holds no step.)
 */
export const WATCHED_DOWN_KEYS: readonly string[] = [...WATCHED_KEYS, LEFTOVERS_KEY];

/**
 * A throttled look-up must not read as "gone": of the ALB, its targets or a record while on the way up, that
 * would roll traffic back from healthy targets; of a record on the way down, it would start deleting the
 * Fargate tier before the record is known to be drained. Traffic stays where it is and nothing of the
 * Fargate tier is deleted until the next clean look-up.
 */
export function holdUnobserved(input: TrafficInput, observed: TrafficWeights, keys: string[]): Routed {
  const asked = input.previous?.fargateWeight ?? observed.fargate;
  const scalingUp = input.target === 'fargate';
  return {
    planTier: 'fargate',
    planResources: scalingUp ? 'all' : 'lambda-tier-and-records',
    weights: weights(asked),
    shift: input.previous ?? { fargateWeight: asked },
    phase: scalingUp
      ? asked >= 100
        ? 'Fargate'
        : 'ScalingUp'
      : input.target === 'none'
        ? 'Deleting'
        : 'ScalingDown',
    reason: `holding traffic at Fargate ${asked} %: ${couldNotObserve(keys, input.spec, input.kinds)}`,
    observed,
  };
}
