/**
 * The cost simulation's yardsticks, pure and independent of the simulated AWS: the per-minute
 * cost model, the always-Lambda and always-Fargate baselines, and the offline-optimal oracle.
 */
export { minuteCost, sloViolated, lambdaConcurrencyLimit, TIER_STATE_OF_PHASE } from './cost';
export { alwaysLambda, alwaysFargate, priceSchedule } from './baselines';
export { oracle, scheduleTransitions, type MoveMinutes } from './oracle';
export type { CostByTier, PolicyOptions, PolicyPhase, PolicyResult, PolicySpec, TierState } from './types';
