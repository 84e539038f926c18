/**
 * Ownership is proven, not claimed (docs/ownership.md, safety rule 3): a resource is the stack's when its
 * tags name the stack AND its id, or the nonce it was created with, is recorded in the stack's
 * bookkeeping. The ledger holds those records for one pass:
 *
 * - before every create, an intent with a fresh nonce is journaled (written to the record, fenced by the
 *   lease) and the create carries the nonce (tag `lambdaflex:nonce`, and the client token derived from it
 *   where the API has one);
 * - a finder's results are judged: the resource in use for the key (recorded id, else the one resource
 *   carrying a journaled nonce),
 *   other resources the stack made (duplicates, to delete), and resources that only carry copies of its
 *   tags (foreign: reported as a conflict, never modified or deleted);
 * - a key with an intent (or a just-created id) and nothing visible is not absent but unknown until the
 *   consistency window has passed: creating again sooner would duplicate a resource EC2 does not show
 *   yet. Crossplane's create-pending annotation is the same idea;
 * - a resource a pass has seen and a later pass misses is not "not visible yet": the window is between a
 *   create's answer and its first visibility. It was most likely deleted behind the stack's back. But AWS
 *   promises no monotonic reads either ("Eventual consistency in the Amazon EC2 API" advises waiting
 *   between commands "even if a Describe command returns an accurate response"), so one read that misses
 *   it could be a lagging replica: it is unknown for that pass, and gone once the next pass misses it too
 *   (seconds later, not the rest of a five-minute window);
 * - a resource forgotten that way may still exist: a finder can miss one for longer than the window (a
 *   throttled or stale read, a page lost). Its `{id, nonce}` pair is remembered, and a resource seen again
 *   with exactly that id and that nonce is the stack's again (taken back, or deleted as a duplicate);
 *   anything else carrying the nonce is a copy of its tags, reported and never touched;
 * - a resource missed while a dependent the same pass found names it, one AWS does not let outlive it
 *   (subnets in a VPC), is not missing at all: the pass's review (engine/held-by-dependents.ts) keeps it
 *   recorded, as seen, and takes back what the pass had judged through it.
 *
 * Pure apart from the nonce source and the clock, both injected.
 */
import { randomBytes } from 'node:crypto';
import { TAG_NONCE } from '../../spec';
import type {
  ObservedResource,
  OwnershipView,
  ManagedResource as AnyResource,
  StackSpec,
} from '../resources/types';
import type { Bookkeeping, CreateIntent, OwnedResource } from '../state/bookkeeping';
import type { PendingCreate } from '../state/types';
import { ForgottenPairs } from './forgotten-pairs';
import { madeAgainUnderName, proofOf } from './ownership-proof';
import type { MissReview } from './held-by-dependents';

/** Ownership reads only a kind's key, type and create safety: any spec's kind. */
type ManagedResource = AnyResource<StackSpec>;

/**
 * How long a create is looked for before it is made again. AWS's guidance for EC2's eventual consistency
 * is to retry Describe "starting with a couple of seconds of wait time, and increasing gradually up to a
 * few minutes".
 */
export const CONSISTENCY_WINDOW_MS = 5 * 60_000;

/**
 * How long the nonce of an intent never seen is remembered after its window: a resource carrying it that
 * shows this late is still recognised as the stack's (and deleted as a duplicate), not taken for foreign.
 */
export const INTENT_MEMORY_MS = 7 * 24 * 60 * 60_000;

/**
 * How many refused creates' nonces a key remembers: enough for the create whose refusal was misread, the
 * record bounded however often a create is refused (throttled at every retry).
 */
export const REFUSED_NONCES_KEPT = 3;

/** What the engine makes of a finder's answer for one key. */
export interface Judged {
  /** The resource in use: proven the stack's (or a name clash without our tags, for the plan to report). */
  resource?: ObservedResource;
  /** Other resources the stack made for this key: deleted. */
  duplicates: ObservedResource[];
  /** Resources carrying the stack's tags that it cannot prove its own: reported, never touched. */
  foreign: ObservedResource[];
  /** Why nothing is visible yet although the stack created (or is creating) it: wait, do not create. */
  pending?: string;
}

