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
import {
  fullBucket,
  takeToken,
  tokenWait,
  type TokenBucketSize,
  type TokenBucketState,
} from './token-bucket';

export interface TurnBook {
  /** Epoch ms at which the bucket is full again, every turn handed out so far counted. */
  next: number;
  /** Turns handed out and not used yet: the holder's name → its epoch ms. */
  held: Record<string, number>;
  /**
   * The bucket as the calls made in their turns left it, at `used.updatedAt`, and the instants of the
   * calls told to go after it (each caller waits until its own, at most its `maxWaitMs`). A holder that
   * comes back late for its turn calls when the bucket has a token again for it, not at once: holders
   * that came back late together called together, beyond what the turns used on time before them had
   * left, and AWS throttled them (30 of 300 stacks' ALBs).
   */
  used?: { bucket: TokenBucketState; upcoming: number[] };
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
  const read = book;
  book = withinReach(book, size, now);
  const held: Record<string, number> = {};
  for (const [name, at] of Object.entries(book?.held ?? {}))
    if (at + HELD_TURN_KEPT_MS > now) held[name] = at;
  const dropped = Object.keys(book?.held ?? {}).length !== Object.keys(held).length;
  let next = book?.next ?? now;
  const mine = held[holder];
  // Its turn: the one it holds, or the next one (counted in `next`, whether used now or kept).
  const interval = 1000 / size.refillPerSecond;
  const turnAt = mine ?? Math.max(now, next - (size.capacity - 1) * interval);
  if (mine === undefined) next = Math.max(next, now) + interval;
  const used = usedUntil(book?.used, size, now);
  // A turn whose time has come and whose holder is not back: a caller that is there takes it, and the
  // holder gets the caller's turn instead. The bucket does not idle while the holders of its turns wait
  // for a worker (a 300-stack fleet's first passes fill the queue for minutes).
  const late = mine === undefined ? lateHolder(held, now) : undefined;
  if (late !== undefined) {
    const at = firstFitting(used, size, now);
    if (at <= now + maxWaitMs) {
      held[late] = turnAt;
      const upcoming = [...used.upcoming, at].sort((a, b) => a - b);
      return { turn: { at, go: true }, book: { next, held, used: { ...used, upcoming } }, changed: true };
    }
  }
  // When it may call: at its turn, or later when the calls already told to go leave it no token then.
  const at = firstFitting(used, size, Math.max(now, turnAt));
  const go = at <= now + maxWaitMs;
  if (go) {
    delete held[holder];
    const upcoming = [...used.upcoming, at].sort((a, b) => a - b);
    return { turn: { at, go }, book: { next, held, used: { ...used, upcoming } }, changed: true };
  }
  held[holder] = turnAt;
  return {
    turn: { at, go },
    book: { next, held, used },
    changed: mine === undefined || dropped || used !== book?.used || book !== read,
  };
}

/**
 * The book as a caller at `now` can take it. Every environment writes it on its own wall clock, and one
 * whose clock is ahead writes instants further out than the turns handed out can reach: a day ahead, its
 * `next` kept every other environment's stacks from CreateLoadBalancer for a day. Turns come one a refill
 * interval after the burst, so nothing in the book is further from `now` than its turns to come and a
 * burst of intervals: a held turn, a call told to go or the bucket's refill dated beyond that is taken as
 * now, and `next` as a burst of intervals after the last turn to come. A clock behind sees some turns due
 * early (calls AWS may throttle, which the SDK retries), never a book stopped.
 */
export function withinReach(
  book: TurnBook | undefined,
  size: TokenBucketSize,
  now: number,
): TurnBook | undefined {
  if (!book) return book;
  const interval = 1000 / size.refillPerSecond;
  const instants = [...Object.values(book.held), ...(book.used?.upcoming ?? [])];
  const reach = now + (instants.filter((at) => at > now).length + size.capacity) * interval;
  const fix = (at: number) => (at > reach ? now : at);
  const held = Object.fromEntries(Object.entries(book.held).map(([name, at]) => [name, fix(at)]));
  const used = book.used && {
    bucket: { ...book.used.bucket, updatedAt: fix(book.used.bucket.updatedAt) },
    upcoming: book.used.upcoming.map(fix).sort((a, b) => a - b),
  };
  const last = Math.max(now, ...Object.values(held), ...(used?.upcoming ?? []));
  const next = Math.min(book.next, last + size.capacity * interval);
  const beyond =
    next !== book.next ||
    instants.some((at) => at > reach) ||
    used?.bucket.updatedAt !== book.used?.bucket.updatedAt;
  return beyond ? { next, held, ...(used ? { used } : {}) } : book;
}

/** The holder of the earliest turn whose time has come, if it has not come back for it. */
function lateHolder(held: Record<string, number>, now: number): string | undefined {
  let late: [string, number] | undefined;
  for (const [name, at] of Object.entries(held)) if (at <= now && (!late || at < late[1])) late = [name, at];
  return late?.[0];
}

/** `used` with the calls made by `now` taken from its bucket (a fresh, full bucket when there is none). */
function usedUntil(
  used: TurnBook['used'],
  size: TokenBucketSize,
  now: number,
): NonNullable<TurnBook['used']> {
  if (!used) return { bucket: fullBucket(size, now), upcoming: [] };
  if (!used.upcoming.some((at) => at <= now)) return used;
  const bucket = { ...used.bucket };
  for (const at of used.upcoming.filter((a) => a <= now)) takeToken(bucket, size, at);
  return { bucket, upcoming: used.upcoming.filter((a) => a > now) };
}

/** Steps in which a later instant is tried when the calls told to go leave no token at an earlier one. */
const FIT_STEP_MS = 100;

/**
 * The first instant from `from` at which one more call leaves every call told to go a token at its own
 * instant, the bucket refilling in between.
 */
function firstFitting(used: NonNullable<TurnBook['used']>, size: TokenBucketSize, from: number): number {
  const fits = (at: number) => {
    const bucket = { ...used.bucket };
    for (const instant of [...used.upcoming, at].sort((a, b) => a - b))
      if (tokenWait(bucket, size, instant) > 0 || takeToken(bucket, size, instant) > 0) return false;
    return true;
  };
  // Fits at the latest once every call told to go is made and a token has come back after the last.
  const last = Math.max(from, used.bucket.updatedAt, ...used.upcoming) + 1000 / size.refillPerSecond;
  let at = from;
  while (at < last && !fits(at)) at += FIT_STEP_MS;
  return Math.min(at, last);
}
