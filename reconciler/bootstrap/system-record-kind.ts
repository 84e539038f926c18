/**
 * The table's system record (state/system-record.ts) as a kind of bootstrap's: what the reconciler was
 * configured with for the whole table, today the hosted zones of `bootstrap --hosted-zone` and the
 * ceilings on what one stack may take (state/ceilings.ts: `--max-reserved-concurrency`,
 * `--max-fargate-vcpus`), and bootstrap's ledger
 * (ledger.ts: the identities of what it made), which every other system kind reads from it
 * (`extra.ledger`). Written after the table, deleted before it and after everything else; ours by
 * its key, which no stack can have. A change of the zones or a ceiling writes those only: the ledger
 * stays. A record from before a ceiling existed has none: it reads as the default (and the stacks'
 * passes use the default), until a bootstrap given that ceiling writes one (the CLI always gives each:
 * the option's, or the one it read).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ServiceName } from '../aws/clients';
import { documentClientOf } from '../state/dynamo-store';
import { allCeilings, ceilingOf } from '../state/ceilings';
import { SYSTEM_RECORD_KEY, toSystemRecord, type SystemRecord } from '../state/system-record';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemContext, SystemResource } from './system-spec';
import { ledgerOfItem, type LedgerState } from './ledger';

const KEY = 'system-record';
const TYPE = 'LambdaFlex::System::Record';
const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // Another run made the record between this one's read and its create: the next pass reads it.
  retryable: ['ConditionalCheckFailedException'],
  terminal: [],
};

/** The ledger the system record found in this pass holds (what the system kinds prove themselves by). */
export function ledgerOf(refs: Readonly<Record<string, ObservedResource | undefined>>): LedgerState {
  const record = refs[KEY];
  return record ? ((record.extra as { ledger?: LedgerState } | undefined)?.ledger ?? 'legacy') : undefined;
}

export const SYSTEM_RECORD_KIND_KEY = KEY;

export function systemRecordResource(
  dynamodb: DynamoDBClient,
  tableName: string,
  wanted: SystemRecord,
): SystemResource {
  // Made on first use: building the kinds needs no client (printing the policy, planning). With the state
  // store's translation options: lib-dynamodb's `from` writes them onto the client's shared config, so
  // others here would change how a store on the same client marshals (an undefined field then refused).
  let documentClient: DynamoDBDocumentClient | undefined;
  const doc = () => (documentClient ??= documentClientOf(dynamodb));
  // A ceiling not given: the one stored is kept (the diff skips an undefined want); a new record gets
  // the default, written out.
  const given = allCeilings().flatMap((ceiling) => {
    const value = wanted[ceiling.attribute];
    return value === undefined ? [] : [{ attribute: ceiling.attribute, value }];
  });
  const desiredAttributes = () => ({
    hostedZones: wanted.hostedZones,
    zoneNames: wanted.zoneNames,
    ...Object.fromEntries(given.map(({ attribute, value }) => [attribute, value])),
  });
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
      attributes: {
        hostedZones: record.hostedZones,
        zoneNames: record.zoneNames,
        // As stored: a record from before a ceiling has none, which this bootstrap then writes.
        ...Object.fromEntries(
          allCeilings().map((ceiling) => [ceiling.attribute, answer?.Item?.[ceiling.attribute]]),
        ),
      },
      ready: true,
      extra: { ledger: ledgerOfItem(answer?.Item) },
    };
  };
  const create = async (ctx: SystemContext) => {
    // A new record starts with a ledger naming only the table it is in (its TableId); never over a
    // record there (its ledger would go).
    const tableId = ctx.refs['table']?.uniqueId;
    await doc().send(
      new PutCommand({
        TableName: tableName,
        Item: {
          stack: SYSTEM_RECORD_KEY,
          ...desiredAttributes(),
          ...Object.fromEntries(
            allCeilings().map((ceiling) => [ceiling.attribute, ceilingOf(ceiling, wanted)]),
          ),
          owned: tableId === undefined ? {} : { table: tableId },
          intents: {},
        },
        ConditionExpression: 'attribute_not_exists(#stack)',
        ExpressionAttributeNames: { '#stack': 'stack' },
      }),
    );
    return (await find())!;
  };
  const update = async () => {
    await doc().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { stack: SYSTEM_RECORD_KEY },
        UpdateExpression: [
          'SET hostedZones = :zones, zoneNames = :names',
          ...given.map(({ attribute }) => `${attribute} = :${attribute}`),
        ].join(', '),
        ExpressionAttributeValues: {
          ':zones': wanted.hostedZones,
          ':names': wanted.zoneNames,
          ...Object.fromEntries(given.map(({ attribute, value }) => [`:${attribute}`, value])),
        },
      }),
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
    create,
    update,
    async delete() {
      await deleteIgnoringGone(
        () => doc().send(new DeleteCommand({ TableName: tableName, Key: { stack: SYSTEM_RECORD_KEY } })),
        ERRORS,
      );
    },
  };
}
