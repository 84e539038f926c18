/**
 * The token-bucket arithmetic both the reconciler's call budget and the simulated account use
 * (util/token-bucket.ts): burst, refill, the wait it announces, and its state's saved shape.
 */
import { fullBucket, takeToken } from '../../util/token-bucket';

describe('takeToken', () => {
  const bucket = { capacity: 2, refillPerSecond: 4 };

  it('takes from a full bucket until it is empty, then says how long until the next token', () => {
    const state = fullBucket(bucket, 1_000);
    expect(takeToken(state, bucket, 1_000)).toBe(0);
    expect(takeToken(state, bucket, 1_000)).toBe(0);
    // Empty: one token at 4 per second is 250 ms away, and nothing was taken.
    expect(takeToken(state, bucket, 1_000)).toBe(250);
    expect(state).toEqual({ tokens: 0, updatedAt: 1_000 });
  });

  it('gives the token after the wait it announced, not before', () => {
    const state = { tokens: 0, updatedAt: 0 };
    expect(takeToken(state, bucket, 100)).toBe(150);
    expect(takeToken(state, bucket, 200)).toBe(50);
    expect(takeToken(state, bucket, 250)).toBe(0);
    expect(state.tokens).toBeCloseTo(0, 9);
  });

  it('lets a caller that waits as told take the burst at once, then one token per refill interval', () => {
    const state = fullBucket(bucket, 0);
    const takenAt: number[] = [];
    let now = 0;
    while (takenAt.length < 7) {
      const wait = takeToken(state, bucket, now);
      if (wait === 0) takenAt.push(now);
      now += wait;
    }
    expect(takenAt).toEqual([0, 0, 250, 500, 750, 1_000, 1_250]);
  });

  it('refills by the time passed, never beyond the capacity (the burst)', () => {
    const state = { tokens: 0, updatedAt: 0 };
    // A minute idle is 240 tokens' worth of refill; the bucket holds two.
    expect(takeToken(state, bucket, 60_000)).toBe(0);
    expect(state.tokens).toBe(1);
    expect(takeToken(state, bucket, 60_000)).toBe(0);
    expect(takeToken(state, bucket, 60_000)).toBe(250);
  });

  it('refills nothing when the clock went back', () => {
    const state = { tokens: 0.5, updatedAt: 10_000 };
    expect(takeToken(state, bucket, 5_000)).toBe(125);
    expect(state.tokens).toBe(0.5);
  });

  it('keeps its state as plain JSON, in the shape the simulated account saves', () => {
    const state = fullBucket(bucket, 0);
    takeToken(state, bucket, 0);
    const saved = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(saved).toEqual({ tokens: 1, updatedAt: 0 });
    expect(takeToken(saved, bucket, 0)).toBe(0);
    expect(takeToken(saved, bucket, 0)).toBe(250);
  });
});