export interface LedgerOptions {
  windowMs?: number;
  newNonce?: () => string;
  /**
   * For a stack from before ownership was recorded: the ids its last status listed, by key. Among several
   * tagged resources of a key, the one listed is the one in use (the others are the stack's duplicates).
   */
  lastSeen?: Record<string, string>;
  /**
   * The record lost its `owned` by a hand edit rather than from before ownership (it has an incarnation,
   * and every record made since incarnations records ownership from its creation): only what its last
   * status listed is adopted; another resource carrying the stack's tags is a copy, as ever (safety rule 3).
   */
  adoptListedOnly?: boolean;
}

/** A create's nonce: random, so that only the create that carries it can have made a resource carrying it. */
export const randomNonce = (): string => randomBytes(8).toString('hex');

export class OwnershipLedger implements OwnershipView, MissReview {
  /** Undefined for a stack from before ownership was recorded: its tagged resources are adopted once. */
  private owned: Record<string, OwnedResource> | undefined;
  /** What a stack from before adopts in this pass; kept only after a full observation. */
  private readonly adopted: Record<string, OwnedResource> = {};
  private readonly intents: Record<string, CreateIntent[]>;
  /** By key, what updates replaced and left beside the one in use, oldest first, until retired. */
  private readonly earlierIds: Record<string, string[]>;
  /** By key, resources forgotten after their not-found window: taken back only with their id and nonce. */
  private readonly forgottenPairs: ForgottenPairs;
  private readonly windowMs: number;
  private readonly newNonce: () => string;
  private readonly lastSeen: Record<string, string>;
  private readonly adoptListedOnly: boolean;
  /** Keys whose seen resource an earlier pass missed: missed again, it is gone. */
  private readonly missedBefore: Set<string>;
  /** Keys this pass held by a found dependent (`heldByDependent`): a later look-up's miss is not counted. */
  private readonly heldNow = new Set<string>();
  /** The records as the pass found them, for a verdict taken back (`unjudged`, `heldByDependent`). */
  private readonly before: {
    owned: Readonly<Record<string, OwnedResource>>;
    forgotten: ReturnType<ForgottenPairs['snapshot']>;
    missed: ReadonlySet<string>;
  };

  constructor(
    bookkeeping: Pick<Bookkeeping, 'owned' | 'intents' | 'earlier' | 'forgotten'>,
    private readonly now: () => number,
    options: LedgerOptions = {},
  ) {
    this.owned = bookkeeping.owned ? structuredClone(bookkeeping.owned) : undefined;
    this.missedBefore = new Set(
      Object.entries(bookkeeping.owned ?? {})
        .filter(([, owned]) => owned.missedAt !== undefined)
        .map(([key]) => key),
    );
    this.intents = structuredClone(bookkeeping.intents ?? {});
    this.earlierIds = structuredClone(bookkeeping.earlier ?? {});
    this.forgottenPairs = new ForgottenPairs(bookkeeping.forgotten);
    this.windowMs = options.windowMs ?? CONSISTENCY_WINDOW_MS;
    this.newNonce = options.newNonce ?? randomNonce;
    this.lastSeen = options.lastSeen ?? {};
    this.adoptListedOnly = options.adoptListedOnly ?? false;
    this.before = {
      owned: structuredClone(bookkeeping.owned ?? {}),
      forgotten: this.forgottenPairs.snapshot(),
      missed: new Set(this.missedBefore),
    };
  }

  /** Whether this is a stack from before ownership was recorded, adopting what its tags claim. */
  get adopting(): boolean {
    return this.owned === undefined;
  }

  /**
   * For finders, which resource to put first: the recorded id once there is one (a copy of its tags,
   * nonce included, must not displace it), else one carrying the nonce of a journaled create.
   */
  isRecorded(key: string, id: string, tags: Readonly<Record<string, string>>): boolean {
    const owned = this.recorded(key);
    if (owned) return owned.id === id;
    if (this.adopting && this.lastSeen[key] === id) return true;
    return (
      this.journaledNonce(key, tags) !== undefined ||
      this.forgottenPairs.matching(key, id, tags) !== undefined
    );
  }

  recorded(key: string): OwnedResource | undefined {
    return this.owned?.[key] ?? this.adopted[key];
  }

  awaits(key: string): boolean {
    return this.awaited(key).length > 0;
  }

  journaled(key: string, tags: Readonly<Record<string, string>>): boolean {
    return this.journaledNonce(key, tags) !== undefined;
  }

  earlier(key: string): readonly string[] {
    return this.earlierIds[key] ?? [];
  }

