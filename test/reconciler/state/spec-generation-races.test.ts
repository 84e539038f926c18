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
    const { store, other, client, state } = await racedStore(db, (o) => o.requestDelete('orders-api'));
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 1 })
      .catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(StackDeletingError);
    expect(await other.get('orders-api')).toMatchObject({ generation: 1, spec: { mode: 'auto' } });
    client.destroy();
  });

  it('does not make the record again when it is deleted in between (an update, not a put)', async () => {
    const { store, other, client, state } = await racedStore(db, (o) => o.deleteRecord('orders-api'));
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 1 })
      .catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 1, actualVersion: undefined });
    expect(await other.get('orders-api')).toBeUndefined();
    client.destroy();
  });

  it('refuses when two writers read the same generation: exactly one wins', async () => {
    const { store: a } = await newStore(db);
    const b = new DynamoStateStore({
      client: new DynamoDBClient(localClientConfig(db.endpoint)),
      tableName: a.tableName,
    });
    await a.putSpec(specDoc());
    const results = await Promise.allSettled([
      a.putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 1 }),
      b.putSpec(specDoc('orders-api', { mode: 'lambda' }), { expectedGeneration: 1 }),
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

const stores: [string, () => Promise<StateStore>][] = [
  ['DynamoStateStore', async () => (await newStore(db)).store],
  ['InMemoryStateStore', async () => new InMemoryStateStore()],
];

describe.each(stores)('%s: generations only spec writes raise', (_name, makeStore) => {
  it('keeps the generation through status writes, bookkeeping and a lease (only the version moves)', async () => {
    const store = await makeStore();
    await store.putSpec(specDoc());
    await store.writeStatus('orders-api', () => status(1));
    await store.writeReconcilerState('orders-api', (r) => ({
      status: status(1),
      bookkeeping: r.bookkeeping,
    }));
    await store.acquireLease('orders-api', 'worker-a');
    const after = (await store.get('orders-api'))!;
    expect(after.generation).toBe(1);
    expect(after.version).toBeGreaterThan(1);
    const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: 1,
    });
    expect(written).toMatchObject({ change: 'updated', generation: 2 });
  });

  it('refuses an unchanged spec at an old generation rather than calling it unchanged', async () => {
    const store = await makeStore();
    await store.putSpec(specDoc());
    await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    // The spec sent equals the stored one, but the writer read generation 1: it has not seen generation 2.
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((await store.get('orders-api'))!.generation).toBe(2);
  });

  // DEFECT (open): the generation restarts at 1 when a deleted stack is made again, so an ETag read from
  // the old record ("1", or any generation the new record reaches again) applies to the new one and
  // overwrites a spec its writer never saw. Reproduction: putSpec(A) (generation 1), read generation 1,
  // requestDelete + deleteRecord, putSpec(B) (generation 1 again), putSpec(C, { expectedGeneration: 1 })
  // succeeds over B. The same through the service: GET /desired-state ETag "1", stack deleted and
  // created again, PUT with If-Match: "1" answers 200. A fix needs the record's incarnation in the
  // condition and the ETag (e.g. a creation nonce), not just the generation.
  it.skip('refuses an ETag read from a deleted record once the stack is made again', async () => {
    const store = await makeStore();
    await store.putSpec(specDoc());
    const oldGeneration = (await store.get('orders-api'))!.generation;
    await store.requestDelete('orders-api');
    await store.deleteRecord('orders-api');
    await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: oldGeneration })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((await store.get('orders-api'))!.spec).toMatchObject({ mode: 'lambda' });
  });
});
