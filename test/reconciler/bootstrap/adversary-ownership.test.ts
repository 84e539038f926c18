/**
 * adversary: resources of bootstrap's names carrying copies of its `lambdaflex-system` tags (safety rule 3,
 * docs/ownership.md "Bootstrap's own resources"). Bootstrap proves each of its own by the identity it
 * recorded in the system record (reconciler/bootstrap/proven.ts): a copy is never adopted, never changed,
 * never deleted, and bootstrap stops naming it. Also: a run dying right after a create is still
 * recognised (the create's nonce), and a system record from a release before the ledger is upgraded.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListTagsCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
} from '@aws-sdk/client-sqs';
import {
  SYSTEM_NAMES,
  SYSTEM_STACK,
  scheduleOwnerMark,
  systemRoleNames,
} from '../../../reconciler/bootstrap/names';
import { BootstrapError, runBootstrap } from '../../../reconciler/bootstrap/run';
import { POLICY_NAMES, stackRolePath } from '../../../reconciler/iam/arns';
import { WORK_QUEUE } from '../../../reconciler/iam/scopes';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { stubPointInTimeRecovery } from './pitr-stub';
import { bootstrapWorld } from './bootstrap-world';

let db: TestDynamo;
beforeAll(async () => {
  db = await startTestDynamo();
  stubPointInTimeRecovery(db.client);
});
afterAll(() => db.stop());

let tables = 0;
const TRUST = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
const copiedTags = (component: string) => ({
  'lambdaflex:stack': SYSTEM_STACK,
  'lambdaflex:component': component,
  'lambdaflex:managed-by': 'lambdaflex',
});
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function world() {
  const w = bootstrapWorld(db.client, `lf-adv-own-${++tables}`, 23);
  const ledger = async () => {
    const item = await w.dynamodb.send(
      new GetItemCommand({ TableName: w.tableName, Key: { stack: { S: '#lambdaflex-system' } } }),
    );
    return item.Item;
  };
  return { ...w, ledger };
}
type World = ReturnType<typeof world>;

/**
 * Per kind: how to make a copy of bootstrap's resource (its name, its tags copied), how to take
 * bootstrap's own away (as someone deleting it by hand would), and what of the copy must not change.
 */
interface Copy {
  key: string;
  /** Deletes bootstrap's own (after a bootstrap), so that a copy can take its name. */
  removeOurs(w: World): Promise<void>;
  /** Makes the copy, with `tags` (bootstrap's, copied). */
  make(w: World, tags: Record<string, string>): Promise<void>;
  /** What identifies the copy and what bootstrap would change in it: equal before and after. */
  look(w: World): Promise<unknown>;
  /** Bootstrap's own tags, read before it is removed (the copy copies them, nonce included where it can). */
  tagsOfOurs(w: World): Promise<Record<string, string>>;
}

async function queueUrl(w: World, name: string) {
  return (await w.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}

function queueCopy(key: string, name: string): Copy {
  return {
    key,
    async removeOurs(w) {
      await w.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: await queueUrl(w, name) }));
      w.account.advance(61_000); // SQS keeps a deleted queue's name 60 s.
    },
    async make(w, tags) {
      await w.clients.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true' }, tags }),
      );
    },
    async look(w) {
      const url = await queueUrl(w, name);
      const attributes = await w.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      const { CreatedTimestamp, VisibilityTimeout, RedrivePolicy, MessageRetentionPeriod } =
        attributes.Attributes ?? {};
      return { url, CreatedTimestamp, VisibilityTimeout, RedrivePolicy, MessageRetentionPeriod };
    },
    async tagsOfOurs(w) {
      return (
        (await w.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: await queueUrl(w, name) }))).Tags ?? {}
      );
    },
  };
}

function roleCopy(key: string, roleName: (region: string) => string): Copy {
  return {
    key,
    async removeOurs(w) {
      const name = roleName(w.account.region);
      const attached = await w.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
      for (const p of attached.AttachedPolicies ?? [])
        await w.clients.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn }));
      await w.clients.iam.send(new DeleteRoleCommand({ RoleName: name }));
    },
    async make(w, tags) {
      await w.clients.iam.send(
        new CreateRoleCommand({
          RoleName: roleName(w.account.region),
          AssumeRolePolicyDocument: TRUST('ec2.amazonaws.com'),
          Tags: tagList(tags),
        }),
      );
    },
    async look(w) {
      const role = (await w.clients.iam.send(new GetRoleCommand({ RoleName: roleName(w.account.region) })))
        .Role;
      const attached = await w.clients.iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: roleName(w.account.region) }),
      );
      return { id: role?.RoleId, trust: role?.AssumeRolePolicyDocument, attached: attached.AttachedPolicies };
    },
    async tagsOfOurs(w) {
      const role = (await w.clients.iam.send(new GetRoleCommand({ RoleName: roleName(w.account.region) })))
        .Role;
      return Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key!, t.Value!]));
    },
  };
}

