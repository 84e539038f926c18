/**
 * adversary: a number written by hand in the console that DynamoDB keeps (up to 38 digits) but the
 * document client will not read: past 2^53 with a fraction ("10000000000000000.5"), it throws "can't be
 * converted to BigInt" for the whole item. Put in a stack's deletionRequestedAt (the rule said "a number
 * of milliseconds"), or anywhere in the record, one stack's record must not stop the table being read:
 * list() feeds the dispatcher and reconcileAll for every stack of the table.
 */
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { dispatchChanges } from '../../../reconciler/dispatch/dispatcher';
import type { DynamoStateStore } from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/lambdaflex-work.fifo';
const UNREADABLE: AttributeValue = { N: '10000000000000000.5' };

function edit(store: DynamoStateStore, stack: string, expression: string, value: AttributeValue) {
  return db.client.send(
    new UpdateItemCommand({
      TableName: store.tableName,
      Key: { stack: { S: stack } },
      UpdateExpression: expression,
      ExpressionAttributeValues: { ':v': value },
    }),
  );
}

describe('a number the document client cannot read, edited into one record', () => {
  it('as the deletion mark: the stack is held (named in words), the others listed', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc('orders-api'));
    await store.putSpec(specDoc('billing-api'));
    await edit(store, 'orders-api', 'SET deletionRequestedAt = :v', UNREADABLE);

    const record = await store.get('orders-api');
    expect(record?.deletionRequestedAt).toBeUndefined();
    expect(record?.unreadableDeletionMark).toBe('the number 10000000000000000');
    expect((await store.list()).map((r) => r.stack)).toEqual(['billing-api', 'orders-api']);
  });

  it('elsewhere in the record (an attribute added by hand): the other stacks are still listed', async () => {
    const { store } = await newStore(db);
    await store.putSpec(specDoc('orders-api'));
    await store.putSpec(specDoc('billing-api'));
    await edit(store, 'orders-api', 'SET oddNumber = :v', UNREADABLE);
    const listed = await store.list().then(
      (records) => records.map((r) => r.stack),
      (error: Error) => error.message,
    );
    expect(listed).toContain('billing-api');
  });
});

describe('the change feed over such a record', () => {
  it('sends the stack at once (its mark holds it), not a failed batch retried until the record expires', async () => {
    const sqs = mockClient(SQSClient);
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: 'm0', MessageId: '1', MD5OfMessageBody: 'x' }], Failed: [] });
    const image = (mark?: AttributeValue) => ({
      stack: { S: 'orders-api' },
      spec: { M: { stack: { S: 'orders-api' } } },
      generation: { N: '1' },
      version: { N: '3' },
      ...(mark ? { deletionRequestedAt: mark } : {}),
    });
    const change = {
      eventName: 'MODIFY',
      dynamodb: { OldImage: image(), NewImage: image(UNREADABLE) },
    } as unknown as DynamoDBRecord;
    const outcome = await dispatchChanges(
      { store: {} as never, sqs: new SQSClient({}), queueUrl: URL, now: () => 1_700_000_000_000 },
      [change],
    );
    expect(outcome.notDue).toBe(0);
    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(entries.map((e) => JSON.parse(e.MessageBody!))).toEqual([
      expect.objectContaining({ stack: 'orders-api', reason: 'deletion mark changed' }),
    ]);
  });
});
