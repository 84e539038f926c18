/**
 * The ECS service: the spec's `minTasks` Fargate tasks with public IPs (no NAT gateway needed) in both
 * public subnets, registered in the target group. After creation Application Auto Scaling owns the
 * desired count, so the difference only asks that it lie within [minTasks, maxTasks].
 *
 * Ready means traffic may come (safety rule 1) and the last change is through: at least `minTasks` tasks
 * running, as many healthy targets in the target group, and the PRIMARY deployment's rolloutState
 * COMPLETED. The deployment circuit breaker with rollback is on: a rollout whose tasks keep failing is
 * FAILED by ECS, which goes back to the last COMPLETED deployment; the failed task definition is then a
 * terminal condition (resources/ecs/failed-rollout.ts), not an update to try again.
 */
import { createHash } from 'node:crypto';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type Service,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { errorCode } from '../../aws/classify';
import { isOwnedBy, names, nonceTags, ownershipTags, type DesiredState } from '../../../spec';
import { idsOf, requireArn, requireRef } from '../common/dependency-refs';
import { ecsTagRecord, ecsTags } from './tags';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import { CONTAINER_NAME } from './task-definition';
import { TARGET_GROUP_HEALTH_CHECK } from '../elbv2/target-group';
import type {
  ErrorCodes,
  ObservedResource,
  ResourceContext,
  StackResource,
  StateWaiter,
  Waiters,
} from '../types';
import { updateApplied } from '../common/waiters';
import { fargateMinTasks } from '../intent';
import { RESOURCE_KEYS, SUBNET_KEYS } from '../keys';
import { ROLLOUT_MAXIMUM_PERCENT } from '../../state/ceilings';

const KEY = RESOURCE_KEYS.service;
const TYPE = 'AWS::ECS::Service';
const SUBNETS = SUBNET_KEYS;
const SECURITY_GROUPS = [RESOURCE_KEYS.tasksSecurityGroup];
/** Time a new task gets before failing ALB health checks count against it. */
export const HEALTH_CHECK_GRACE_PERIOD_SECONDS = 30;

const ERRORS: ErrorCodes = {
  notFound: ['ServiceNotFoundException', 'ClusterNotFoundException'],
  retryable: ['ServiceNotActiveException'],
  terminal: [
    'ClientException',
    'InvalidParameterException',
    'PlatformUnknownException',
    'PlatformTaskDefinitionIncompatibilityException',
    'LimitExceededException',
    'AccessDeniedException',
  ],
  retryableWhen: [
    // IAM eventual consistency: the execution role, or ECS's service-linked role in a fresh account.
    { code: 'InvalidParameterException', message: /unable to assume|cannot be assumed|service linked role/i },
    // The HTTPS listener that associates the target group with the ALB is still being created.
    { code: 'InvalidParameterException', message: /does not have an associated load balancer/i },
    // A service of the same name from the last scale-down is still draining.
    { code: 'InvalidParameterException', message: /still draining/i },
    // The name is held by an ACTIVE service the look-up did not show (a read behind: the stack's own,
    // forgotten after its not-found window, or someone's): the next pass finds it by name and judges it.
    { code: 'InvalidParameterException', message: /not idempotent/i },
  ],
};

/**
 * The rolling update's settings: the circuit breaker with rollback; every task of the desired count kept
 * serving (minimumHealthyPercent 100: the old tasks stop only once new ones are healthy targets, so the
 * ALB always has the desired count healthy) with the new tasks started beside them, up to
 * ROLLOUT_MAXIMUM_PERCENT of the desired count, which the Fargate vCPU ceiling counts
 * (state/ceilings.ts fargateRolloutTasks; docs/security.md, "Fargate vCPUs").
 */
export const DEPLOYMENT_CONFIGURATION = {
  deploymentCircuitBreaker: { enable: true, rollback: true },
  maximumPercent: ROLLOUT_MAXIMUM_PERCENT,
  minimumHealthyPercent: 100,
};

/** A deployment ECS reports FAILED (the circuit breaker stopped it), by its task definition. */
export interface FailedRollout {
  taskDefinition: string;
  reason: string;
}

/** What dependents and the engine read from the service's `extra`. */
export interface EcsServiceExtra {
  runningCount: number;
  desiredCount: number;
  healthyTargets: number;
  clusterArn?: string;
  /** The PRIMARY deployment: its task definition and rolloutState (IN_PROGRESS, COMPLETED, FAILED). */
  rollout?: { taskDefinition?: string; state?: string; reason?: string };
  /** Deployments ECS lists as FAILED (they stay listed until the one replacing them completes). */
  failedRollouts: FailedRollout[];
}

