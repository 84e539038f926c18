/**
 * The DynamoDB record of one stack (docs/design.md "The record") and the state store's contract.
 * The store is the only code that reads or writes the table; the reconciler, the CLI and the service
 * all go through it.
 */
import type { DesiredState, Mode, SpecError, Tier } from '../../spec/types';
import type { AutoHistory } from '../decide/history';
import type { Bookkeeping } from './bookkeeping';
import { requestedAtText, unreadableMarkHold } from './deletion-mark';
import { describeRevision } from './incarnation';
import type { SystemRecord } from './system-record';
import type { TokenBucketSize } from '../../util/token-bucket';
import type { Turn } from '../../util/turn-book';

export type Phase = 'Pending' | 'Lambda' | 'ScalingUp' | 'Fargate' | 'ScalingDown' | 'Deleting' | 'Error';

/** Kubernetes-style condition: `type` such as `SpecValid`, `Ready`, `TrafficShifted`, `Throttled`. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  /** Epoch milliseconds. */
  lastTransitionTime: number;
}

export interface ResourceRef {
  kind: string;
  id: string;
  arn?: string;
  state?: string;
}

/** A resource carrying the stack's tags that the stack cannot prove its own: left alone, reported. */
export interface OwnershipConflict {
  key: string;
  kind: string;
  /** The resource's id, when the conflict is with one resource (not, say, a DNS name taken). */
  id?: string;
  arn?: string;
  reason: string;
}

/** A create whose intent was journaled and whose resource is not seen yet (docs/ownership.md). */
export interface PendingCreate {
  key: string;
  nonce: string;
  /** Epoch ms the intent was written. */
  at: number;
  /** Until when the reconciler looks for it before creating again (epoch ms). */
  until: number;
}

