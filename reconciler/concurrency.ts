/**
 * How much of the reconciler's work runs at once, and the one helper that bounds it (p-limit): stacks in
 * an execution environment (reconcile-all.ts), finders and steps within one stack's pass (engine/).
 */
import pLimit from 'p-limit';

/** Stacks one execution environment reconciles at once (LAMBDAFLEX_PARALLELISM when bootstrap sets none). */
export const DEFAULT_PARALLELISM = 8;

/** Finders or plan steps of one stack's pass running at once. */
export const DEFAULT_CONCURRENCY = 4;

export type Limit = pLimit.Limit;

/** A function that runs what it is given with at most `n` (at least 1) running at once. */
export function concurrencyLimit(n: number): Limit {
  return pLimit(Math.max(1, Math.floor(n) || 1));
}
