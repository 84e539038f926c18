import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { lambdaFunctionResource } from '../../../../reconciler/resources/lambda/function';
import {
  TASK_DEFINITION_REVISIONS_KEPT,
  taskDefinitionResource,
} from '../../../../reconciler/resources/ecs/task-definition';
import { awsError, testContext, testSpec } from '../fixtures';
import { OWN_ECS_TAGS, ROLE_ARN, TASK_DEF_ARN, TASK_ROLE_ARN, fargateRefs } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';
import type { OwnershipView } from '../../../../reconciler/resources/types';

const ecs = mockClient(ECSClient);
const OWN_ECS_TAGS_RECORD = Object.fromEntries(
  OWN_ECS_TAGS('task-definition').map((tag) => [tag.key!, tag.value!]),
);
beforeEach(() => ecs.reset());

const spec = () => testSpec({ environment: { LOG_LEVEL: 'info', API_BASE: 'https://x' } });
const ctx = () => testContext({ spec: spec(), refs: fargateRefs() });
const arnOf = (family: string, revision: number) =>
  TASK_DEF_ARN.replace(/task-definition\/.*$/, `task-definition/${family}:${revision}`);

/** A task definition as DescribeTaskDefinition returns it: ours plus everything AWS adds. */
function described(overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    taskDefinitionArn: TASK_DEF_ARN,
    family: 'lf-orders-api-task',
    revision: 3,
    status: 'ACTIVE',
    cpu: '512',
    memory: '1024',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    executionRoleArn: ROLE_ARN,
    taskRoleArn: TASK_ROLE_ARN,
    volumes: [],
    placementConstraints: [],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    registeredAt: new Date(0),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/reconciler',
    containerDefinitions: [
      {
        name: 'app',
        image: testSpec().image,
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        // AWS keeps the order it was given; ours is sorted by name.
        environment: [
          { name: 'API_BASE', value: 'https://x' },
          { name: 'LAMBDAFLEX_STACK', value: 'orders-api' },
          { name: 'LAMBDAFLEX_TABLE', value: 'lambdaflex' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/lambdaflex/orders-api',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'app',
            'awslogs-create-group': 'true',
          },
        },
      },
    ],
    ...overrides,
  };
}

function answerFind(definition = described()): void {
  ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [definition.taskDefinitionArn!] });
  ecs
    .on(DescribeTaskDefinitionCommand)
    .resolves({ taskDefinition: definition, tags: OWN_ECS_TAGS('task-definition') });
}

/** The stack's ownership record of its task definition: the revision in use, earlier ones, intents. */
function view(
  options: { recorded?: string; earlier?: string[]; journaled?: string; lastSeen?: string } = {},
): OwnershipView {
  const nonceOf = (tags: Readonly<Record<string, string>>) => tags['lambdaflex:nonce'];
  return {
    recorded: () => (options.recorded ? { id: options.recorded } : undefined),
    isRecorded: (_key, id, tags) =>
      options.recorded
        ? id === options.recorded
        : id === options.lastSeen || (!!options.journaled && nonceOf(tags) === options.journaled),
    awaits: () => options.journaled !== undefined,
    earlier: () => options.earlier ?? [],
    journaled: (_key, tags) => !!options.journaled && nonceOf(tags) === options.journaled,
  };
}

