/**
 * Client-side token buckets per AWS service (docs/aws-facts.md "API rate limits"), so that a pass over many
 * stacks stays under what AWS allows instead of collecting Throttling errors. Time and sleep are injected.
 */
import type { ServiceName } from '../aws/clients';
import { fullBucket, takeToken, type Bucket, type BucketState } from './token-bucket';

export type { Bucket } from './token-bucket';

/** Mutating calls are the scarce ones; these are AWS's published or observed numbers, rounded down. */
export const DEFAULT_BUCKETS: Partial<Record<ServiceName, Bucket>> = {
  ec2: { capacity: 50, refillPerSecond: 5 },
  elbv2: { capacity: 40, refillPerSecond: 10 },
  ecs: { capacity: 50, refillPerSecond: 20 },
  route53: { capacity: 50, refillPerSecond: 5 },
  apigatewayv2: { capacity: 10, refillPerSecond: 1 },
  iam: { capacity: 20, refillPerSecond: 5 },
};

export class RateLimiter {
  private readonly tokens = new Map<ServiceName, BucketState>();

  constructor(
    private readonly buckets: Partial<Record<ServiceName, Bucket>> = DEFAULT_BUCKETS,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits until a call to `service` is allowed, then takes its token. */
  async take(service: ServiceName): Promise<void> {
    const bucket = this.buckets[service];
    if (!bucket) return;
    for (;;) {
      const now = this.clock();
      const state = this.tokens.get(service) ?? fullBucket(bucket, now);
      this.tokens.set(service, state);
      const wait = takeToken(state, bucket, now);
      if (wait === 0) return;
      await this.sleep(wait);
    }
  }
}
