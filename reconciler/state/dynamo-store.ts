/**
 * The state store over one DynamoDB table (docs/design.md "The record").
 *
 * Concurrency model:
 * - `version` guards the parts that must not be lost: spec and status writes (and a delete request) raise
 *   it by one, and status writes are conditional on the version read. Each write SETs only its own
 *   attributes, so a status write never touches `spec` and a spec write never touches `status`.
 * - A spec write is conditional on the spec's `generation` instead (and on no delete request): the
 *   reconciler writes the status every pass, and a person's read-edit-write of the spec must not fail
 *   for that; only another spec write in between has changed what they read. And on the record's
 *   `incarnation` (state/incarnation.ts), written once when the record is created: a stack deleted and
 *   created again starts again at generation 1, and the generation alone would name the new record.
 * - The lease and the events do not touch `version`: taking a lease every pass, or appending an event,
 *   would otherwise make every concurrent spec edit fail with a conflict for no reason. Both are safe
 *   without it: the lease has its own condition, and appending to a list is commutative.
 * - Status writes are not blocked by the lease by default (the lease is the reconcilers' agreement, not
 *   the table's); a reconciler fences its status writes with `{ leaseHolder }`, so that one whose lease
 *   expired mid-pass cannot overwrite what its successor observed.
 */
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isDeepStrictEqual } from 'node:util';
import { validateSpec } from '../../spec';
import type { ValidationResult } from '../../spec/types';
import { isConditionalCheckFailed, storeFailure } from './errors';
import { expectedRevision, readIncarnation, sameRevision, type SpecRevision } from './incarnation';
import { DELETION_MARK_RANGE, readDeletionMark } from './deletion-mark';
import {
  firstRecord,
  isCounter,
  normaliseSpec,
  rawNumber,
  rawValue,
  toRecord,
  unmarshallOptions,
  UNREADABLE_VERSION,
} from './record';
import { ensureTable } from './table';
import { isSystemKey, SYSTEM_RECORD_KEY, toSystemRecord, type SystemRecord } from './system-record';
import { toTurnBook, turnBookKey, turnBookVersion } from './turn-book-record';
import { claimTurn, type Turn } from '../../util/turn-book';
import type { TokenBucketSize } from '../../util/token-bucket';

import {
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_TABLE_NAME,
  type DeleteRecordOptions,
  type DeleteRequest,
  LeaseLostError,
  MAX_EVENTS,
  type PutSpecOptions,
  type PutSpecResult,
  type ReconcilerWrite,
  SpecValidationError,
  StackDeletingError,
  StackNotFoundError,
  StateStoreError,
  UnreadableDeletionMarkError,
  type StackEvent,
  type StackRecord,
  type StackStatus,
  type StateStore,
  VersionConflictError,
} from './types';

/** Claims of a turn that found the book written in between, before the store gives up. */
const MAX_TURN_ATTEMPTS = 50;

/**
 * How every document client on a table's DynamoDB client translates: a record's optional fields left
 * undefined are left out, and a number written by hand that the client would throw on is read
 * (record.ts readNumber). One value for all of them, because lib-dynamodb keeps it on the DynamoDB
 * client's shared config: the last document client made on a client sets it for every other.
 */
const DOCUMENT_TRANSLATION = {
  marshallOptions: { removeUndefinedValues: true },
  unmarshallOptions: unmarshallOptions(),
} as const;

/** A document client on `client` that translates as every other on the table does (DOCUMENT_TRANSLATION). */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, DOCUMENT_TRANSLATION);
}

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  /** Default `lambdaflex`. */
  tableName?: string;
  /** Epoch milliseconds; injected so that lease expiry is testable without waiting. */
  now?: () => number;
  /** How long a lease lasts unless the caller says otherwise. Default two minutes. */
  leaseTtlMs?: number;
  /** How many times writeStatus re-reads after a conflict before giving up. Default 10. */
  maxStatusAttempts?: number;
  /** Default `validateSpec` of `spec/`. */
  validate?: (doc: unknown) => ValidationResult;
}

/**
 * @example
 * const store = new DynamoStateStore({ client: new DynamoDBClient({}) });
 * await store.ensureTable();
 * const record = await store.putSpec({ stack: 'orders-api', image: 'nginx:1.27' });
 */
export class DynamoStateStore implements StateStore {
  readonly tableName: string;
  private readonly client: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly now: () => number;
  private readonly leaseTtlMs: number;
  private readonly maxStatusAttempts: number;
  private readonly validate: (doc: unknown) => ValidationResult;