export interface StackEvent {
  /** Epoch milliseconds. */
  at: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * Written only by the reconciler, read by users (`status`, GET /stack-status). What the reconciler keeps
 * for itself between passes is in the record's `bookkeeping`, not here.
 */
export interface StackStatus {
  observedGeneration: number;
  /**
   * The mode of the spec at `observedGeneration`: the next pass on a new generation logs the change
   * against it (pass/events.ts). Absent in a status written before it was kept.
   */
  mode?: Mode;
  phase: Phase;
  /** Epoch milliseconds: when the stack entered `phase`. */
  since?: number;
  /** Why the stack is where it is: the decision's reason and the traffic engine's. */
  reason?: string;
  tier?: Tier;
  conditions: Condition[];
  resources: Record<string, ResourceRef>;
  lastPlan?: unknown;
  lastDecision?: { tier: Tier; reason: string; at: number };
  /** Where traffic goes, as Route 53 holds it (observed, not intended). */
  traffic?: { lambda: number; fargate: number };
  /**
   * The traffic engine's verdict (reconciler/traffic/shift.ts): no weighted record of ours routes the
   * stack's traffic (no `dns`, and none left from a spec that had one), so `traffic` is intended, not
   * held by Route 53. Absent in a status written before it was published.
   */
  weightless?: boolean;
  /**
   * Between tiers, what the traffic engine still waits for, without what it already has (the reason has
   * both). Absent when the reason is itself the wait, and in a status written before it was published.
   */
  trafficAwaiting?: string;
  /** Where the stack answers: the API's own URL, and the ALB's while it exists. */
  urls?: { lambda?: string; fargate?: string };
  /** The last time traffic was pulled back from unhealthy Fargate targets, and why. */
  lastRollback?: { at: number; reason: string };
  /**
   * Without `dns`, while the Fargate tier that served is unhealthy (since when, and why): there was no
   * weight to move back, so clients calling the ALB's URL are to call the API's.
   */
  fargateUnhealthy?: { since: number; reason: string };
  /** Resources carrying the stack's tags that it did not make: never modified or deleted. */
  conflicts?: OwnershipConflict[];
  /** Creates sent whose resources are not visible yet: nothing of that key is created again meanwhile. */
  pendingCreates?: PendingCreate[];
  /** Auto mode's recent decisions and transitions (reconciler/decide/history.ts reads and checks it). */
  autoScaling?: AutoHistory;
  lastPass?: {
    at: number;
    durationMs: number;
    apiCalls: { total: number; mutating: number };
    requeueAfterMs?: number;
    /**
     * 'inventory': confirmed from the last full observation's snapshot; 'view': between tiers, what the
     * pass does not wait for or act on taken from the last pass's view; 'full': every resource found.
     */
    observedBy?: 'inventory' | 'view' | 'full';
    fullObservationBecause?: string;
  };
}

export interface Lease {
  holder: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface StackRecord {
  stack: string;
  /** As stored: normally a valid DesiredState, but a hand edit in the console can make it anything. */
  spec: DesiredState | Record<string, unknown>;
  generation: number;
  /**
   * Written once, when the record is created (state/incarnation.ts): a stack deleted and created again
   * starts again at generation 1, but not with the same incarnation. Absent in a record created before
   * incarnations, which keeps none.
   */
  incarnation?: string;
  /**
   * The `incarnation` attribute as stored when it is none a write can name (edited by hand, or by the
   * stack role, which may write it): the reconciler's delete of the record is conditional on that very
   * value, so that such an edit after `lambdaflex delete` cannot keep the record for good.
   */
  unreadableIncarnation?: unknown;
  version: number;
  status?: StackStatus;
  /** The reconciler's private memory between passes (state/bookkeeping.ts), written with the status. */
  bookkeeping: Bookkeeping;
  lease?: Lease;
  /** Newest last, at most MAX_EVENTS. */
  events: StackEvent[];
  /** Set by `lambdaflex delete`: the reconciler tears the stack down, then removes the record. */
  deletionRequestedAt?: number;
  /**
   * A `deletionRequestedAt` found that is no time (edited by hand: null, false, "yesterday"), in words:
   * no deletion request, and the stack is held until it is replaced or removed (state/deletion-mark.ts).
   */
  unreadableDeletionMark?: string;
}

/** What one write of the reconciler's part of the record replaces; a part left out is kept. */
export interface ReconcilerWrite {
  status?: StackStatus;
  bookkeeping?: Bookkeeping;
}

export const MAX_EVENTS = 50;
/** How long a lease lasts unless the caller says otherwise: two minutes. */
export const DEFAULT_LEASE_TTL_MS = 120_000;
export const DEFAULT_TABLE_NAME = 'lambdaflex';

/**
 * Thrown when a conditional write finds a newer version than the writer read. Nothing was written.
 * `action` names what was being written ("writing spec", "writing status"), for the message's
 * "<verb-ing> <what> (<stack>): <cause>" form. `counter` says which number the two are: a spec write is
 * conditional on the spec's `generation` (status writes do not raise it), every other on the `version`.
 * A spec write is conditional on the record's incarnation too: `expectedIncarnation` and
 * `actualIncarnation` say which the writer named and which it found (undefined: a record without one),
 * and the message says "incarnation conflict" when they differ, whatever the generations.
 */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  readonly counter: 'version' | 'generation';
  readonly expectedIncarnation: string | undefined;
  readonly actualIncarnation: string | undefined;
  /** The record's incarnation attribute is none a write can name (edited by hand): no retry passes. */
  readonly unreadable: boolean;
  constructor(
    /** Not `stack`: that would hide Error's own stack trace. */
    readonly stackName: string,
    readonly expectedVersion: number | undefined,
    readonly actualVersion: number | undefined,
    options?: {
      cause?: unknown;
      action?: string;
      counter?: 'version' | 'generation';
      /** The incarnations of a spec write's expectation and of the record found. */
      incarnations?: { expected?: string; actual?: string };
    },
  ) {
    const counter = options?.counter ?? 'version';
    const expectedIncarnation = options?.incarnations?.expected;
    const actualIncarnation = options?.incarnations?.actual;
    // A spec write refused by the record at the very revision it expected: the record's incarnation
    // attribute is none a write can name (edited by hand), and no retry will pass.
    const unreadable =
      options?.incarnations !== undefined &&
      counter === 'generation' &&
      (expectedVersion ?? 0) !== 0 &&
      expectedVersion === actualVersion &&
      expectedIncarnation === actualIncarnation;
    const recreated =
      options?.incarnations !== undefined &&
      (expectedVersion ?? 0) !== 0 &&
      actualVersion !== undefined &&
      expectedIncarnation !== actualIncarnation;
    const conflict = recreated
      ? `incarnation conflict (expected ${describeRevision({ generation: expectedVersion ?? 0, incarnation: expectedIncarnation }, counter)}, found ${describeRevision({ generation: actualVersion, incarnation: actualIncarnation }, counter)}): ${
          expectedIncarnation === undefined
            ? 'a generation alone, read before records had incarnations, cannot tell this record from one deleted and created again since'
            : 'the record found is not the one read; the stack was deleted and created again since'
        }`
      : `${counter} conflict (expected ${describeVersion(counter, expectedVersion)}, found ${describeVersion(counter, actualVersion)})`;
    super(
      unreadable
        ? `${options?.action ?? 'writing stack'} (${stackName}): the record's incarnation is not one (1 to 64 letters, digits, "-" or "_": edited by hand?), so no write conditional on ${describeRevision({ generation: actualVersion ?? 0, incarnation: actualIncarnation }, counter)} can match it; set incarnation back to the value it had, or remove the attribute`
        : `${options?.action ?? 'writing stack'} (${stackName}): ${conflict}; read it again and retry`,
      options,
    );
    this.counter = counter;
    this.unreadable = unreadable;
    this.expectedIncarnation = expectedIncarnation;
    this.actualIncarnation = actualIncarnation;
  }
}

function describeVersion(counter: string, version: number | undefined): string {
  return version === undefined || version === 0 ? 'no record' : `${counter} ${version}`;
}

/** Thrown by putSpec when the document is invalid. Nothing was written. One error per line, "path: rule". */
export class SpecValidationError extends Error {
  override readonly name = 'SpecValidationError';
  constructor(readonly errors: SpecError[]) {
    super(errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('\n'));
  }
}

export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
  constructor(
    /** Not `stack`: that would hide Error's own stack trace. */
    readonly stackName: string,
    options?: { action?: string; tableName?: string },
  ) {
    const where = options?.tableName ? ` in table ${options.tableName}` : '';
    super(`${options?.action ?? 'reading stack'} (${stackName}): no such stack${where}`);
  }
}