/**
 * CreateService's idempotency token (≤ 36 ASCII characters), derived from the create's journaled nonce
 * (docs/ownership.md) with the stack, service and task definition revision: a pass that dies after
 * CreateService and tries again under the same intent gets the same service back instead of an error or
 * a second service.
 */
export function serviceClientToken(
  stack: string,
  serviceName: string,
  taskDefinitionArn: string,
  nonce?: string,
): string {
  return createHash('sha256')
    .update(`${stack}\n${serviceName}\n${taskDefinitionArn}${nonce === undefined ? '' : `\n${nonce}`}`)
    .digest('hex')
    .slice(0, 32);
}

function loadBalancerMapping(spec: DesiredState, targetGroupArn: string) {
  return [{ targetGroupArn, containerName: CONTAINER_NAME, containerPort: spec.port }];
}

/** The task counts the service keeps within: the spec's, with the pass's raised minimum (resources/intent.ts). */
interface TaskBounds {
  min: number;
  max: number;
}

function boundsOf(ctx: Pick<ResourceContext, 'spec' | 'intent'>): TaskBounds {
  return { min: fargateMinTasks(ctx.spec, ctx.intent), max: ctx.spec.fargate.maxTasks };
}

function withinBounds(bounds: TaskBounds, count: number): boolean {
  return count >= bounds.min && count <= bounds.max;
}

function clamp(bounds: TaskBounds, count: number): number {
  return Math.min(bounds.max, Math.max(bounds.min, count));
}

function networkConfiguration(ctx: ResourceContext) {
  return {
    awsvpcConfiguration: {
      subnets: SUBNETS.map((key) => requireRef(ctx.refs, key, KEY).id).sort(),
      securityGroups: SECURITY_GROUPS.map((key) => requireRef(ctx.refs, key, KEY).id),
      assignPublicIp: 'ENABLED' as const,
    },
  };
}

async function healthyTargets(ctx: ResourceContext): Promise<number> {
  const targetGroupArn = ctx.refs[RESOURCE_KEYS.targetGroup]?.arn;
  if (!targetGroupArn) return 0;
  const answer = await orUndefinedIfGone(
    () => ctx.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    { notFound: ['TargetGroupNotFound'], retryable: [], terminal: [] },
  );
  return (answer?.TargetHealthDescriptions ?? []).filter((target) => target.TargetHealth?.State === 'healthy')
    .length;
}

/**
 * ECS service statuses (ECS API reference, Service.status: ACTIVE, DRAINING, INACTIVE) and its primary
 * deployment's rolloutState (Deployment.rolloutState: IN_PROGRESS, COMPLETED, FAILED). A service is used
 * once ACTIVE with its rollout COMPLETED (and enough tasks running and healthy, which no state word says).
 */
/**
 * How long a deployment's new tasks usually take to serve: creation to RUNNING (docs/aws-facts.md: 45 s,
 * the image pull dominates), then the target group's healthy threshold of checks. A pass that only waits
 * on them comes back then, not every 15 seconds.
 */
export const FARGATE_TASKS_USUALLY_HEALTHY_MS =
  45_000 + TARGET_GROUP_HEALTH_CHECK.intervalSeconds * TARGET_GROUP_HEALTH_CHECK.healthyThreshold * 1000;

const SERVICE_STATUS: StateWaiter = { pending: [], target: ['ACTIVE'] };
const ROLLOUT_STATE: StateWaiter = { pending: ['IN_PROGRESS'], target: ['COMPLETED'] };
const WAITERS: Waiters = {
  ready: SERVICE_STATUS,
  updated: ROLLOUT_STATE,
  gone: { pending: ['DRAINING', 'INACTIVE'] },
};

