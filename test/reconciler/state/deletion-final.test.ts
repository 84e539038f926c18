/**
 * Deletion is final: once `delete` was asked for, the stack takes no new spec. Both stores refuse the
 * write with StackDeletingError (naming the pending delete) and store nothing; DynamoDB's against dynalite.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoStateStore,
  InMemoryStateStore,
  StackDeletingError,
  type StateStore,
} from '../../../reconciler/state';
import { localClientConfig } from '../../../cli/local';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const REQUESTED_AT = 1_700_000_000_000;

const stores: [string, () => Promise<StateStore>][] = [
  ['DynamoStateStore', async () => (await newStore(db)).store],
  ['InMemoryStateStore', async () => new InMemoryStateStore(() => REQUESTED_AT)],
];

describe.each(stores)('%s.putSpec on a stack being deleted', (_name, makeStore) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await makeStore();
    await store.putSpec(specDoc());
    await store.requestDelete('orders-api');
  });

  it('refuses a changed spec, naming the pending delete, and stores nothing', async () => {
    const before = await store.get('orders-api');
    const error = await store.putSpec(specDoc('orders-api', { mode: 'fargate' })).catch((e) => e);
    expect(error).toBeInstanceOf(StackDeletingError);
    expect(error).toMatchObject({ stackName: 'orders-api', deletionRequestedAt: REQUESTED_AT });
    expect(error.message).toBe(
      `writing spec (orders-api): the stack's deletion was requested at ${new Date(REQUESTED_AT).toISOString()}; ` +
        'it takes no new spec until the delete has finished and the record is gone',
    );
    expect(await store.get('orders-api')).toEqual(before);
  });

  it('refuses it with the current generation as expectedGeneration too', async () => {
    const before = await store.get('orders-api');
    const attempt = store.putSpec(specDoc('orders-api', { mode: 'lambda' }), {
      expectedGeneration: before!.generation,
      expectedIncarnation: before!.incarnation,
    });
    await expect(attempt).rejects.toBeInstanceOf(StackDeletingError);
    expect(await store.get('orders-api')).toEqual(before);
  });

  it('refuses the same spec again rather than calling it unchanged', async () => {
    await expect(store.putSpec(specDoc())).rejects.toBeInstanceOf(StackDeletingError);
  });

  it('keeps the first request when asked again, and says it was there before', async () => {
    const first = (await store.get('orders-api'))!.deletionRequestedAt;
    const again = await store.requestDelete('orders-api');
    expect(again).toMatchObject({ record: { deletionRequestedAt: first }, alreadyRequested: true });
  });

  it('accepts the stack again once the record is gone', async () => {
    await store.deleteRecord('orders-api');
    const created = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    expect(created).toMatchObject({ change: 'created', generation: 1 });
    expect(created.deletionRequestedAt).toBeUndefined();
  });
});

describe('DynamoStateStore.putSpec racing a delete request', () => {
  it('is refused by the write itself when the delete lands between its read and its write', async () => {
    // A client of its own, so that the race's middleware stays out of the other tests' way.
    const client = new DynamoDBClient(localClientConfig(db.endpoint));
    const { store: other } = await newStore(db);
    const store = new DynamoStateStore({ client, tableName: other.tableName, now: () => REQUESTED_AT });
    await store.putSpec(specDoc());
    let raced = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // The spec write is the first UpdateItem after the store's read: the delete request slips in first.
        if (!raced && context.commandName === 'UpdateItemCommand') {
          raced = true;
          await other.requestDelete('orders-api');
        }
        return next(args);
      },
      { step: 'initialize', name: 'deleteRequestRace' },
    );
    const error = await store.putSpec(specDoc('orders-api', { mode: 'fargate' })).catch((e) => e);
    expect(raced).toBe(true);
    expect(error).toBeInstanceOf(StackDeletingError);
    expect((await other.get('orders-api'))?.spec).toMatchObject({ mode: 'auto' });
    client.destroy();
  });
});
