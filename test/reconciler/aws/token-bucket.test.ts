import { fullBucket, takeToken } from '../../../reconciler/aws/token-bucket';

describe('takeToken', () => {
  const bucket = { capacity: 2, refillPerSecond: 4 };

  it('takes from a full bucket until it is empty, then says how long until the next token', () => {
    const state = fullBucket(bucket, 1_000);
    expect(takeToken(state, bucket, 1_000)).toBe(0);
    expect(takeToken(state, bucket, 1_000)).toBe(0);
    // Empty: one token at 4 per second is 250 ms away.
    expect(takeToken(state, bucket, 1_000)).toBe(250);
    expect(state.tokens).toBe(0);
  });

  it('refills by the time passed, never beyond the capacity', () => {
    const state = { tokens: 0, at: 0 };
    expect(takeToken(state, bucket, 100)).toBe(150);
    expect(takeToken(state, bucket, 250)).toBe(0);
    expect(takeToken(state, bucket, 60_000)).toBe(0);
    expect(state.tokens).toBe(1);
  });
});
