/**
 * A StateStore kept in a Map, honouring the same contract as the DynamoDB one (versions checked and raised,
 * leases, bounded events): for the in-memory cost simulation, benchmarks and tests that need no DynamoDB.
 *
 * Like the DynamoDB store, it hands out copies and keeps copies: a caller changing a record it was given,
 * or one it wrote, never changes the store. The records are plain JSON (what DynamoDB keeps), so the
 * copies are copyPlain's, several times cheaper than structuredClone's (the crash sweep copies records on
 * every pass of every stack).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DEFAULT_LEASE_TTL_MS,
  type DeleteRecordOptions,
  type DeleteRequest,
  MAX_EVENTS,
  type PutSpecOptions,
  type PutSpecResult,
  type ReconcilerWrite,
  SpecValidationError,
  StackDeletingError,
  UnreadableDeletionMarkError,
  StackNotFoundError,
  type StackEvent,
  type StackRecord,
  type StackStatus,
  type StateStore,
  LeaseLostError,
  VersionConflictError,
} from './types';
import { validateSpec } from '../../spec';
import { expectedRevision, sameRevision } from './incarnation';
import { firstRecord } from './record';
import type { SystemRecord } from './system-record';
import { copyPlain } from '../../util/copy';
import { claimTurn, type Turn, type TurnBook } from '../../util/turn-book';
import type { TokenBucketSize } from '../../util/token-bucket';

export class InMemoryStateStore implements StateStore {
  readonly tableName = 'lambdaflex-test';
  private readonly records = new Map<string, StackRecord>();

  constructor(private readonly now: () => number = () => 0) {}

  async ensureTable(): Promise<void> {}

  /** Every record as it is now (copies): with `importRecords`, a test starts from a saved moment. */
  exportRecords(): StackRecord[] {
    return [...this.records.values()].map(copyPlain);
  }

  /** Replaces every record with these (copied). */
  importRecords(records: readonly StackRecord[]): void {
    this.records.clear();
    for (const record of records) this.records.set(record.stack, copyPlain(record));
  }

  async putSpec(doc: unknown, options: PutSpecOptions = {}): Promise<PutSpecResult> {
    const result = validateSpec(doc);
    if (!result.ok) throw new SpecValidationError(result.errors);
    const { stack } = result.spec;
    const current = this.records.get(stack);
    if (current?.deletionRequestedAt !== undefined) {
      throw new StackDeletingError(stack, current.deletionRequestedAt);
    }
    if (current?.unreadableDeletionMark !== undefined) {
      throw new UnreadableDeletionMarkError(stack, current.unreadableDeletionMark);
    }
    // The spec's generation and the record's incarnation, as the DynamoDB store: status writes in between
    // do not fail a spec write; another spec write, or the stack deleted and created again, does.
    const expected = expectedRevision(options, current);
    // Generation 0 expects no record, whatever incarnation is named with it.
    if (expected.generation === 0 ? current !== undefined : !sameRevision(current, expected)) {
      throw new VersionConflictError(stack, expected.generation, current?.generation, {
        action: 'writing spec',
        counter: 'generation',
        incarnations: { expected: expected.incarnation, actual: current?.incarnation },
      });
    }
    const spec = JSON.parse(JSON.stringify(result.spec)) as Record<string, unknown>;
    if (current && isDeepStrictEqual(current.spec, spec))
      return { ...copyPlain(current), change: 'unchanged' };
    const next: StackRecord = current
      ? { ...current, spec, generation: current.generation + 1, version: current.version + 1 }
      : firstRecord(stack, spec);
    this.records.set(stack, next);
    return { ...copyPlain(next), change: current ? 'updated' : 'created' };
  }

  async get(stack: string): Promise<StackRecord | undefined> {
    const record = this.records.get(stack);
    return record && copyPlain(record);
  }

  /** What bootstrap would have recorded (tests set it). */
  systemRecord: SystemRecord | undefined;

  async getSystemRecord(): Promise<SystemRecord | undefined> {
    return this.systemRecord && copyPlain(this.systemRecord);
  }

  async list(): Promise<StackRecord[]> {
    return [...this.records.values()].map(copyPlain).sort((a, b) => a.stack.localeCompare(b.stack));
  }

  async requestDelete(stack: string): Promise<DeleteRequest> {
    const record = this.mustGet(stack);
    const alreadyRequested = record.deletionRequestedAt !== undefined;
    // A mark that is no time (a record imported as read from an item edited by hand) is replaced.
    record.deletionRequestedAt ??= this.now();
    delete record.unreadableDeletionMark;
    record.version += 1;
    return { record: copyPlain(record), alreadyRequested };
  }

  async deleteRecord(stack: string, options: DeleteRecordOptions = {}): Promise<void> {
    const current = this.records.get(stack);
    const { expectedVersion, expectedIncarnation } = options;
    // The version and the incarnation, as the DynamoDB store: a record made again may be at that version.
    if (
      current &&
      expectedVersion !== undefined &&
      (current.version !== expectedVersion || current.incarnation !== expectedIncarnation)
    ) {
      throw new VersionConflictError(stack, expectedVersion, current.version, {
        action: 'deleting record',
        incarnations: { expected: expectedIncarnation, actual: current.incarnation },
      });
    }
    this.records.delete(stack);
  }

  async writeStatus(
    stack: string,
    update: (current: StackRecord) => StackStatus | Promise<StackStatus>,
    options: { leaseHolder?: string } = {},
  ): Promise<StackRecord> {
    return this.writeReconcilerState(stack, async (current) => ({ status: await update(current) }), options);
  }

  async writeReconcilerState(
    stack: string,
    update: (current: StackRecord) => ReconcilerWrite | Promise<ReconcilerWrite>,
    options: { leaseHolder?: string } = {},
  ): Promise<StackRecord> {
    // Checked against the record as it is after `update`: like the DynamoDB store's conditional write, a
    // lease lost (or a spec edited) meanwhile is seen; the update is made again from the fresh record.
    for (;;) {
      const before = this.mustGet(stack);
      // Fenced like the DynamoDB store: a reconciler whose lease ran out must not write over its successor.
      if (options.leaseHolder !== undefined && !this.holds(before, options.leaseHolder)) {
        throw new LeaseLostError(stack, options.leaseHolder, { action: 'writing status' });
      }
      const write = await update(copyPlain(before));
      const record = this.mustGet(stack);
      if (record.version !== before.version) continue;
      if (options.leaseHolder !== undefined && !this.holds(record, options.leaseHolder)) {
        throw new LeaseLostError(stack, options.leaseHolder, { action: 'writing status' });
      }
      if (write.status) record.status = copyPlain(write.status);
      if (write.bookkeeping) record.bookkeeping = copyPlain(write.bookkeeping);
      record.version += 1;
      return copyPlain(record);
    }
  }

  async acquireLease(stack: string, holder: string, ttlMs = DEFAULT_LEASE_TTL_MS): Promise<boolean> {
    const record = this.mustGet(stack);
    // As DynamoDB's condition `lease.expiresAt < now`: a lease is still held at its expiry instant.
    if (record.lease && record.lease.holder !== holder && record.lease.expiresAt >= this.now()) return false;
    record.lease = { holder, expiresAt: this.now() + ttlMs };
    return true;
  }

  async renewLease(stack: string, holder: string, ttlMs = DEFAULT_LEASE_TTL_MS): Promise<boolean> {
    const record = this.mustGet(stack);
    if (!this.holds(record, holder)) return false;
    record.lease = { holder, expiresAt: this.now() + ttlMs };
    return true;
  }

  async releaseLease(stack: string, holder: string): Promise<void> {
    const record = this.records.get(stack);
    if (record?.lease?.holder === holder) delete record.lease;
  }

  async appendEvents(stack: string, events: StackEvent[]): Promise<void> {
    const record = this.mustGet(stack);
    // Copied in, as every record it is given: a writer changing an event afterwards must not change the store.
    record.events = [...record.events, ...copyPlain(events)].slice(-MAX_EVENTS);
  }

  /** The shared buckets' books (util/turn-book.ts), by bucket. */
  private readonly turnBooks = new Map<string, TurnBook>();

  async claimTurn(bucket: string, size: TokenBucketSize, holder: string, maxWaitMs: number): Promise<Turn> {
    const { turn, book } = claimTurn(this.turnBooks.get(bucket), size, holder, this.now(), maxWaitMs);
    this.turnBooks.set(bucket, book);
    return turn;
  }

  private holds(record: StackRecord, holder: string): boolean {
    return record.lease?.holder === holder && record.lease.expiresAt >= this.now();
  }

  private mustGet(stack: string): StackRecord {
    const record = this.records.get(stack);
    if (!record) throw new StackNotFoundError(stack);
    return record;
  }
}
