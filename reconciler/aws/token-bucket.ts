/**
 * The token-bucket arithmetic of the reconciler's call budget (rate-budget.ts, per service and kind of
 * call): refill by the time passed, take one token, or say how long until one is there. Pure: the caller
 * keeps the state and does the waiting.
 */
export interface Bucket {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

/** A full bucket, as every bucket starts. */
export function fullBucket(bucket: Bucket, now: number): BucketState {
  return { tokens: bucket.capacity, at: now };
}

/** Refills `state` to `now` and takes a token: 0 when taken, else the ms to wait before trying again. */
export function takeToken(state: BucketState, bucket: Bucket, now: number): number {
  state.tokens = Math.min(bucket.capacity, state.tokens + ((now - state.at) / 1000) * bucket.refillPerSecond);
  state.at = now;
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return 0;
  }
  return Math.ceil(((1 - state.tokens) / bucket.refillPerSecond) * 1000);
}
