/**
 * adversary: a record's `version` edited by hand into no number (a string, or removed in the console).
 * Every write that adds 1 to it then fails with DynamoDB's ValidationException ("An operand in the update
 * expression has an incorrect data type"; "refers to an attribute that does not exist"), so until the
 * reconciler's next status write started it again, `lambdaflex delete` and `apply` could not be done, with
 * DynamoDB's words for the reason. A delete and a spec write go through, the version a counter again.
 */
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoStateStore } from '../../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

const EDITS: [string, string, AttributeValue | undefined][] = [
  ['a string', 'SET version = :v', { S: 'seven' }],
  ['removed', 'REMOVE version', undefined],
  ['a list', 'SET version = :v', { L: [{ N: '7' }] }],
];

function edit(store: DynamoStateStore, expression: string, value: AttributeValue | undefined) {
  return db.client.send(
    new UpdateItemCommand({
      TableName: store.tableName,
      Key: { stack: { S: 'orders-api' } },
      UpdateExpression: expression,
      ...(value ? { ExpressionAttributeValues: { ':v': value } } : {}),
    }),
  );
}

describe('a version edited by hand into no number', () => {
  it.each(EDITS)(
    '%s: delete requests the deletion, the version a counter again',
    async (_name, expression, value) => {
      const { store, clock } = await newStore(db);
      await store.putSpec(specDoc('orders-api'));
      await edit(store, expression, value);
      const deleted = await store.requestDelete('orders-api');
      expect(deleted).toMatchObject({
        record: { deletionRequestedAt: clock.now, version: 2 },
        alreadyRequested: false,
      });
      expect((await store.get('orders-api'))?.version).toBe(2);
    },
  );

  it.each(EDITS)(
    '%s: a spec write goes through, the version a counter again',
    async (_name, expression, value) => {
      const { store } = await newStore(db);
      await store.putSpec(specDoc('orders-api'));
      await edit(store, expression, value);
      const written = await store.putSpec(specDoc('orders-api', { mode: 'fargate' }));
      expect(written).toMatchObject({ change: 'updated', generation: 2 });
      expect((await store.get('orders-api'))?.version).toBe(2);
    },
  );
});
