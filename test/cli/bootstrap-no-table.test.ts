/**
 * Bootstrap's first run against AWS finds no table yet: what it reads of one before writing (the system
 * record kept from the last bootstrap, the stacks it would cut off) is then nothing, not an error; any
 * other failure of the store still stops it.
 */
import { isNoTableYet, stacksCutOffByZones } from '../../cli/commands/bootstrap-stacks';
import { DynamoStateStore } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';

let db: TestDynamo;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  await db.stop();
});

describe('bootstrap before the table exists', () => {
  it('reads the missing table as nothing kept and no stack cut off', async () => {
    const store = new DynamoStateStore({ client: db.client, tableName: 'lambdaflex-not-made' });
    const read = await store.getSystemRecord().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(read).toBeDefined();
    expect(isNoTableYet(read)).toBe(true);
    const next = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 100 };
    await expect(
      stacksCutOffByZones(db.client, 'lambdaflex-not-made', undefined, next, (rest) => rest),
    ).resolves.toEqual([]);
  });

  it('takes no other failure for a missing table', () => {
    expect(isNoTableYet(new Error('reading the system record (#lambdaflex-system): not found'))).toBe(false);
    expect(isNoTableYet(undefined)).toBe(false);
  });
});
