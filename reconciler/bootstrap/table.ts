/**
 * The state table as a resource kind: key `stack`, on-demand, point-in-time recovery on, tagged. The
 * DynamoDB client is not one of the stacks' clients (AwsClients), so the kind closes over its own.
 *
 * Deleting it would lose every stack's desired state, so `delete` refuses while any record is left.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ServiceName } from '../aws/clients';
import { isOwnedBy, ownershipTagList } from '../../spec/names';
import { assertOwned } from '../resources/common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_STACK } from './names';

export const TABLE_KEY = 'table';
const TYPE = 'AWS::DynamoDB::Table';

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException', 'TableNotFoundException'],
  // A table just created is CREATING: PITR can be switched on once it is ACTIVE.
  retryable: ['ResourceInUseException', 'ContinuousBackupsUnavailableException'],
  terminal: ['LimitExceededException', 'TableNotEmpty'],
};

/** Thrown by `delete` while stacks are left; terminal, with a message that says what to do. */
export class TableNotEmptyError extends Error {
  override name = 'TableNotEmpty';
  constructor(table: string) {
    super(`table ${table} still holds stacks; delete them first (lambdaflex delete STACK)`);
  }
}

export function tableResource(dynamodb: DynamoDBClient, tableName: string): SystemResource {
  const find = async (): Promise<ObservedResource | undefined> => {
    const table = (
      await orUndefinedIfGone(() => dynamodb.send(new DescribeTableCommand({ TableName: tableName })), ERRORS)
    )?.Table;
    if (!table?.TableArn) return undefined;
    const tagList =
      (await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }))).Tags ?? [];
    const tags = Object.fromEntries(tagList.map((t) => [t.Key ?? '', t.Value ?? '']));
    const base = {
      key: TABLE_KEY,
      type: TYPE,
      id: tableName,
      arn: table.TableArn,
      // Its identity (run.ts, table-proof.ts): a table made again under the name has another TableId.
      uniqueId: table.TableId,
      state: table.TableStatus,
      tags,
    };
    const active = table.TableStatus === 'ACTIVE';
    // The CLI's `apply` may have made the table before bootstrap, untagged: it is reported, not adopted.
    // A table still CREATING may not show the tags it was created with yet: judged once it is ACTIVE.
    if (active && !isOwnedBy(tags, SYSTEM_STACK))
      return { ...base, attributes: {}, ready: true, foreign: true };
    const backups = active
      ? await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: tableName }))
      : undefined;
    const pitr =
      backups?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
    return {
      ...base,
      attributes: {
        tableName,
        key: (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(','),
        billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
        pointInTimeRecovery: pitr === 'ENABLED',
      },
      ready: active,
      notReadyReason: active ? undefined : `table is ${table.TableStatus}`,
    };
  };

  return {
    key: TABLE_KEY,
    type: TYPE,
    // Not a stack client: its calls go through the bootstrap's own DynamoDB client.
    service: 'dynamodb' as ServiceName,
    dependsOn: [],
    errors: ERRORS,
    immutable: ['tableName', 'key'],
    waiters: {
      ready: { pending: ['CREATING', 'UPDATING'], target: ['ACTIVE'] },
      gone: { pending: ['DELETING'] },
    },
    neededBy: () => true,
    desiredAttributes: () => ({
      tableName,
      key: 'stack:HASH',
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: true,
    }),
    find,
    async create() {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'stack', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'stack', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          Tags: ownershipTagList(SYSTEM_STACK, TABLE_KEY),
        }),
      );
      // PITR needs an ACTIVE table: the next pass sees it off and turns it on.
      return (
        (await find()) ?? {
          key: TABLE_KEY,
          type: TYPE,
          id: tableName,
          tags: {},
          attributes: {},
          ready: false,
        }
      );
    },
    async update(_ctx: SystemContext, current, changes) {
      assertOwned(current, 'updating');
      if (changes.some((c) => c.path === 'pointInTimeRecovery')) {
        await dynamodb.send(
          new UpdateContinuousBackupsCommand({
            TableName: tableName,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        );
      }
      return (await find()) ?? current;
    },
    async delete(_ctx, current) {
      assertOwned(current, 'deleting');
      const left = await dynamodb.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', Limit: 1 }));
      if ((left.Count ?? 0) > 0) throw new TableNotEmptyError(tableName);
      await deleteIgnoringGone(() => dynamodb.send(new DeleteTableCommand({ TableName: tableName })), ERRORS);
    },
  };
}

/**
 * A table bootstrap uses but does not own (`--local`: dynalite has no point-in-time recovery API and
 * ignores tags, so the sandbox's table is made by the CLI's store as for `apply`). Found for its ARN,
 * never created, changed or deleted.
 */
export function externalTableResource(dynamodb: DynamoDBClient, tableName: string): SystemResource {
  const find = async (): Promise<ObservedResource | undefined> => {
    const table = (
      await orUndefinedIfGone(() => dynamodb.send(new DescribeTableCommand({ TableName: tableName })), ERRORS)
    )?.Table;
    if (!table?.TableArn) return undefined;
    return {
      key: TABLE_KEY,
      type: TYPE,
      id: tableName,
      arn: table.TableArn,
      tags: {},
      attributes: {},
      ready: true,
    };
  };
  return {
    ...tableResource(dynamodb, tableName),
    desiredAttributes: () => ({}),
    find,
    async create() {
      throw new Error(
        `table ${tableName} does not exist; create it first (any lambdaflex command with --local does)`,
      );
    },
    update: undefined,
    async delete() {
      throw new Error(`table ${tableName} is not bootstrap's to delete`);
    },
  };
}
