/**
 * The table's shared buckets (util/turn-book.ts), each a record beside the stacks under a key no stack
 * can have (`#`, as the system record's): every reconciler of the table, whatever execution environment
 * runs it, takes its turns from the same book, as AWS counts the calls of the whole account.
 */
import type { TurnBook } from '../../util/turn-book';

/** The record key of the shared bucket `bucket` (`elbv2:resourceIntensive`). */
export function turnBookKey(bucket: string): string {
  return `#lambdaflex-turns:${bucket}`;
}

/** The book as stored (an item of the table), or undefined when there is none yet or it is not one. */
export function toTurnBook(item: Record<string, unknown> | undefined): TurnBook | undefined {
  const next = item?.['next'];
  if (typeof next !== 'number' || !Number.isFinite(next)) return undefined;
  const held: Record<string, number> = {};
  const stored = item?.['held'];
  if (stored && typeof stored === 'object') {
    for (const [holder, at] of Object.entries(stored as Record<string, unknown>))
      if (typeof at === 'number' && Number.isFinite(at)) held[holder] = at;
  }
  const used = item?.['used'] as
    { bucket?: { tokens?: unknown; updatedAt?: unknown }; upcoming?: unknown } | undefined;
  const tokens = used?.bucket?.tokens;
  const updatedAt = used?.bucket?.updatedAt;
  const upcoming = Array.isArray(used?.upcoming) ? used.upcoming.filter(isNumber) : [];
  if (!isNumber(tokens) || !isNumber(updatedAt)) return { next, held };
  return { next, held, used: { bucket: { tokens, updatedAt }, upcoming: upcoming.sort((a, b) => a - b) } };
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The book's write counter as stored (0 when there is none): every write is conditional on it. */
export function turnBookVersion(item: Record<string, unknown> | undefined): number {
  const version = item?.['turnVersion'];
  return isNumber(version) ? version : 0;
}
