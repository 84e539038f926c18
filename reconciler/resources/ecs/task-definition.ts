/**
 * The Fargate task definition: one container running the stack's image. Every RegisterTaskDefinition
 * makes a new revision, so the finder reads the revision the stack recorded and normalises it to exactly
 * the fields LambdaFlex sets; the defaults AWS adds (cpu 0, empty mount points, hostPort, …) then never
 * look like drift, and an unchanged spec never registers again.
 *
 * A family is the account's and region's: another installation's stack of the same name registers into
 * it with the same tags, and anyone may. So the family's latest revision is not the stack's because of
 * its tags; each revision is proven the stack's by its record (docs/ownership.md): the one in use (its
 * ARN, or the nonce of a registration whose answer was lost) and the earlier ones an update replaced
 * (`OwnershipView.earlier`).
 *
 * Revisions pile up, one per change, and stay ACTIVE until deregistered: the newest
 * `TASK_DEFINITION_REVISIONS_KEPT` of the stack's stay (the one the service runs and the ones a rollback
 * goes back to), its older ones are `supersededRevisions`, which `update` deregisters and then deletes. A
 * deregistered revision is INACTIVE: tasks already running it go on, but no service can be created or
 * updated to it, and it stays in the account for ever unless deleted (DeleteTaskDefinitions, which takes
 * only INACTIVE ones). Deleting one loses nothing an INACTIVE one offers: it is DELETE_IN_PROGRESS, tasks
 * and services on it go on, and ECS removes it once nothing runs it. An earlier revision of the stack's
 * found INACTIVE (a pass died between the two calls, or someone deregistered it) is deleted too, and only
 * then dropped from the record.
 */
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { isOwnedBy, names, nonceTags, ownershipTags, TAG_NONCE, type DesiredState } from '../../../spec';
import { containerEnvironment } from '../../../spec/environment';
import { errorCode } from '../../aws/classify';
import { requireArn } from '../common/dependency-refs';
import { ecsTagRecord, ecsTags } from './tags';
import { assertOwned } from '../common/foreign-guard';
import type { Intent } from '../intent';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.taskDefinition;

/** What the task definition's finder keeps in `extra`. */
export interface TaskDefinitionExtra {
  revision?: number;
  /** The stack's earlier revisions found no longer ACTIVE: deleted, not deregistered, by `update`. */
  inactiveEarlier?: string[];
}
const TYPE = 'AWS::ECS::TaskDefinition';
/** The one container's name; the ECS service's load balancer mapping refers to it. */
export const CONTAINER_NAME = 'app';
const LOG_STREAM_PREFIX = 'app';
/** How many of the newest ACTIVE revisions stay registered: the current one and two to roll back to. */
export const TASK_DEFINITION_REVISIONS_KEPT = 3;
/** At most this many superseded revisions are deregistered per pass. */
const SUPERSEDED_PER_PASS = 10;
/** "You can specify up to 10 task definitions" a DeleteTaskDefinitions call (ECS API reference). */
const DELETED_PER_CALL = 10;
/**
 * How many of the family's newest revisions are described, for a stack from before ownership was
 * recorded, when looking for the one its status names.
 */
const NEWEST_LOOKED_AT = 10;
/**
 * While a registration is journaled and its revision not found yet, every revision newer than the
 * recorded one is looked at, up to this many (the listing's first page): the other installation may have
 * registered several since, and a second registration whose answer was lost too is no reason to stop.
 */
const LOOKED_AT_WHILE_AWAITED = 100;
/** Set at registration from the context, left out of comparisons: a stack never changes region. */
const REGION_OPTION = 'awslogs-region';

/**
 * The IAM role created in the same pass may not be visible to ECS yet: "Role is not valid" for a few
 * seconds (IAM eventual consistency). The same code with any other message is a real mistake.
 */
export const ECS_IAM_PROPAGATION = {
  code: 'ClientException',
  message: /role is not valid|unable to assume/i,
};

