/**
 * Attacks on spec writes conditional on the generation: a write conditioned on a generation that is no
 * longer the stored spec's must never land, whatever happens between the writer's read and its write
 * (a delete request, the record deleted, the record deleted and made again, status writes). DynamoDB's
 * store against dynalite, with the other write landing between the store's own read and its UpdateItem.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoStateStore,
  InMemoryStateStore,
  StackDeletingError,
  VersionConflictError,
  type PutSpecResult,
  type StateStore,
} from '../../../reconciler/state';
import { localClientConfig } from '../../../cli/local';
import { newStore, racedStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const status = (generation: number) => ({
  observedGeneration: generation,
  phase: 'Lambda' as const,
  conditions: [],
  resources: {},
});

describe('DynamoStateStore.putSpec when something else lands between its read and its write', () => {
  it('refuses, writing nothing, when the deletion is requested in between', async () => {
    const { store, other, client, state, created } = await racedStore(db, (o) =>
      o.requestDelete('orders-api'),
    );
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 1,
        expectedIncarnation: created.incarnation,
      })
      .catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(StackDeletingError);
    expect(await other.get('orders-api')).toMatchObject({ generation: 1, spec: { mode: 'auto' } });
    client.destroy();
  });

  it('does not make the record again when it is deleted in between (an update, not a put)', async () => {
    const { store, other, client, state, created } = await racedStore(db, (o) =>
      o.deleteRecord('orders-api'),
    );
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 1,
        expectedIncarnation: created.incarnation,
      })
      .catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 1, actualVersion: undefined });
    expect(await other.get('orders-api')).toBeUndefined();
    client.destroy();
  });

  it('refuses, writing nothing, when the stack is deleted and made again in between', async () => {
    const { store, other, client, state, created } = await racedStore(db, async (o) => {
      await o.requestDelete('orders-api');
      await o.deleteRecord('orders-api');
      await o.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    });
    // No expectation given: the store's own read is what the write is conditional on.
    const error = await store.putSpec(specDoc('orders-api', { mode: 'fargate' })).catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(VersionConflictError);
    const remade = (await other.get('orders-api'))!;
    expect(remade).toMatchObject({ generation: 1, version: 1, spec: { mode: 'lambda' } });
    expect(error).toMatchObject({
      expectedIncarnation: created.incarnation,
      actualIncarnation: remade.incarnation,
    });
    client.destroy();
  });

  it('refuses when two writers read the same generation: exactly one wins', async () => {
    const { store: a } = await newStore(db);
    const b = new DynamoStateStore({
      client: new DynamoDBClient(localClientConfig(db.endpoint)),
      tableName: a.tableName,
    });
    const { incarnation } = await a.putSpec(specDoc());
    const expected = { expectedGeneration: 1, expectedIncarnation: incarnation };
    const results = await Promise.allSettled([
      a.putSpec(specDoc('orders-api', { mode: 'fargate' }), expected),
      b.putSpec(specDoc('orders-api', { mode: 'lambda' }), expected),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(VersionConflictError);
    const stored = (await a.get('orders-api'))!;
    expect(stored.generation).toBe(2);
    expect((won[0] as PromiseFulfilledResult<{ spec: unknown }>).value.spec).toEqual(stored.spec);
  });
});

const stripChange = ({ change: _change, ...record }: PutSpecResult) => record;

const stores: [string, () => Promise<StateStore>][] = [
  ['DynamoStateStore', async () => (await newStore(db)).store],
  ['InMemoryStateStore', async () => new InMemoryStateStore()],
];

describe.each(stores)('%s: generations only spec writes raise', (_name, makeStore) => {
  it('keeps the generation through status writes, bookkeeping and a lease (only the version moves)', async () => {
    const store = await makeStore();
    const { incarnation } = await store.putSpec(specDoc());
    await store.writeStatus('orders-api', () => status(1));
    await store.writeReconcilerState('orders-api', (r) => ({
      status: status(1),
      bookkeeping: r.bookkeeping,
    }));
    await store.acquireLease('orders-api', 'worker-a');
    const after = (await store.get('orders-api'))!;
    expect(after.generation).toBe(1);
    expect(after.incarnation).toBe(incarnation);
    expect(after.version).toBeGreaterThan(1);
    const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: 1,
      expectedIncarnation: incarnation,
    });
    expect(written).toMatchObject({ change: 'updated', generation: 2 });
  });

  it('refuses an unchanged spec at an old generation rather than calling it unchanged', async () => {
    const store = await makeStore();
    const { incarnation } = await store.putSpec(specDoc());
    await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    // The spec sent equals the stored one, but the writer read generation 1: it has not seen generation 2.
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 1,
        expectedIncarnation: incarnation,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((await store.get('orders-api'))!.generation).toBe(2);
  });

  // The generation starts again at 1 when a deleted stack is made again: what was read of the old record
  // must not apply to the new one, whose spec its writer never saw. The incarnation tells them apart.
  it('refuses an ETag read from a deleted record once the stack is made again', async () => {
    const store = await makeStore();
    await store.putSpec(specDoc());
    const old = (await store.get('orders-api'))!;
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    const remade = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    expect(remade).toMatchObject({ change: 'created', generation: old.generation });
    expect(remade.incarnation).not.toBe(old.incarnation);
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: old.generation,
        expectedIncarnation: old.incarnation,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({
      expectedVersion: 1,
      actualVersion: 1,
      expectedIncarnation: old.incarnation,
      actualIncarnation: remade.incarnation,
    });
    expect(error.message).toBe(
      `writing spec (orders-api): incarnation conflict (expected generation 1 of incarnation ${old.incarnation}, ` +
        `found generation 1 of incarnation ${remade.incarnation}): the record found is not the one read; ` +
        'the stack was deleted and created again since; read it again and retry',
    );
    expect((await store.get('orders-api'))!.spec).toMatchObject({ mode: 'lambda' });
  });

  it("refuses the old record's revision with the new record's very spec rather than calling it unchanged", async () => {
    const store = await makeStore();
    const old = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    const remade = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: old.generation,
        expectedIncarnation: old.incarnation,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(await store.get('orders-api')).toEqual(stripChange(remade));
  });
});
