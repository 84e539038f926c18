/**
 * Attacks on the record's conditional delete (the reconciler's, once a stack's resources are gone), in
 * both stores, the DynamoDB one against dynalite: a stack deleted and created again starts again at
 * version 1, so a delete that expected a version read from the record that was can find the new record
 * at that very version. The incarnation, not the version alone, says which record the delete is for.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import { InMemoryStateStore } from '../../../reconciler/state/memory-store';
import { type StateStore, type StackRecord, VersionConflictError } from '../../../reconciler/state/types';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const STACK = 'orders-api';
const status = (record: StackRecord) => ({
  observedGeneration: record.generation,
  phase: 'Pending' as const,
  conditions: [],
  resources: {},
});

/** Status writes (each raises the version by one) until the record is at `version`. */
async function raiseTo(store: StateStore, version: number): Promise<StackRecord> {
  let record = (await store.get(STACK))!;
  while (record.version < version) record = await store.writeStatus(STACK, status);
  return record;
}

const stores: [string, () => Promise<StateStore>][] = [
  ['DynamoStateStore', async () => (await newStore(db)).store],
  ['InMemoryStateStore', async () => new InMemoryStateStore()],
];

describe.each(stores)('%s: a conditional delete of a record deleted and created again', (_, make) => {
  it('leaves the record made again alone at the version expected, and says the stack was made again', async () => {
    const store = await make();
    await store.putSpec(specDoc());
    await store.requestDelete(STACK);
    const old = await raiseTo(store, 4);
    // Another pass deleted it; the stack is created again and its passes bring it to version 4 too.
    await store.deleteRecord(STACK);
    await store.putSpec(specDoc(STACK, { mode: 'fargate' }));
    const remade = await raiseTo(store, old.version);
    expect(remade.version).toBe(old.version);
    expect(remade.incarnation).not.toBe(old.incarnation);

    const error = await store
      .deleteRecord(STACK, { expectedVersion: old.version, expectedIncarnation: old.incarnation })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as Error).message).toBe(
      `deleting record (${STACK}): incarnation conflict (expected version 4 of incarnation ${old.incarnation}, found version 4 of incarnation ${remade.incarnation}): the record found is not the one read; the stack was deleted and created again since; read it again and retry`,
    );
    expect(await store.get(STACK)).toEqual(remade);
  });

  it('deletes the record it read, at its version and incarnation', async () => {
    const store = await make();
    await store.putSpec(specDoc());
    const record = await raiseTo(store, 3);
    await store.deleteRecord(STACK, { expectedVersion: 3, expectedIncarnation: record.incarnation });
    expect(await store.get(STACK)).toBeUndefined();
  });
});

describe('DynamoStateStore: a conditional delete and a record from before incarnations', () => {
  it('deletes one without an incarnation when none is expected, and refuses one made again with an incarnation', async () => {
    const { store } = await newStore(db);
    const doc = DynamoDBDocumentClient.from(db.client);
    const legacy = {
      stack: STACK,
      spec: specDoc(),
      generation: 2,
      version: 3,
      events: [],
      bookkeeping: emptyBookkeeping(),
    };
    await doc.send(new PutCommand({ TableName: store.tableName, Item: legacy }));
    await store.deleteRecord(STACK, { expectedVersion: 3 });
    expect(await store.get(STACK)).toBeUndefined();

    // The legacy record's version, read before it went, names no record made since (each has one).
    await doc.send(new PutCommand({ TableName: store.tableName, Item: legacy }));
    await store.deleteRecord(STACK);
    await store.putSpec(specDoc());
    const remade = await raiseTo(store, legacy.version);
    await expect(store.deleteRecord(STACK, { expectedVersion: legacy.version })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await store.get(STACK)).toEqual(remade);
  });
});