async function boundaryArn(w: World) {
  const listed = await w.clients.iam.send(
    new ListPoliciesCommand({ Scope: 'Local', PathPrefix: stackRolePath(w.account.region) }),
  );
  return listed.Policies?.find((p) => p.PolicyName === POLICY_NAMES.boundary(w.account.region))?.Arn;
}

const boundaryCopy: Copy = {
  key: 'boundary-policy',
  async removeOurs(w) {
    await w.clients.iam.send(new DeletePolicyCommand({ PolicyArn: await boundaryArn(w) }));
  },
  async make(w, tags) {
    await w.clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: POLICY_NAMES.boundary(w.account.region),
        Path: stackRolePath(w.account.region),
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
        Tags: tagList(tags),
      }),
    );
  },
  async look(w) {
    const policy = (await w.clients.iam.send(new GetPolicyCommand({ PolicyArn: await boundaryArn(w) })))
      .Policy;
    return { id: policy?.PolicyId, version: policy?.DefaultVersionId };
  },
  async tagsOfOurs(w) {
    const policy = (await w.clients.iam.send(new GetPolicyCommand({ PolicyArn: await boundaryArn(w) })))
      .Policy;
    return Object.fromEntries((policy?.Tags ?? []).map((t) => [t.Key!, t.Value!]));
  },
};

const functionCopy: Copy = {
  key: 'function',
  async removeOurs(w) {
    await w.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
  },
  async make(w, tags) {
    const role = await w.clients.iam.send(
      new CreateRoleCommand({
        RoleName: 'someone-else',
        AssumeRolePolicyDocument: TRUST('lambda.amazonaws.com'),
      }),
    );
    w.account.advance(15_000); // IAM propagation: Lambda can assume a new role only after a while.
    await w.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: SYSTEM_NAMES.function,
        Role: role.Role!.Arn,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: new Uint8Array(Buffer.from('PK someone else')) },
        MemorySize: 128,
        // Without the creation nonce: a copy carrying it would pass (docs/ownership.md says so).
        Tags: Object.fromEntries(Object.entries(tags).filter(([k]) => k !== 'lambdaflex:nonce')),
      }),
    );
  },
  async look(w) {
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    const c = fn.Configuration;
    return { role: c?.Role, memory: c?.MemorySize, env: c?.Environment, tags: fn.Tags };
  },
  async tagsOfOurs(w) {
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    return fn.Tags ?? {};
  },
};

const scheduleCopy: Copy = {
  key: 'schedule',
  async removeOurs(w) {
    await w.clients.scheduler.send(new DeleteScheduleCommand({ Name: SYSTEM_NAMES.schedule }));
    w.account.advance(2_000);
  },
  async make(w, tags) {
    const fn = await w.clients.lambda
      .send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }))
      .catch(() => undefined);
    await w.clients.scheduler.send(
      new CreateScheduleCommand({
        Name: SYSTEM_NAMES.schedule,
        // The description is a schedule's tags: copied, the creation nonce with it.
        Description: tags['description'] ?? scheduleOwnerMark('schedule'),
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: fn?.Configuration?.FunctionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:x',
          RoleArn: 'arn:aws:iam::123456789012:role/someone-else',
        },
      }),
    );
  },
  async look(w) {
    const s = await w.clients.scheduler.send(new GetScheduleCommand({ Name: SYSTEM_NAMES.schedule }));
    return { created: s.CreationDate, expression: s.ScheduleExpression, target: s.Target?.Arn };
  },
  async tagsOfOurs(w) {
    const s = await w.clients.scheduler.send(new GetScheduleCommand({ Name: SYSTEM_NAMES.schedule }));
    return { description: s.Description ?? '' };
  },
};