describe('taskDefinitionResource', () => {
  it('journals an update like a create when it registers a revision, not when it only deregisters old ones', () => {
    const updateCreates = taskDefinitionResource.updateCreates!;
    expect(updateCreates([{ path: 'supersededRevisions', from: [], to: ['a'] }])).toBe(false);
    expect(updateCreates([{ path: 'containers.0.image', from: 'a', to: 'b' }])).toBe(true);
  });

  it('tags a revision with the nonce journaled for it', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: described() });
    const created = await taskDefinitionResource.create({ ...ctx(), nonce: 'n-1' });
    expect(ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      tags: [...OWN_ECS_TAGS('task-definition'), { key: 'lambdaflex:nonce', value: 'n-1' }],
    });
    expect(created.tags['lambdaflex:nonce']).toBe('n-1');
  });

  it('registers a FARGATE/awsvpc revision with one container, sorted environment with LAMBDAFLEX_STACK and awslogs, tagged', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: described() });
    const created = await taskDefinitionResource.create(ctx());
    expect(ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      family: 'lf-orders-api-task',
      cpu: '512',
      memory: '1024',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: ROLE_ARN,
      // The task's own credentials: the service reads its stack's item of the state table.
      taskRoleArn: TASK_ROLE_ARN,
      containerDefinitions: [
        {
          name: 'app',
          image: testSpec().image,
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
          environment: [
            { name: 'API_BASE', value: 'https://x' },
            { name: 'LAMBDAFLEX_STACK', value: 'orders-api' },
            { name: 'LAMBDAFLEX_TABLE', value: 'lambdaflex' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/lambdaflex/orders-api',
              'awslogs-stream-prefix': 'app',
              'awslogs-create-group': 'true',
              'awslogs-region': 'us-east-1',
            },
          },
        },
      ],
      tags: OWN_ECS_TAGS('task-definition'),
    });
    expect(created).toMatchObject({ id: TASK_DEF_ARN, arn: TASK_DEF_ARN, foreign: false });
  });

  it("gives the task the same variables as the function, the API token's hash included", () => {
    const withToken = testSpec({ environment: { LOG_LEVEL: 'info' }, api: { tokenSha256: 'ab'.repeat(32) } });
    const containers = taskDefinitionResource.desiredAttributes(withToken, fargateRefs(), DEFAULT_INTENT)
      .containers as {
      environment: unknown;
    }[];
    expect(containers[0]!.environment).toEqual(
      lambdaFunctionResource.desiredAttributes(withToken, {}, DEFAULT_INTENT).environment,
    );
    expect(containers[0]!.environment).toEqual([
      { name: 'LAMBDAFLEX_API_TOKEN_SHA256', value: 'ab'.repeat(32) },
      { name: 'LAMBDAFLEX_STACK', value: 'orders-api' },
      { name: 'LAMBDAFLEX_TABLE', value: 'lambdaflex' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
  });

  describe('find', () => {
    it('reads the latest ACTIVE revision of the family with its tags', async () => {
      answerFind();
      const found = await taskDefinitionResource.find(ctx());
      expect(ecs).toHaveReceivedCommandWith(ListTaskDefinitionsCommand, {
        familyPrefix: 'lf-orders-api-task',
        status: 'ACTIVE',
        sort: 'DESC',
      });
      expect(ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, {
        taskDefinition: TASK_DEF_ARN,
        include: ['TAGS'],
      });
      expect(found).toMatchObject({ id: TASK_DEF_ARN, state: 'ACTIVE', foreign: false });
    });

    it('normalises away what AWS adds: an unchanged spec has an empty diff (no endless re-registering)', async () => {
      answerFind();
      const found = await taskDefinitionResource.find(ctx());
      expect(
        diffAttributes(
          taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([]);
    });

    it('sees a new image as drift in the container definition', async () => {
      answerFind();
      const found = await taskDefinitionResource.find(ctx());
      const changed = testSpec({ ...spec(), image: 'example.com/orders-api:2' });
      expect(
        diffAttributes(
          taskDefinitionResource.desiredAttributes(changed, fargateRefs(), DEFAULT_INTENT),
          found!.attributes,
        ).map((c) => c.path),
      ).toEqual(['containers']);
    });

    it('answers undefined when the family has no ACTIVE revision', async () => {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
      await expect(taskDefinitionResource.find(ctx())).resolves.toBeUndefined();
      expect(ecs).not.toHaveReceivedCommand(DescribeTaskDefinitionCommand);
    });

    it('ignores another family that merely starts with ours', async () => {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [arnOf('lf-orders-api-task-x', 9)] });
      await expect(taskDefinitionResource.find(ctx())).resolves.toBeUndefined();
    });

    it('reports the recorded revision found without our tags as foreign', async () => {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [TASK_DEF_ARN] });
      ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: [] });
      const ownership = view({ recorded: TASK_DEF_ARN });
      await expect(taskDefinitionResource.find({ ...ctx(), ownership })).resolves.toMatchObject({
        id: TASK_DEF_ARN,
        foreign: true,
      });
    });
  });

  it('updates by registering a new revision', async () => {
    answerFind();
    const current = (await taskDefinitionResource.find(ctx()))!;
    const next = arnOf('lf-orders-api-task', 4);
    ecs
      .on(RegisterTaskDefinitionCommand)
      .resolves({ taskDefinition: described({ taskDefinitionArn: next, revision: 4 }) });
    const updated = await taskDefinitionResource.update!(ctx(), current, []);
    expect(ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
    expect(updated.arn).toBe(next);
  });

  describe("revisions proven the stack's by its record, one by one", () => {
    const revision = (n: number) => arnOf('lf-orders-api-task', n);
    /** Another installation's stack of the same name: the same family, the same tags, its own nonce. */
    const THEIRS = [...OWN_ECS_TAGS('task-definition'), { key: 'lambdaflex:nonce', value: 'theirs' }];

    /** ACTIVE revisions, newest first; those in `theirs` another installation's. */
    function answerRevisions(active: number[], theirs: number[] = [], nonces: Record<number, string> = {}) {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: active.map(revision) });
      for (const n of active) {
        ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(n), include: ['TAGS'] }).resolves({
          taskDefinition: described({ taskDefinitionArn: revision(n), revision: n }),
          tags: theirs.includes(n)
            ? THEIRS
            : [...OWN_ECS_TAGS('task-definition'), { key: 'lambdaflex:nonce', value: nonces[n] ?? `n${n}` }],
        });
      }
    }
    const described_ = () =>
      ecs.commandCalls(DescribeTaskDefinitionCommand).map((call) => call.args[0].input.taskDefinition);

    it("finds the recorded revision, not the family's latest, which another installation registered", async () => {
      answerRevisions([9, 8, 5], [9, 8]);
      const ownership = view({ recorded: revision(5) });
      const found = await taskDefinitionResource.find({ ...ctx(), ownership });
      expect(found).toMatchObject({ id: revision(5), foreign: false });
      // Theirs are not even read: only the recorded one is.
      expect(described_()).toEqual([revision(5)]);
    });

    it(`keeps the newest ${TASK_DEFINITION_REVISIONS_KEPT} of its own and finds only its own older ones superseded`, async () => {
      // 7 is the one in use; 6, 4, 2, 1 earlier ones of the stack's; 5 and 3 the other installation's.
      answerRevisions([7, 6, 5, 4, 3, 2, 1], [5, 3]);
      const ownership = view({ recorded: revision(7), earlier: [1, 2, 4, 6].map(revision) });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      expect(found.id).toBe(revision(7));
      expect(found.attributes.supersededRevisions).toEqual([revision(1), revision(2)]);
      expect(found.earlierRetired).toBeUndefined();
      const changes = diffAttributes(
        taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      expect(changes).toEqual([{ path: 'supersededRevisions', from: [revision(1), revision(2)], to: [] }]);
    });

    it('leaves a revision of the family it has no record of alone: one registered before revisions were recorded', async () => {
      answerRevisions([5, 4, 3, 2, 1]);
      const found = (await taskDefinitionResource.find({
        ...ctx(),
        ownership: view({ recorded: revision(5) }),
      }))!;
      expect(found.attributes.supersededRevisions).toEqual([]);
    });

    it('tells which earlier ones are no longer ACTIVE (to delete, still recorded), reading pages until it has seen them all', async () => {
      ecs
        .on(ListTaskDefinitionsCommand)
        .resolvesOnce({ taskDefinitionArns: [revision(9), revision(8)], nextToken: 'next' })
        .resolvesOnce({ taskDefinitionArns: [revision(3)] });
      ecs.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: described({ taskDefinitionArn: revision(9), revision: 9 }),
        tags: OWN_ECS_TAGS('task-definition'),
      });
      const ownership = view({ recorded: revision(9), earlier: [2, 3, 8].map(revision) });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      expect(ecs).toHaveReceivedCommandTimes(ListTaskDefinitionsCommand, 2);
      expect(ecs).toHaveReceivedNthCommandWith(2, ListTaskDefinitionsCommand, {
        familyPrefix: 'lf-orders-api-task',
        status: 'ACTIVE',
        sort: 'DESC',
        nextToken: 'next',
      });
      // Deregistered and not yet deleted (or gone): deleted by the update, and only then let go.
      expect(found.earlierRetired).toBeUndefined();
      expect(found.attributes.supersededRevisions).toEqual([revision(2)]);
      expect(found.extra).toMatchObject({ inactiveEarlier: [revision(2)] });
    });

    it("a registration whose answer was lost: the newest revision carrying its journaled nonce, past the other installation's", async () => {
      answerRevisions([8, 7, 6, 5], [8, 6], { 7: 'lost' });
      const ownership = view({ recorded: revision(5), journaled: 'lost' });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      expect(found).toMatchObject({ id: revision(7), tags: { 'lambdaflex:nonce': 'lost' } });
      // Down to the recorded one (not described again): a second lost registration would be older.
      expect(described_()).toEqual([revision(8), revision(7), revision(6)]);
    });

    it("two registrations whose answers were lost, the older past ten of the other installation's: the newest in use, the older found too", async () => {
      const theirs = [18, 17, 16, 15, 14, 13, 12, 11, 10, 9];
      answerRevisions([19, ...theirs, 8, 7, 5], theirs, { 19: 'lost-2', 8: 'lost-1', 7: 'unjournaled' });
      const ownership: OwnershipView = {
        ...view({ recorded: revision(5) }),
        awaits: () => true,
        journaled: (_key, tags) => ['lost-1', 'lost-2'].includes(tags['lambdaflex:nonce']!),
      };
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      expect(found).toMatchObject({ id: revision(19), earlierFound: [{ id: revision(8), nonce: 'lost-1' }] });
      // Looked at down to the recorded one, and no further.
      expect(described_()).not.toContain(revision(5));
      expect(described_()).toContain(revision(7));
    });

    it("a registration whose answer was lost and made nothing: the recorded one, never another's newer one", async () => {
      answerRevisions([8, 5], [8]);
      const ownership = view({ recorded: revision(5), journaled: 'lost' });
      await expect(taskDefinitionResource.find({ ...ctx(), ownership })).resolves.toMatchObject({
        id: revision(5),
      });
      // Nothing recorded, nothing journaled: another installation's revisions are not the stack's.
      await expect(taskDefinitionResource.find({ ...ctx(), ownership: view() })).resolves.toBeUndefined();
    });

    it('answers undefined once the recorded revision is no longer listed ACTIVE, without describing it', async () => {
      // ECS describes an INACTIVE revision only while something runs it: asking would be a ClientException.
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [revision(9)] });
      ecs
        .on(DescribeTaskDefinitionCommand)
        .rejects(awsError('ClientException', 'Unable to describe task definition.'));
      const ownership = view({ recorded: revision(5) });
      await expect(taskDefinitionResource.find({ ...ctx(), ownership })).resolves.toBeUndefined();
      expect(ecs).not.toHaveReceivedCommand(DescribeTaskDefinitionCommand);
    });

    it('answers undefined when the recorded revision was deregistered between the list and the describe', async () => {
      answerRevisions([5]);
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(5), include: ['TAGS'] }).resolves({
        taskDefinition: described({ taskDefinitionArn: revision(5), status: 'INACTIVE' }),
        tags: OWN_ECS_TAGS('task-definition'),
      });
      const ownership = view({ recorded: revision(5) });
      await expect(taskDefinitionResource.find({ ...ctx(), ownership })).resolves.toBeUndefined();
    });

    it('deregisters exactly the superseded ones, oldest first, then deletes them, registers nothing, and says they are retired', async () => {
      answerRevisions([7, 6, 5, 4, 3, 2, 1], [5, 3]);
      const ownership = view({ recorded: revision(7), earlier: [1, 2, 4, 6].map(revision) });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      const changes = diffAttributes(
        taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      ecs.on(DeregisterTaskDefinitionCommand).resolves({});
      ecs.on(DeleteTaskDefinitionsCommand).resolves({ failures: [] });
      const updated = await taskDefinitionResource.update!({ ...ctx(), ownership }, found, changes);
      const deregistered = ecs
        .commandCalls(DeregisterTaskDefinitionCommand)
        .map((call) => call.args[0].input.taskDefinition);
      expect(deregistered).toEqual([revision(1), revision(2)]);
      expect(ecs).toHaveReceivedCommandTimes(DeleteTaskDefinitionsCommand, 1);
      expect(ecs).toHaveReceivedCommandWith(DeleteTaskDefinitionsCommand, {
        taskDefinitions: [revision(1), revision(2)],
      });
      expect(ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
      expect(updated).toMatchObject({
        id: revision(7),
        attributes: { supersededRevisions: [] },
        earlierRetired: [revision(1), revision(2)],
      });
    });

    it('deletes an earlier one found INACTIVE without deregistering it again, and lets it go only then', async () => {
      answerRevisions([9, 8]);
      const ownership = view({ recorded: revision(9), earlier: [3, 8].map(revision) });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      const changes = diffAttributes(
        taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      ecs.on(DeleteTaskDefinitionsCommand).resolves({ failures: [] });
      const updated = await taskDefinitionResource.update!({ ...ctx(), ownership }, found, changes);
      expect(ecs).not.toHaveReceivedCommand(DeregisterTaskDefinitionCommand);
      expect(ecs).toHaveReceivedCommandWith(DeleteTaskDefinitionsCommand, { taskDefinitions: [revision(3)] });
      expect(updated.earlierRetired).toEqual([revision(3)]);
    });

    it('judges a refused delete by the revision itself, not by the wording of its reason', async () => {
      // AWS documents no failure reasons for DeleteTaskDefinitions. 2 is still ACTIVE, 3 INACTIVE (refused
      // for a reason of its own; ECS describes it no more, it lists it), 4 gone, 5 DELETE_IN_PROGRESS:
      // 4 and 5 are let go.
      answerRevisions([9, 8]);
      const ownership = view({ recorded: revision(9), earlier: [2, 3, 4, 5, 8].map(revision) });
      const found = (await taskDefinitionResource.find({ ...ctx(), ownership }))!;
      ecs.on(DeleteTaskDefinitionsCommand).resolves({
        failures: [2, 3, 4, 5].map((n) => ({ arn: revision(n), reason: 'Request could not be completed.' })),
      });
      const gone = awsError('ClientException', 'Unable to describe task definition.', 400);
      ecs
        .on(DescribeTaskDefinitionCommand, { taskDefinition: revision(2) })
        .resolves({ taskDefinition: described({ taskDefinitionArn: revision(2), status: 'ACTIVE' }) });
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(3) }).rejects(gone);
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(4) }).rejects(gone);
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(5) }).resolves({
        taskDefinition: described({ taskDefinitionArn: revision(5), status: 'DELETE_IN_PROGRESS' }),
      });
      ecs
        .on(ListTaskDefinitionsCommand, { status: 'INACTIVE' })
        .resolves({ taskDefinitionArns: [revision(3)] });
      const updated = await taskDefinitionResource.update!({ ...ctx(), ownership }, found, [
        { path: 'supersededRevisions', from: [2, 3, 4, 5].map(revision), to: [] },
      ]);
      expect(updated.earlierRetired).toEqual([revision(4), revision(5)]);
    });

    it('deletes at most ten revisions a call', async () => {
      const earlier = Array.from({ length: 12 }, (_, i) => revision(i + 1));
      ecs
        .on(ListTaskDefinitionsCommand)
        .resolves({ taskDefinitionArns: [revision(20), ...[...earlier].reverse()] });
      ecs.on(DeregisterTaskDefinitionCommand).resolves({});
      ecs.on(DeleteTaskDefinitionsCommand).resolves({ failures: [] });
      const ownership = view({ recorded: revision(20), earlier });
      const current = {
        key: 'task-definition',
        type: 'AWS::ECS::TaskDefinition',
        id: revision(20),
        tags: OWN_ECS_TAGS_RECORD,
        attributes: {},
        ready: true,
      };
      await taskDefinitionResource.delete({ ...ctx(), ownership }, current);
      const batches = ecs
        .commandCalls(DeleteTaskDefinitionsCommand)
        .map((call) => call.args[0].input.taskDefinitions);
      expect(batches).toEqual([earlier.slice(0, 10), [...earlier.slice(10), revision(20)]]);
    });

    it("deletes by deregistering its earlier revisions and the one in use, last, across pages, never the other's", async () => {
      ecs
        .on(ListTaskDefinitionsCommand)
        .resolvesOnce({ taskDefinitionArns: [revision(9), revision(7)], nextToken: 'next' })
        .resolvesOnce({ taskDefinitionArns: [revision(6), revision(4), revision(2)] });
      ecs.on(DeregisterTaskDefinitionCommand).resolves({});
      // 9 and 6 are the other installation's; 3, recorded, is already INACTIVE (not listed).
      const ownership = view({ recorded: revision(7), earlier: [2, 3, 4].map(revision) });
      const current = {
        key: 'task-definition',
        type: 'AWS::ECS::TaskDefinition',
        id: revision(7),
        tags: OWN_ECS_TAGS_RECORD,
        attributes: {},
        ready: true,
      };
      ecs.on(DeleteTaskDefinitionsCommand).resolves({ failures: [] });
      await taskDefinitionResource.delete({ ...ctx(), ownership }, current);
      expect(ecs).toHaveReceivedCommandTimes(ListTaskDefinitionsCommand, 2);
      const deregistered = ecs
        .commandCalls(DeregisterTaskDefinitionCommand)
        .map((call) => call.args[0].input.taskDefinition);
      expect(deregistered).toEqual([revision(2), revision(4), revision(7)]);
      // Then deleted, the INACTIVE one recorded too: the stack's and no one else's.
      expect(ecs).toHaveReceivedCommandWith(DeleteTaskDefinitionsCommand, {
        taskDefinitions: [revision(2), revision(3), revision(4), revision(7)],
      });
      expect(ecs).toHaveReceivedCommandTimes(DeleteTaskDefinitionsCommand, 1);
    });

    it('a delete ECS refuses while the revision is still registered fails the step, naming it and the reason', async () => {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [revision(7)] });
      ecs
        .on(DescribeTaskDefinitionCommand, { taskDefinition: revision(7) })
        .resolves({ taskDefinition: described({ taskDefinitionArn: revision(7), status: 'ACTIVE' }) });
      ecs.on(DeregisterTaskDefinitionCommand).resolves({});
      ecs.on(DeleteTaskDefinitionsCommand).resolves({
        failures: [{ arn: revision(7), reason: 'The specified task definition is still in ACTIVE status.' }],
      });
      const current = {
        key: 'task-definition',
        type: 'AWS::ECS::TaskDefinition',
        id: revision(7),
        tags: OWN_ECS_TAGS_RECORD,
        attributes: {},
        ready: true,
      };
      await expect(
        taskDefinitionResource.delete({ ...ctx(), ownership: view({ recorded: revision(7) }) }, current),
      ).rejects.toThrow(
        `deleting AWS::ECS::TaskDefinition (${revision(7)}): still registered after DeleteTaskDefinitions (The specified task definition is still in ACTIVE status.)`,
      );
    });
  });

  it.each([
    ['ClientException', 'Role is not valid', 'retryable', 400],
    ['ClientException', 'Invalid setting for container "app": memory', 'terminal', 400],
    ['InvalidParameterException', 'cpu', 'terminal', 400],
    // ECS answers ServerException with a 500, which the SDK retries.
    ['ServerException', 'oops', 'retryable', 500],
    ['AccessDeniedException', 'no', 'terminal', 400],
  ])('classifies %s (%s) as %s', (code, message, verdict, status) => {
    expect(classify(awsError(code, message, status), taskDefinitionResource.errors)).toBe(verdict);
  });
});