  constructor(options: DynamoStateStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    this.now = options.now ?? Date.now;
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.maxStatusAttempts = options.maxStatusAttempts ?? 10;
    this.validate = options.validate ?? validateSpec;
    // Specs and statuses are plain JSON; optional members left undefined are simply not stored.
    this.doc = documentClientOf(this.client);
  }

  async ensureTable(): Promise<void> {
    try {
      await ensureTable(this.client, this.tableName);
    } catch (err) {
      throw storeFailure('creating table', this.tableName, this.tableName, err);
    }
  }

  async putSpec(doc: unknown, options: PutSpecOptions = {}): Promise<PutSpecResult> {
    const result = this.validate(doc);
    if (!result.ok) throw new SpecValidationError(result.errors);
    const spec = normaliseSpec(result.spec) as Record<string, unknown>;
    const stack = result.spec.stack;
    const action = 'writing spec';
    try {
      const current = await this.get(stack);
      if (current?.deletionRequestedAt !== undefined) {
        throw new StackDeletingError(stack, current.deletionRequestedAt, { action });
      }
      if (current?.unreadableDeletionMark !== undefined) {
        throw new UnreadableDeletionMarkError(stack, current.unreadableDeletionMark, { action });
      }
      const expected = expectedRevision(options, current);
      if (
        current &&
        sameRevision(current, expected) &&
        isDeepStrictEqual(normaliseSpec(current.spec), spec)
      ) {
        return { ...current, change: 'unchanged' };
      }
      if (expected.generation === 0) return { ...(await this.create(stack, spec)), change: 'created' };
      if (current?.version === UNREADABLE_VERSION) await this.restartVersion(stack);
      return { ...(await this.replaceSpec(stack, spec, expected)), change: 'updated' };
    } catch (err) {
      throw storeFailure(action, stack, this.tableName, err);
    }
  }

