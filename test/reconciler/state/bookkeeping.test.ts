import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  emptyBookkeeping,
  InMemoryStateStore,
  LeaseLostError,
  type Bookkeeping,
  type StackStatus,
  type StateStore,
} from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const STATUS: StackStatus = { observedGeneration: 1, phase: 'Lambda', conditions: [], resources: {} };
const KEPT: Bookkeeping = {
  shift: { fargateWeight: 25, inEffectSince: 7 },
  pendingChanges: { 'dns-lambda': 'C123' },
  retries: { 'create:alb': { attempts: 2, retryAt: 99, lastError: 'Throttling' } },
  terminal: { generation: 1, messages: ['creating VPC (lf-x-vpc): quota'] },
  owned: { vpc: { id: 'vpc-0abc', nonce: 'n1', since: 5 } },
  intents: { 'subnet-a': [{ nonce: 'n2', at: 6 }] },
  // Auto mode's ledger: fractions of a cent and minutes since the epoch survive the round trip.
  autoLedger: {
    through: 29_454_186,
    bursts: [{ start: 29_453_860, minutes: 4, extra: 0.158468144472 }],
    open: { start: 29_454_180, lastAbove: 29_454_186, extra: 0.0212 },
    quietRps: 3.78044003394547,
    cheaperOnLambda: { since: 29_454_133, extra: 0.03218514628266666 },
  },
};

/** What a status kept before the bookkeeping had its own part (no ownership then). */
const OLD_FIELDS = {
  shift: KEPT.shift,
  pendingChanges: KEPT.pendingChanges,
  retries: KEPT.retries,
  terminal: KEPT.terminal,
};
/** The same, read as bookkeeping. */
const LEGACY: Bookkeeping = { ...OLD_FIELDS, intents: {} };

type Fixture = { store: StateStore; clock: { now: number } };

/** Both stores keep the same contract: the DynamoDB one against dynalite, the in-memory one as it is. */
const stores: [string, () => Promise<Fixture>][] = [
  ['DynamoStateStore', () => newStore(db, { leaseTtlMs: 1000 })],
  [
    'InMemoryStateStore',
    async () => {
      const clock = { now: 1_700_000_000_000 };
      return { store: new InMemoryStateStore(() => clock.now), clock };
    },
  ],
];

describe.each(stores)('%s: the bookkeeping', (_name, make) => {
  it('starts empty, apart from the status', async () => {
    const { store } = await make();
    const created = await store.putSpec(specDoc());
    expect(created.bookkeeping).toEqual(emptyBookkeeping());
    expect((await store.get('orders-api'))?.bookkeeping).toEqual(emptyBookkeeping());
  });

  it('is written with the status in one write, and kept by a status-only write', async () => {
    const { store } = await make();
    await store.putSpec(specDoc());
    const written = await store.writeReconcilerState('orders-api', () => ({
      status: STATUS,
      bookkeeping: KEPT,
    }));
    expect(written).toMatchObject({ version: 2, status: STATUS, bookkeeping: KEPT });
    await store.writeStatus('orders-api', () => ({ ...STATUS, phase: 'Fargate' }));
    const read = await store.get('orders-api');
    expect(read?.bookkeeping).toEqual(KEPT);
    expect(read?.status).toEqual({ ...STATUS, phase: 'Fargate' });
    expect(read?.version).toBe(3);
  });

  it('keeps the status when only the bookkeeping is written', async () => {
    const { store } = await make();
    await store.putSpec(specDoc());
    await store.writeStatus('orders-api', () => STATUS);
    await store.writeReconcilerState('orders-api', (current) => ({
      bookkeeping: { ...current.bookkeeping, pendingChanges: { 'dns-fargate': 'C9' } },
    }));
    const read = await store.get('orders-api');
    expect(read?.status).toEqual(STATUS);
    expect(read?.bookkeeping).toEqual({ ...emptyBookkeeping(), pendingChanges: { 'dns-fargate': 'C9' } });
  });

  it('is fenced by the lease like the status', async () => {
    const { store, clock } = await make();
    await store.putSpec(specDoc());
    await store.acquireLease('orders-api', 'reconciler-a', 1000);
    clock.now += 1001;
    await store.acquireLease('orders-api', 'reconciler-b', 1000);
    const error = await store
      .writeReconcilerState('orders-api', () => ({ bookkeeping: KEPT }), { leaseHolder: 'reconciler-a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect((await store.get('orders-api'))?.bookkeeping).toEqual(emptyBookkeeping());
  });

  it('survives a spec edit, which never touches it', async () => {
    const { store } = await make();
    await store.putSpec(specDoc());
    await store.writeReconcilerState('orders-api', () => ({ bookkeeping: KEPT }));
    await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
    expect((await store.get('orders-api'))?.bookkeeping).toEqual(KEPT);
  });
});

describe('DynamoStateStore: a record written before the bookkeeping had its own attribute', () => {
  it('is read with the bookkeeping taken out of the status, and the next write moves it', async () => {
    const { store } = await newStore(db);
    const doc = DynamoDBDocumentClient.from(db.client, { marshallOptions: { removeUndefinedValues: true } });
    await doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: {
          stack: 'orders-api',
          spec: specDoc(),
          generation: 1,
          version: 4,
          events: [],
          status: { ...STATUS, ...OLD_FIELDS },
        },
      }),
    );
    const read = await store.get('orders-api');
    expect(read?.status).toEqual(STATUS);
    // Ownership was not recorded then: `owned` stays absent, so the stack adopts its tagged resources once.
    expect(read?.bookkeeping).toEqual(LEGACY);
    expect(read?.bookkeeping.owned).toBeUndefined();

    await store.writeStatus('orders-api', (current) => ({ ...current.status!, phase: 'Fargate' }));
    const { Item } = await doc.send(
      new GetCommand({ TableName: store.tableName, Key: { stack: 'orders-api' } }),
    );
    expect(Item?.status).toEqual({ ...STATUS, phase: 'Fargate' });
    expect(Item?.bookkeeping).toEqual(LEGACY);
  });
});
