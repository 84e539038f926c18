/**
 * The tiers' names the deciders share, defined once: reasons name the tiers the same way everywhere.
 * (Time units are util/time.ts's, so that every minute is cut the same way.)
 */
import type { Tier } from '../../spec/types';
import type { Phase } from '../state/types';

/** How reasons write a tier's name. */
export const TIER_NAME: Readonly<Record<Tier, string>> = { lambda: 'Lambda', fargate: 'Fargate' };

/** The tier a phase serves from: on the way up and at Fargate, Fargate; otherwise Lambda. */
export function tierOfPhase(phase: Phase): Tier {
  return phase === 'ScalingUp' || phase === 'Fargate' ? 'fargate' : 'lambda';
}
