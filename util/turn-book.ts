/**
 * A token bucket shared by callers that keep no memory of each other (Lambda's execution environments),
 * kept as one small record they all read and write (the state store's, reconciler/state/): each caller
 * is given its turn, the instant at which its call fits the bucket, instead of a token now or nothing.
 * Pure: the store keeps the book and writes it conditionally, the caller does the waiting.
 *
 * The turns are those of a token bucket of `capacity` and `refillPerSecond` (a generic cell rate
 * algorithm: `next` is the instant the bucket would be full again if nobody called): a book nobody used
 * gives `capacity` turns at once, then one every 1 / `refillPerSecond` s. A caller whose turn is further
 * than it will wait keeps it (`held`, by its name) and comes back for it: a turn is never handed out twice,
 * and callers that come back are not all told the same instant.
 */
import type { TokenBucketSize } from './token-bucket';

export interface TurnBook {
  /** Epoch ms at which the bucket is full again, every turn handed out so far counted. */
  next: number;
  /** Turns handed out and not used yet: the holder's name → its epoch ms. */
  held: Record<string, number>;
}

export interface Turn {
  /** Epoch ms from which the call fits the bucket. */
  at: number;
  /** True: the turn is used now (the caller waits until `at`, then calls). False: it is kept for the holder. */
  go: boolean;
}

/**
 * How long a held turn is kept after its instant: a holder that has not come back by then no longer
 * needs it (its stack was deleted, or made otherwise), and its token is gone.
 */
export const HELD_TURN_KEPT_MS = 15 * 60_000;

/**
 * `holder`'s turn in `book` (undefined: nobody used it), at `now`: the one it holds, or a new one. Used now
 * when it comes within `maxWaitMs`, kept for the holder otherwise. The book to write back, and whether it
 * changed (a holder told again of the turn it holds changes nothing).
 */
export function claimTurn(
  book: TurnBook | undefined,
  size: TokenBucketSize,
  holder: string,
  now: number,
  maxWaitMs: number,
): { turn: Turn; book: TurnBook; changed: boolean } {
  const held: Record<string, number> = {};
  for (const [name, at] of Object.entries(book?.held ?? {}))
    if (at + HELD_TURN_KEPT_MS > now) held[name] = at;
  const dropped = Object.keys(book?.held ?? {}).length !== Object.keys(held).length;
  const next = book?.next ?? now;
  const mine = held[holder];
  if (mine !== undefined) {
    const go = mine <= now + maxWaitMs;
    if (go) delete held[holder];
    return { turn: { at: mine, go }, book: { next, held }, changed: go || dropped };
  }
  const interval = 1000 / size.refillPerSecond;
  const burst = (size.capacity - 1) * interval;
  const at = Math.max(now, next - burst);
  const go = at <= now + maxWaitMs;
  if (!go) held[holder] = at;
  return { turn: { at, go }, book: { next: Math.max(next, now) + interval, held }, changed: true };
}
