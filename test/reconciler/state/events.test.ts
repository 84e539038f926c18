import { MAX_EVENTS, StackNotFoundError, type StackEvent } from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

function events(from: number, count: number): StackEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    at: from + i,
    type: 'Normal',
    reason: 'Test',
    message: `event ${from + i}`,
  }));
}

describe('DynamoStateStore.appendEvents', () => {
  it('keeps the newest 50, oldest first', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    await store.appendEvents('orders-api', events(0, 30));
    await store.appendEvents('orders-api', events(30, 30));
    let stored = (await store.get('orders-api'))?.events ?? [];
    expect(stored).toHaveLength(MAX_EVENTS);
    expect(stored.map((e) => e.at)).toEqual(events(10, 50).map((e) => e.at));

    await store.appendEvents('orders-api', events(60, 120)); // more than fit at once
    stored = (await store.get('orders-api'))?.events ?? [];
    expect(stored.map((e) => e.at)).toEqual(events(130, 50).map((e) => e.at));
  });

  it('keeps the bound when appends race', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    await store.appendEvents('orders-api', events(0, 45));
    await Promise.all([0, 1, 2, 3, 4].map((i) => store.appendEvents('orders-api', events(100 + i * 10, 3))));
    const stored = (await store.get('orders-api'))?.events ?? [];
    expect(stored).toHaveLength(MAX_EVENTS);
    // Every raced event survives: only the oldest of the first batch were dropped.
    expect(stored.filter((e) => e.at >= 100)).toHaveLength(15);
    expect(stored[0].at).toBe(10);
  });

  it('does not change the version', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    await store.appendEvents('orders-api', events(0, 60));
    expect((await store.get('orders-api'))?.version).toBe(1);
  });

  it('throws StackNotFoundError for an unknown stack and creates nothing', async () => {
    const { store } = await newStore(db);
    await expect(store.appendEvents('ghost', events(0, 1))).rejects.toBeInstanceOf(StackNotFoundError);
    expect(await store.get('ghost')).toBeUndefined();
  });
});
