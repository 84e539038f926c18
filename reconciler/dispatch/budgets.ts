/**
 * How many workers run at once, and with how many stacks each: set from the account's API budgets. A
 * worker's calls share the account's per-service budget (aws/rate-budget.ts) with every other worker and
 * the dispatcher: each execution environment takes an equal share, so that all of them together stay
 * under what AWS allows (and the SDK's adaptive retry mode absorbs the rest).
 */
import { ACCOUNT_BUDGETS, shareOf, type ServiceBudget } from '../aws/rate-budget';
import type { ServiceName } from '../aws/clients';

export const WORKERS = {
  /**
   * Stacks per worker invocation (at most 10 for a FIFO queue): a pass spends most of its time waiting
   * on AWS, so a few at once use the invocation well.
   */
  batchSize: 5,
  /** Worker invocations at once (the event source mapping's MaximumConcurrency, 2–1000). */
  maximumConcurrency: 10,
} as const;

/** The dispatcher's stream mapping: a failing batch is split and retried this often, then skipped. */
export const STREAM_RETRY_ATTEMPTS = 5;

/**
 * One execution environment's share of the account's API budget: the workers that may run at once, and
 * the dispatcher beside them.
 */
export function environmentShare(
  budgets: Partial<Record<ServiceName, ServiceBudget>> = ACCOUNT_BUDGETS,
  workers: number = WORKERS.maximumConcurrency,
): Partial<Record<ServiceName, ServiceBudget>> {
  return shareOf(budgets, workers + 1);
}
