/** Shared set-up of the state store tests: a fresh table in a fresh in-memory dynalite, and a fake clock. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../../cli/local';
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

/**
 * A store (its stack `created` already) whose first UpdateItem is preceded by `race`, another store's write on the same table: the other
 * write lands between the store's own read and its write. A client of its own, so that the race's
 * middleware stays out of the other tests' way.
 */
export async function racedStore(db: TestDynamo, race: (other: DynamoStateStore) => Promise<unknown>) {
  const client = new DynamoDBClient(localClientConfig(db.endpoint));
  const { store: other } = await newStore(db);
  const store = new DynamoStateStore({ client, tableName: other.tableName });
  const created = await store.putSpec(specDoc());
  const state = { raced: false };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!state.raced && context.commandName === 'UpdateItemCommand') {
        state.raced = true;
        await race(other);
      }
      return next(args);
    },
    { step: 'initialize', name: 'writeRace' },
  );
  return { store, other, client, state, created };
}

export { startTestDynamo, type TestDynamo };