  /** Sorts a finder's answer into the resource in use, the stack's duplicates and foreign copies. */
  judge(kind: ManagedResource, found: ObservedResource | undefined): Judged {
    // A resource inside a proven parent (a route in our API) shares the parent's ownership.
    if (!kind.creates) return { resource: found, duplicates: [], foreign: [] };
    const candidates = found ? [withoutDuplicates(found), ...(found.duplicates ?? [])] : [];
    const untagged = candidates.filter((c) => c.foreign);
    const tagged = candidates.filter((c) => !c.foreign);
    const proven = this.adopting
      ? tagged.filter((c) => !this.adoptListedOnly || c.id === this.lastSeen[kind.key])
      : tagged.filter((c) => this.proves(kind, c, tagged));
    const foreign = tagged
      .filter((c) => !proven.includes(c))
      .map((c) => this.whyForeign(kind.key, c, tagged));
    const recordedId = this.recorded(kind.key)?.id ?? (this.adopting ? this.lastSeen[kind.key] : undefined);
    // One the stack forgot and sees again is put back in use before one made in its place meanwhile: what
    // depends on it (the internet gateway a VPC has attached, a VPC's subnets) was never moved, as only a
    // finder missed it; the one made since is the duplicate. Not so for a kind whose update makes a new
    // resource (a task definition's revision): the service was moved to the one registered since.
    const takenBack = kind.updateCreates
      ? undefined
      : proven.find((c) => this.forgottenPairs.matching(kind.key, c.id, c.tags, c.uniqueId));
    const inUse = takenBack ?? proven.find((c) => c.id === recordedId) ?? proven[0];
    if (inUse) {
      this.prove(kind, inUse);
      return { resource: inUse, duplicates: proven.filter((c) => c !== inUse), foreign };
    }
    const pending = this.pendingReason(kind, candidates);
    if (pending) return { duplicates: [], foreign, pending };
    // A name taken by someone else (untagged, or copied tags on a kind AWS names uniquely): the plan
    // reports the clash instead of creating over it.
    const uniqueName = kind.creates === 'name' || kind.uniqueName === true;
    const clash = untagged[0] ?? (uniqueName && foreign[0] ? { ...foreign[0], foreign: true } : undefined);
    return { ...(clash ? { resource: clash } : {}), duplicates: [], foreign };
  }

  /**
   * The nonce for a create about to be made, recorded as an intent (the caller persists it before the
   * call). A 'client-token' kind reuses the intent still pending, so that its token brings back the
   * resource a dead pass's call made.
   */
  intend(kind: ManagedResource): string {
    const now = this.now();
    const intents = (this.intents[kind.key] ??= []);
    if (kind.creates === 'client-token') {
      const pending = this.awaited(kind.key)
        .filter((i) => now < this.untilOf(i))
        .at(-1);
      if (pending) return pending.nonce;
    }
    const nonce = this.newNonce();
    // A create made safe by its name is not waited for: finding the name is enough.
    intents.push({ nonce, at: now, until: kind.creates === 'name' ? now : now + this.windowOf(kind) });
    return nonce;
  }

  /**
   * AWS refused the create (an error answer): nothing was made under this nonce, so it is no longer
   * awaited. The nonce is still remembered: it is random and only this create carried it, so a resource
   * carrying it alone can only be the create's, should the error have said more than it did (a read-back
   * after the create call answered, misread as its refusal, left the stack's own ALB foreign for good).
   * A copy made under the name with the stack's tags, without the nonce, is proven nothing by it.
   */
  refused(key: string, nonce: string): void {
    const intents = this.intents[key] ?? [];
    const intent = intents.find((i) => i.nonce === nonce);
    if (!intent) return;
    intent.refused = true;
    delete intent.until;
    const refused = intents.filter((i) => i.refused);
    const dropped = new Set(refused.slice(0, Math.max(0, refused.length - REFUSED_NONCES_KEPT)));
    this.intents[key] = intents.filter((i) => !dropped.has(i));
  }

  /** A create answered: the resource is the stack's, and the one in use for its key. */
  created(key: string, id: string, nonce: string | undefined): void {
    this.record(key, { id, ...(nonce ? { nonce } : {}), since: this.now() });
    if (nonce) this.dropIntent(key, nonce);
    // A create answered with the resource the stack forgot (an idempotent create by name): recorded again.
    this.forgottenPairs.drop(key, id);
  }

