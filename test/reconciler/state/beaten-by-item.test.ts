/**
 * A spec write beaten by another writer: DynamoDB returns the item that failed the condition with the
 * error (ReturnValuesOnConditionCheckFailure), which dynalite does not, so the store's reading of that
 * raw item is tested here with the document client mocked, DynamoDB's answer as AWS documents it.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DynamoStateStore,
  StackDeletingError,
  UnreadableDeletionMarkError,
  VersionConflictError,
} from '../../../reconciler/state';
import { specDoc } from './fixtures';

const doc = mockClient(DynamoDBDocumentClient);
afterAll(() => doc.restore());

/** The record as read before the write: generation 1, no deletion mark. */
const READ = { stack: 'orders-api', spec: specDoc(), generation: 1, version: 1 };

/** putSpec of a changed spec, its conditional write failing with `item` (raw, as DynamoDB sends it). */
async function beatenBy(item: Record<string, AttributeValue>): Promise<unknown> {
  doc.reset();
  doc.on(GetCommand).resolves({ Item: READ });
  doc.on(UpdateCommand).rejects(
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: item,
    }),
  );
  const store = new DynamoStateStore({ client: new DynamoDBClient({ region: 'us-east-1' }) });
  return store.putSpec(specDoc('orders-api', { port: 9090 })).then(
    () => 'written',
    (error: unknown) => error,
  );
}

const BEATEN = { stack: { S: 'orders-api' }, generation: { N: '1' }, version: { N: '2' } };

describe('DynamoStateStore.putSpec beaten by the item DynamoDB returns with the failure', () => {
  it('a deletion requested meanwhile: StackDeletingError naming its time', async () => {
    const error = await beatenBy({ ...BEATEN, deletionRequestedAt: { N: '1700000000000' } });
    expect(error).toBeInstanceOf(StackDeletingError);
    expect((error as Error).message).toContain('requested at 2023-11-14T22:13:20.000Z');
    // The write asks DynamoDB for the item that beat it, and refuses a record being deleted.
    expect(doc.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { stack: 'orders-api' },
      ConditionExpression: expect.stringContaining('attribute_not_exists(deletionRequestedAt)'),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('a deletion mark edited meanwhile into no time: UnreadableDeletionMarkError naming it', async () => {
    const error = await beatenBy({ ...BEATEN, deletionRequestedAt: { S: 'yesterday' } });
    expect(error).toBeInstanceOf(UnreadableDeletionMarkError);
    expect((error as UnreadableDeletionMarkError).found).toBe('the string "yesterday"');
  });

  it('another spec written meanwhile: VersionConflictError', async () => {
    const error = await beatenBy({ ...BEATEN, generation: { N: '2' } });
    expect(error).toBeInstanceOf(VersionConflictError);
  });
});
