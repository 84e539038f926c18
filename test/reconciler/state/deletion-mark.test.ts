/**
 * A `deletionRequestedAt` edited by hand into no time (state/deletion-mark.ts): it is no deletion request,
 * `lambdaflex delete` (requestDelete) replaces it with a proper one, and a spec write is refused naming it
 * with nothing written. DynamoDB's store against dynalite, with the item edited in DynamoDB's own terms.
 */
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  InMemoryStateStore,
  readDeletionMark,
  UnreadableDeletionMarkError,
  type DynamoStateStore,
} from '../../../reconciler/state';
import { rawValue, toRecord } from '../../../reconciler/state/record';
import { newStore, racedStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

/** A mark as no write of the product makes, and how the status names it. */
const MALFORMED: [string, AttributeValue, string][] = [
  ['null', { NULL: true }, 'null'],
  ['false', { BOOL: false }, 'the boolean false'],
  ['0', { N: '0' }, 'the number 0'],
  ['a fraction of a millisecond', { N: '0.5' }, 'the number 0.5'],
  ['past the last time a date holds', { N: '8640000000000001' }, 'the number 8640000000000001'],
  ['""', { S: '' }, 'an empty string'],
  ['"yesterday"', { S: 'yesterday' }, 'the string "yesterday"'],
  ['a time as a string', { S: '1700000000000' }, 'the string "1700000000000"'],
  ['a list', { L: [] }, 'a list'],
];

function setMark(store: DynamoStateStore, value: AttributeValue) {
  return db.client.send(
    new UpdateItemCommand({
      TableName: store.tableName,
      Key: { stack: { S: 'orders-api' } },
      UpdateExpression: 'SET deletionRequestedAt = :v',
      ExpressionAttributeValues: { ':v': value },
    }),
  );
}

describe('the deletion mark as read', () => {
  it.each(MALFORMED)('%s is no request, and is named in words', (_name, value, kind) => {
    expect(readDeletionMark(rawValue(value))).toEqual({ unreadable: kind });
    const record = toRecord({ stack: 'orders-api', deletionRequestedAt: rawValue(value) });
    expect(record).toMatchObject({ unreadableDeletionMark: kind });
    expect(record.deletionRequestedAt).toBeUndefined();
  });

  it.each([1, 1_700_000_000_000, 8.64e15])('%d, a time as requestDelete writes it, is a request', (at) => {
    expect(toRecord({ stack: 'orders-api', deletionRequestedAt: at })).toMatchObject({
      deletionRequestedAt: at,
    });
    expect(toRecord({ stack: 'orders-api', deletionRequestedAt: at }).unreadableDeletionMark).toBeUndefined();
  });

  it('a raw number no BigInt parses (1E+100; DynamoDB itself returns 1e100 in digits) is named, not thrown', () => {
    expect(readDeletionMark(rawValue({ N: '1E+100' }))).toEqual({ unreadable: 'the number 1e+100' });
  });
});

describe('DynamoStateStore.requestDelete over a mark that is no time', () => {
  it.each(MALFORMED)('%s: replaced with the request’s time, the version raised', async (_name, value) => {
    const { store, clock } = await newStore(db);
    await store.putSpec(specDoc());
    await setMark(store, value);
    const before = (await store.get('orders-api'))!;
    const { record: requested, alreadyRequested } = await store.requestDelete('orders-api');
    expect(requested).toMatchObject({ deletionRequestedAt: clock.now, version: before.version + 1 });
    expect(requested.unreadableDeletionMark).toBeUndefined();
    // A mark that was no time was no request: this one is the first.
    expect(alreadyRequested).toBe(false);
    const read = (await store.get('orders-api'))!;
    expect(read).toMatchObject({ deletionRequestedAt: clock.now, version: before.version + 1 });
    expect(read.unreadableDeletionMark).toBeUndefined();
    // Asked again: the proper mark is now kept, as for any request.
    const first = clock.now;
    clock.now += 1000;
    expect(await store.requestDelete('orders-api')).toMatchObject({
      record: { deletionRequestedAt: first },
      alreadyRequested: true,
    });
  });

  it('a proper mark edited in between the two writes is kept, not replaced', async () => {
    // The keeping write is refused by the "yesterday" found; before the replacing one, a proper request
    // lands: the replacing write is refused in turn, and the next round keeps the proper mark.
    const { store, other, client, state } = await racedStore(db, (other) =>
      setMark(other, { S: 'yesterday' }),
    );
    let updates = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand' && ++updates === 2) await setMark(other, { N: '5' });
        return next(args);
      },
      { step: 'initialize', name: 'properMarkRace' },
    );
    const requested = await store.requestDelete('orders-api');
    expect(state.raced).toBe(true);
    expect(updates).toBe(3);
    expect(requested).toMatchObject({ record: { deletionRequestedAt: 5 }, alreadyRequested: true });
    client.destroy();
  });

  it('still says so of a stack that has no record', async () => {
    const { store } = await newStore(db);
    await expect(store.requestDelete('ghost')).rejects.toThrow(
      `requesting deletion (ghost): no such stack in table ${store.tableName}`,
    );
  });
});

describe('DynamoStateStore.putSpec on a record whose mark is no time', () => {
  it.each(MALFORMED)(
    '%s: refused naming the field and the rule, nothing written',
    async (_name, value, kind) => {
      const { store } = await newStore(db);
      await store.putSpec(specDoc());
      await setMark(store, value);
      const before = await store.get('orders-api');
      const error = await store.putSpec(specDoc('orders-api', { mode: 'fargate' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableDeletionMarkError);
      expect((error as Error).message).toBe(
        `writing spec (orders-api): deletionRequestedAt: ${kind} is not a deletion request (a deletion mark is ` +
          'the time of the request, a number of milliseconds since the epoch from 1 on, as `lambdaflex delete` ' +
          'writes it), so the stack is held: nothing of it is created, changed or deleted until ' +
          '`lambdaflex delete orders-api` requests its deletion, or the attribute is removed to keep it; ' +
          'nothing written',
      );
      expect(await store.get('orders-api')).toEqual(before);
    },
  );

  it('is refused by the write itself when the mark is edited in between its read and its write', async () => {
    const { store, other, client, state } = await racedStore(db, (other) => setMark(other, { NULL: true }));
    const error = await store.putSpec(specDoc('orders-api', { mode: 'fargate' })).catch((e: unknown) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(UnreadableDeletionMarkError);
    expect((await other.get('orders-api'))?.spec).not.toMatchObject({ mode: 'fargate' });
    client.destroy();
  });
});

describe('InMemoryStateStore over a record imported with a mark that is no time', () => {
  function heldStore() {
    const store = new InMemoryStateStore(() => 1_700_000_000_000);
    const record = toRecord({ ...specRecord(), deletionRequestedAt: null });
    store.importRecords([record]);
    return store;
  }
  function specRecord() {
    return { stack: 'orders-api', spec: specDoc(), generation: 1, version: 3, incarnation: 'abc' };
  }

  it('refuses a spec write, and requestDelete replaces the mark', async () => {
    const store = heldStore();
    await expect(store.putSpec(specDoc('orders-api', { mode: 'lambda' }))).rejects.toBeInstanceOf(
      UnreadableDeletionMarkError,
    );
    const { record: requested, alreadyRequested } = await store.requestDelete('orders-api');
    expect(requested).toMatchObject({ deletionRequestedAt: 1_700_000_000_000, version: 4 });
    expect(requested.unreadableDeletionMark).toBeUndefined();
    expect(alreadyRequested).toBe(false);
  });
});
