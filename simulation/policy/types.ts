/** Shapes shared by the cost model, the baselines and the oracle of the cost simulation. */
import type { DesiredState } from '../../spec/types';

/** What the cost model needs of a spec: the sizes (a whole DesiredState fits). */
export type PolicySpec = Pick<DesiredState, 'lambda' | 'fargate'>;

/** The phases a schedule moves through, as the reconciler names them. */
export type PolicyPhase = 'Lambda' | 'ScalingUp' | 'Fargate' | 'ScalingDown';

/**
 * What runs and bills in a minute: `both` is a move in either direction, when the Fargate tier's
 * infrastructure is up (idle, at minTasks) while Lambda still serves every request.
 */
export type TierState = 'lambda' | 'fargate' | 'both';

export interface CostByTier {
  lambda: number;
  fargate: number;
  total: number;
}

export interface PolicyResult {
  /** USD over the whole trace. */
  cost: number;
  costByTier: CostByTier;
  /** Minutes in which the serving tier could not take the load (see `sloViolated`). */
  sloViolationMinutes: number;
  /** The phase of every minute of the trace. */
  schedule: PolicyPhase[];
}

export interface PolicyOptions {
  /** Lambda's concurrency limit; defaults to the spec's reservedConcurrency, else 1000. */
  lambdaConcurrencyLimit?: number;
}