const COPIES: Copy[] = [
  queueCopy('dead-letter-queue', WORK_QUEUE.deadLetter),
  queueCopy('work-queue', WORK_QUEUE.name),
  roleCopy('reconciler-role', (region) => systemRoleNames(region).reconcilerRole),
  roleCopy('scheduler-role', (region) => systemRoleNames(region).schedulerRole),
  boundaryCopy,
  functionCopy,
  scheduleCopy,
];

describe('adversary: a copy of a bootstrap resource, its name and lambdaflex-system tags', () => {
  it.each(COPIES.filter((c) => c.key !== 'schedule').map((c) => [c.key, c] as const))(
    '%s made before the first bootstrap: not adopted, not changed; bootstrap stops naming it',
    async (key, copy) => {
      const w = world();
      await copy.make(w, copiedTags(key));
      const before = await copy.look(w);
      const run = runBootstrap(w.options());
      await expect(run).rejects.toThrow(BootstrapError);
      await expect(run).rejects.toThrow(
        new RegExp(`${key} \\(.*not the one bootstrap made.*delete or rename it`),
      );
      expect(await copy.look(w)).toEqual(before);
      // Its destroy leaves it too.
      await runBootstrap(w.options({ destroy: true })).catch(() => undefined);
      expect(await copy.look(w)).toEqual(before);
    },
  );

  it.each(COPIES.map((c) => [c.key, c] as const))(
    '%s deleted by hand and made again by someone with the tags copied: neither run nor --destroy touches it',
    async (key, copy) => {
      const w = world();
      await runBootstrap(w.options());
      const tags = await copy.tagsOfOurs(w);
      await copy.removeOurs(w);
      await copy.make(w, tags);
      const before = await copy.look(w);
      const others = w.system();

      await expect(runBootstrap(w.options())).rejects.toThrow(
        new RegExp(`${key} \\(.*not the one bootstrap made`),
      );
      expect(await copy.look(w)).toEqual(before);

      const destroy = runBootstrap(w.options({ destroy: true }));
      await expect(destroy).rejects.toThrow(BootstrapError);
      await expect(destroy).rejects.toThrow(new RegExp(`${key} \\(`));
      expect(await copy.look(w)).toEqual(before);
      // It stops before any change: the rest of the installation is there still.
      expect(w.system()).toEqual(others);
    },
  );
});

