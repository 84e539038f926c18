/**
 * The table's system record (state/system-record.ts) as a kind of bootstrap's: what the reconciler was
 * configured with for the whole table, today the hosted zones of `bootstrap --hosted-zone`. Written
 * after the table, deleted before it; ours by its key, which no stack can have.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceName } from '../aws/clients';
import { DOCUMENT_TRANSLATION } from '../state/dynamo-store';
import { SYSTEM_RECORD_KEY, toSystemRecord, type SystemRecord } from '../state/system-record';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource } from './system-spec';

const KEY = 'system-record';
const TYPE = 'LambdaFlex::System::Record';
const ERRORS: ErrorCodes = { notFound: ['ResourceNotFoundException'], retryable: [], terminal: [] };

export function systemRecordResource(
  dynamodb: DynamoDBClient,
  tableName: string,
  wanted: SystemRecord,
): SystemResource {
  // Made on first use: building the kinds needs no client (printing the policy, planning). With the state
  // store's translation options: lib-dynamodb's `from` writes them onto the client's shared config, so
  // others here would change how a store on the same client marshals (an undefined field then refused).
  let documentClient: DynamoDBDocumentClient | undefined;
  const doc = () => (documentClient ??= DynamoDBDocumentClient.from(dynamodb, DOCUMENT_TRANSLATION));
  const desiredAttributes = () => ({ hostedZones: wanted.hostedZones, zoneNames: wanted.zoneNames });
  const find = async (): Promise<ObservedResource | undefined> => {
    // No table (not made yet, or deleted): no record either.
    const answer = await orUndefinedIfGone(
      () =>
        doc().send(
          new GetCommand({ TableName: tableName, Key: { stack: SYSTEM_RECORD_KEY }, ConsistentRead: true }),
        ),
      ERRORS,
    );
    const record = toSystemRecord(answer?.Item);
    if (!record) return undefined;
    return {
      key: KEY,
      type: TYPE,
      id: SYSTEM_RECORD_KEY,
      tags: {},
      attributes: { hostedZones: record.hostedZones, zoneNames: record.zoneNames },
      ready: true,
    };
  };
  const put = async () => {
    await doc().send(
      new PutCommand({ TableName: tableName, Item: { stack: SYSTEM_RECORD_KEY, ...desiredAttributes() } }),
    );
    return (await find())!;
  };
  return {
    key: KEY,
    type: TYPE,
    // Not a stack client: its calls go through the bootstrap's own DynamoDB client.
    service: 'dynamodb' as ServiceName,
    dependsOn: ['table'],
    errors: ERRORS,
    neededBy: () => true,
    desiredAttributes,
    find,
    create: put,
    update: put,
    async delete() {
      await deleteIgnoringGone(
        () => doc().send(new DeleteCommand({ TableName: tableName, Key: { stack: SYSTEM_RECORD_KEY } })),
        ERRORS,
      );
    },
  };
}
