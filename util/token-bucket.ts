/**
 * Token-bucket arithmetic, written once for both sides that need it: the reconciler's call budget, which
 * waits for a token before each call (reconciler/aws/rate-budget.ts), and the simulated account, which
 * throttles a call that finds its bucket empty (aws-sim/core/account.ts). Pure: the caller keeps the
 * state and does the waiting.
 *
 * The state is plain JSON, `{ tokens, updatedAt }`: the simulated account saves its buckets in that shape
 * (`.lambdaflex/sim.json`), so accounts saved before the arithmetic moved here load as they are.
 */

/** A bucket's size: `capacity` tokens at most (the burst), refilled at `refillPerSecond` (the sustained rate). */
export interface TokenBucketSize {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface TokenBucketState {
  tokens: number;
  /** Epoch ms of the last refill. */
  updatedAt: number;
}

/** A full bucket, as every bucket starts. */
export function fullBucket(size: TokenBucketSize, now: number): TokenBucketState {
  return { tokens: size.capacity, updatedAt: now };
}

/**
 * Refills `state` to `now` (never beyond the capacity) and takes one token: 0 when taken, else the ms
 * until one is there (nothing taken). A clock that went back refills nothing.
 */
export function takeToken(state: TokenBucketState, size: TokenBucketSize, now: number): number {
  const wait = tokenWait(state, size, now);
  if (wait === 0) state.tokens -= 1;
  return wait;
}

/**
 * Refills `state` to `now` and tells, without taking one, the ms until it holds a token: 0 when it does.
 * For a call that takes a token from several buckets at once: it takes none unless each has one.
 */
export function tokenWait(state: TokenBucketState, size: TokenBucketSize, now: number): number {
  const elapsedSeconds = Math.max(0, now - state.updatedAt) / 1000;
  state.tokens = Math.min(size.capacity, state.tokens + elapsedSeconds * size.refillPerSecond);
  state.updatedAt = now;
  return state.tokens >= 1 ? 0 : Math.ceil(((1 - state.tokens) / size.refillPerSecond) * 1000);
}