/**
 * Thrown by writeStatus when the caller fenced the write with its lease (`leaseHolder`) and no longer holds
 * it: another reconciler may be acting on the stack, so this one's view must not be written.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    /** Not `stack`: that would hide Error's own stack trace. */
    readonly stackName: string,
    readonly holder: string,
    options?: { action?: string; why?: string },
  ) {
    super(
      `${options?.action ?? 'writing status'} (${stackName}): lease no longer held by ${holder}${options?.why ? ` (${options.why})` : ''}`,
    );
  }
}

/**
 * Thrown by putSpec when the stack's deletion was requested: the reconciler is tearing it down and then
 * removes the record, so a new spec would be deleted with it. Nothing was written; once the record is
 * gone the stack can be created again.
 */
export class StackDeletingError extends Error {
  override readonly name = 'StackDeletingError';
  constructor(
    /** Not `stack`: that would hide Error's own stack trace. */
    readonly stackName: string,
    readonly deletionRequestedAt: number,
    options?: { cause?: unknown; action?: string },
  ) {
    super(
      `${options?.action ?? 'writing spec'} (${stackName}): the stack's deletion was ${requestedAtText(deletionRequestedAt)}; it takes no new spec until the delete has finished and the record is gone`,
      options,
    );
  }
}

/**
 * Thrown by putSpec (and by plan) when the record's `deletionRequestedAt` is no time (edited by hand):
 * whether the stack is to be deleted is unknown, so it is held, and takes no new spec, until a delete
 * replaces the mark or the attribute is removed. Nothing was written.
 */
export class UnreadableDeletionMarkError extends Error {
  override readonly name = 'UnreadableDeletionMarkError';
  constructor(
    /** Not `stack`: that would hide Error's own stack trace. */
    readonly stackName: string,
    /** The mark found, in words (state/deletion-mark.ts). */
    readonly found: string,
    options?: { cause?: unknown; action?: string; command?: (rest: string) => string },
  ) {
    const hold = unreadableMarkHold(stackName, found, options?.command);
    super(`${options?.action ?? 'writing spec'} (${stackName}): ${hold}; nothing written`, options);
  }
}

/** Any other failure of the table (missing table, throttling, network), with the SDK's error as `cause`. */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** How putSpec changed the record: `unchanged` when the validated spec equals the stored one (no write). */
export type SpecChange = 'created' | 'updated' | 'unchanged';

export type PutSpecResult = StackRecord & { change: SpecChange };

/** What a spec write is conditional on (StateStore.putSpec); nothing: what the store reads first. */
export interface PutSpecOptions {
  /** 0: the stack must not exist yet. */
  expectedGeneration?: number;
  /** The incarnation `expectedGeneration` was read with; left out only for a record without one. */
  expectedIncarnation?: string;
}

/** What a record's delete is conditional on (StateStore.deleteRecord); nothing: unconditional. */
export interface DeleteRecordOptions {
  expectedVersion?: number;
  /** The incarnation `expectedVersion` was read with; left out only for a record without one. */
  expectedIncarnation?: string;
  /**
   * Instead, the incarnation attribute as read when it is none a write can name
   * (`StackRecord.unreadableIncarnation`): the delete is conditional on that value (DynamoDB's `=`
   * compares every type, maps and lists included).
   */
  expectedUnreadableIncarnation?: unknown;
}

