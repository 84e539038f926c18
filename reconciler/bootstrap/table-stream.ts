/**
 * DynamoDB Streams on the state table (NEW_AND_OLD_IMAGES), the change feed that invokes the dispatcher
 * for an edited stack (reconciler/dispatch/dispatcher.ts). A setting of the table rather than a resource
 * of its own: enabled and disabled with UpdateTable, found with DescribeTable (LatestStreamArn), and the
 * table's for ownership. The view type can't be changed in place (the stream must be disabled first).
 */
import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServiceName } from '../aws/clients';
import { orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource } from './system-spec';
import { systemTags } from './names';
import { TABLE_KEY } from './table';

export const TABLE_STREAM_KEY = 'table-stream';
const TYPE = 'AWS::DynamoDB::Table.StreamSpecification';
/** The dispatcher compares a record's generation before and after the write: it needs both images. */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES';

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // The table is UPDATING (a stream just enabled, say): the next pass goes on.
  retryable: ['ResourceInUseException', 'LimitExceededException'],
  terminal: ['ValidationException'],
};

export function tableStreamResource(dynamodb: DynamoDBClient, tableName: string): SystemResource {
  const find = async (ctx: { refs: Readonly<Record<string, ObservedResource | undefined>> }) => {
    const table = (
      await orUndefinedIfGone(() => dynamodb.send(new DescribeTableCommand({ TableName: tableName })), ERRORS)
    )?.Table;
    const spec = table?.StreamSpecification;
    if (!table || !spec?.StreamEnabled || !table.LatestStreamArn) return undefined;
    const active = table.TableStatus === 'ACTIVE';
    return {
      key: TABLE_STREAM_KEY,
      type: TYPE,
      id: table.LatestStreamArn,
      arn: table.LatestStreamArn,
      tags: systemTags(TABLE_STREAM_KEY),
      attributes: { viewType: spec.StreamViewType },
      ready: active,
      ...(active ? {} : { notReadyReason: `table is ${table.TableStatus}` }),
      // The table's stream is ours when the table is.
      ...(ctx.refs[TABLE_KEY]?.foreign ? { foreign: true } : {}),
    } satisfies ObservedResource;
  };
  const setStream = (enabled: boolean) =>
    dynamodb.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: enabled
          ? { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE }
          : { StreamEnabled: false },
      }),
    );
  return {
    key: TABLE_STREAM_KEY,
    type: TYPE,
    // Not a stack client: its calls go through the bootstrap's own DynamoDB client.
    service: 'dynamodb' as ServiceName,
    dependsOn: [TABLE_KEY],
    errors: ERRORS,
    immutable: ['viewType'],
    neededBy: () => true,
    desiredAttributes: () => ({ viewType: STREAM_VIEW_TYPE }),
    find,
    async create(ctx) {
      await setStream(true);
      return (
        (await find(ctx)) ?? {
          key: TABLE_STREAM_KEY,
          type: TYPE,
          id: `${tableName}/stream`,
          tags: {},
          attributes: {},
          ready: false,
          notReadyReason: 'stream being enabled',
        }
      );
    },
    async delete(_ctx, current) {
      if (current.foreign) throw new Error(`disabling ${TYPE} (${tableName}): the table is not LambdaFlex's`);
      await setStream(false);
    },
  };
}
