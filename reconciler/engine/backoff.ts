/**
 * Backoff with jitter for retryable AWS errors. Kept in the status (RetryState) because a Lambda forgets
 * everything between passes. "Equal jitter": half the exponential delay fixed, half random, so that many
 * stacks failing together do not retry together, yet no retry comes back at once.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function backoffDelay(attempts: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 5_000;
  const max = options.maxMs ?? 300_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
