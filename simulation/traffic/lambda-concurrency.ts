/**
 * Lambda's concurrency limits: a function with reserved concurrency gets at most that; the others share
 * what the account limit leaves (default 1,000, docs/aws-facts.md). Demand beyond is throttled.
 */
export interface ConcurrencyDemand {
  key: string;
  /** Concurrent executions wanted: requests per second × duration in seconds. */
  demand: number;
  reserved?: number;
}

/** Concurrency each function gets, by key. */
export function allocateConcurrency(
  demands: ConcurrencyDemand[],
  accountLimit: number,
  reservedInAccount: number,
): Map<string, number> {
  const allowed = new Map<string, number>();
  const pool = Math.max(0, accountLimit - reservedInAccount);
  const unreserved = demands.filter((d) => d.reserved === undefined);
  const unreservedDemand = unreserved.reduce((sum, d) => sum + d.demand, 0);
  const factor = unreservedDemand > pool ? pool / unreservedDemand : 1;
  for (const d of demands) {
    allowed.set(d.key, d.reserved === undefined ? d.demand * factor : Math.min(d.demand, d.reserved));
  }
  return allowed;
}
