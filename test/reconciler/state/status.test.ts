import {
  DynamoStateStore,
  LeaseLostError,
  StackNotFoundError,
  VersionConflictError,
  type StackStatus,
} from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

function status(observedGeneration: number, phase: StackStatus['phase'] = 'Lambda'): StackStatus {
  return { observedGeneration, phase, conditions: [], resources: {} };
}

describe('DynamoStateStore.writeStatus', () => {
  it('writes the status from the current record and raises the version, not the generation', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    const written = await store.writeStatus('orders-api', (current) => status(current.generation));
    expect(written).toMatchObject({
      generation: 1,
      version: 2,
      status: { observedGeneration: 1, phase: 'Lambda' },
    });
    expect((await store.get('orders-api'))?.status).toEqual(status(1));
  });

  it('loses nothing when a spec edit lands between its read and its write', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    const generations: number[] = [];
    const result = await store.writeStatus('orders-api', async (current) => {
      generations.push(current.generation);
      // The first call's read is now stale: an editor changes the spec before the status is written.
      if (generations.length === 1) await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
      return status(current.generation);
    });
    expect(generations).toEqual([1, 2]);
    expect(result).toMatchObject({ generation: 2, version: 3, status: { observedGeneration: 2 } });
    const stored = await store.get('orders-api');
    expect(stored?.spec).toMatchObject({ mode: 'fargate' });
    expect(stored?.status?.observedGeneration).toBe(2);
  });

  it('gives up with a VersionConflictError after the configured attempts, writing nothing', async () => {
    const { store: base } = await newStore(db);
    const store = new DynamoStateStore({
      client: db.client,
      tableName: base.tableName,
      maxStatusAttempts: 3,
    });
    await store.putSpec(specDoc());
    let calls = 0;
    const error = await store
      .writeStatus('orders-api', async (current) => {
        calls++;
        // Every call loses to a spec edit, so no write can succeed.
        await store.putSpec(specDoc('orders-api', { port: 1000 + calls }));
        return status(current.generation);
      })
      .catch((e) => e);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 3, actualVersion: 4 });
    expect(error.message).toMatch(/^writing status after 3 attempts \(orders-api\): version conflict/);
    const stored = await store.get('orders-api');
    expect(stored?.status).toBeUndefined();
    expect(stored?.spec).toMatchObject({ port: 1003 });
  });

  it('throws StackNotFoundError for an unknown stack', async () => {
    const { store } = await newStore(db);
    await expect(store.writeStatus('ghost', () => status(1))).rejects.toBeInstanceOf(StackNotFoundError);
  });

  it('is fenced by the lease when the writer names itself', async () => {
    const { store, clock } = await newStore(db, { leaseTtlMs: 1000 });
    await store.putSpec(specDoc());
    expect(await store.acquireLease('orders-api', 'reconciler-a')).toBe(true);
    await store.writeStatus('orders-api', () => status(1), { leaseHolder: 'reconciler-a' });

    clock.now += 1001; // a's lease expired mid-pass; b takes over
    expect(await store.acquireLease('orders-api', 'reconciler-b')).toBe(true);
    const error = await store
      .writeStatus('orders-api', () => status(1, 'Error'), { leaseHolder: 'reconciler-a' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(error.message).toBe('writing status (orders-api): lease no longer held by reconciler-a');
    expect((await store.get('orders-api'))?.status?.phase).toBe('Lambda');
  });

  it('is fenced at the write too: a lease taken over between read and write stops it', async () => {
    const { store, clock } = await newStore(db, { leaseTtlMs: 1000 });
    await store.putSpec(specDoc());
    await store.acquireLease('orders-api', 'reconciler-a');
    const error = await store
      .writeStatus(
        'orders-api',
        async () => {
          clock.now += 1001;
          await store.acquireLease('orders-api', 'reconciler-b');
          return status(1, 'Error');
        },
        { leaseHolder: 'reconciler-a' },
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect((await store.get('orders-api'))?.status).toBeUndefined();
  });
});