function observe(
  service: Service,
  tags: Record<string, string>,
  spec: DesiredState,
  healthy: number,
  bounds: TaskBounds,
): ObservedResource<EcsServiceExtra> {
  const arn = service.serviceArn!;
  const status = service.status;
  const running = service.runningCount ?? 0;
  const desiredCount = service.desiredCount ?? 0;
  const min = bounds.min;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  const active = status !== undefined && SERVICE_STATUS.target.includes(status);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const rolledOut = updateApplied(ROLLOUT_STATE, primary?.rolloutState);
  const ready = active && running >= min && healthy >= min && rolledOut;
  const extra: EcsServiceExtra = {
    runningCount: running,
    desiredCount,
    healthyTargets: healthy,
    clusterArn: service.clusterArn,
    rollout: primary
      ? {
          taskDefinition: primary.taskDefinition,
          state: primary.rolloutState,
          reason: primary.rolloutStateReason,
        }
      : undefined,
    failedRollouts: (service.deployments ?? [])
      .filter((d) => d.rolloutState === 'FAILED' && d.taskDefinition)
      .map((d) => ({ taskDefinition: d.taskDefinition!, reason: d.rolloutStateReason ?? 'rollout FAILED' })),
  };
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    key: KEY,
    type: TYPE,
    id: arn,
    arn,
    // The ARN is the cluster's and the name's: a service made again under it was created at another time.
    ...(service.createdAt ? { uniqueId: String(service.createdAt.getTime()) } : {}),
    state: status,
    tags,
    attributes: {
      serviceName: service.serviceName,
      cluster: service.clusterArn,
      launchType: service.launchType,
      taskDefinition: service.taskDefinition,
      desiredCountWithinBounds: withinBounds(bounds, desiredCount),
      network: {
        subnets: [...(vpc?.subnets ?? [])].sort(),
        securityGroups: [...(vpc?.securityGroups ?? [])].sort(),
        assignPublicIp: vpc?.assignPublicIp,
      },
      loadBalancers: (service.loadBalancers ?? []).map((lb) => ({
        targetGroupArn: lb.targetGroupArn,
        containerName: lb.containerName,
        containerPort: lb.containerPort,
      })),
      healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      propagateTags: service.propagateTags,
      circuitBreaker: { enable: breaker?.enable ?? false, rollback: breaker?.rollback ?? false },
      // What the Fargate vCPU ceiling counts (state/ceilings.ts): a service changed past it is set back.
      rolloutPercents: {
        maximumPercent: service.deploymentConfiguration?.maximumPercent,
        minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent,
      },
    },
    ready,
    // Too few tasks running yet: the deployment's tasks are usually serving this long after it began.
    ...(!ready && active && running < min && primary?.createdAt
      ? { readyExpectedAt: primary.createdAt.getTime() + FARGATE_TASKS_USUALLY_HEALTHY_MS }
      : {}),
    notReadyReason: ready
      ? undefined
      : !active
        ? `service ${status}`
        : running >= min && healthy >= min
          ? `deployment ${primary?.id ?? ''} ${primary?.rolloutState ?? ''}: ${primary?.rolloutStateReason ?? ''}`
          : `${running} of ${min} tasks running, ${healthy} of ${min} targets healthy`,
    foreign: !isOwnedBy(tags, spec.stack),
    extra,
  };
}

