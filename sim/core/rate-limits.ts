/**
 * Token buckets on the virtual clock (AWS-FACTS.md "API rate limits"): `capacity` tokens, refilled at
 * `refillPerSecond`. State is plain JSON so the account can be saved.
 */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** Takes one token at `now`; false when the bucket is empty (the call is throttled). */
export function takeToken(spec: BucketSpec, state: BucketState, now: number): boolean {
  const elapsedSeconds = Math.max(0, now - state.updatedAt) / 1000;
  state.tokens = Math.min(spec.capacity, state.tokens + elapsedSeconds * spec.refillPerSecond);
  state.updatedAt = now;
  if (state.tokens < 1) return false;
  state.tokens -= 1;
  return true;
}

export function fullBucket(spec: BucketSpec, now: number): BucketState {
  return { tokens: spec.capacity, updatedAt: now };
}
