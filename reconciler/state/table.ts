/** Creating the store's table: one per account and region, shared by every stack. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { isTableMissing } from './errors';

/** How long ensureTable waits for a new table to become ACTIVE (DynamoDB usually takes a few seconds). */
const TABLE_WAIT_SECONDS = 120;

/**
 * Creates `tableName` (key `stack`, on-demand billing) unless it exists, then waits until it is ACTIVE.
 * Safe to call from several processes at once: a concurrent create shows up as ResourceInUseException.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' || Table?.TableStatus === 'UPDATING') return;
  } catch (err) {
    if (!isTableMissing(err)) throw err;
    await createTable(client, tableName);
  }
  // The waiter's defaults (20 s between polls) suit big tables; ours is created in seconds.
  await waitUntilTableExists(
    { client, maxWaitTime: TABLE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
    { TableName: tableName },
  );
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'stack', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'stack', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (err) {
    // Someone else created it between our describe and create: the wait below covers it.
    if (!(err instanceof Error && err.name === 'ResourceInUseException')) throw err;
  }
}