const ERRORS: ErrorCodes = {
  notFound: [],
  retryable: [],
  terminal: [
    'ClientException',
    'InvalidParameterException',
    'LimitExceededException',
    'AccessDeniedException',
  ],
  retryableWhen: [ECS_IAM_PROPAGATION],
};

interface ContainerAttributes {
  name: string | undefined;
  image: string | undefined;
  essential: boolean;
  portMappings: { containerPort: number | undefined; protocol: string }[];
  environment: { name: string | undefined; value: string | undefined }[];
  logConfiguration: { logDriver: string | undefined; options: Record<string, string> } | undefined;
}

function byName<T extends { name?: string | undefined }>(a: T, b: T): number {
  return (a.name ?? '').localeCompare(b.name ?? '');
}

function desiredContainer(spec: DesiredState, tableName: string): ContainerAttributes {
  return {
    name: CONTAINER_NAME,
    image: spec.image,
    essential: true,
    portMappings: [{ containerPort: spec.port, protocol: 'tcp' }],
    // The same variables as the function's: the service reads LAMBDAFLEX_STACK and LAMBDAFLEX_TABLE in
    // either tier.
    environment: Object.entries(containerEnvironment(spec, tableName))
      .map(([name, value]) => ({ name, value }))
      .sort(byName),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': names(spec.stack).logGroup,
        'awslogs-stream-prefix': LOG_STREAM_PREFIX,
        // The execution role may create the group: no separate log group resource to create and delete.
        'awslogs-create-group': 'true',
      },
    },
  };
}

/** A described container reduced to the fields `desiredContainer` sets, in the same shape. */
export function normaliseContainer(container: ContainerDefinition): ContainerAttributes {
  const options = { ...(container.logConfiguration?.options ?? {}) };
  delete options[REGION_OPTION];
  return {
    name: container.name,
    image: container.image,
    essential: container.essential ?? true,
    portMappings: (container.portMappings ?? []).map((mapping) => ({
      containerPort: mapping.containerPort,
      protocol: mapping.protocol ?? 'tcp',
    })),
    environment: (container.environment ?? []).map(({ name, value }) => ({ name, value })).sort(byName),
    logConfiguration: container.logConfiguration
      ? { logDriver: container.logConfiguration.logDriver, options }
      : undefined,
  };
}

function desiredAttributes(
  spec: DesiredState,
  executionRoleArn: string | undefined,
  refs: ResourceContext['refs'],
  intent: Intent,
) {
  const taskRoleArn = refs[RESOURCE_KEYS.taskRole]?.arn;
  return {
    family: names(spec.stack).taskFamily,
    supersededRevisions: [] as string[],
    cpu: String(spec.fargate.cpu),
    memory: String(spec.fargate.memoryMb),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    executionRoleArn,
    taskRoleArn,
    containers: [desiredContainer(spec, intent.stateTable)],
  };
}

export function normaliseTaskDefinition(definition: TaskDefinition): Record<string, unknown> {
  return {
    family: definition.family,
    cpu: definition.cpu,
    memory: definition.memory,
    networkMode: definition.networkMode,
    requiresCompatibilities: [...(definition.requiresCompatibilities ?? [])].sort(),
    executionRoleArn: definition.executionRoleArn,
    taskRoleArn: definition.taskRoleArn,
    containers: (definition.containerDefinitions ?? []).map(normaliseContainer),
  };
}

