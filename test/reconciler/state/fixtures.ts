/** Shared set-up of the state store tests: a fresh table in a fresh in-memory dynalite, and a fake clock. */
import { DynamoStateStore } from '../../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2';

export function specDoc(stack = 'orders-api', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { stack, image: IMAGE, ...extra };
}

export interface StoreFixture {
  db: TestDynamo;
  store: DynamoStateStore;
  clock: { now: number };
}

let tables = 0;

/** A store over its own table, so that tests in one file do not see each other's records. */
export async function newStore(
  db: TestDynamo,
  options: { leaseTtlMs?: number } = {},
): Promise<{ store: DynamoStateStore; clock: { now: number } }> {
  const clock = { now: 1_700_000_000_000 };
  const store = new DynamoStateStore({
    client: db.client,
    tableName: `lambdaflex-test-${++tables}`,
    now: () => clock.now,
    ...options,
  });
  await store.ensureTable();
  return { store, clock };
}

export { startTestDynamo, type TestDynamo };
