/**
 * Bootstrap's proof of ownership, call by call (reconciler/bootstrap/proven.ts, ledger.ts): the exact
 * writes to the system record's ledger, the nonce the create carries, and what a find decides from the
 * ledger. SDK clients mocked (aws-sdk-client-mock); the whole run against the simulator is in
 * adversary-ownership.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaClient, TagResourceCommand } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../../../reconciler/aws/clients';
import { LedgerStore, type LedgerState } from '../../../reconciler/bootstrap/ledger';
import { provenResource } from '../../../reconciler/bootstrap/proven';
import { stampFunction } from '../../../reconciler/bootstrap/reconciler-function';
import { SYSTEM_SPEC } from '../../../reconciler/bootstrap/system-spec';
import type { SystemContext } from '../../../reconciler/bootstrap/system-spec';
import { deadLetterQueueResource } from '../../../reconciler/bootstrap/work-queue';
import { DEFAULT_INTENT } from '../../../reconciler/resources/intent';

const KEY = { stack: '#lambdaflex-system' };
const CONDITION = 'attribute_exists(#owned) AND attribute_exists(#intents)';
const URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/lambdaflex-work-dlq.fifo';
const ARN = 'arn:aws:sqs:eu-west-1:123456789012:lambdaflex-work-dlq.fifo';
const TAGS = {
  'lambdaflex:stack': 'lambdaflex-system',
  'lambdaflex:component': 'dead-letter-queue',
  'lambdaflex:managed-by': 'lambdaflex',
};

const doc = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  doc.reset();
  sqs.reset();
  lambda.reset();
  doc.on(UpdateCommand).resolves({});
});
afterAll(() => {
  doc.restore();
  sqs.restore();
  lambda.restore();
});

const store = () => new LedgerStore(new DynamoDBClient({ region: 'eu-west-1' }), 'lf-table');
const context = (ledger: LedgerState): SystemContext => ({
  clients: {
    sqs: new SQSClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
  } as unknown as AwsClients,
  spec: SYSTEM_SPEC,
  region: 'eu-west-1',
  now: () => 1_700_000_000_000,
  intent: DEFAULT_INTENT,
  refs:
    ledger === undefined
      ? {}
      : ({ 'system-record': { extra: { ledger } } } as unknown as SystemContext['refs']),
});

/** A queue found with `tags`, created at `created` (seconds). */
function queueFound(tags: Record<string, string>, created = '1700000000') {
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: {
      QueueArn: ARN,
      CreatedTimestamp: created,
      FifoQueue: 'true',
      MessageRetentionPeriod: '1209600',
    },
  });
  sqs.on(ListQueueTagsCommand).resolves({ Tags: tags });
}

describe('the ledger (the system record)', () => {
  it('writes an intent, an identity, a release, conditional on the record having its ledger', async () => {
    const ledger = store();
    await ledger.intend('work-queue', { nonce: 'abc', at: 5 });
    await ledger.owned('work-queue', 'id-1');
    await ledger.released('work-queue');
    expect(doc.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'lf-table',
        Key: KEY,
        UpdateExpression: 'SET #intents.#k = :i',
        ConditionExpression: CONDITION,
        ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#k': 'work-queue' },
        ExpressionAttributeValues: { ':i': { nonce: 'abc', at: 5 } },
      },
      {
        TableName: 'lf-table',
        Key: KEY,
        UpdateExpression: 'SET #owned.#k = :id REMOVE #intents.#k',
        ConditionExpression: CONDITION,
        ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#k': 'work-queue' },
        ExpressionAttributeValues: { ':id': 'id-1' },
      },
      {
        TableName: 'lf-table',
        Key: KEY,
        UpdateExpression: 'REMOVE #owned.#k, #intents.#k',
        ConditionExpression: CONDITION,
        ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#k': 'work-queue' },
      },
    ]);
  });

  it('adopts an older record in one write, only while it has no ledger', async () => {
    await store().adopt({ 'work-queue': 'id-1', function: 'n1' });
    expect(doc.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'lf-table',
      Key: KEY,
      UpdateExpression: 'SET #owned = :owned, #intents = :none',
      ConditionExpression: 'attribute_exists(#stack) AND attribute_not_exists(#owned)',
      ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#stack': 'stack' },
      ExpressionAttributeValues: { ':owned': { 'work-queue': 'id-1', function: 'n1' }, ':none': {} },
    });
  });
});

