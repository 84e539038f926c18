/**
 * Task definitions: every RegisterTaskDefinition makes a new revision `family:N` (docs/aws-facts.md: compare
 * before registering); FARGATE needs awsvpc and a valid task-level cpu/memory pair (`ClientException`).
 * DeleteTaskDefinitions (ECS API reference): up to 10 revisions a call, each deregistered first (an
 * ACTIVE one is a failure of the answer, not an error); a deleted revision is DELETE_IN_PROGRESS while a
 * task or service runs it, then gone for good, and its revision number is never given again.
 */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { toLowerKeyValueList } from '../../core/tags';
import { isValidFargateSize } from '../../../aws-facts/fargate-sizes';
import { parseCpu, parseMemory } from './task-size';
import { findTaskDefinition } from './lookup';
import type { ContainerDefinition, EcsState, TaskDefinitionRecord } from './state';
import { tagsFromInput } from './tags';

type Ctx = OperationContext<EcsState>;

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export function describeTaskDefinition(record: TaskDefinitionRecord) {
  return {
    taskDefinitionArn: record.arn,
    family: record.family,
    revision: record.revision,
    status: record.status,
    containerDefinitions: structuredClone(record.containerDefinitions),
    cpu: record.cpu,
    memory: record.memory,
    networkMode: record.networkMode,
    requiresCompatibilities: [...record.requiresCompatibilities],
    compatibilities: ['EC2', 'FARGATE'],
    executionRoleArn: record.executionRoleArn,
    taskRoleArn: record.taskRoleArn,
    runtimePlatform: record.runtimePlatform ? { ...record.runtimePlatform } : undefined,
    registeredAt: new Date(record.registeredAt),
    deregisteredAt: record.deregisteredAt === undefined ? undefined : new Date(record.deregisteredAt),
    volumes: [],
    placementConstraints: [],
  };
}

function checkContainers(containers: ContainerDefinition[], ctx: Ctx): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    ctx.fail('ClientException', 'Container definitions should not be empty.');
  }
  const names = new Set<string>();
  for (const container of containers) {
    if (!container.name) ctx.fail('ClientException', 'Container.name should not be null or empty.');
    if (!container.image) ctx.fail('ClientException', 'Container.image should not be null or empty.');
    if (names.has(container.name)) ctx.fail('ClientException', `Duplicate container name: ${container.name}`);
    names.add(container.name);
  }
}

/** Task size rules for FARGATE from "Task CPU and memory" and "Fargate task networking" in the ECS guide. */
function checkFargate(input: OperationInput, networkMode: string, ctx: Ctx): { cpu: string; memory: string } {
  if (networkMode !== 'awsvpc') ctx.fail('ClientException', "Fargate only supports network mode 'awsvpc'.");
  if (input.cpu === undefined)
    ctx.fail('ClientException', "Fargate requires that 'cpu' be defined at the task level.");
  if (input.memory === undefined)
    ctx.fail('ClientException', "Fargate requires that 'memory' be defined at the task level.");
  const cpu = parseCpu(input.cpu);
  const memory = parseMemory(input.memory);
  if (cpu === undefined || memory === undefined || !isValidFargateSize(cpu, memory)) {
    ctx.fail(
      'ClientException',
      `No Fargate configuration exists for given values: ${input.cpu} CPU, ${input.memory} memory.`,
    );
  }
  return { cpu: String(cpu), memory: String(memory) };
}

function registerTaskDefinition(input: OperationInput, ctx: Ctx) {
  sweepDeleted(ctx);
  const family = String(input.family);
  if (!FAMILY.test(family)) {
    ctx.fail(
      'ClientException',
      'Family contains invalid characters (letters, numbers, hyphens and underscores, up to 255).',
    );
  }
  checkContainers(input.containerDefinitions, ctx);
  const networkMode = input.networkMode ?? 'bridge';
  const compatibilities = (input.requiresCompatibilities ?? []) as string[];
  let size = {
    cpu: input.cpu === undefined ? undefined : String(parseCpu(input.cpu) ?? input.cpu),
    memory: input.memory === undefined ? undefined : String(parseMemory(input.memory) ?? input.memory),
  };
  if (compatibilities.includes('FARGATE')) size = checkFargate(input, networkMode, ctx);
  const tags = tagsFromInput(input.tags, ctx);
  const revision = (ctx.state.families[family] ?? 0) + 1;
  const record: TaskDefinitionRecord = {
    arn: ctx.account.arn('ecs', `task-definition/${family}:${revision}`),
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: ctx.now,
    ...size,
    networkMode,
    requiresCompatibilities: compatibilities,
    containerDefinitions: structuredClone(input.containerDefinitions),
    executionRoleArn: input.executionRoleArn,
    taskRoleArn: input.taskRoleArn,
    runtimePlatform: input.runtimePlatform,
    tags,
  };
  ctx.state.families[family] = revision;
  ctx.state.taskDefinitions[record.arn] = record;
  return { taskDefinition: describeTaskDefinition(record), tags: toLowerKeyValueList(tags) };
}

/** "You can specify up to 10 task definitions" (DeleteTaskDefinitions, ECS API reference). */
const DELETED_PER_CALL = 10;

