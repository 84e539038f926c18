import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoStateStore,
  SpecValidationError,
  StackNotFoundError,
  StateStoreError,
  VersionConflictError,
} from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe('DynamoStateStore.ensureTable', () => {
  it('creates the table once and is idempotent', async () => {
    const store = new DynamoStateStore({ client: db.client, tableName: 'idempotent' });
    await store.ensureTable();
    await store.putSpec(specDoc());
    await store.ensureTable();
    const { TableNames } = await db.client.send(new ListTablesCommand({}));
    expect(TableNames?.filter((name) => name === 'idempotent')).toHaveLength(1);
    expect((await store.get('orders-api'))?.generation).toBe(1);
  });

  it('reports a missing table with its name', async () => {
    const store = new DynamoStateStore({ client: db.client, tableName: 'never-created' });
    const error = await store.get('orders-api').catch((e) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error.message).toBe('reading stack (orders-api): table never-created does not exist');
  });
});

describe('DynamoStateStore.putSpec', () => {
  it('creates a record at generation 1 with the defaults filled in, then gets and lists it', async () => {
    const { store } = await newStore(db);
    const created = await store.putSpec(specDoc());
    expect(created).toMatchObject({
      stack: 'orders-api',
      generation: 1,
      version: 1,
      change: 'created',
      events: [],
    });
    const got = await store.get('orders-api');
    expect(got).toMatchObject({ stack: 'orders-api', generation: 1, version: 1 });
    expect(got?.spec).toMatchObject({ stack: 'orders-api', mode: 'auto' });
    expect(await store.get('nothing-here')).toBeUndefined();

    await store.putSpec(specDoc('billing-api'));
    expect((await store.list()).map((r) => r.stack)).toEqual(['billing-api', 'orders-api']);
  });

  it('raises generation and version on a change, and leaves an identical spec alone', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    const updated = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    expect(updated).toMatchObject({ generation: 2, version: 2, change: 'updated' });
    const same = await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    expect(same).toMatchObject({ generation: 2, version: 2, change: 'unchanged' });
  });

  it('keeps status, lease and events when the spec changes', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    await store.writeStatus('orders-api', () => ({
      observedGeneration: 1,
      phase: 'Lambda',
      conditions: [],
      resources: {},
    }));
    await store.acquireLease('orders-api', 'reconciler-a');
    await store.appendEvents('orders-api', [{ at: 1, type: 'Normal', reason: 'Created', message: 'hello' }]);
    const updated = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    expect(updated.status?.phase).toBe('Lambda');
    expect(updated.lease?.holder).toBe('reconciler-a');
    expect(updated.events).toHaveLength(1);
    expect(updated.generation).toBe(2);
  });

  it('rejects an invalid spec and writes nothing', async () => {
    const { store } = await newStore(db);
    const attempt = store.putSpec({ stack: 'orders-api', image: 'x', mode: 'sometimes', tresholds: {} });
    await expect(attempt).rejects.toBeInstanceOf(SpecValidationError);
    const errors = ((await attempt.catch((e) => e)) as SpecValidationError).errors;
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['mode']));
    expect(await store.get('orders-api')).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('rejects a __proto__ variable (which DynamoDB would not take back) before writing anything', async () => {
    const { store } = await newStore(db);
    const doc: unknown = JSON.parse(
      '{"stack":"orders-api","image":"nginx:1.27","environment":{"__proto__":"x","LOG_LEVEL":"info"}}',
    );
    const error = (await store.putSpec(doc).catch((e) => e)) as SpecValidationError;
    expect(error).toBeInstanceOf(SpecValidationError);
    expect(error.errors).toEqual([
      { path: 'environment.__proto__', message: expect.stringMatching(/Object\.prototype/) },
    ]);
    expect(await store.list()).toEqual([]);
  });

  it('rejects a stale expectedGeneration and writes nothing', async () => {
    const { store } = await newStore(db);
    const { incarnation } = await store.putSpec(specDoc());
    await store.putSpec(specDoc('orders-api', { mode: 'lambda' }));
    const stale = store.putSpec(specDoc('orders-api', { mode: 'fargate' }), {
      expectedGeneration: 1,
      expectedIncarnation: incarnation,
    });
    await expect(stale).rejects.toThrow(
      new VersionConflictError('orders-api', 1, 2, { action: 'writing spec', counter: 'generation' }).message,
    );
    expect((await store.get('orders-api'))?.spec).toMatchObject({ mode: 'lambda' });
  });

  it('rejects creating a stack that exists (expectedGeneration 0)', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc());
    const error = await store
      .putSpec(specDoc('orders-api', { mode: 'lambda' }), { expectedGeneration: 0 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect(error.message).toMatch(/^writing spec \(orders-api\): generation conflict/);
    expect((await store.get('orders-api'))?.spec).toMatchObject({ mode: 'auto' });
  });

  it('rejects updating a stack that does not exist (expectedGeneration > 0)', async () => {
    const { store } = await newStore(db);
    const error = await store.putSpec(specDoc(), { expectedGeneration: 3 }).catch((e) => e);
    expect(error).toMatchObject({
      name: 'VersionConflictError',
      expectedVersion: 3,
      actualVersion: undefined,
    });
    expect(await store.get('orders-api')).toBeUndefined();
  });

  it('lets exactly one of two concurrent writers with the same generation win', async () => {
    const { store } = await newStore(db);
    const { incarnation } = await store.putSpec(specDoc());
    const expected = { expectedGeneration: 1, expectedIncarnation: incarnation };
    const results = await Promise.allSettled([
      store.putSpec(specDoc('orders-api', { mode: 'lambda' }), expected),
      store.putSpec(specDoc('orders-api', { mode: 'fargate' }), expected),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(VersionConflictError);
    const stored = await store.get('orders-api');
    expect(stored).toMatchObject({ generation: 2, version: 2 });
    expect(stored?.spec).toMatchObject({
      mode: (won[0] as PromiseFulfilledResult<{ spec: { mode: string } }>).value.spec.mode,
    });
  });

  it('lets exactly one of two concurrent creators win', async () => {
    const { store } = await newStore(db);
    const results = await Promise.allSettled([
      store.putSpec(specDoc('orders-api', { mode: 'lambda' }), { expectedGeneration: 0 }),
      store.putSpec(specDoc('orders-api', { mode: 'fargate' }), { expectedGeneration: 0 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await store.get('orders-api')).toMatchObject({ generation: 1, version: 1 });
  });
});

describe('DynamoStateStore.requestDelete and deleteRecord', () => {
  it('records the first request time and raises the version', async () => {
    const { store, clock } = await newStore(db);
    await store.putSpec(specDoc());
    const first = await store.requestDelete('orders-api');
    expect(first.record).toMatchObject({ deletionRequestedAt: clock.now, version: 2, generation: 1 });
    expect(first.alreadyRequested).toBe(false);
    const requestedAt = clock.now;
    clock.now += 1000;
    // Asked again: the first time is kept, and the answer says it was there before.
    const again = await store.requestDelete('orders-api');
    expect(again.record.deletionRequestedAt).toBe(requestedAt);
    expect(again.alreadyRequested).toBe(true);
  });

  it('throws StackNotFoundError for an unknown stack', async () => {
    const { store } = await newStore(db);
    const error = await store.requestDelete('ghost').catch((e) => e);
    expect(error).toBeInstanceOf(StackNotFoundError);
    expect(error.message).toBe(`requesting deletion (ghost): no such stack in table ${store.tableName}`);
    expect(await store.get('ghost')).toBeUndefined();
  });

  it('deletes a record, only at the expected version when one is given', async () => {
    const { store } = await newStore(db);
    const { incarnation } = await store.putSpec(specDoc());
    await expect(
      store.deleteRecord('orders-api', { expectedVersion: 7, expectedIncarnation: incarnation }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.get('orders-api')).toBeDefined();
    await store.deleteRecord('orders-api', { expectedVersion: 1, expectedIncarnation: incarnation });
    expect(await store.get('orders-api')).toBeUndefined();
    await store.deleteRecord('orders-api');
  });
});
