/** The table's shared bucket (StateStore.claimTurn): in DynamoDB, conditional, never a turn twice. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../../cli/local';
import { DynamoStateStore, InMemoryStateStore } from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

const SIZE = { capacity: 10, refillPerSecond: 0.2 };

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe('claimTurn', () => {
  it('DynamoDB: environments claiming at once each get a turn of their own, spaced as the bucket', async () => {
    const { store, clock } = await newStore(db);
    // Four environments, each with its own client and store over the same table, claiming at once.
    const others = Array.from(
      { length: 4 },
      () =>
        new DynamoStateStore({
          client: new DynamoDBClient(localClientConfig(db.endpoint)),
          tableName: store.tableName,
          now: () => clock.now,
        }),
    );
    const turns = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        others[i % 4]!.claimTurn('elbv2:resourceIntensive', SIZE, `s${i}`, 60_000),
      ),
    );
    const offsets = turns.map((t) => t.at - clock.now).sort((a, b) => a - b);
    expect(offsets).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000]);
    expect(turns.every((t) => t.go)).toBe(true);
  });

  it('DynamoDB: a turn kept for its holder is handed back to it, and the book is never listed as a stack', async () => {
    const { store, clock } = await newStore(db);
    await store.putSpec(specDoc('orders-api'));
    for (let i = 0; i < 10; i++) await store.claimTurn('elbv2:resourceIntensive', SIZE, `burst-${i}`, 0);
    const kept = await store.claimTurn('elbv2:resourceIntensive', SIZE, 'orders-api', 1_000);
    expect(kept).toEqual({ at: clock.now + 5_000, go: false });
    const next = await store.claimTurn('elbv2:resourceIntensive', SIZE, 'other', 1_000);
    expect(next).toEqual({ at: clock.now + 10_000, go: false });
    clock.now += 4_500;
    expect(await store.claimTurn('elbv2:resourceIntensive', SIZE, 'orders-api', 1_000)).toEqual({
      at: clock.now + 500,
      go: true,
    });
    expect((await store.list()).map((r) => r.stack)).toEqual(['orders-api']);
  });

  it('in memory: the same turns', async () => {
    const now = 1_700_000_000_000;
    const store = new InMemoryStateStore(() => now);
    const turns = [];
    for (let i = 0; i < 12; i++)
      turns.push(await store.claimTurn('elbv2:resourceIntensive', SIZE, `s${i}`, 6_000));
    expect(turns.map((t) => [t.at - now, t.go])).toEqual([
      ...Array.from({ length: 10 }, () => [0, true]),
      [5_000, true],
      [10_000, false],
    ]);
  });
});