/**
 * ECS "periodically verifies that the target task definition is not being referenced by any active tasks
 * or deployments, and then deletes the task definition permanently": here, before every task definition
 * operation.
 */
function sweepDeleted(ctx: Ctx): void {
  for (const record of Object.values(ctx.state.taskDefinitions)) {
    if (record.status === 'DELETE_IN_PROGRESS' && !referenced(ctx, record.arn)) {
      delete ctx.state.taskDefinitions[record.arn];
    }
  }
}

function deleteTaskDefinitions(input: OperationInput, ctx: Ctx) {
  const requested = input.taskDefinitions as unknown;
  if (!Array.isArray(requested) || requested.length === 0 || requested.length > DELETED_PER_CALL) {
    ctx.fail(
      'InvalidParameterException',
      `taskDefinitions must name 1 to ${DELETED_PER_CALL} task definition revisions.`,
    );
  }
  const taskDefinitions = [];
  const failures = [];
  for (const text of requested.map(String)) {
    const record = text.includes(':') ? findTaskDefinition(ctx.state, ctx.account, text) : undefined;
    if (!text.includes(':')) {
      failures.push({ arn: text, reason: 'The task definition identifier names no revision.' });
    } else if (!record) {
      failures.push({ arn: text, reason: 'The specified task definition does not exist.' });
    } else if (record.status === 'ACTIVE') {
      failures.push({
        arn: record.arn,
        reason:
          'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
      });
    } else {
      record.status = 'DELETE_IN_PROGRESS';
      taskDefinitions.push(describeTaskDefinition(record));
    }
  }
  sweepDeleted(ctx);
  return { taskDefinitions, failures };
}

function taskDefinitionOrFail(ctx: Ctx, text: string, message: string): TaskDefinitionRecord {
  return findTaskDefinition(ctx.state, ctx.account, text) ?? ctx.fail('ClientException', message);
}

function listTaskDefinitions(input: OperationInput, ctx: Ctx) {
  sweepDeleted(ctx);
  const status = input.status ?? 'ACTIVE';
  // familyPrefix is, despite its name, the full family (ListTaskDefinitions API reference).
  const matching = Object.values(ctx.state.taskDefinitions).filter(
    (td) => td.status === status && (input.familyPrefix === undefined || td.family === input.familyPrefix),
  );
  matching.sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
  if (input.sort === 'DESC') matching.reverse();
  const page = paginate(
    matching.map((td) => td.arn),
    input.nextToken,
    input.maxResults,
    100,
  );
  return { taskDefinitionArns: page.items, nextToken: page.nextToken };
}

/** Whether a service not yet INACTIVE (any of its deployments) or a task not yet stopped runs the revision. */
function referenced(ctx: Ctx, arn: string): boolean {
  const byService = Object.values(ctx.state.services).some(
    (service) =>
      service.status !== 'INACTIVE' &&
      (service.taskDefinitionArn === arn || service.deployments.some((d) => d.taskDefinitionArn === arn)),
  );
  const byTask = Object.values(ctx.state.tasks).some(
    (task) => task.taskDefinitionArn === arn && (task.stoppedAt === undefined || task.stoppedAt > ctx.now),
  );
  return byService || byTask;
}

export const taskDefinitionOperations: Record<string, Operation<EcsState>> = {
  RegisterTaskDefinition: {
    mutating: true,
    required: ['family', 'containerDefinitions'],
    handle: registerTaskDefinition,
  },
  DescribeTaskDefinition: {
    mutating: false,
    required: ['taskDefinition'],
    handle: (input, ctx) => {
      sweepDeleted(ctx);
      const record = taskDefinitionOrFail(ctx, input.taskDefinition, 'Unable to describe task definition.');
      // "You can only describe INACTIVE task definitions while an active task or service references
      // them" (DescribeTaskDefinition, ECS API reference); they stay listed (ListTaskDefinitions INACTIVE).
      if (record.status === 'INACTIVE' && !referenced(ctx, record.arn)) {
        ctx.fail('ClientException', 'Unable to describe task definition.');
      }
      const includeTags = ((input.include ?? []) as string[]).includes('TAGS');
      return {
        taskDefinition: describeTaskDefinition(record),
        tags: includeTags ? toLowerKeyValueList(record.tags) : undefined,
      };
    },
  },
  DeregisterTaskDefinition: {
    mutating: true,
    required: ['taskDefinition'],
    handle: (input, ctx) => {
      if (!String(input.taskDefinition).includes(':')) {
        ctx.fail(
          'ClientException',
          'A revision must be specified to deregister a task definition (family:revision or ARN).',
        );
      }
      const record = taskDefinitionOrFail(
        ctx,
        input.taskDefinition,
        'The specified task definition does not exist.',
      );
      if (record.status === 'ACTIVE') {
        record.status = 'INACTIVE';
        record.deregisteredAt = ctx.now;
      }
      return { taskDefinition: describeTaskDefinition(record) };
    },
  },
  DeleteTaskDefinitions: {
    mutating: true,
    required: ['taskDefinitions'],
    handle: deleteTaskDefinitions,
  },
  ListTaskDefinitions: { mutating: false, handle: listTaskDefinitions },
};
