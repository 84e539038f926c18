/** The two policies without decisions: the stack stays on one tier all day. */
import type { Trace } from '../traffic/types';
import { TIER_STATE_OF_PHASE, minuteCost, sloViolated } from './cost';
import type { PolicyOptions, PolicyPhase, PolicyResult, PolicySpec } from './types';

/** Prices a schedule minute by minute (the oracle sums in the same order, so equal paths cost equal). */
export function priceSchedule(
  trace: Trace,
  schedule: readonly PolicyPhase[],
  spec: PolicySpec,
  options: PolicyOptions = {},
): PolicyResult {
  const costByTier = { lambda: 0, fargate: 0, total: 0 };
  let sloViolationMinutes = 0;
  trace.rows.forEach((row, i) => {
    const state = TIER_STATE_OF_PHASE[schedule[i] ?? 'Lambda'];
    const cost = minuteCost(state, row.rps, row.durationMs, spec);
    costByTier.lambda += cost.lambda;
    costByTier.fargate += cost.fargate;
    costByTier.total += cost.total;
    if (sloViolated(state, row.rps, row.durationMs, spec, options)) sloViolationMinutes++;
  });
  return { cost: costByTier.total, costByTier, sloViolationMinutes, schedule: [...schedule] };
}

export function alwaysLambda(trace: Trace, spec: PolicySpec, options: PolicyOptions = {}): PolicyResult {
  return priceSchedule(
    trace,
    trace.rows.map(() => 'Lambda'),
    spec,
    options,
  );
}

/** The Fargate tier up all day, sized by its auto scaling (the Lambda tier stays up, idle and free). */
export function alwaysFargate(trace: Trace, spec: PolicySpec, options: PolicyOptions = {}): PolicyResult {
  return priceSchedule(
    trace,
    trace.rows.map(() => 'Fargate'),
    spec,
    options,
  );
}