  async get(stack: string): Promise<StackRecord | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { stack }, ConsistentRead: true }),
      );
      return Item ? toRecord(Item) : undefined;
    } catch (err) {
      throw storeFailure('reading stack', stack, this.tableName, err);
    }
  }

  async list(): Promise<StackRecord[]> {
    const records: StackRecord[] = [];
    try {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
        );
        // The system record is the table's, not a stack.
        for (const item of page.Items ?? []) if (!isSystemKey(item['stack'])) records.push(toRecord(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    } catch (err) {
      throw storeFailure('listing stacks', `table ${this.tableName}`, this.tableName, err);
    }
    return records.sort((a, b) => a.stack.localeCompare(b.stack));
  }

  async getSystemRecord(): Promise<SystemRecord | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { stack: SYSTEM_RECORD_KEY },
          ConsistentRead: true,
        }),
      );
      return toSystemRecord(Item);
    } catch (err) {
      throw storeFailure('reading the system record', SYSTEM_RECORD_KEY, this.tableName, err);
    }
  }

  async requestDelete(stack: string): Promise<DeleteRequest> {
    const action = 'requesting deletion';
    const now = this.now();
    // A proper mark is kept (if_not_exists: asking twice keeps the first request's time); one that is no
    // time (edited by hand: state/deletion-mark.ts) is replaced. Each write is conditional on the kind of
    // mark it is for, so that a mark changed between the two is neither kept nor replaced by mistake.
    const proper =
      'attribute_type(deletionRequestedAt, :number) AND deletionRequestedAt BETWEEN :first AND :last';
    const writes = [
      {
        UpdateExpression:
          'SET deletionRequestedAt = if_not_exists(deletionRequestedAt, :now), version = version + :one',
        ConditionExpression: `attribute_exists(stack) AND (attribute_not_exists(deletionRequestedAt) OR (${proper}))`,
      },
      {
        UpdateExpression: 'SET deletionRequestedAt = :now, version = version + :one',
        ConditionExpression: `attribute_exists(deletionRequestedAt) AND NOT (${proper})`,
      },
    ];
    try {
      let restarted = false;
      // Both refused: no record, or a mark edited between them; the next round tells which.
      for (let round = 0; round < 3; round++) {
        for (const [index, write] of writes.entries()) {
          const before = await this.tryRequestDelete(stack, write, now).catch(async (err: unknown) => {
            // A version edited into no number fails `version + 1`: started again at 1, the write once more.
            if (restarted || !(restarted = await this.restartVersion(stack))) throw err;
            return this.tryRequestDelete(stack, write, now);
          });
          if (!before) continue;
          // The item as the write left it, from the item before it (what the write did is known): only
          // the one before tells a request kept from one made now, whatever the clocks read.
          const kept = index === 0 && before['deletionRequestedAt'] !== undefined;
          const record = toRecord({
            ...before,
            deletionRequestedAt: kept ? before['deletionRequestedAt'] : now,
            version: Number(before['version']) + 1,
          });
          return { record, alreadyRequested: kept };
        }
        if (!(await this.get(stack)))
          throw new StackNotFoundError(stack, { action, tableName: this.tableName });
      }
    } catch (err) {
      throw storeFailure(action, stack, this.tableName, err);
    }
    throw new StateStoreError(`${action} (${stack}): its deletionRequestedAt kept changing meanwhile; retry`);
  }

  /** One conditional write of a delete request: the item before it; undefined when its condition failed. */
  private async tryRequestDelete(
    stack: string,
    write: { UpdateExpression: string; ConditionExpression: string },
    now: number,
  ): Promise<Record<string, unknown> | undefined> {
    return this.updateIf(stack, {
      ...write,
      ExpressionAttributeValues: {
        ':now': now,
        ':one': 1,
        ':number': 'N',
        ':first': DELETION_MARK_RANGE.first,
        ':last': DELETION_MARK_RANGE.last,
      },
      ReturnValues: 'ALL_OLD',
    });
  }

  async deleteRecord(stack: string, options: DeleteRecordOptions = {}): Promise<void> {
    const action = 'deleting record';
    const { expectedVersion, expectedIncarnation } = options;
    // And on the incarnation: a record deleted and created again meanwhile starts again at version 1, and
    // may be at the version expected by the time a stalled delete lands.
    const { condition: incarnation, values } = incarnationCondition(options);
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { stack },
          ...(expectedVersion === undefined
            ? {}
            : {
                ConditionExpression: `attribute_not_exists(stack) OR (version = :expected AND ${incarnation})`,
                ExpressionAttributeValues: {
                  ':expected': expectedVersion,
                  ...values,
                },
              }),
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        const actual = await this.get(stack);
        throw new VersionConflictError(stack, expectedVersion, actual?.version, {
          action,
          incarnations: { expected: expectedIncarnation, actual: actual?.incarnation },
          cause: err,
        });
      }
      throw storeFailure(action, stack, this.tableName, err);
    }
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
    const action = 'writing status';
    const { leaseHolder } = options;
    let lastSeen: number | undefined;
    try {
      for (let attempt = 0; attempt < this.maxStatusAttempts; attempt++) {
        const current = await this.get(stack);
        if (!current) throw new StackNotFoundError(stack, { action, tableName: this.tableName });
        if (leaseHolder !== undefined && !this.holds(current, leaseHolder)) {
          throw new LeaseLostError(stack, leaseHolder, { action });
        }
        lastSeen = current.version;
        const write = await update(current);
        // The bookkeeping is always written: a record from before it had its own attribute is moved then.
        const written = await this.tryWriteStatus(
          stack,
          { ...write, bookkeeping: write.bookkeeping ?? current.bookkeeping },
          current.version,
          leaseHolder,
        );
        if (written) return written;
      }
    } catch (err) {
      throw storeFailure(action, stack, this.tableName, err);
    }
    const actual = (await this.get(stack))?.version;
    throw new VersionConflictError(stack, lastSeen, actual, {
      action: `${action} after ${this.maxStatusAttempts} attempts`,
    });
  }

  async acquireLease(stack: string, holder: string, ttlMs = this.leaseTtlMs): Promise<boolean> {
    const action = 'acquiring lease';
    const now = this.now();
    const taken = await this.updateIf(stack, {
      UpdateExpression: 'SET lease = :lease',
      ConditionExpression:
        // A lease whose expiry is no number (edited by hand, `{}` or a date in words) is none: it
        // would otherwise hold the stack for ever, no comparison with a number ever being true.
        'attribute_exists(stack) AND (attribute_not_exists(lease) OR NOT attribute_type(lease.expiresAt, :number) OR lease.expiresAt < :now OR lease.holder = :holder)',
      ExpressionAttributeValues: {
        ':lease': { holder, expiresAt: now + ttlMs },
        ':now': now,
        ':holder': holder,
        ':number': 'N',
      },
    }).catch((err: unknown) => {
      throw storeFailure(action, stack, this.tableName, err);
    });
    if (taken) return true;
    // The condition failed: either somebody else holds it, or there is no such stack.
    if (!(await this.get(stack))) throw new StackNotFoundError(stack, { action, tableName: this.tableName });
    return false;
  }

  async renewLease(stack: string, holder: string, ttlMs = this.leaseTtlMs): Promise<boolean> {
    const now = this.now();
    try {
      // An expired lease is not renewed, even if nobody took it: its holder must acquire it again, so
      // that "renewed" always means "held without a gap".
      const renewed = await this.updateIf(stack, {
        UpdateExpression: 'SET lease.expiresAt = :expiresAt',
        ConditionExpression: 'lease.holder = :holder AND lease.expiresAt >= :now',
        ExpressionAttributeValues: { ':expiresAt': now + ttlMs, ':now': now, ':holder': holder },
      });
      return renewed !== undefined;
    } catch (err) {
      throw storeFailure('renewing lease', stack, this.tableName, err);
    }
  }

  async releaseLease(stack: string, holder: string): Promise<void> {
    try {
      // Refused when not ours (any more), or the record is gone: there is nothing to give up.
      await this.updateIf(stack, {
        UpdateExpression: 'REMOVE lease',
        ConditionExpression: 'lease.holder = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      });
    } catch (err) {
      throw storeFailure('releasing lease', stack, this.tableName, err);
    }
  }

  async appendEvents(stack: string, events: StackEvent[]): Promise<void> {
    if (events.length === 0) return;
    const action = 'appending events';
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { stack },
          UpdateExpression: 'SET events = list_append(if_not_exists(events, :empty), :events)',
          ConditionExpression: 'attribute_exists(stack)',
          ExpressionAttributeValues: { ':empty': [], ':events': events.slice(-MAX_EVENTS) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      await this.trimEvents(stack, (Attributes?.events as unknown[] | undefined)?.length ?? 0);
    } catch (err) {
      if (isConditionalCheckFailed(err))
        throw new StackNotFoundError(stack, { action, tableName: this.tableName });
      throw storeFailure(action, stack, this.tableName, err);
    }
  }

  /**
   * The book read consistently, the turn worked out (util/turn-book.ts), and the book written back on the
   * condition that nobody wrote it in between (its write counter as read); on a conflict, read again. A
   * turn is never handed out twice, whatever environments claim at once.
   */
  async claimTurn(bucket: string, size: TokenBucketSize, holder: string, maxWaitMs: number): Promise<Turn> {
    const key = turnBookKey(bucket);
    const action = 'claiming a turn';
    for (let attempt = 1; ; attempt++) {
      try {
        const { Item } = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: { stack: key }, ConsistentRead: true }),
        );
        const read = toTurnBook(Item);
        const version = turnBookVersion(Item);
        const { turn, book, changed } = claimTurn(read, size, holder, this.now(), maxWaitMs);
        if (!changed) return turn;
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { stack: key },
            UpdateExpression: 'SET #next = :next, held = :held, #used = :used, turnVersion = :version',
            // No counter yet: no book, or one written without it (by hand).
            ConditionExpression: version > 0 ? 'turnVersion = :read' : 'attribute_not_exists(turnVersion)',
            ExpressionAttributeNames: { '#next': 'next', '#used': 'used' },
            ExpressionAttributeValues: {
              ':next': book.next,
              ':held': book.held,
              ':used': book.used ?? null,
              ':version': version + 1,
              ...(version > 0 ? { ':read': version } : {}),
            },
          }),
        );
        return turn;
      } catch (err) {
        if (isConditionalCheckFailed(err) && attempt < MAX_TURN_ATTEMPTS) continue;
        throw storeFailure(action, key, this.tableName, err);
      }
    }
  }

  /**
   * An UpdateItem that sets the spec's attributes only, not a PutItem of the whole first record: the
   * stack's role (the user's code runs with it) may write those and no others (reconciler/iam/
   * stack-role-policies.ts), and a PutItem would replace the reconciler's part too. The rest of the first
   * record (no events, an empty bookkeeping) is how toRecord reads an item without them.
   */
  private async create(stack: string, spec: Record<string, unknown>): Promise<StackRecord> {
    const { generation, incarnation, version } = firstRecord(stack, spec);
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { stack },
          UpdateExpression:
            'SET spec = :spec, generation = :generation, incarnation = :incarnation, version = :version',
          ConditionExpression: 'attribute_not_exists(stack)',
          ExpressionAttributeValues: {
            ':spec': spec,
            ':generation': generation,
            ':incarnation': incarnation,
            ':version': version,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const beaten = await this.beatenBy(stack, err);
      throw new VersionConflictError(stack, 0, beaten?.generation, {
        action: 'writing spec',
        counter: 'generation',
        incarnations: { actual: beaten?.incarnation },
        cause: err,
      });
    }
  }

  private async replaceSpec(
    stack: string,
    spec: Record<string, unknown>,
    expected: SpecRevision,
  ): Promise<StackRecord> {
    // A record without an incarnation is expected only by a writer that names none.
    const incarnation =
      expected.incarnation === undefined ? 'attribute_not_exists(incarnation)' : 'incarnation = :incarnation';
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { stack },
          UpdateExpression: 'SET spec = :spec, generation = generation + :one, version = version + :one',
          // Deletion is final: a delete request that lands after our read is refused here, not overwritten.
          ConditionExpression: `generation = :expected AND ${incarnation} AND attribute_not_exists(deletionRequestedAt)`,
          ExpressionAttributeValues: {
            ':spec': spec,
            ':one': 1,
            ':expected': expected.generation,
            ...(expected.incarnation === undefined ? {} : { ':incarnation': expected.incarnation }),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const beaten = await this.beatenBy(stack, err);
      if (beaten?.deletionRequestedAt !== undefined) {
        throw new StackDeletingError(stack, beaten.deletionRequestedAt, { cause: err });
      }
      if (beaten?.unreadableDeletionMark !== undefined) {
        throw new UnreadableDeletionMarkError(stack, beaten.unreadableDeletionMark, { cause: err });
      }
      throw new VersionConflictError(stack, expected.generation, beaten?.generation, {
        action: 'writing spec',
        counter: 'generation',
        incarnations: { expected: expected.incarnation, actual: beaten?.incarnation },
        cause: err,
      });
    }
  }

  /**
   * The generation, incarnation and deletion mark of the item that made a conditional spec write fail
   * (undefined: none). DynamoDB returns the old item with the failure; implementations that do not
   * (dynalite) get one more read.
   */
  private async beatenBy(
    stack: string,
    err: { Item?: unknown },
  ): Promise<
    | {
        generation?: number;
        incarnation?: string;
        deletionRequestedAt?: number;
        unreadableDeletionMark?: string;
      }
    | undefined
  > {
    if (err.Item) {
      const item = err.Item as Record<string, { N?: string; S?: string }>;
      const incarnation = readIncarnation(item.incarnation?.S);
      const mark = readDeletionMark(rawValue(item.deletionRequestedAt));
      return {
        generation: rawNumber(item, 'generation'),
        ...(incarnation === undefined ? {} : { incarnation }),
        ...(mark && 'at' in mark ? { deletionRequestedAt: mark.at } : {}),
        ...(mark && 'unreadable' in mark ? { unreadableDeletionMark: mark.unreadable } : {}),
      };
    }
    const record = await this.get(stack);
    return (
      record && {
        generation: record.generation,
        incarnation: record.incarnation,
        deletionRequestedAt: record.deletionRequestedAt,
        unreadableDeletionMark: record.unreadableDeletionMark,
      }
    );
  }

  /**
   * One conditional write of the reconciler's part (status, bookkeeping, or both); undefined when someone
   * wrote the record (or took the lease) first.
   */
  private async tryWriteStatus(
    stack: string,
    write: ReconcilerWrite,
    expected: number,
    leaseHolder: string | undefined,
  ): Promise<StackRecord | undefined> {
    const fence = leaseHolder === undefined ? '' : ' AND lease.holder = :holder AND lease.expiresAt >= :now';
    const parts = (['status', 'bookkeeping'] as const).filter((part) => write[part] !== undefined);
    // A version edited into no counter (read as UNREADABLE_VERSION) would match no `version = :expected`
    // and fail `version + 1` for ever: it is started again at 1, conditional on the very value stored.
    const unreadable = expected === UNREADABLE_VERSION;
    let stored: { value: unknown } | undefined;
    if (unreadable) {
      stored = await this.storedVersion(stack);
      // A counter since our read: someone wrote meanwhile; the caller re-reads.
      if (stored && isCounter(stored.value)) return undefined;
    }
    const versionCheck = !unreadable
      ? 'version = :expected'
      : stored
        ? 'version = :stored'
        : 'attribute_not_exists(version)';
    const written = await this.updateIf(stack, {
      UpdateExpression: `SET ${parts.map((p) => `#${p} = :${p}, `).join('')}version = ${unreadable ? ':one' : 'version + :one'}`,
      ConditionExpression: `${versionCheck}${fence}`,
      // `status` is a DynamoDB reserved word.
      ExpressionAttributeNames: Object.fromEntries(parts.map((p) => [`#${p}`, p])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(parts.map((p) => [`:${p}`, write[p]])),
        ':one': 1,
        ...(unreadable ? {} : { ':expected': expected }),
        ...(stored ? { ':stored': stored.value } : {}),
        ...(leaseHolder === undefined ? {} : { ':holder': leaseHolder, ':now': this.now() }),
      },
      ReturnValues: 'ALL_NEW',
    });
    return written && toRecord(written);
  }

  /**
   * A version edited by hand into no number (a string, removed) fails every `version + 1` with a
   * ValidationException, the delete and the spec write that use it included: it is started again at 1,
   * conditional on its still being no number (as tryWriteStatus does). A no-op on any other record.
   * Whether it was started again.
   */
  private async restartVersion(stack: string): Promise<boolean> {
    const restarted = await this.updateIf(stack, {
      UpdateExpression: 'SET version = :one',
      ConditionExpression:
        'attribute_exists(stack) AND (attribute_not_exists(version) OR NOT attribute_type(version, :number))',
      ExpressionAttributeValues: { ':one': 1, ':number': 'N' },
    });
    return restarted !== undefined;
  }

  /**
   * One conditional UpdateItem on the stack's item: the attributes it returns (`{}` when it asks for
   * none), or undefined when its condition failed. Any other error is thrown as it came.
   */
  private async updateIf(
    stack: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({ TableName: this.tableName, Key: { stack }, ...update }),
      );
      return Attributes ?? {};
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  /** The item's `version` as stored, whatever its type (undefined: the item has none). */
  private async storedVersion(stack: string): Promise<{ value: unknown } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { stack },
        ProjectionExpression: '#version',
        ExpressionAttributeNames: { '#version': 'version' },
        ConsistentRead: true,
      }),
    );
    return Item && 'version' in Item ? { value: Item['version'] } : undefined;
  }

  /**
   * Drops the oldest events beyond MAX_EVENTS. Conditional on the length seen, so that two trims racing
   * each other cannot both remove the same number of events; the loser re-reads and trims what is left.
   */
  private async trimEvents(stack: string, length: number): Promise<void> {
    for (let attempt = 0; attempt < 5 && length > MAX_EVENTS; attempt++) {
      const excess = length - MAX_EVENTS;
      // Highest index first: DynamoDB removes by the indexes as they were before the update, dynalite one
      // after the other; in this order both drop the same elements.
      const paths = Array.from({ length: excess }, (_, i) => `events[${excess - 1 - i}]`).join(', ');
      const trimmed = await this.updateIf(stack, {
        UpdateExpression: `REMOVE ${paths}`,
        ConditionExpression: 'size(events) = :length',
        ExpressionAttributeValues: { ':length': length },
      });
      if (trimmed) return;
      length = (await this.get(stack))?.events.length ?? 0;
    }
  }

  private holds(record: StackRecord, holder: string): boolean {
    return record.lease?.holder === holder && record.lease.expiresAt >= this.now();
  }
}

/**
 * The delete's condition on the incarnation read: that one; none (a record from before incarnations);
 * or, for one no write can name (edited by hand, or by the stack role, which may write it), that value
 * when it is a string, else any value that is no string: a record created again has a string.
 */
function incarnationCondition(options: DeleteRecordOptions): {
  condition: string;
  values: Record<string, unknown>;
} {
  const unreadable = 'expectedUnreadableIncarnation' in options;
  const value =
    options.expectedIncarnation ?? (unreadable ? options.expectedUnreadableIncarnation : undefined);
  if (typeof value === 'string')
    return { condition: 'incarnation = :incarnation', values: { ':incarnation': value } };
  if (!unreadable) return { condition: 'attribute_not_exists(incarnation)', values: {} };
  return {
    condition: 'attribute_exists(incarnation) AND NOT attribute_type(incarnation, :string)',
    values: { ':string': 'S' },
  };
}