describe('adversary: a table of its name with copied tags', () => {
  const TABLE_TAGS = tagList(copiedTags('table'));
  async function makeTable(w: World, item?: Record<string, AttributeValue>) {
    await w.dynamodb.send(
      new CreateTableCommand({
        TableName: w.tableName,
        AttributeDefinitions: [{ AttributeName: 'stack', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'stack', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        Tags: TABLE_TAGS,
      }),
    );
    if (item) await w.dynamodb.send(new PutItemCommand({ TableName: w.tableName, Item: item }));
  }
  const tableId = async (w: World) =>
    (await w.dynamodb.send(new DescribeTableCommand({ TableName: w.tableName }))).Table?.TableId;

  it('holding no system record: --destroy stops naming it and leaves it', async () => {
    const w = world();
    await makeTable(w);
    const before = await tableId(w);
    const destroy = runBootstrap(w.options({ destroy: true }));
    await expect(destroy).rejects.toThrow(BootstrapError);
    await expect(destroy).rejects.toThrow(/holds no system record naming it bootstrap's; it is left alone/);
    expect(await tableId(w)).toBe(before);
  });

  it('made again with a copy of the system record (its ledger naming the first TableId): neither run touches it', async () => {
    const w = world();
    await runBootstrap(w.options());
    const record = (await w.ledger())!;
    await runBootstrap(w.options({ destroy: true }));
    await makeTable(w, record);
    const before = await tableId(w);
    await expect(runBootstrap(w.options())).rejects.toThrow(
      /is not the table bootstrap made: the system record in it names TableId/,
    );
    await expect(runBootstrap(w.options({ destroy: true }))).rejects.toThrow(/remove owned\.table/);
    expect(await tableId(w)).toBe(before);
    expect(w.system()).toEqual([]);
  });

  it("a record written before tables were recorded gets the table's TableId on the next run", async () => {
    const w = world();
    await runBootstrap(w.options());
    await w.dynamodb.send(
      new UpdateItemCommand({
        TableName: w.tableName,
        Key: { stack: { S: '#lambdaflex-system' } },
        UpdateExpression: 'REMOVE #o.#t',
        ExpressionAttributeNames: { '#o': 'owned', '#t': 'table' },
      }),
    );
    await runBootstrap(w.options());
    expect((await w.ledger())?.['owned']?.M?.['table']?.S).toBe(await tableId(w));
  });
});

describe('a bootstrap dying right after a create, run again', () => {
  it('the sweep below covers every mutating call of a bootstrap (fewer than 31)', async () => {
    const w = world();
    w.account.setFaults({ crashAfterMutatingCalls: 31 });
    await runBootstrap(w.options());
    expect(w.system().length).toBeGreaterThan(10);
  });

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))(
    'after mutating call %i: the next run recognises what it made by its nonce, records it, makes nothing twice',
    async (k) => {
      const w = world();
      w.account.setFaults({ crashAfterMutatingCalls: k });
      await runBootstrap(w.options()).catch(() => undefined);
      w.account.restart();
      w.account.setFaults({});
      await runBootstrap(w.options());
      const made = w.system();
      expect(new Set(made).size).toBe(made.length);
      const owned = (await w.ledger())?.['owned']?.M ?? {};
      expect(Object.keys(owned).sort()).toEqual(
        [
          'boundary-policy',
          'dead-letter-queue',
          'function',
          'reconciler-role',
          'schedule',
          'scheduler-policy',
          'scheduler-role',
          'stack-logs-policy',
          'stack-table-policy',
          'table',
          'work-queue',
          ...Object.keys(owned).filter((k) => k.startsWith('reconciler-policy-')),
        ].sort(),
      );
      expect(Object.keys(owned).some((k) => k.startsWith('reconciler-policy-'))).toBe(true);
      expect((await w.ledger())?.['intents']?.M ?? {}).toEqual({});
      expect((await runBootstrap(w.options())).calls.mutating).toBe(0);
    },
  );
});

describe('upgrade: a system record made before bootstrap recorded identities', () => {
  async function asOlderRelease(w: World) {
    await runBootstrap(w.options());
    // What an older release left: no ledger in the record, no nonce on the function.
    await w.dynamodb.send(
      new UpdateItemCommand({
        TableName: w.tableName,
        Key: { stack: { S: '#lambdaflex-system' } },
        UpdateExpression: 'REMOVE #o, #i',
        ExpressionAttributeNames: { '#o': 'owned', '#i': 'intents' },
      }),
    );
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    await w.clients.lambda.send(
      new UntagResourceCommand({ Resource: fn.Configuration!.FunctionArn, TagKeys: ['lambdaflex:nonce'] }),
    );
  }

  it('adopts once what carries the tags, recording each identity; the function gets a nonce; then nothing changes', async () => {
    const w = world();
    await asOlderRelease(w);
    const before = w.system();
    const upgraded = await runBootstrap(w.options());
    expect(upgraded.calls.byOperation['lambda:TagResource']).toBe(1);
    const owned = (await w.ledger())?.['owned']?.M ?? {};
    const role = await w.clients.iam.send(
      new GetRoleCommand({ RoleName: systemRoleNames(w.account.region).reconcilerRole }),
    );
    expect(owned['reconciler-role']?.S).toBe(role.Role?.RoleId);
    const fn = await w.clients.lambda.send(new ListTagsCommand({ Resource: upgraded.resources['function'] }));
    expect(owned['function']?.S).toBe(fn.Tags?.['lambdaflex:nonce']);
    expect(owned['function']?.S).toMatch(/^[0-9a-f]{16}$/);
    const table = await w.dynamodb.send(new DescribeTableCommand({ TableName: w.tableName }));
    expect(owned['table']?.S).toBe(table.Table?.TableId);
    expect(w.system()).toEqual(before);
    expect((await runBootstrap(w.options())).calls.mutating).toBe(0);
    await runBootstrap(w.options({ destroy: true }));
    expect(w.system()).toEqual([]);
  });

  it('after the upgrade, a copy made in place of one of them is refused', async () => {
    const w = world();
    await asOlderRelease(w);
    await runBootstrap(w.options());
    const copy = COPIES.find((c) => c.key === 'work-queue')!;
    const tags = await copy.tagsOfOurs(w);
    await copy.removeOurs(w);
    await copy.make(w, tags);
    await expect(runBootstrap(w.options({ destroy: true }))).rejects.toThrow(/work-queue \(/);
    expect(w.system().length).toBeGreaterThan(5);
  });
});
