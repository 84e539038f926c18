import {
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

const ecs = mockClient(ECSClient);
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

    it('reports a revision without our tags as foreign', async () => {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [TASK_DEF_ARN] });
      ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: described(), tags: [] });
      await expect(taskDefinitionResource.find(ctx())).resolves.toMatchObject({ foreign: true });
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

  describe('superseded revisions', () => {
    const revision = (n: number) => arnOf('lf-orders-api-task', n);

    /** Five ACTIVE revisions, newest first; `foreign` ones carry no tags of ours. */
    function answerRevisions(foreign: number[] = []): void {
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [5, 4, 3, 2, 1].map(revision) });
      for (const n of [5, 4, 3, 2, 1]) {
        ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: revision(n), include: ['TAGS'] }).resolves({
          taskDefinition: described({ taskDefinitionArn: revision(n), revision: n }),
          tags: foreign.includes(n) ? [] : OWN_ECS_TAGS('task-definition'),
        });
      }
    }

    it(`keeps the newest ${TASK_DEFINITION_REVISIONS_KEPT} and finds the older ones of this stack superseded`, async () => {
      answerRevisions();
      const found = (await taskDefinitionResource.find(ctx()))!;
      expect(found.id).toBe(revision(5));
      expect(found.attributes.supersededRevisions).toEqual([revision(1), revision(2)]);
      const changes = diffAttributes(
        taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      expect(changes).toEqual([{ path: 'supersededRevisions', from: [revision(1), revision(2)], to: [] }]);
    });

    it('leaves an older revision without this stack’s tags alone (safety rule 3)', async () => {
      answerRevisions([1]);
      const found = (await taskDefinitionResource.find(ctx()))!;
      expect(found.attributes.supersededRevisions).toEqual([revision(2)]);
    });

    it('deregisters exactly the superseded ones, oldest first, and registers nothing', async () => {
      answerRevisions();
      const found = (await taskDefinitionResource.find(ctx()))!;
      const changes = diffAttributes(
        taskDefinitionResource.desiredAttributes(spec(), fargateRefs(), DEFAULT_INTENT),
        found.attributes,
      );
      ecs.on(DeregisterTaskDefinitionCommand).resolves({});
      const updated = await taskDefinitionResource.update!(ctx(), found, changes);
      const deregistered = ecs
        .commandCalls(DeregisterTaskDefinitionCommand)
        .map((call) => call.args[0].input.taskDefinition);
      expect(deregistered).toEqual([revision(1), revision(2)]);
      expect(ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
      expect(updated).toMatchObject({ id: revision(5), attributes: { supersededRevisions: [] } });
    });
  });

  it('deletes by deregistering every ACTIVE revision of the family that carries the stack’s tags, across pages', async () => {
    answerFind();
    const current = (await taskDefinitionResource.find(ctx()))!;
    // Once-answers count calls from the stub's creation: start a fresh one for the delete.
    ecs.reset();
    ecs
      .on(ListTaskDefinitionsCommand)
      .resolvesOnce({ taskDefinitionArns: [arnOf('lf-orders-api-task', 3)], nextToken: 'next' })
      .resolvesOnce({ taskDefinitionArns: [arnOf('lf-orders-api-task', 2), arnOf('lf-orders-api-task', 1)] });
    // Revision 2 was registered in the family by someone else: it is left alone.
    ecs.on(DescribeTaskDefinitionCommand).resolves({ tags: OWN_ECS_TAGS('task-definition') });
    ecs
      .on(DescribeTaskDefinitionCommand, {
        taskDefinition: arnOf('lf-orders-api-task', 2),
        include: ['TAGS'],
      })
      .resolves({ tags: [{ key: 'team', value: 'someone-else' }] });
    await taskDefinitionResource.delete(ctx(), current);
    const deregistered = ecs
      .commandCalls(DeregisterTaskDefinitionCommand)
      .map((call) => call.args[0].input.taskDefinition);
    expect(deregistered).toEqual([arnOf('lf-orders-api-task', 3), arnOf('lf-orders-api-task', 1)]);
    // Nothing ACTIVE left: the next find answers undefined, so a second delete is never even planned.
    ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
    await expect(taskDefinitionResource.find(ctx())).resolves.toBeUndefined();
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
