/**
 * adversary: `lambdaflex bootstrap` and `bootstrap --destroy` as a careless operator and a crashing process
 * run them against the simulated account: --destroy while stacks are still recorded (the reconciler they
 * need must not be taken from them), each run dying after its k-th change and run again, and resources of
 * bootstrap's names that bootstrap did not make (an untagged queue, role or table): never changed, never
 * deleted.
 */
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueUrlCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { SYSTEM_NAMES, SYSTEM_STACK, systemRoleNames } from '../../../reconciler/bootstrap/names';
import { BootstrapError, runBootstrap } from '../../../reconciler/bootstrap/run';
import { WORK_QUEUE } from '../../../reconciler/iam/scopes';
import { DynamoStateStore } from '../../../reconciler/state';
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
const SPEC = { stack: 'orders-api', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2' };

function world() {
  const w = bootstrapWorld(db.client, `lf-adv-boot-${++tables}`, 17);
  return { ...w, store: new DynamoStateStore({ client: w.dynamodb, tableName: w.tableName }) };
}

/** Runs `run` until a pass dies of the injected crash; true when it did. */
async function crashes(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return false;
  } catch (error) {
    if (/crash/i.test(String(error))) return true;
    throw error;
  }
}

describe('adversary: bootstrap --destroy while stacks are still recorded', () => {
  it('refuses before any change, naming the stacks: their reconciler, queue and policies stay', async () => {
    const w = world();
    await runBootstrap(w.options());
    await w.store.putSpec(SPEC, { expectedGeneration: 0 });
    const before = w.system();
    expect(before.length).toBeGreaterThan(10);

    const destroyed = runBootstrap(w.options({ destroy: true }));
    await expect(destroyed).rejects.toThrow(BootstrapError);
    await expect(destroyed).rejects.toThrow(/orders-api/);
    expect(w.system()).toEqual(before);
    const fn = await w.clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }));
    expect(fn.Configuration?.FunctionName).toBe(SYSTEM_NAMES.function);
  });

  it('refuses too for a stack whose deletion is under way: the reconciler is what finishes it', async () => {
    const w = world();
    await runBootstrap(w.options());
    await w.store.putSpec(SPEC, { expectedGeneration: 0 });
    await w.store.requestDelete('orders-api');
    const before = w.system();
    await expect(runBootstrap(w.options({ destroy: true }))).rejects.toThrow(/orders-api/);
    expect(w.system()).toEqual(before);
  });

  it('goes ahead once the last stack is gone (the system record is no stack)', async () => {
    const w = world();
    await runBootstrap(w.options());
    await w.store.putSpec(SPEC, { expectedGeneration: 0 });
    // As the reconciler's last write of a deleted stack does.
    await w.dynamodb.send(
      new DeleteItemCommand({ TableName: w.tableName, Key: { stack: { S: 'orders-api' } } }),
    );
    await runBootstrap(w.options({ destroy: true }));
    expect(w.system()).toEqual([]);
  });
});

describe('adversary: a bootstrap or a destroy that dies after its k-th change, run again at once', () => {
  it.each([1, 2, 4, 7, 11, 16])(
    'bootstrap dying after change %i: the next run finishes, and a third changes nothing',
    async (k) => {
      const w = world();
      w.account.setFaults({ crashAfterMutatingCalls: k });
      expect(await crashes(() => runBootstrap(w.options()))).toBe(true);
      w.account.restart();
      w.account.setFaults({});
      const finished = await runBootstrap(w.options());
      expect(Object.values(finished.resources).every((id) => id !== undefined)).toBe(true);
      const again = await runBootstrap(w.options());
      expect(again.calls.mutating).toBe(0);
    },
  );

  it.each([1, 2, 4, 7, 11, 16])(
    'destroy dying after change %i: the next destroy leaves nothing of bootstrap’s',
    async (k) => {
      const w = world();
      await runBootstrap(w.options());
      w.account.setFaults({ crashAfterMutatingCalls: k });
      expect(await crashes(() => runBootstrap(w.options({ destroy: true })))).toBe(true);
      w.account.restart();
      w.account.setFaults({});
      await runBootstrap(w.options({ destroy: true }));
      expect(w.system()).toEqual([]);
      await expect(w.dynamodb.send(new DescribeTableCommand({ TableName: w.tableName }))).rejects.toThrow();
    },
  );
});

describe('adversary: two operators running bootstrap at once', () => {
  it('both finish or say why; then one more run changes nothing, and nothing is made twice', async () => {
    const w = world();
    const outcomes = await Promise.allSettled([runBootstrap(w.options()), runBootstrap(w.options())]);
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    const after = await runBootstrap(w.options());
    expect(after.calls.mutating).toBe(0);
    const made = w.system();
    expect(new Set(made).size).toBe(made.length);
  });

  it('a bootstrap and a destroy at once: whatever is left, the next bootstrap finishes and the next destroy empties', async () => {
    const w = world();
    await runBootstrap(w.options());
    await Promise.allSettled([runBootstrap(w.options()), runBootstrap(w.options({ destroy: true }))]);
    await runBootstrap(w.options());
    expect((await runBootstrap(w.options())).calls.mutating).toBe(0);
    await runBootstrap(w.options({ destroy: true }));
    expect(w.system()).toEqual([]);
  });
});

