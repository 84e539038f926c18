/**
 * adversary: the work queue's messages as someone with the right to send to it (a script, an operator
 * replaying the dead-letter queue by hand) and SQS's at-least-once delivery make them, handed to the real
 * handler over the state table in DynamoDB (dynalite): a work item naming the table's system record (the
 * hosted zones bootstrap allowed), one naming a key no stack can have (DynamoDB refuses to read it), one for
 * a stack deleted since it was sent, one whose body names another stack than its message group.
 */
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoStateStore } from '../../reconciler/state';
import { SYSTEM_RECORD_KEY } from '../../reconciler/state/system-record';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import {
  fanOutWorld,
  quietMetrics,
  sendResync,
  VISIBILITY_TIMEOUT_S,
  type FanOutWorld,
} from './fan-out-world';

let db: TestDynamo;
let tables = 0;
let restore: () => void;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());
beforeEach(() => (restore = quietMetrics()));
afterEach(() => restore());

const spec = (stack: string) => ({
  stack,
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${stack}:1`,
  mode: 'lambda' as const,
});

/** The fan-out world with its handler on a DynamoDB table that holds a system record, as bootstrap's. */
async function world(): Promise<{ w: FanOutWorld; store: DynamoStateStore; system: () => Promise<unknown> }> {
  const store = new DynamoStateStore({ client: db.client, tableName: `lf-adv-queue-${++tables}` });
  await store.ensureTable();
  // A document client of its own: lib-dynamodb's `from` sets its translation options on the client's
  // shared config, which the store's document client reads too.
  await DynamoDBDocumentClient.from(db.client, { marshallOptions: { removeUndefinedValues: true } }).send(
    new PutCommand({
      TableName: store.tableName,
      Item: {
        stack: SYSTEM_RECORD_KEY,
        hostedZones: [{ id: 'Z0123456789ABCDEFGHIJ', recordNames: ['*.example.com'] }],
        zoneNames: { Z0123456789ABCDEFGHIJ: 'example.com' },
      },
    }),
  );
  const w = await fanOutWorld({ wrapStore: () => store });
  const system = async () =>
    (
      await db.client.send(
        new GetItemCommand({
          TableName: store.tableName,
          Key: { stack: { S: SYSTEM_RECORD_KEY } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  return { w, store, system };
}

/** The messages left in the queue once every visibility timeout has run out. */
async function leftInQueue(w: FanOutWorld): Promise<number> {
  w.account.advance(VISIBILITY_TIMEOUT_S * 1000);
  const answer = await w.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: w.queueUrl, MaxNumberOfMessages: 10 }),
  );
  return answer.Messages?.length ?? 0;
}

describe('adversary: work items the dispatcher never sends', () => {
  it('one naming the system record: no pass, nothing written into it, acknowledged', async () => {
    const { w, system } = await world();
    const before = await system();
    await sendResync(w, SYSTEM_RECORD_KEY, SYSTEM_RECORD_KEY, 'system-1');
    const called: string[] = [];
    w.account.observeCalls((call) => called.push(`${call.service}:${call.operation}`));
    await w.runtime.drain();
    expect(await system()).toEqual(before);
    // The worker's receive and delete of the message, and no call of a pass.
    expect(called.filter((c) => !c.startsWith('sqs:'))).toEqual([]);
    expect(await leftInQueue(w)).toBe(0);
  });

  it('one naming a key no stack can have (longer than DynamoDB reads): acknowledged at once, not retried', async () => {
    const { w } = await world();
    await sendResync(w, 'long', 'x'.repeat(3000), 'long-1');
    await w.runtime.drain();
    const sqs = w.runtime.invocations.filter((i) => i.source === 'sqs');
    expect(sqs.map((i) => i.error)).toEqual([undefined]);
    expect(await leftInQueue(w)).toBe(0);
  });

  it('one for a stack deleted since it was sent: acknowledged, the record not made again', async () => {
    const { w, store } = await world();
    await store.putSpec(spec('gone'));
    await store.requestDelete('gone');
    // Its record removed as the reconciler's last write does.
    await db.client.send(
      new DeleteItemCommand({ TableName: store.tableName, Key: { stack: { S: 'gone' } } }),
    );
    await sendResync(w, 'gone', 'gone', 'gone-1');
    await w.runtime.drain();
    expect(await store.get('gone')).toBeUndefined();
    expect(await leftInQueue(w)).toBe(0);
  });

  it('one whose body names another stack than its group: that stack gets its one pass, the group’s none', async () => {
    const { w, store } = await world();
    await store.putSpec(spec('web'));
    await store.putSpec(spec('api'));
    await sendResync(w, 'web', 'api', 'cross-1');
    await w.runtime.drain();
    expect((await store.get('api'))?.status?.lastPass).toBeDefined();
    expect((await store.get('web'))?.status).toBeUndefined();
    expect(await leftInQueue(w)).toBe(0);
  });
});

describe('adversary: records edited by hand into nonsense, beside a stack the schedule must still send', () => {
  const POISON: Record<string, unknown>[] = [
    { stack: 'my stack', spec: { stack: 'my stack', image: 'x' }, generation: 1, version: 1 },
    { stack: 'é-unicode', spec: {}, generation: 1, version: 1 },
    {
      stack: 'lastpass-strings',
      spec: {},
      generation: 'two',
      version: 1,
      status: { phase: 7, lastPass: { at: 'yesterday', requeueAfterMs: 'soon' }, conditions: 'none' },
    },
    {
      stack: 'dead-strings',
      spec: {},
      generation: 1,
      version: 1,
      bookkeeping: { deadLettered: { generation: 1, at: 'x' }, terminal: 'yes', retries: 5 },
    },
    { stack: 'dead-null', spec: {}, generation: 1, version: 1, bookkeeping: { deadLettered: null } },
    { stack: 'x'.repeat(2000), spec: {}, generation: 1, version: 1 },
  ];

  it('the schedule sends the good stack, and the run does not fail', async () => {
    const { w, store } = await world();
    const doc = DynamoDBDocumentClient.from(db.client, { marshallOptions: { removeUndefinedValues: true } });
    for (const item of POISON) await doc.send(new PutCommand({ TableName: store.tableName, Item: item }));
    await store.putSpec(spec('web'));
    const summary = await w.schedule();
    expect(summary.dispatched?.map((d) => d.stack)).toContain('web');
  });
});