export const ecsServiceResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'ecs',
  steadyCheck: 'live',
  creates: 'client-token',
  // The name is the service's while ACTIVE or DRAINING: CreateService under another token is refused.
  uniqueName: true,
  tier: 'fargate',
  // ECS service statuses (ECS API reference, Service.status): DeleteService drains, then INACTIVE.
  waiters: WAITERS,
  // listener-https: with a certificate, the HTTPS listener is what associates the target group with the
  // ALB, which CreateService requires (the engine ignores dependencies the spec does not want).
  dependsOn: [
    RESOURCE_KEYS.cluster,
    RESOURCE_KEYS.taskDefinition,
    RESOURCE_KEYS.targetGroup,
    RESOURCE_KEYS.listenerHttp,
    RESOURCE_KEYS.listenerHttps,
    ...SUBNETS,
    ...SECURITY_GROUPS,
  ],
  // DeleteCluster answers ClusterContainsServicesException while a service is ACTIVE or DRAINING in it;
  // its tasks' interfaces in the subnets come and go with the task count, so they hold nothing.
  holds: { [RESOURCE_KEYS.cluster]: 'cluster' },
  errors: ERRORS,
  immutable: ['serviceName', 'cluster', 'launchType'],

  neededBy: () => true,

  desiredAttributes(spec, refs) {
    const targetGroupArn = refs[RESOURCE_KEYS.targetGroup]?.arn;
    return {
      serviceName: names(spec.stack).service,
      cluster: refs[RESOURCE_KEYS.cluster]?.arn,
      launchType: 'FARGATE',
      taskDefinition: refs[RESOURCE_KEYS.taskDefinition]?.arn,
      desiredCountWithinBounds: true,
      network: {
        subnets: idsOf(refs, SUBNETS),
        securityGroups: idsOf(refs, SECURITY_GROUPS),
        assignPublicIp: 'ENABLED',
      },
      loadBalancers: targetGroupArn ? loadBalancerMapping(spec, targetGroupArn) : undefined,
      healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_PERIOD_SECONDS,
      propagateTags: 'SERVICE',
      circuitBreaker: { ...DEPLOYMENT_CONFIGURATION.deploymentCircuitBreaker },
      rolloutPercents: {
        maximumPercent: DEPLOYMENT_CONFIGURATION.maximumPercent,
        minimumHealthyPercent: DEPLOYMENT_CONFIGURATION.minimumHealthyPercent,
      },
    };
  },

  async find(ctx) {
    const { cluster, service: serviceName } = names(ctx.spec.stack);
    const answer = await orUndefinedIfGone(
      () =>
        ctx.clients.ecs.send(
          new DescribeServicesCommand({ cluster, services: [serviceName], include: ['TAGS'] }),
        ),
      ERRORS,
    );
    // Missing services come back as `failures` (reason MISSING); deleted ones stay INACTIVE for a while.
    const service = answer?.services?.find((s) => s.serviceName === serviceName && s.status !== 'INACTIVE');
    if (!service?.serviceArn) return undefined;
    const tags = ecsTagRecord(service.tags);
    const owned = isOwnedBy(tags, ctx.spec.stack);
    const healthy = owned && service.status === 'ACTIVE' ? await healthyTargets(ctx) : 0;
    return observe(service, tags, ctx.spec, healthy, boundsOf(ctx));
  },

  async create(ctx) {
    const { spec, refs } = ctx;
    const serviceName = names(spec.stack).service;
    const taskDefinition = requireArn(refs, RESOURCE_KEYS.taskDefinition, KEY);
    const answer = await ctx.clients.ecs.send(
      new CreateServiceCommand({
        cluster: requireArn(refs, RESOURCE_KEYS.cluster, KEY),
        serviceName,
        taskDefinition,
        desiredCount: boundsOf(ctx).min,
        launchType: 'FARGATE',
        networkConfiguration: networkConfiguration(ctx),
        loadBalancers: loadBalancerMapping(spec, requireArn(refs, RESOURCE_KEYS.targetGroup, KEY)),
        healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_PERIOD_SECONDS,
        deploymentConfiguration: DEPLOYMENT_CONFIGURATION,
        clientToken: serviceClientToken(spec.stack, serviceName, taskDefinition, ctx.nonce),
        propagateTags: 'SERVICE',
        // The nonce too: a service made by a create whose answer was lost is proven the stack's when
        // found, before its token brings it back.
        tags: ecsTags(spec.stack, KEY, ctx.nonce),
      }),
    );
    if (!answer.service?.serviceArn) throw new Error(`CreateService returned no service for ${KEY}`);
    ctx.answered?.(answer.service.serviceArn);
    // No task runs yet: not ready, and no target health worth asking for.
    const tags = { ...ownershipTags(spec.stack, KEY), ...nonceTags(ctx.nonce) };
    return observe(answer.service, tags, spec, 0, boundsOf(ctx));
  },

  async update(ctx, current, changes) {
    assertOwned(current, 'updating');
    const { spec, refs } = ctx;
    const changed = (path: string) => changes.some((change) => change.path.split('.')[0] === path);
    const extra = current.extra;
    const input: UpdateServiceCommandInput = {
      cluster: extra?.clusterArn ?? requireArn(refs, RESOURCE_KEYS.cluster, KEY),
      service: names(spec.stack).service,
    };
    // Only what differs: an UpdateService with a new task definition or network starts a rolling deployment.
    if (changed('taskDefinition')) input.taskDefinition = requireArn(refs, RESOURCE_KEYS.taskDefinition, KEY);
    if (changed('network')) input.networkConfiguration = networkConfiguration(ctx);
    if (changed('loadBalancers'))
      input.loadBalancers = loadBalancerMapping(spec, requireArn(refs, RESOURCE_KEYS.targetGroup, KEY));
    if (changed('healthCheckGracePeriodSeconds'))
      input.healthCheckGracePeriodSeconds = HEALTH_CHECK_GRACE_PERIOD_SECONDS;
    if (changed('propagateTags')) input.propagateTags = 'SERVICE';
    // Settings only: no new deployment.
    if (changed('circuitBreaker') || changed('rolloutPercents'))
      input.deploymentConfiguration = DEPLOYMENT_CONFIGURATION;
    if (changed('desiredCountWithinBounds'))
      input.desiredCount = clamp(boundsOf(ctx), extra?.desiredCount ?? boundsOf(ctx).min);
    const answer = await ctx.clients.ecs.send(new UpdateServiceCommand(input));
    if (!answer.service?.serviceArn) return current;
    return observe(answer.service, current.tags, spec, extra?.healthyTargets ?? 0, boundsOf(ctx));
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    // Already DRAINING: AWS is deleting it; waiting for INACTIVE is the engine's business.
    if (current.state === 'DRAINING') return;
    try {
      await deleteIgnoringGone(
        () =>
          ctx.clients.ecs.send(
            // force: scales the tasks down and deletes in one call (no UpdateService desiredCount 0 first).
            new DeleteServiceCommand({
              cluster: current.extra?.clusterArn ?? names(ctx.spec.stack).cluster,
              service: current.arn ?? current.id,
              force: true,
            }),
          ),
        ERRORS,
      );
    } catch (error) {
      // Someone (an earlier pass that died) already deleted it: it is draining, which is what we asked.
      if (errorCode(error) !== 'ServiceNotActiveException') throw error;
    }
  },
};