  /**
   * An update answered with a new resource in place of the one in use, which stays beside it (a task
   * definition's new revision): the new one is recorded as a create's, and the one it replaced is
   * remembered among the earlier ones, the stack's to retire later.
   */
  replaced(key: string, id: string, nonce: string): void {
    const previous = this.recorded(key);
    if (previous && previous.id !== id) this.remember(key, previous.id);
    this.created(key, id, nonce);
  }

  /** An update may change the id (a task definition's new revision): the record follows. */
  updated(key: string, resource: ObservedResource): void {
    const owned = this.recorded(key);
    if (owned && owned.id !== resource.id) this.record(key, { ...owned, id: resource.id });
    this.keepEarlier(key, resource);
  }

  /** A resource the stack deleted: no longer recorded (a duplicate's nonce is forgotten too). */
  deleted(key: string, resource: ObservedResource): void {
    if (this.recorded(key)?.id === resource.id) {
      if (this.owned) delete this.owned[key];
      delete this.adopted[key];
      // The kind's delete retires the earlier ones with the one in use.
      delete this.earlierIds[key];
    }
    const nonce = resource.tags[TAG_NONCE];
    if (nonce) this.dropIntent(key, nonce);
    this.forgottenPairs.drop(key, resource.id);
  }

  /**
   * The stack is about to send the delete of the resource in use for `key` (`deleteSentAt`): missed once
   * gone, it is known gone by the stack's own hand. Whether the mark is new (to be journaled first).
   */
  deleting(key: string, resource: ObservedResource): boolean {
    const owned = this.recorded(key);
    if (owned?.id !== resource.id || owned.deleteSentAt !== undefined) return false;
    this.record(key, { ...owned, deleteSentAt: this.now() });
    return true;
  }

  /** AWS refused the delete (`deleting`): nothing was deleted, the mark goes. */
  deleteRefused(key: string, id: string): void {
    const owned = this.recorded(key);
    if (owned?.id !== id || owned.deleteSentAt === undefined) return;
    const { deleteSentAt: _refused, ...kept } = owned;
    this.record(key, kept);
  }

