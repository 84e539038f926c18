/**
 * The record's incarnation (reconciler/state/incarnation.ts): written once when a record is created, kept
 * by every later write, part of every spec write's condition. A record created before incarnations has
 * none and keeps none; its generation alone still names it, and never a record created since. Both
 * stores, the DynamoDB one against dynalite.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  emptyBookkeeping,
  InMemoryStateStore,
  VersionConflictError,
  type StackRecord,
  type StateStore,
} from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

/** A record as a release before incarnations wrote it: no `incarnation` attribute. */
const LEGACY: StackRecord = {
  stack: 'orders-api',
  spec: specDoc(),
  generation: 3,
  version: 7,
  events: [],
  bookkeeping: emptyBookkeeping(),
};

interface Subject {
  store: StateStore;
  /** Writes LEGACY as it is, past the store. */
  writeLegacy(): Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'DynamoStateStore',
    async () => {
      const { store } = await newStore(db);
      const doc = DynamoDBDocumentClient.from(db.client);
      return {
        store,
        writeLegacy: async () => {
          await doc.send(new PutCommand({ TableName: store.tableName, Item: LEGACY }));
        },
      };
    },
  ],
  [
    'InMemoryStateStore',
    async () => {
      const store = new InMemoryStateStore();
      return { store, writeLegacy: async () => store.importRecords([LEGACY]) };
    },
  ],
];

const status = { observedGeneration: 1, phase: 'Lambda' as const, conditions: [], resources: {} };

describe.each(subjects)('%s: the incarnation', (_name, make) => {
  it('is written when the record is created and kept by every later write', async () => {
    const { store } = await make();
    const created = await store.putSpec(specDoc());
    expect(created.incarnation).toMatch(/^[0-9a-f]{12}$/);
    await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    await store.writeStatus('orders-api', () => status);
    await store.acquireLease('orders-api', 'worker-a');
    await store.appendEvents('orders-api', [{ at: 1, type: 'Normal', reason: 'Test', message: 'kept' }]);
    await store.requestDelete('orders-api');
    expect(await store.get('orders-api')).toMatchObject({
      generation: 2,
      incarnation: created.incarnation,
    });
  });

  it('is a new one when the stack is deleted and created again', async () => {
    const { store } = await make();
    const first = await store.putSpec(specDoc());
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    const second = await store.putSpec(specDoc());
    expect(second).toMatchObject({ change: 'created', generation: 1 });
    expect(second.incarnation).toMatch(/^[0-9a-f]{12}$/);
    expect(second.incarnation).not.toBe(first.incarnation);
  });

  it('must be named with the generation: a generation alone is refused, and nothing is written', async () => {
    const { store } = await make();
    const created = await store.putSpec(specDoc());
    const before = await store.get('orders-api');
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error.message).toBe(
      `writing spec (orders-api): incarnation conflict (expected generation 1 of a record without an incarnation, found generation 1 of incarnation ${created.incarnation}): ` +
        'a generation alone, read before records had incarnations, cannot tell this record from one deleted and created again since; read it again and retry',
    );
    expect(await store.get('orders-api')).toEqual(before);
  });

  it("refuses an incarnation that is not the record's, even at its generation", async () => {
    const { store } = await make();
    await store.putSpec(specDoc());
    const before = await store.get('orders-api');
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 1,
        expectedIncarnation: '000000000000',
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({
      expectedIncarnation: '000000000000',
      actualIncarnation: before!.incarnation,
    });
    expect(await store.get('orders-api')).toEqual(before);
  });
});

describe.each(subjects)('%s: a record created before incarnations', (_name, make) => {
  it('is read without one, and takes a spec conditional on its generation alone, keeping none', async () => {
    const { store, writeLegacy } = await make();
    await writeLegacy();
    const read = (await store.get('orders-api'))!;
    expect(read.incarnation).toBeUndefined();
    const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: read.generation,
      expectedIncarnation: read.incarnation,
    });
    expect(written).toMatchObject({ change: 'updated', generation: 4 });
    expect(written.incarnation).toBeUndefined();
    // Without an expectation the store's own read is the condition, and it too names no incarnation.
    const again = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    expect(again).toMatchObject({ change: 'updated', generation: 5 });
    expect((await store.get('orders-api'))!.incarnation).toBeUndefined();
  });

  it('refuses an expectation that names an incarnation, writing nothing', async () => {
    const { store, writeLegacy } = await make();
    await writeLegacy();
    const before = await store.get('orders-api');
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 3,
        expectedIncarnation: '9f2c4e1a7b3d',
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error.message).toBe(
      'writing spec (orders-api): incarnation conflict (expected generation 3 of incarnation 9f2c4e1a7b3d, found generation 3 of a record without an incarnation): ' +
        'the record found is not the one read; the stack was deleted and created again since; read it again and retry',
    );
    expect(await store.get('orders-api')).toEqual(before);
  });

  it('is replaced, once deleted, by one with an incarnation: its generation alone no longer applies', async () => {
    const { store, writeLegacy } = await make();
    await writeLegacy();
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    await store.putSpec(specDoc('orders-api', { mode: 'auto' }));
    await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    // The new record is at generation 3 again, LEGACY's: the generation read from LEGACY names it no more.
    const remade = (await store.get('orders-api'))!;
    expect(remade).toMatchObject({ generation: 3, spec: { mode: 'fargate' } });
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'lambda' }), { expectedGeneration: LEGACY.generation })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(await store.get('orders-api')).toEqual(remade);
  });
});

describe('DynamoStateStore: the incarnation as stored', () => {
  it('is a string attribute of the item, written by the create', async () => {
    const { store } = await newStore(db);
    const created = await store.putSpec(specDoc());
    const doc = DynamoDBDocumentClient.from(db.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: store.tableName, Key: { stack: 'orders-api' }, ConsistentRead: true }),
    );
    expect(Item?.incarnation).toMatch(/^[0-9a-f]{12}$/);
    expect(Item?.incarnation).toBe(created.incarnation);
  });
});
