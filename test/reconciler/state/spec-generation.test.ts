/**
 * A spec write is conditional on the spec's generation, not on the record's version: the reconciler writes
 * the status (raising the version) on every pass, so a person's read-edit-write conditional on the version
 * would nearly always fail. A spec edit in between must still fail the write, and write nothing. Both
 * stores; DynamoDB's against dynalite, with the racing write landing between the store's read and its write.
 */
import { InMemoryStateStore, VersionConflictError, type StateStore } from '../../../reconciler/state';
import { newStore, racedStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const stores: [string, () => Promise<StateStore>][] = [
  ['DynamoStateStore', async () => (await newStore(db)).store],
  ['InMemoryStateStore', async () => new InMemoryStateStore()],
];

describe.each(stores)('%s.putSpec with expectedGeneration', (_name, makeStore) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await makeStore();
    await store.putSpec(specDoc());
  });

  it('writes over status writes made since the spec was read', async () => {
    const read = (await store.get('orders-api'))!;
    for (let pass = 0; pass < 3; pass++) {
      await store.writeStatus('orders-api', (r) => ({
        observedGeneration: r.generation,
        phase: 'Lambda',
        conditions: [],
        resources: {},
      }));
    }
    expect((await store.get('orders-api'))!.version).toBe(read.version + 3);
    const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: read.generation,
      expectedIncarnation: read.incarnation,
    });
    expect(written).toMatchObject({ change: 'updated', generation: read.generation + 1 });
    expect(written.status).toMatchObject({ phase: 'Lambda' });
    expect((await store.get('orders-api'))?.spec).toMatchObject({ mode: 'fargate' });
  });

  it('refuses the write, naming the generations, when the spec was edited since it was read', async () => {
    const read = (await store.get('orders-api'))!;
    await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    const before = await store.get('orders-api');
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: read.generation,
        expectedIncarnation: read.incarnation,
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2, counter: 'generation' });
    expect(error.message).toBe(
      'writing spec (orders-api): generation conflict (expected generation 1, found generation 2); read it again and retry',
    );
    expect(await store.get('orders-api')).toEqual(before);
  });

  it('refuses to create a stack that exists (expectedGeneration 0)', async () => {
    const before = await store.get('orders-api');
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'lambda' }), { expectedGeneration: 0 })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'VersionConflictError', expectedVersion: 0, actualVersion: 1 });
    expect(await store.get('orders-api')).toEqual(before);
  });
});

describe('DynamoStateStore.putSpec racing another write between its read and its write', () => {
  it('still writes when the racing write is a status write', async () => {
    const { store, other, client, state, created } = await racedStore(db, (other) =>
      other.writeStatus('orders-api', () => ({
        observedGeneration: 1,
        phase: 'Lambda',
        conditions: [],
        resources: {},
      })),
    );
    const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: 1,
      expectedIncarnation: created.incarnation,
    });
    expect(state.raced).toBe(true);
    expect(written).toMatchObject({ change: 'updated', generation: 2, version: 3 });
    expect(await other.get('orders-api')).toMatchObject({
      spec: { mode: 'fargate' },
      status: { phase: 'Lambda' },
    });
    client.destroy();
  });

  it('is refused by the write itself when the racing write is a spec edit', async () => {
    const { store, other, client, state, created } = await racedStore(db, (other) =>
      other.putSpec(specDoc('orders-api', { mode: 'lambda' })),
    );
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'fargate' }), {
        expectedGeneration: 1,
        expectedIncarnation: created.incarnation,
      })
      .catch((e) => e);
    expect(state.raced).toBe(true);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2, counter: 'generation' });
    expect(await other.get('orders-api')).toMatchObject({ generation: 2, spec: { mode: 'lambda' } });
    client.destroy();
  });
});