describe('adversary: throttled reads', () => {
  it.each([11, 12, 13])(
    'a destroy that says it finished under throttling (seed %i) has left nothing: a throttled find is not a gone resource',
    async (seed) => {
      const w = world();
      await runBootstrap(w.options());
      w.account.setFaults({ throttle: 0.6, seed });
      let finished = false;
      for (let run = 0; run < 20 && !finished; run++) {
        finished = await runBootstrap(w.options({ destroy: true })).then(
          () => true,
          () => false,
        );
      }
      w.account.setFaults({});
      expect(finished).toBe(true);
      expect(w.system()).toEqual([]);
    },
  );

  it.each([11, 12, 13])(
    'a bootstrap that says it finished under throttling (seed %i) has made everything: a second run changes nothing',
    async (seed) => {
      const w = world();
      w.account.setFaults({ throttle: 0.3, seed });
      let finished = false;
      for (let run = 0; run < 20 && !finished; run++) {
        finished = await runBootstrap(w.options()).then(
          () => true,
          () => false,
        );
      }
      w.account.setFaults({});
      expect(finished).toBe(true);
      expect((await runBootstrap(w.options())).calls.mutating).toBe(0);
    },
  );
});

describe('adversary: the check of the region’s installation throttled', () => {
  it('stops the run with a BootstrapError naming the read, and changes nothing', async () => {
    const w = world();
    w.account.setFaults({ throttle: 1 });
    const run = runBootstrap(w.options());
    await expect(run).rejects.toThrow(BootstrapError);
    await expect(run).rejects.toThrow(
      /reading AWS::Lambda::Function \(lambdaflex-reconciler\): TooManyRequestsException: /,
    );
    w.account.setFaults({});
    expect(w.system()).toEqual([]);
  });
});

describe('adversary: resources of bootstrap’s names it did not make', () => {
  it('an untagged work queue of its name: bootstrap does not adopt it, --destroy leaves it', async () => {
    const w = world();
    const made = await w.clients.sqs.send(
      new CreateQueueCommand({ QueueName: WORK_QUEUE.name, Attributes: { FifoQueue: 'true' } }),
    );
    await runBootstrap(w.options()).catch(() => undefined);
    await runBootstrap(w.options({ destroy: true })).catch(() => undefined);
    const url = await w.clients.sqs.send(new GetQueueUrlCommand({ QueueName: WORK_QUEUE.name }));
    expect(url.QueueUrl).toBe(made.QueueUrl);
    const tags = await w.clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: made.QueueUrl }));
    expect(tags.Tags ?? {}).toEqual({});
  });

  // Bootstrap's ownership is its tags AND the identity it recorded (reconciler/bootstrap/proven.ts): a
  // queue someone made with its name and copied tags was once adopted (SetQueueAttributes) and deleted.
  it('a work queue of its name with copied lambdaflex-system tags: --destroy leaves it', async () => {
    const w = world();
    const made = await w.clients.sqs.send(
      new CreateQueueCommand({
        QueueName: WORK_QUEUE.name,
        Attributes: { FifoQueue: 'true' },
        tags: {
          'lambdaflex:stack': SYSTEM_STACK,
          'lambdaflex:component': 'work-queue',
          'lambdaflex:managed-by': 'lambdaflex',
        },
      }),
    );
    await runBootstrap(w.options()).catch(() => undefined);
    await runBootstrap(w.options({ destroy: true })).catch(() => undefined);
    const url = await w.clients.sqs.send(new GetQueueUrlCommand({ QueueName: WORK_QUEUE.name }));
    expect(url.QueueUrl).toBe(made.QueueUrl);
  });

  it('an untagged role of the reconciler role’s name: --destroy leaves it', async () => {
    const w = world();
    const roleName = systemRoleNames(w.account.region).reconcilerRole;
    await w.clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await runBootstrap(w.options()).catch(() => undefined);
    await runBootstrap(w.options({ destroy: true })).catch(() => undefined);
    const role = await w.clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(role.Role?.AssumeRolePolicyDocument).toContain('ec2.amazonaws.com');
  });

  it('an untagged, empty table of its name (made by apply): --destroy leaves it', async () => {
    const w = world();
    await w.dynamodb.send(
      new CreateTableCommand({
        TableName: w.tableName,
        AttributeDefinitions: [{ AttributeName: 'stack', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'stack', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await runBootstrap(w.options()).catch(() => undefined);
    await runBootstrap(w.options({ destroy: true })).catch(() => undefined);
    const table = await w.dynamodb.send(new DescribeTableCommand({ TableName: w.tableName }));
    expect(table.Table?.TableName).toBe(w.tableName);
  });
});

describe('adversary: a second bootstrap in the region, for another table', () => {
  it('is refused before any change: the region’s reconciler goes on serving the first table', async () => {
    const first = world();
    await runBootstrap(first.options());
    await first.store.putSpec(SPEC, { expectedGeneration: 0 });
    const before = first.system();
    const secondTable = `${first.tableName}-staging`;
    await expect(runBootstrap(first.options({ tableName: secondTable }))).rejects.toThrow(
      `the reconciler in ${first.account.region} serves table ${first.tableName}, not ${secondTable}`,
    );
    const fn = await first.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function }),
    );
    expect(fn.Configuration?.Environment?.Variables?.LAMBDAFLEX_TABLE).toBe(first.tableName);
    expect(first.system()).toEqual(before);
    await expect(first.dynamodb.send(new DescribeTableCommand({ TableName: secondTable }))).rejects.toThrow();
  });

  it('--destroy for another (empty) table is refused too: the first table’s reconciler stays', async () => {
    const first = world();
    await runBootstrap(first.options());
    const before = first.system();
    await expect(
      runBootstrap(first.options({ tableName: `${first.tableName}-staging`, destroy: true })),
    ).rejects.toThrow(`serves table ${first.tableName}`);
    expect(first.system()).toEqual(before);
  });

  it('the same table again is no other installation: a second run changes nothing', async () => {
    const first = world();
    await runBootstrap(first.options());
    expect((await runBootstrap(first.options())).calls.mutating).toBe(0);
  });
});
