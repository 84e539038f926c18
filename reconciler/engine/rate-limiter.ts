/**
 * Client-side token buckets per AWS service (docs/aws-facts.md "API rate limits"), so that a pass over many
 * stacks stays under what AWS allows instead of collecting Throttling errors. Time and sleep are injected.
 */
import type { ServiceName } from '../aws/clients';

export interface Bucket {
  capacity: number;
  refillPerSecond: number;
}

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
  private readonly tokens = new Map<ServiceName, { tokens: number; at: number }>();

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
      const state = this.tokens.get(service) ?? { tokens: bucket.capacity, at: now };
      state.tokens = Math.min(
        bucket.capacity,
        state.tokens + ((now - state.at) / 1000) * bucket.refillPerSecond,
      );
      state.at = now;
      this.tokens.set(service, state);
      if (state.tokens >= 1) {
        state.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - state.tokens) / bucket.refillPerSecond) * 1000));
    }
  }
}
