/**
 * A failure of the table reads "<verb-ing> <Kind> (<id>): <cause>" with the cause's message: an SDK error
 * that is a plain Error (the SDK's "Region is missing") must not read "...: Error: Region is missing".
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore, StateStoreError } from '../../../reconciler/state';
import { storeFailure } from '../../../reconciler/state/errors';

describe('storeFailure', () => {
  it("gives the cause's message, not its name, and keeps the cause", () => {
    const cause = new Error('Region is missing');
    const error = storeFailure('reading stack', 'nosuch', 'lambdaflex', cause);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error.message).toBe('reading stack (nosuch): Region is missing');
    expect(error.cause).toBe(cause);
  });

  it('names the error when it has no message', () => {
    const cause = Object.assign(new Error(''), { name: 'ThrottlingException' });
    expect(storeFailure('reading stack', 'orders-api', 'lambdaflex', cause).message).toBe(
      'reading stack (orders-api): ThrottlingException',
    );
  });

  it('reads a thrown non-Error as text', () => {
    expect(storeFailure('listing stacks', 'table t', 't', 'socket hang up').message).toBe(
      'listing stacks (table t): socket hang up',
    );
  });
});

describe('DynamoStateStore over a client that fails before sending', () => {
  it("reports the SDK's plain Error by its message", async () => {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    client.middlewareStack.add(
      () => async () => {
        throw new Error('Region is missing');
      },
      { step: 'initialize', name: 'failBeforeSending' },
    );
    const store = new DynamoStateStore({ client, tableName: 'lambdaflex' });
    await expect(store.get('nosuch')).rejects.toThrow(/^reading stack \(nosuch\): Region is missing$/);
    client.destroy();
  });
});
