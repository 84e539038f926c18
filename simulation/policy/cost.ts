/**
 * The cost model of the cost simulation (docs/aws-facts.md prices), independent of the simulated AWS: what a
 * minute costs in each tier state, and whether it breaks the SLO. The per-tier arithmetic is the one the
 * auto decider weighs with (reconciler/decide/tier-cost.ts), so the policy and its yardstick agree.
 */
import { fargateMinuteCost, lambdaMinuteCost } from '../../reconciler/decide/tier-cost';
import type { CostByTier, PolicyOptions, PolicyPhase, PolicySpec, TierState } from './types';

/** AWS's default regional Lambda concurrency (docs/aws-facts.md). */
export const DEFAULT_LAMBDA_CONCURRENCY_LIMIT = 1000;

export const TIER_STATE_OF_PHASE: Record<PolicyPhase, TierState> = {
  Lambda: 'lambda',
  ScalingUp: 'both',
  Fargate: 'fargate',
  ScalingDown: 'both',
};

/**
 * One minute's cost at `rps` requests per second of `durationMs` each.
 *
 * @example
 * minuteCost('lambda', 10, 100, spec).total; // 600 requests × 2.0333e-6 $ ≈ 0.00122 $
 */
export function minuteCost(
  tierState: TierState,
  rps: number,
  durationMs: number,
  spec: PolicySpec,
): CostByTier {
  const lambda = tierState === 'fargate' ? 0 : lambdaMinuteCost(rps, durationMs, spec.lambda.memoryMb);
  const fargate =
    tierState === 'lambda' ? 0 : fargateMinuteCost(tierState === 'both' ? 0 : rps, spec.fargate);
  return { lambda, fargate, total: lambda + fargate };
}

export function lambdaConcurrencyLimit(spec: PolicySpec, options: PolicyOptions = {}): number {
  return (
    options.lambdaConcurrencyLimit ?? spec.lambda.reservedConcurrency ?? DEFAULT_LAMBDA_CONCURRENCY_LIMIT
  );
}

/**
 * Whether the serving tier is overrun in the minute: Lambda (serving alone or during a move) needs more
 * concurrent executions (rps × duration) than its limit, or Fargate gets more than its largest fleet
 * takes (maxTasks × targetRequestsPerTask).
 */
export function sloViolated(
  tierState: TierState,
  rps: number,
  durationMs: number,
  spec: PolicySpec,
  options: PolicyOptions = {},
): boolean {
  if (tierState === 'fargate') return rps > spec.fargate.maxTasks * spec.fargate.targetRequestsPerTask;
  return (rps * durationMs) / 1000 > lambdaConcurrencyLimit(spec, options);
}
