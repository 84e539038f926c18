/**
 * How many workers run at once, and with how many stacks each: set from the account's API budgets. A
 * worker's passes share the account's per-service token buckets with every other worker (engine/
 * rate-limiter.ts); with `maximumConcurrency` workers, each takes that share of every bucket, so that all
 * of them together stay under what AWS allows (and the SDK's adaptive retry mode absorbs the rest).
 */
import { DEFAULT_BUCKETS, type Bucket } from '../engine/rate-limiter';
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

/** One worker's share of each account-wide bucket: capacity and refill divided by the workers at once. */
export function workerShare(
  buckets: Partial<Record<ServiceName, Bucket>> = DEFAULT_BUCKETS,
  workers: number = WORKERS.maximumConcurrency,
): Partial<Record<ServiceName, Bucket>> {
  const share: Partial<Record<ServiceName, Bucket>> = {};
  for (const [service, bucket] of Object.entries(buckets) as [ServiceName, Bucket][]) {
    share[service] = {
      capacity: Math.max(1, bucket.capacity / workers),
      refillPerSecond: bucket.refillPerSecond / workers,
    };
  }
  return share;
}