describe('a proven kind (the dead-letter queue)', () => {
  const kind = () =>
    provenResource(deadLetterQueueResource, { identityLabel: 'ARN and creation time', ledger: store() });

  it('create: the intent first, the create carrying its nonce, then the identity AWS gave', async () => {
    sqs.on(CreateQueueCommand).resolves({ QueueUrl: URL });
    queueFound(TAGS);
    // The queue made carries the tags the create gave it.
    sqs.on(ListQueueTagsCommand).callsFake(() => ({
      Tags: sqs.commandCalls(CreateQueueCommand)[0]!.args[0].input.tags,
    }));
    await kind().create(context({ owned: {}, intents: {} }));
    const writes = doc.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    const nonce = (writes[0]!.ExpressionAttributeValues![':i'] as { nonce: string }).nonce;
    expect(nonce).toMatch(/^[0-9a-f]{16}$/);
    expect(writes[0]!.ExpressionAttributeValues).toEqual({ ':i': { nonce, at: 1_700_000_000_000 } });
    expect(sqs.commandCalls(CreateQueueCommand)[0]!.args[0].input).toEqual({
      QueueName: 'lambdaflex-work-dlq.fifo',
      Attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600' },
      tags: { ...TAGS, 'lambdaflex:nonce': nonce },
    });
    expect(writes[1]).toMatchObject({
      UpdateExpression: 'SET #owned.#k = :id REMOVE #intents.#k',
      ExpressionAttributeValues: { ':id': `${ARN}@1700000000` },
    });
    expect(writes).toHaveLength(2);
  });

  it("create answered with a queue someone made meanwhile (SQS's CreateQueue is idempotent): not recorded, refused", async () => {
    sqs.on(CreateQueueCommand).resolves({ QueueUrl: URL });
    queueFound({ ...TAGS, 'lambdaflex:nonce': 'someone-elses' });
    await expect(kind().create(context({ owned: {}, intents: {} }))).rejects.toThrow(
      `creating AWS::SQS::Queue (dead-letter-queue) answered with ${URL}, which already existed (it does not carry this create's nonce)`,
    );
    const writes = doc.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(writes).toEqual(['SET #intents.#k = :i']);
  });

  it('find: ours with the recorded identity, nothing written', async () => {
    queueFound(TAGS);
    const found = await kind().find(
      context({ owned: { 'dead-letter-queue': `${ARN}@1700000000` }, intents: {} }),
    );
    expect(found?.foreign).toBeUndefined();
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('find: the same name and tags, created at another time, is foreign, named, nothing written', async () => {
    queueFound(TAGS, '1700000099');
    const found = await kind().find(
      context({ owned: { 'dead-letter-queue': `${ARN}@1700000000` }, intents: {} }),
    );
    expect(found?.foreign).toBe(true);
    expect(found?.conflict).toBe(
      `AWS::SQS::Queue ${URL} has bootstrap's name and lambdaflex-system tags but is not the one bootstrap made ` +
        `(its ARN and creation time is ${ARN}@1700000099; bootstrap recorded ARN and creation time ${ARN}@1700000000): ` +
        'delete or rename it, then run bootstrap again',
    );
    expect(found?.attributes).toEqual({});
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('find: without a system record, anything of the name is foreign', async () => {
    queueFound(TAGS);
    const found = await kind().find(context(undefined));
    expect(found?.foreign).toBe(true);
    expect(found?.conflict).toContain('table lf-table has no system record naming what bootstrap made');
  });

  it("find: carrying a pending intent's nonce (a run died after the create), ours, and recorded now", async () => {
    queueFound({ ...TAGS, 'lambdaflex:nonce': 'n-1' });
    const found = await kind().find(
      context({ owned: {}, intents: { 'dead-letter-queue': { nonce: 'n-1', at: 1 } } }),
    );
    expect(found?.foreign).toBeUndefined();
    expect(doc.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      UpdateExpression: 'SET #owned.#k = :id REMOVE #intents.#k',
      ExpressionAttributeNames: { '#owned': 'owned', '#intents': 'intents', '#k': 'dead-letter-queue' },
      ExpressionAttributeValues: { ':id': `${ARN}@1700000000` },
    });
  });

  it("find: another nonce than the pending intent's is foreign", async () => {
    queueFound({ ...TAGS, 'lambdaflex:nonce': 'n-2' });
    const found = await kind().find(
      context({ owned: {}, intents: { 'dead-letter-queue': { nonce: 'n-1', at: 1 } } }),
    );
    expect(found?.foreign).toBe(true);
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('find: a record from a release before the ledger: tagged is ours (the upgrade records it)', async () => {
    queueFound(TAGS);
    expect((await kind().find(context('legacy')))?.foreign).toBeUndefined();
  });
});

describe('the function adopted from an older release', () => {
  it('is stamped with its nonce by a TagResource of that tag alone', async () => {
    lambda.on(TagResourceCommand).resolves({});
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:lambdaflex-reconciler';
    await stampFunction(
      context(undefined),
      {
        key: 'function',
        type: 'AWS::Lambda::Function',
        id: 'lambdaflex-reconciler',
        arn,
        tags: {},
        attributes: {},
        ready: true,
      },
      'n-9',
    );
    expect(lambda.commandCalls(TagResourceCommand).map((c) => c.args[0].input)).toEqual([
      { Resource: arn, Tags: { 'lambdaflex:nonce': 'n-9' } },
    ]);
  });
});
