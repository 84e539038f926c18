/**
 * A small seeded pseudo-random generator (mulberry32) whose whole state is one number, so that the
 * simulated account stays deterministic for a seed and survives save/load as plain JSON.
 */
export interface RandomState {
  state: number;
}

export function createRandomState(seed: number): RandomState {
  return { state: seed >>> 0 };
}

/** Next float in [0, 1); advances `rng` in place. */
export function nextRandom(rng: RandomState): number {
  rng.state = (rng.state + 0x6d2b79f5) >>> 0;
  let t = rng.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `length` lowercase hex digits, as in AWS ids such as vpc-0a1b2c3d4e5f67890. */
export function randomHex(rng: RandomState, length: number): string {
  let out = '';
  while (out.length < length) {
    out += Math.floor(nextRandom(rng) * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, length);
}