/** What requestDelete answers: the record as written, and whether the deletion was requested before. */
export interface DeleteRequest {
  record: StackRecord;
  /**
   * True when the record already held a request (a proper mark, kept with its time: `record`'s
   * deletionRequestedAt); false when this call wrote it, or replaced a mark that was no time.
   */
  alreadyRequested: boolean;
}

export interface StateStore {
  readonly tableName: string;
  /** Creates the table (on-demand billing, key `stack`) when it is missing; waits until it is active. */
  ensureTable(): Promise<void>;
  /**
   * Validates `doc`, then writes it (with its defaults filled in) with generation + 1, conditional on the
   * spec's generation and the record's incarnation, in the write itself: with `expectedGeneration` those
   * are the caller's (0: the stack must not exist yet; otherwise `expectedIncarnation` must be the record's,
   * and left out only for a record without one, created before incarnations); without it, the store reads
   * the record once and writes conditional on what it read. The generation, not the version: the
   * reconciler's status writes raise the version every pass, and must not make a person's read-edit-write
   * fail; only another spec write (or a delete request, or the stack deleted and created again) does.
   * A new record gets a new incarnation. A spec equal to the stored one is not written (`change:
   * 'unchanged'`, generation kept). Status, lease, events and a pending deletion request are kept. Throws
   * SpecValidationError or VersionConflictError (counter 'generation', with the incarnations), writing
   * nothing; StackDeletingError when the stack's deletion was requested (deletion is final: even an
   * unchanged spec).
   */
  putSpec(doc: unknown, options?: PutSpecOptions): Promise<PutSpecResult>;
  get(stack: string): Promise<StackRecord | undefined>;
  /** Every record, sorted by stack name. */
  list(): Promise<StackRecord[]>;
  /** What bootstrap recorded for the whole table (state/system-record.ts); undefined before bootstrap. */
  getSystemRecord(): Promise<SystemRecord | undefined>;
  /**
   * Records a delete request (the reconciler acts on it). A request already recorded keeps its time
   * (deletion is final); the answer says which it was. Throws StackNotFoundError.
   */
  requestDelete(stack: string): Promise<DeleteRequest>;
  /**
   * Removes the record (by the reconciler once every resource is gone). With `expectedVersion`, only if
   * nobody wrote it since and it is the record that version was read from: `expectedIncarnation` is its
   * incarnation, left out only for a record without one (VersionConflictError otherwise). A record deleted
   * and created again starts again at version 1, so the version alone could name the new one. A missing
   * record is not an error.
   */
  deleteRecord(stack: string, options?: DeleteRecordOptions): Promise<void>;
  /**
   * Writes the status computed by `update` from the freshest record, conditional on its version; on a
   * conflict it re-reads and calls `update` again, so a concurrent spec edit is never clobbered. With
   * `leaseHolder`, the write also requires that holder's unexpired lease (LeaseLostError otherwise).
   */
  writeStatus(
    stack: string,
    update: (current: StackRecord) => StackStatus | Promise<StackStatus>,
    options?: { leaseHolder?: string },
  ): Promise<StackRecord>;
  /**
   * As writeStatus, for the reconciler's whole part of the record: each part `update` returns (status,
   * bookkeeping) replaces the stored one, a part left out is kept. One conditional write, so the two never
   * disagree; with `leaseHolder`, fenced by that holder's lease.
   */
  writeReconcilerState(
    stack: string,
    update: (current: StackRecord) => ReconcilerWrite | Promise<ReconcilerWrite>,
    options?: { leaseHolder?: string },
  ): Promise<StackRecord>;
  /**
   * Takes the lease when nobody holds it, the holder's lease expired, or `holder` already holds it.
   * Returns false when another holds it. Does not change `version`. Throws StackNotFoundError.
   */
  acquireLease(stack: string, holder: string, ttlMs?: number): Promise<boolean>;
  /** Extends an unexpired lease this holder has; false when it was lost or expired. */
  renewLease(stack: string, holder: string, ttlMs?: number): Promise<boolean>;
  /** Gives the lease up; a no-op when `holder` does not hold it (any more). */
  releaseLease(stack: string, holder: string): Promise<void>;
  /** Appends events, keeping the newest MAX_EVENTS. Does not change `version`. */
  appendEvents(stack: string, events: StackEvent[]): Promise<void>;
  /**
   * `holder`'s turn in the bucket `bucket` shared by every reconciler of the table (util/turn-book.ts),
   * kept in a record of its own beside the stacks (never listed as one): used now when it comes within
   * `maxWaitMs` (the caller waits until `at`, then calls), kept for the holder otherwise. One conditional
   * write; a store that keeps no book leaves it out, and the caller keeps to a bucket of its own.
   */
  claimTurn?(bucket: string, size: TokenBucketSize, holder: string, maxWaitMs: number): Promise<Turn>;
}