function observe(
  definition: TaskDefinition,
  tags: Record<string, string>,
  stack: string,
  supersededRevisions: string[] = [],
  inactiveEarlier: string[] = [],
): ObservedResource<TaskDefinitionExtra> {
  const arn = definition.taskDefinitionArn!;
  return {
    key: KEY,
    type: TYPE,
    id: arn,
    arn,
    state: definition.status,
    tags,
    attributes: { ...normaliseTaskDefinition(definition), supersededRevisions },
    ready: true,
    foreign: !isOwnedBy(tags, stack),
    extra: { revision: definition.revision, ...(inactiveEarlier.length > 0 ? { inactiveEarlier } : {}) },
  };
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` → `<family>`. */
function familyOf(arn: string): string {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return name.slice(0, name.lastIndexOf(':'));
}

/**
 * The family's revisions ECS lists in `status`, newest first, page by page until `enough`. (Filtered again
 * by family: the API's `familyPrefix` must not let `lf-a-task-x` pass for `lf-a-task`.)
 */
async function listedRevisions(
  ecs: ECSClient,
  family: string,
  status: 'ACTIVE' | 'INACTIVE',
  enough: (newestFirst: readonly string[]) => boolean,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', nextToken }),
    );
    arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
    nextToken = page.nextToken || undefined;
  } while (nextToken && !enough(arns));
  return arns;
}

interface Described {
  definition: TaskDefinition;
  tags: Record<string, string>;
}

/**
 * A revision listed ACTIVE, with its tags; undefined if it was deregistered since it was listed (INACTIVE:
 * no longer the stack's to run).
 */
async function describeActive(ctx: ResourceContext, arn: string): Promise<Described | undefined> {
  const answer = await ctx.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
  );
  if (!answer.taskDefinition?.taskDefinitionArn || answer.taskDefinition.status !== 'ACTIVE')
    return undefined;
  return { definition: answer.taskDefinition, tags: ecsTagRecord(answer.tags) };
}

/**
 * Among the family's revisions newer than the recorded one, newest first, those the stack can prove its
 * own by the nonce of a registration journaled and not yet tied to its ARN (a pass died before the
 * answer). Two such registrations can both have lost their answers (the first hidden from the pass that
 * made the second, past the newest revisions it looked at): the newest is the one in use, the others are
 * the stack's too. Or, for a stack from before ownership was recorded, the one its last status names.
 * Without ownership records (unit tests) the newest one carrying the stack's tags.
 */
async function registeredUnrecorded(
  ctx: ResourceContext,
  newestFirst: readonly string[],
  recordedId: string | undefined,
): Promise<Described[]> {
  const view = ctx.ownership;
  const lookedAt = view?.awaits(KEY) ? LOOKED_AT_WHILE_AWAITED : NEWEST_LOOKED_AT;
  const proven: Described[] = [];
  for (const arn of newestFirst.slice(0, lookedAt)) {
    if (arn === recordedId) break;
    const described = await describeActive(ctx, arn);
    if (!described || !isOwnedBy(described.tags, ctx.spec.stack)) continue;
    if (!view) return [described];
    if (view.journaled?.(KEY, described.tags)) proven.push(described);
    else if (recordedId === undefined && proven.length === 0 && view.isRecorded(KEY, arn, described.tags))
      return [described];
  }
  return proven;
}

/**
 * Deletes the stack's deregistered revisions `arns`, ten a call. ECS answers a revision it did not delete
 * with a failure, not an error, and documents no reasons: what a failure means is read from the revision
 * itself. Returned, with ECS's reason, are the ones still registered: the stack's to retire again
 * (deregistered and deleted by the next pass), since letting them go would leave them in the account for
 * ever. The rest were deleted before (gone, or DELETE_IN_PROGRESS, which ECS finishes on its own).
 */
async function deleteRevisions(
  ecs: ECSClient,
  family: string,
  arns: readonly string[],
): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  for (let start = 0; start < arns.length; start += DELETED_PER_CALL) {
    const batch = arns.slice(start, start + DELETED_PER_CALL);
    const answer = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }));
    for (const failure of answer.failures ?? []) {
      if (failure.arn && batch.includes(failure.arn))
        refused.set(failure.arn, failure.reason ?? 'no reason given');
    }
  }
  if (refused.size === 0) return refused;
  let inactive: string[] | undefined;
  for (const arn of [...refused.keys()]) {
    const status = await revisionStatus(ecs, arn);
    if (status === 'ACTIVE' || status === 'INACTIVE') continue;
    if (status === 'DELETE_IN_PROGRESS') {
      refused.delete(arn);
      continue;
    }
    // Not described: gone, or INACTIVE with nothing running it (which ECS describes no more), told apart
    // by the INACTIVE listing, read once.
    inactive ??= await listedRevisions(ecs, family, 'INACTIVE', (seen) =>
      [...refused.keys()].every((a) => seen.includes(a)),
    );
    if (!inactive.includes(arn)) refused.delete(arn);
  }
  return refused;
}

/**
 * A revision's status as DescribeTaskDefinition gives it (a read of the revision itself, where the family's
 * listing may lag), or undefined where ECS describes it no more (ClientException: gone, or INACTIVE with
 * nothing running it).
 */
async function revisionStatus(ecs: ECSClient, arn: string): Promise<string | undefined> {
  try {
    const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    return answer.taskDefinition?.status;
  } catch (error) {
    if (errorCode(error) === 'ClientException') return undefined;
    throw error;
  }
}

async function register(ctx: ResourceContext): Promise<ObservedResource<TaskDefinitionExtra>> {
  const { spec } = ctx;
  requireArn(ctx.refs, RESOURCE_KEYS.taskRole, KEY);
  const wanted = desiredAttributes(
    spec,
    requireArn(ctx.refs, RESOURCE_KEYS.executionRole, KEY),
    ctx.refs,
    ctx.intent,
  );
  const container = wanted.containers[0];
  const answer = await ctx.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: wanted.family,
      cpu: wanted.cpu,
      memory: wanted.memory,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: wanted.executionRoleArn,
      // The service's own credentials (its stack's item of the state table); the execution role is ECS's.
      taskRoleArn: wanted.taskRoleArn,
      containerDefinitions: [
        {
          name: container.name,
          image: container.image,
          essential: true,
          portMappings: [{ containerPort: spec.port, protocol: 'tcp' }],
          environment: container.environment,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { ...container.logConfiguration!.options, [REGION_OPTION]: ctx.region },
          },
        },
      ],
      // The nonce journaled for this registration (a create's, or an update's: `updateCreates`): what
      // proves a revision registered by a call whose answer was lost the stack's.
      tags: ecsTags(spec.stack, KEY, ctx.nonce),
    }),
  );
  if (!answer.taskDefinition?.taskDefinitionArn)
    throw new Error(`RegisterTaskDefinition returned nothing for ${KEY}`);
  const tags = { ...ownershipTags(spec.stack, KEY), ...nonceTags(ctx.nonce) };
  return observe(answer.taskDefinition, tags, spec.stack);
}

export const taskDefinitionResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'ecs',
  steadyCheck: 'tagged',
  creates: 'name',
  // family:revision; ECS keeps counting a family's revisions, deleted ones included.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.executionRole, RESOURCE_KEYS.taskRole],
  // Task definition statuses (ECS API reference, TaskDefinition.status) once deregistered or deleted.
  waiters: { gone: { pending: ['INACTIVE', 'DELETE_IN_PROGRESS'] } },
  errors: ERRORS,
  immutable: ['family'],
  // A change is a new revision (deregistering superseded ones alone makes none).
  updateCreates: (changes) => changes.some((change) => change.path !== 'supersededRevisions'),

  neededBy: () => true,

  desiredAttributes: (spec, refs, intent) =>
    desiredAttributes(spec, refs[RESOURCE_KEYS.executionRole]?.arn, refs, intent),

  async find(ctx) {
    const family = names(ctx.spec.stack).taskFamily;
    const view = ctx.ownership;
    const recordedId = view?.recorded(KEY)?.id;
    const earlier = view?.earlier?.(KEY) ?? [];
    // The first page (newest first, up to 100), and more until every revision recorded is seen: one not
    // listed ACTIVE is retired. Only ACTIVE ones are described: ECS describes an INACTIVE revision only
    // while a task or service runs it (DescribeTaskDefinition), and answers ClientException otherwise.
    const recordedIds = [...earlier, ...(recordedId ? [recordedId] : [])];
    const newestFirst = await listedRevisions(ctx.clients.ecs, family, 'ACTIVE', (seen) =>
      recordedIds.every((arn) => seen.includes(arn)),
    );
    const unrecorded =
      !recordedId || view?.awaits(KEY) ? await registeredUnrecorded(ctx, newestFirst, recordedId) : [];
    const found =
      unrecorded[0] ??
      (recordedId && newestFirst.includes(recordedId) ? await describeActive(ctx, recordedId) : undefined);
    if (!found) return undefined;
    // The older ones a lost registration made, oldest first: the ledger records them among the earlier.
    const earlierFound = unrecorded
      .slice(1)
      .reverse()
      .map((d) => ({ id: d.definition.taskDefinitionArn!, nonce: d.tags[TAG_NONCE] ?? '' }));
    const active = earlier.filter((arn) => newestFirst.includes(arn));
    // Recorded and no longer ACTIVE: deregistered (by a pass that died before deleting it, or by hand),
    // deleted since, or DELETE_IN_PROGRESS. Deleted again (what is gone answers a failure, not an error)
    // before the record lets it go: an INACTIVE revision otherwise stays in the account for ever.
    const inactive = earlier.filter((arn) => !newestFirst.includes(arn)).slice(0, DELETED_PER_CALL);
    // Oldest first; the newest of the earlier ones stay beside the one in use, for a rollback.
    const superseded = active
      .slice(0, Math.max(0, active.length - (TASK_DEFINITION_REVISIONS_KEPT - 1)))
      .slice(0, SUPERSEDED_PER_PASS);
    const observed = observe(
      found.definition,
      found.tags,
      ctx.spec.stack,
      [...inactive, ...superseded],
      inactive,
    );
    return earlierFound.length > 0 ? { ...observed, earlierFound } : observed;
  },

  create: register,

  async update(ctx, current, changes) {
    assertOwned(current, 'updating');
    // Only ever revisions of the stack's record (the finder's), never the family's by their tags.
    const superseded = (current.attributes.supersededRevisions as string[] | undefined) ?? [];
    const inactive = new Set((current.extra as TaskDefinitionExtra | undefined)?.inactiveEarlier ?? []);
    const onlySuperseded =
      changes.length > 0 && changes.every((change) => change.path === 'supersededRevisions');
    // Oldest first: a pass that stops halfway has still kept the newest.
    for (const arn of superseded.filter((a) => !inactive.has(a))) {
      await ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    }
    const family = names(ctx.spec.stack).taskFamily;
    const refused = await deleteRevisions(ctx.clients.ecs, family, superseded);
    // One ECS still lists stays recorded: the next pass deregisters and deletes it again.
    const retired = superseded.filter((arn) => !refused.has(arn));
    const earlierRetired = [...(current.earlierRetired ?? []), ...retired];
    if (onlySuperseded) {
      return { ...current, attributes: { ...current.attributes, supersededRevisions: [] }, earlierRetired };
    }
    // Revisions are immutable: a change is a new revision, which the service then rolls out. The one it
    // replaces is recorded among the earlier ones (engine/ownership.ts, `replaced`), and one pushed out of
    // the kept ones is found superseded by the next pass.
    return { ...(await register(ctx)), earlierRetired };
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    const family = names(ctx.spec.stack).taskFamily;
    const active = new Set(await listedRevisions(ctx.clients.ecs, family, 'ACTIVE', () => false));
    // Only the revisions the stack's record proves its own: anyone may register into a family with copies
    // of the stack's tags. The one in use last: a pass that stops halfway finds it, and the rest, again.
    const ours = [...(ctx.ownership?.earlier?.(KEY) ?? []).filter((arn) => arn !== current.id), current.id];
    for (const arn of ours.filter((a) => active.has(a))) {
      await ctx.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    }
    // Deregistered is not gone: each of the stack's, INACTIVE now, is deleted (the record forgets them).
    const refused = await deleteRevisions(ctx.clients.ecs, family, ours);
    if (refused.size > 0) {
      const reasons = [...new Set(refused.values())].join('; ');
      throw new Error(
        `deleting ${TYPE} (${[...refused.keys()].join(', ')}): still registered after DeleteTaskDefinitions (${reasons})`,
      );
    }
  },
};
