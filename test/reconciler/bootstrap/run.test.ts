/**
 * `lambdaflex bootstrap` against the simulated AWS (IAM, Lambda, Scheduler) and dynalite (the table):
 * from nothing, again (no mutating call), and --destroy (nothing left).
 */
import { DescribeTableCommand, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { WORKERS } from '../../../reconciler/dispatch/budgets';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { policyPartKey } from '../../../reconciler/bootstrap/kinds';
import { POLICY_PARTS, type PolicyPart } from '../../../reconciler/iam/policy';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { SYSTEM_NAMES, SYSTEM_STACK, systemRoleNames } from '../../../reconciler/bootstrap/names';
import { CODE_TAG, codeSha256 } from '../../../reconciler/bootstrap/reconciler-function';
import { runBootstrap } from '../../../reconciler/bootstrap/run';
import { DynamoStateStore } from '../../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { stubPointInTimeRecovery } from './pitr-stub';
import { ZIP, bootstrapWorld } from './bootstrap-world';
import { CEILINGS, ceilingOf } from '../../../reconciler/state/ceilings';

let db: TestDynamo;
let pitr: Map<string, boolean>;
beforeAll(async () => {
  db = await startTestDynamo();
  pitr = stubPointInTimeRecovery(db.client);
});
afterAll(() => db.stop());

const PARTS = Object.keys(POLICY_PARTS) as PolicyPart[];
/** The fan-out: work queue, dead-letter queue, the table's stream and the function's two mappings. */
const FAN_OUT = ['dead-letter-queue', 'work-queue', 'table-stream', 'queue-mapping', 'stream-mapping'];

function world(tableName: string) {
  const w = bootstrapWorld(db.client, tableName, 11);
  return { ...w, system: w.systemItems };
}

describe('bootstrap', () => {
  it('creates the table, roles, function and schedule from nothing, tagged', async () => {
    const w = world('lf-boot-1');
    const result = await runBootstrap(w.options());
    expect(Object.keys(result.resources).sort()).toEqual(
      [
        'function',
        'reconciler-role',
        'schedule',
        'scheduler-role',
        'table',
        'boundary-policy',
        'stack-logs-policy',
        'stack-table-policy',
        'scheduler-policy',
        'system-record',
        ...FAN_OUT,
        ...PARTS.map(policyPartKey),
      ].sort(),
    );
    expect(pitr.get('lf-boot-1')).toBe(true);
    const table = await w.dynamodb.send(new DescribeTableCommand({ TableName: 'lf-boot-1' }));
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: 'stack', KeyType: 'HASH' }]);

    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    expect(fn.Tags).toMatchObject({ 'lambdaflex:stack': SYSTEM_STACK, [CODE_TAG]: codeSha256(ZIP) });
    expect(fn.Configuration?.Environment?.Variables).toMatchObject({
      LAMBDAFLEX_TABLE: 'lf-boot-1',
      LAMBDAFLEX_SCHEDULER_ROLE_ARN: expect.stringContaining(systemRoleNames(w.account.region).schedulerRole),
    });
    const schedule = await w.clients.scheduler.send(new GetScheduleCommand({ Name: SYSTEM_NAMES.schedule }));
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      Target: {
        Arn: fn.Configuration?.FunctionArn,
        RoleArn: expect.stringContaining(systemRoleNames(w.account.region).schedulerRole),
      },
    });
    // The reconciler's policy: bootstrap's managed policies, attached to the role, one naming the table.
    const roleName = systemRoleNames(w.account.region).reconcilerRole;
    const attached = await w.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    const parts = (attached.AttachedPolicies ?? []).filter((p) => p.PolicyName?.startsWith('lambdaflex-'));
    expect(parts).toHaveLength(PARTS.length);
    const documents = await Promise.all(
      parts.map(async (p) => {
        const { Policy } = await w.clients.iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn }));
        const { PolicyVersion } = await w.clients.iam.send(
          new GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: Policy!.DefaultVersionId }),
        );
        return decodeURIComponent(PolicyVersion!.Document!);
      }),
    );
    expect(documents.join('\n')).toContain(table.Table!.TableArn!);
    await expect(
      w.clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'lambdaflex' })),
    ).rejects.toThrow(/cannot be found/);
    for (const item of w.system()) expect(item.tags['lambdaflex:managed-by']).toBe('lambdaflex');
  });

  it("keeps the hosted zones in the table's system record, which is no stack", async () => {
    const w = world('lf-boot-5');
    const hostedZones = [{ id: 'Z123', recordNames: ['*.example.com'] }];
    await runBootstrap(w.options({ hostedZones, zoneNames: { Z123: 'example.com' } }));
    const store = new DynamoStateStore({ client: w.dynamodb, tableName: 'lf-boot-5' });
    expect(await store.getSystemRecord()).toEqual({
      hostedZones,
      zoneNames: { Z123: 'example.com' },
      maxReservedConcurrency: 100,
      // The other ceiling, the default written out too (state/ceilings.ts).
      maxFargateVcpus: 64,
    });
    expect(await store.list()).toEqual([]);
    // Another zone: the record follows.
    const more = [...hostedZones, { id: 'Z456', recordNames: ['api.example.org'] }];
    const changed = await runBootstrap(w.options({ hostedZones: more, zoneNames: {} }));
    // The zones only (UpdateItem): the ledger of what bootstrap made stays beside them.
    expect(changed.calls.byOperation['dynamodb:UpdateItem']).toBe(1);
    expect(changed.calls.byOperation['dynamodb:PutItem']).toBeUndefined();
    expect((await store.getSystemRecord())?.hostedZones).toEqual(more);
    const item = await w.dynamodb.send(
      new GetItemCommand({ TableName: 'lf-boot-5', Key: { stack: { S: '#lambdaflex-system' } } }),
    );
    expect(Object.keys(item.Item?.['owned']?.M ?? {})).toContain('work-queue');
    await runBootstrap(w.options({ destroy: true }));
    await expect(w.dynamodb.send(new DescribeTableCommand({ TableName: 'lf-boot-5' }))).rejects.toThrow();
  });

  it('keeps the ceiling on reserved concurrency in the system record; one from before it reads as the default', async () => {
    const w = world('lf-boot-ceiling');
    const store = new DynamoStateStore({ client: w.dynamodb, tableName: 'lf-boot-ceiling' });
    const key = { stack: { S: '#lambdaflex-system' } };
    const stored = async () =>
      (await w.dynamodb.send(new GetItemCommand({ TableName: 'lf-boot-ceiling', Key: key }))).Item?.[
        'maxReservedConcurrency'
      ];
    // A new record: the default, written out.
    await runBootstrap(w.options());
    expect(await stored()).toEqual({ N: '100' });

    const raised = await runBootstrap(w.options({ maxReservedConcurrency: 250 }));
    expect(raised.calls.byOperation['dynamodb:UpdateItem']).toBe(1);
    expect(raised.calls.byOperation['dynamodb:PutItem']).toBeUndefined();
    expect((await store.getSystemRecord())?.maxReservedConcurrency).toBe(250);
    // None given: the one stored stays, and nothing is written.
    const again = await runBootstrap(w.options());
    expect(again.calls.mutating).toBe(0);
    expect(await stored()).toEqual({ N: '250' });

    // A record bootstrap wrote before the ceiling existed: no attribute, read as the default.
    await w.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'lf-boot-ceiling',
        Key: key,
        UpdateExpression: 'REMOVE maxReservedConcurrency',
      }),
    );
    const before = await store.getSystemRecord();
    expect(before).toEqual({ hostedZones: [], zoneNames: {}, maxFargateVcpus: 64 });
    expect(ceilingOf(CEILINGS.reservedConcurrency, before)).toBe(100);
    // The CLI gives the ceiling it read (the default): it is written out, the ledger kept.
    const upgraded = await runBootstrap(w.options({ maxReservedConcurrency: 100 }));
    expect(upgraded.calls.byOperation['dynamodb:UpdateItem']).toBe(1);
    expect(await stored()).toEqual({ N: '100' });
    const item = await w.dynamodb.send(new GetItemCommand({ TableName: 'lf-boot-ceiling', Key: key }));
    expect(Object.keys(item.Item?.['owned']?.M ?? {})).toContain('work-queue');
    await runBootstrap(w.options({ destroy: true }));
  });

  it('makes the fan-out: a FIFO work queue dead-lettering after 5 receives, the stream, both mappings', async () => {
    const w = world('lf-boot-fan');
    const result = await runBootstrap(w.options());
    expect(result.resources['work-queue']).toBe(w.account.arn('sqs', 'lambdaflex-work.fifo'));
    const { QueueUrl: queueUrl } = await w.clients.sqs.send(
      new GetQueueUrlCommand({ QueueName: 'lambdaflex-work.fifo' }),
    );
    const { Attributes } = await w.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      FifoQueue: 'true',
      VisibilityTimeout: '300',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: w.account.arn('sqs', 'lambdaflex-work-dlq.fifo'),
        maxReceiveCount: 5,
      }),
    });
    const table = await w.dynamodb.send(new DescribeTableCommand({ TableName: 'lf-boot-fan' }));
    expect(table.Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const { EventSourceMappings } = await w.clients.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: SYSTEM_NAMES.function }),
    );
    const bySource = Object.fromEntries((EventSourceMappings ?? []).map((m) => [m.EventSourceArn, m]));
    expect(bySource[w.account.arn('sqs', 'lambdaflex-work.fifo')]).toMatchObject({
      BatchSize: WORKERS.batchSize,
      ScalingConfig: { MaximumConcurrency: WORKERS.maximumConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      State: 'Enabled',
    });
    expect(bySource[table.Table!.LatestStreamArn!]).toMatchObject({
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    expect(fn.Configuration?.Environment?.Variables).toMatchObject({
      LAMBDAFLEX_QUEUE_URL: queueUrl,
      LAMBDAFLEX_MAX_RECEIVE_COUNT: '5',
      LAMBDAFLEX_DEAD_LETTER_QUEUE: 'lambdaflex-work-dlq.fifo',
    });
  });

  it('a second run makes no mutating call', async () => {
    const w = world('lf-boot-2');
    await runBootstrap(w.options());
    const again = await runBootstrap(w.options());
    expect(again.passes).toBe(1);
    expect(again.calls.mutating).toBe(0);
  });

  it('uploads the code again only when the zip changed', async () => {
    const w = world('lf-boot-3');
    await runBootstrap(w.options());
    const next = new Uint8Array(Buffer.from('PK another build'));
    const updated = await runBootstrap(w.options({ zip: next }));
    expect(updated.calls.byOperation['lambda:UpdateFunctionCode']).toBe(1);
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    expect(fn.Tags?.[CODE_TAG]).toBe(codeSha256(next));
  });

  it("says why the function is not ready in Lambda's words, not an absent last update", async () => {
    const w = world('lf-boot-pending');
    const reasons: string[] = [];
    await runBootstrap(
      w.options({
        onStep: (step, outcome) => {
          if (step.key === 'function' && outcome.status === 'waiting') reasons.push(outcome.reason);
        },
      }),
    );
    // While created, Lambda answers State Pending with its StateReason and no LastUpdateStatus.
    expect(reasons).toContain('function is Pending (the function is being created)');
    expect(reasons.join('\n')).not.toContain('last update -');
  });

  it('--destroy deletes everything in reverse order, and nothing is left', async () => {
    const w = world('lf-boot-4');
    await runBootstrap(w.options());
    const order: string[] = [];
    await runBootstrap(
      w.options({
        destroy: true,
        onStep: (step, outcome) =>
          outcome.status === 'done' && step.action === 'delete' && order.push(step.key),
      }),
    );
    // Each after everything that depends on it: the schedule before the function, the function before
    // the roles, the reconciler role before the parts of its policy, the table last.
    const before = (first: string, then: string) =>
      expect(order.indexOf(first)).toBeLessThan(order.indexOf(then));
    expect([...order].sort()).toEqual(
      [
        'schedule',
        'function',
        'scheduler-role',
        'reconciler-role',
        ...PARTS.map(policyPartKey),
        'stack-logs-policy',
        'stack-table-policy',
        'boundary-policy',
        'scheduler-policy',
        'system-record',
        ...FAN_OUT,
        'table',
      ].sort(),
    );
    // The mappings before what they map, the queue before its dead-letter queue, the stream before its table.
    before('queue-mapping', 'function');
    before('queue-mapping', 'work-queue');
    before('stream-mapping', 'table-stream');
    before('stream-mapping', 'function');
    before('work-queue', 'dead-letter-queue');
    before('table-stream', 'table');
    before('scheduler-role', 'scheduler-policy');
    before('schedule', 'function');
    before('function', 'reconciler-role');
    before('function', 'scheduler-role');
    for (const part of PARTS) before('reconciler-role', policyPartKey(part));
    expect(order.at(-1)).toBe('table');
    expect(w.system()).toEqual([]);
    await expect(w.dynamodb.send(new DescribeTableCommand({ TableName: 'lf-boot-4' }))).rejects.toThrow();
    const again = await runBootstrap(w.options({ destroy: true }));
    expect(again.calls.mutating).toBe(0);
  });
});
