import { StackNotFoundError } from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe('DynamoStateStore leases', () => {
  it('is taken, renewed, expires and is taken over', async () => {
    const { store, clock } = await newStore(db, { leaseTtlMs: 1000 });
    await store.putSpec(specDoc());
    const start = clock.now;

    expect(await store.acquireLease('orders-api', 'a')).toBe(true);
    expect((await store.get('orders-api'))?.lease).toEqual({ holder: 'a', expiresAt: start + 1000 });
    expect(await store.acquireLease('orders-api', 'b')).toBe(false);

    clock.now = start + 900;
    expect(await store.renewLease('orders-api', 'a')).toBe(true);
    expect((await store.get('orders-api'))?.lease?.expiresAt).toBe(start + 1900);
    expect(await store.renewLease('orders-api', 'b')).toBe(false);

    clock.now = start + 1900; // the last instant a still holds it
    expect(await store.acquireLease('orders-api', 'b')).toBe(false);

    clock.now = start + 1901;
    expect(await store.renewLease('orders-api', 'a')).toBe(false);
    expect(await store.acquireLease('orders-api', 'b')).toBe(true);
    expect((await store.get('orders-api'))?.lease).toEqual({ holder: 'b', expiresAt: start + 2901 });
    expect(await store.renewLease('orders-api', 'a')).toBe(false);
  });

  it('can be re-acquired by its holder, with a custom time to live', async () => {
    const { store, clock } = await newStore(db);
    await store.putSpec(specDoc());
    expect(await store.acquireLease('orders-api', 'a', 50)).toBe(true);
    expect(await store.acquireLease('orders-api', 'a', 5000)).toBe(true);
    expect((await store.get('orders-api'))?.lease?.expiresAt).toBe(clock.now + 5000);
  });

  it('is released only by its holder', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    await store.acquireLease('orders-api', 'a');
    await store.releaseLease('orders-api', 'b');
    expect((await store.get('orders-api'))?.lease?.holder).toBe('a');
    await store.releaseLease('orders-api', 'a');
    expect((await store.get('orders-api'))?.lease).toBeUndefined();
    expect(await store.acquireLease('orders-api', 'b')).toBe(true);
    await store.releaseLease('ghost', 'b');
  });

  it('does not change the version, so a spec edit from an earlier read still succeeds', async () => {
    const { store } = await newStore(db);
    const created = await store.putSpec(specDoc());
    await store.acquireLease('orders-api', 'a');
    await store.renewLease('orders-api', 'a');
    await store.releaseLease('orders-api', 'a');
    const updated = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }), {
      expectedGeneration: created.generation,
      expectedIncarnation: created.incarnation,
    });
    expect(updated).toMatchObject({ version: 2, generation: 2 });
  });

  it('lets exactly one of two concurrent reconcilers take it', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    const taken = await Promise.all([
      store.acquireLease('orders-api', 'a'),
      store.acquireLease('orders-api', 'b'),
    ]);
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it('cannot be taken on an unknown stack', async () => {
    const { store } = await newStore(db);
    await expect(store.acquireLease('ghost', 'a')).rejects.toBeInstanceOf(StackNotFoundError);
    expect(await store.get('ghost')).toBeUndefined();
  });
});
