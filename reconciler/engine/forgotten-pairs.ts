/**
 * The resources a stack forgot after their not-found window, by key: each as its `{id, nonce}` pair (and,
 * where the id is a name, what AWS gave that resource alone: a role's RoleId), so that one seen again with
 * all of them is taken back, and anything else carrying the nonce is reported as a copy of its tags
 * (docs/ownership.md, "Forgotten, then seen again"). Part of the ownership ledger (engine/ownership.ts),
 * kept in the record's bookkeeping.
 */
import { TAG_NONCE } from '../../spec';
import type { ForgottenResource } from '../state/bookkeeping';

/**
 * How many forgotten `{id, nonce}` pairs a key remembers, newest kept: a key forgotten more often than
 * that is being deleted behind the stack's back again and again, and its older resources are gone.
 */
export const FORGOTTEN_KEPT = 3;

/**
 * How long a forgotten pair is remembered. A finder that misses an existing resource does so for minutes
 * (a lagging replica, a throttled look-up whose retries are spent, a page lost); one missed for a week is
 * gone (deleted behind the stack's back: why it is usually missed). The pair proves only its own id,
 * which AWS gives no other resource (or, where the id is a name, with what AWS gave that resource alone),
 * so keeping it is no risk to anyone's resource: the bound keeps the record small. Past it, a resource
 * showing again is reported as a copy and left alone (safe, not cheap).
 */
export const FORGOTTEN_MEMORY_MS = 7 * 24 * 60 * 60_000;

type Pairs = Record<string, ForgottenResource[]>;

export class ForgottenPairs {
  private readonly pairs: Pairs;

  /** From the record's bookkeeping, which may have been edited by hand: what is not a pair is dropped. */
  constructor(stored: unknown) {
    this.pairs = validPairs(stored);
  }

  /** The ids forgotten for `key`. */
  ids(key: string): string[] {
    return (this.pairs[key] ?? []).map((pair) => pair.id);
  }

  /** The pair forgotten for `key` at `id`, if any. */
  at(key: string, id: string): ForgottenResource | undefined {
    return (this.pairs[key] ?? []).find((pair) => pair.id === id);
  }

  /**
   * The pair this resource matches, id and nonce both (and the unique id kept with a name), if any.
   * Without its unique id (a create's answer read back by tags alone), a name matches nothing.
   */
  matching(
    key: string,
    id: string,
    tags: Readonly<Record<string, string>>,
    uniqueId?: string,
  ): ForgottenResource | undefined {
    const nonce = tags[TAG_NONCE];
    if (nonce === undefined) return undefined;
    return (this.pairs[key] ?? []).find(
      (pair) =>
        pair.id === id && pair.nonce === nonce && (pair.uniqueId === undefined || pair.uniqueId === uniqueId),
    );
  }

  /** The pair whose nonce `copy` carries without being its resource (another id, or another unique id). */
  copiedBy(
    key: string,
    copy: { id: string; uniqueId?: string },
    nonce: string,
  ): ForgottenResource | undefined {
    return (this.pairs[key] ?? []).find(
      (pair) =>
        pair.nonce === nonce &&
        (pair.id !== copy.id || (pair.uniqueId !== undefined && pair.uniqueId !== copy.uniqueId)),
    );
  }

  /** Remembers `pair` for `key` (in place of one at the same id), the newest FORGOTTEN_KEPT kept. */
  remember(key: string, pair: ForgottenResource): void {
    const kept = (this.pairs[key] ?? []).filter((p) => p.id !== pair.id);
    kept.push(pair);
    this.pairs[key] = kept.slice(-FORGOTTEN_KEPT);
  }

  /** The resource is recorded again, or deleted: its pair is no longer needed. */
  drop(key: string, id: string): void {
    const left = (this.pairs[key] ?? []).filter((pair) => pair.id !== id);
    if (left.length > 0) this.pairs[key] = left;
    else delete this.pairs[key];
  }

  /** A copy of every pair, for a verdict taken back later (`restore`). */
  snapshot(): Readonly<Pairs> {
    return structuredClone(this.pairs);
  }

  /** `key`'s pairs as they were in `snapshot`. */
  restore(key: string, snapshot: Readonly<Pairs>): void {
    const pairs = snapshot[key];
    if (pairs) this.pairs[key] = structuredClone(pairs);
    else delete this.pairs[key];
  }

  /** For the record: the pairs forgotten less than FORGOTTEN_MEMORY_MS before `now`. */
  toRecord(now: number): Pairs {
    const kept: Pairs = {};
    for (const [key, list] of Object.entries(this.pairs)) {
      const young = list.filter((pair) => now - pair.at < FORGOTTEN_MEMORY_MS);
      if (young.length > 0) kept[key] = young.map((pair) => ({ ...pair }));
    }
    return kept;
  }
}

function validPairs(stored: unknown): Pairs {
  if (typeof stored !== 'object' || stored === null) return {};
  const pairs: Pairs = {};
  for (const [key, list] of Object.entries(stored)) {
    if (!Array.isArray(list)) continue;
    const valid = list
      .filter(
        (pair: Partial<ForgottenResource> | null): pair is ForgottenResource =>
          typeof pair?.id === 'string' &&
          typeof pair.nonce === 'string' &&
          typeof pair.at === 'number' &&
          (pair.uniqueId === undefined || typeof pair.uniqueId === 'string'),
      )
      .map(({ id, nonce, uniqueId, at, deleteSentAt }) => ({
        id,
        nonce,
        ...(uniqueId ? { uniqueId } : {}),
        at,
        ...(typeof deleteSentAt === 'number' && Number.isFinite(deleteSentAt) ? { deleteSentAt } : {}),
      }));
    if (valid.length > 0) pairs[key] = valid;
  }
  return pairs;
}