  /** The ids the stack holds for `key` as its own: recorded (before this pass, or now), or forgotten. */
  knownIds(key: string): readonly string[] {
    const ids = [this.before.owned[key]?.id, this.recorded(key)?.id, ...this.forgottenPairs.ids(key)];
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  /**
   * `id` was missed by its finder while a dependent found this pass names it, one AWS does not let outlive
   * it (engine/held-by-dependents.ts): it exists. It stays (or is again) the one recorded, as seen, its
   * miss not counted: missed next pass with nothing naming it, it is one pass's miss, not two. Another
   * id recorded for the key since (a create answered) is left as it is.
   */
  heldByDependent(key: string, id: string): void {
    const current = this.recorded(key);
    if (current && current.id !== id) return;
    const before = this.before.owned[key];
    const pair = this.forgottenPairs.at(key, id);
    const kept: OwnedResource | undefined =
      current ??
      (before?.id === id ? before : undefined) ??
      (pair
        ? { id, nonce: pair.nonce, ...(pair.uniqueId ? { uniqueId: pair.uniqueId } : {}), since: pair.at }
        : undefined);
    if (!kept) return;
    const { missedAt: _notMissed, ...rest } = kept;
    this.record(key, { ...structuredClone(rest), seen: true });
    this.missedBefore.delete(key);
    this.heldNow.add(key);
    this.forgottenPairs.drop(key, id);
  }

  /**
   * This pass's verdict on `key` is taken back: its finder looked it up through a dependency the pass
   * now holds unknown (a security group by its VPC's id), so its answer says nothing. The key's records
   * are as the pass found them.
   */
  unjudged(key: string): void {
    const before = this.before.owned[key];
    if (this.owned) {
      if (before) this.owned[key] = structuredClone(before);
      else delete this.owned[key];
    }
    this.forgottenPairs.restore(key, this.before.forgotten);
    if (this.before.missed.has(key)) this.missedBefore.add(key);
    else this.missedBefore.delete(key);
  }

  /** Sets what a kind needs to find its resource again without the spec (e.g. a record's zone and name). */
  locate(key: string, locator: Record<string, string>): void {
    const owned = this.recorded(key);
    if (owned) this.record(key, { ...owned, locator });
  }

  /** After a full observation, a stack from before keeps what it adopted and proves ownership from now on. */
  completeAdoption(): void {
    if (this.owned === undefined) this.owned = { ...this.adopted };
  }

  /** Creates journaled and still looked for. */
  pendingCreates(): PendingCreate[] {
    const now = this.now();
    return Object.keys(this.intents).flatMap((key) =>
      this.awaited(key)
        .filter((intent) => now < this.untilOf(intent))
        .map((intent) => ({ key, nonce: intent.nonce, at: intent.at, until: this.untilOf(intent) })),
    );
  }

  /**
   * The ownership part of the bookkeeping, as the pass leaves it; intents long unseen and pairs long
   * forgotten are dropped.
   */
  toBookkeeping(): Pick<Bookkeeping, 'owned' | 'intents' | 'earlier' | 'forgotten'> {
    const now = this.now();
    const intents: Record<string, CreateIntent[]> = {};
    for (const [key, list] of Object.entries(this.intents)) {
      const kept = list.filter((intent) => now - intent.at < this.windowMs + INTENT_MEMORY_MS);
      if (kept.length > 0) intents[key] = kept;
    }
    // Always written, empty too: the record's write merges over what it held.
    return {
      ...(this.owned ? { owned: structuredClone(this.owned) } : {}),
      intents,
      earlier: structuredClone(this.earlierIds),
      forgotten: this.forgottenPairs.toRecord(now),
    };
  }

  /**
   * The recorded id, or the nonce of a journaled create that exactly one resource carries (the shared
   * rule, ownership-proof.ts, with the id as identity), or a forgotten pair seen again. A resource found
   * at a unique name under an intent is not proven by the intent alone (the create may have failed
   * before AWS made anything, and someone taken the name since).
   */
  private proves(kind: ManagedResource, candidate: ObservedResource, all: ObservedResource[]): boolean {
    // Forgotten and seen again: its own id and its own nonce, both. A copy of its tags has another id
    // (or, where the id is a name, another unique id).
    if (this.forgottenPairs.matching(kind.key, candidate.id, candidate.tags, candidate.uniqueId)) return true;
    const nonce = candidate.tags[TAG_NONCE];
    const carriers = nonce === undefined ? 0 : all.filter((c) => c.tags[TAG_NONCE] === nonce).length;
    const owned = this.recorded(kind.key);
    const records = {
      recorded: owned?.id,
      ...(owned?.uniqueId !== undefined ? { recordedUniqueId: owned.uniqueId } : {}),
      journaled: this.journaledNonces(kind.key),
    };
    return proofOf(candidate, 'id', records, carriers) !== undefined;
  }

  /**
   * A copy carrying one of the stack's nonces is reported with why it is not taken for the stack's (the
   * nonce is a copy's of a recorded resource, or shared with another resource); any other, as it is.
   */
  private whyForeign(key: string, copy: ObservedResource, all: ObservedResource[]): ObservedResource {
    const owned = this.recorded(key);
    if (owned?.id === copy.id && madeAgainUnderName(copy, owned.uniqueId)) {
      return {
        ...copy,
        conflict: `${copy.id} carries the stack's tags but is not the one it recorded (${owned.uniqueId}): made again under the name since (${copy.uniqueId}); left alone, delete it by hand if it is the stack's`,
      };
    }
    const nonce = copy.tags[TAG_NONCE];
    if (nonce === undefined) return copy;
    if (owned?.nonce === nonce && owned.id !== copy.id) {
      return {
        ...copy,
        conflict: `carries the creation nonce of ${owned.id}, which the stack recorded: a copy of its tags (or a second resource that one create call made, retried after a server error); left alone, delete it by hand if it is the stack's`,
      };
    }
    const lost = this.forgottenPairs.copiedBy(key, copy, nonce);
    if (lost) {
      const not = lost.id === copy.id ? 'made again under its name since' : `not ${lost.id} itself`;
      return {
        ...copy,
        conflict: `carries the creation nonce of ${lost.id}, which the stack made and no longer finds: a copy of its tags (${not}); delete it by hand if it is the stack's`,
      };
    }
    const twins = all.filter((c) => c !== copy && c.tags[TAG_NONCE] === nonce).map((c) => c.id);
    if (twins.length > 0 && (this.intents[key] ?? []).some((intent) => intent.nonce === nonce)) {
      return {
        ...copy,
        conflict: `carries the nonce of a create whose answer was lost, as ${twins.join(', ')} does: one is a copy of the other's tags and nothing tells which, so both are left alone (delete the copy by hand: the other is then the stack's)`,
      };
    }
    return copy;
  }

  /**
   * The nonces of creates journaled for `key` and not yet tied to an id. A create makes one resource:
   * once its nonce is recorded with an id, another carrying it is a copy.
   */
  private journaledNonces(key: string): string[] {
    const recordedNonce = this.recorded(key)?.nonce;
    return (this.intents[key] ?? []).map((intent) => intent.nonce).filter((nonce) => nonce !== recordedNonce);
  }

  /** The resource's nonce when it is one of `journaledNonces(key)`. */
  private journaledNonce(key: string, tags: Readonly<Record<string, string>>): string | undefined {
    const nonce = tags[TAG_NONCE];
    return nonce !== undefined && this.journaledNonces(key).includes(nonce) ? nonce : undefined;
  }

  private prove(kind: ManagedResource, resource: ObservedResource): void {
    const previous = this.recorded(kind.key);
    this.keepEarlier(kind.key, resource);
    // A new resource of a kind whose updates leave the old one beside it (a registration whose answer
    // was lost): the one it replaced stays the stack's, to retire.
    if (kind.updateCreates && previous && previous.id !== resource.id) this.remember(kind.key, previous.id);
    // Registrations whose answers were all lost, older than this one: the stack's too, to retire.
    for (const other of resource.earlierFound ?? []) {
      if (other.id === resource.id || !this.journaledNonce(kind.key, { [TAG_NONCE]: other.nonce })) continue;
      this.remember(kind.key, other.id);
      this.dropIntent(kind.key, other.nonce);
    }
    const nonce = resource.tags[TAG_NONCE];
    const uniqueId = resource.uniqueId ?? (previous?.id === resource.id ? previous.uniqueId : undefined);
    this.record(kind.key, {
      id: resource.id,
      ...(nonce
        ? { nonce }
        : previous?.id === resource.id && previous.nonce
          ? { nonce: previous.nonce }
          : {}),
      ...(uniqueId ? { uniqueId } : {}),
      since: previous?.id === resource.id ? previous.since : this.now(),
      // Visible now: missing later, it is gone rather than not visible yet (a miss before is forgotten).
      seen: true,
      ...(previous?.locator ? { locator: previous.locator } : {}),
      ...(previous?.id === resource.id && previous.deleteSentAt !== undefined
        ? { deleteSentAt: previous.deleteSentAt }
        : {}),
    });
    this.missedBefore.delete(kind.key);
    this.forgottenPairs.drop(kind.key, resource.id);
    if (nonce) this.dropIntent(kind.key, nonce);
    // The name is taken by this resource: every intent for it was this create.
    if (kind.creates === 'name') delete this.intents[kind.key];
  }

  private pendingReason(kind: ManagedResource, candidates: ObservedResource[]): string | undefined {
    const now = this.now();
    const owned = this.recorded(kind.key);
    if (!owned) return this.intentPending(kind, now);
    // Found at its id without the stack's tags: not missing, and no longer provably the stack's.
    const visible = candidates.some((c) => c.id === owned.id);
    // Held by a dependent this pass: a look-up after the review (a wait step's) that misses it again is
    // the same stale read, not a miss of its own.
    if (this.heldNow.has(kind.key) && owned.seen && !visible) {
      return `${owned.id} is not shown, but a dependent found by this pass names it; read again by the next pass`;
    }
    if (owned.seen && !visible && !this.missedBefore.has(kind.key)) {
      const missedAt = owned.missedAt ?? now;
      this.record(kind.key, { ...owned, missedAt });
      return `${owned.id} was seen by an earlier pass and is missing now (${Math.round((now - missedAt) / 1000)} s); read again by the next pass before it counts as gone (AWS's reads are eventually consistent)`;
    }
    if (!owned.seen && now - owned.since < this.windowOf(kind)) {
      return `created ${owned.id} ${Math.round((now - owned.since) / 1000)} s ago; not visible yet (waiting up to ${this.windowOf(kind) / 1000} s for AWS's eventual consistency)`;
    }
    // Untagged at its id: let go, and not remembered (nothing takes it back). Missed by two passes once
    // seen, or never seen within the window: most likely deleted behind the stack's back, and made again;
    // remembered, should a finder have missed it (a stale or throttled read, a page lost).
    if (visible) this.forget(kind.key);
    else this.forgetMissing(kind, owned);
    return this.intentPending(kind, now);
  }

  /** Why a journaled create of a nonce kind is still looked for, if it is. */
  private intentPending(kind: ManagedResource, now: number): string | undefined {
    if (kind.creates !== 'nonce') return undefined;
    const intent = this.awaited(kind.key)
      .filter((i) => now < this.untilOf(i))
      .at(-1);
    if (!intent) return undefined;
    const left = Math.ceil((this.untilOf(intent) - now) / 1000);
    return `a create with nonce ${intent.nonce} was sent ${Math.round((now - intent.at) / 1000)} s ago and its answer lost; looking for it by tag ${left} s more before creating again`;
  }

  /** The key's intents still waited for: not refused by AWS. */
  private awaited(key: string): CreateIntent[] {
    return (this.intents[key] ?? []).filter((intent) => !intent.refused);
  }

  private untilOf(intent: CreateIntent): number {
    return intent.until ?? intent.at + this.windowMs;
  }

  /** The kind's own window when it says how soon its resources show; the ledger's otherwise. */
  private windowOf(kind: ManagedResource): number {
    return Math.min(kind.visibleWithinMs ?? this.windowMs, this.windowMs);
  }

  private forget(key: string): void {
    if (this.owned) delete this.owned[key];
    delete this.adopted[key];
    this.missedBefore.delete(key);
  }

  /**
   * Forgets a resource no finder showed for its not-found window, remembering its `{id, nonce}` pair
   * when the kind's ids are never given to another resource, or with what AWS gave it alone where the
   * id is a name (a role's RoleId): seen again with all of them, it is the stack's. A kind whose updates
   * make a new resource keeps it among the earlier ones too.
   */
  private forgetMissing(kind: ManagedResource, owned: OwnedResource): void {
    this.forget(kind.key);
    // A kind whose updates leave the replaced resource beside the one in use (`updateCreates`: a task
    // definition revision, which its finder misses once deregistered): still the stack's, among the
    // earlier ones the kind retires (deleted once no longer ACTIVE), rather than left in the account.
    if (kind.updateCreates) this.remember(kind.key, owned.id);
    if (owned.nonce === undefined) return;
    const uniqueId = kind.idsNeverReused ? undefined : owned.uniqueId;
    if (!kind.idsNeverReused && uniqueId === undefined) return;
    this.forgottenPairs.remember(kind.key, {
      id: owned.id,
      nonce: owned.nonce,
      ...(uniqueId ? { uniqueId } : {}),
      at: this.now(),
      ...(owned.deleteSentAt !== undefined ? { deleteSentAt: owned.deleteSentAt } : {}),
    });
  }

  private record(key: string, owned: OwnedResource): void {
    if (this.owned) this.owned[key] = owned;
    else this.adopted[key] = owned;
  }

  private remember(key: string, id: string): void {
    const list = (this.earlierIds[key] ??= []);
    if (!list.includes(id)) list.push(id);
  }

  /**
   * Drops the earlier ones the finder found retired, or the update retired (the record stays bounded),
   * and the one in use.
   */
  private keepEarlier(key: string, resource: ObservedResource): void {
    // A retired one is deleted: the pair of one forgotten (deregistered by hand) goes with it, as a
    // deleted resource's does, so that nothing counts it as still in the account (missed-but-listed.ts).
    for (const id of resource.earlierRetired ?? []) this.forgottenPairs.drop(key, id);
    if (!this.earlierIds[key]) return;
    // The one in use is never an earlier one to retire (one forgotten, then taken back by its pair).
    const retired = [...(resource.earlierRetired ?? []), resource.id];
    const kept = this.earlierIds[key].filter((id) => !retired.includes(id));
    if (kept.length > 0) this.earlierIds[key] = kept;
    else delete this.earlierIds[key];
  }

  private dropIntent(key: string, nonce: string): void {
    const left = (this.intents[key] ?? []).filter((intent) => intent.nonce !== nonce);
    if (left.length > 0) this.intents[key] = left;
    else delete this.intents[key];
  }
}

function withoutDuplicates(resource: ObservedResource): ObservedResource {
  if (!resource.duplicates) return resource;
  const { duplicates: _judgedSeparately, ...rest } = resource;
  return rest;
}
