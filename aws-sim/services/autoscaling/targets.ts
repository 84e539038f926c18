/**
 * Scalable targets: RegisterScalableTarget (creates, or updates min/max of an existing one, and brings the
 * current capacity inside the new range at once), DescribeScalableTargets, DeregisterScalableTarget (its
 * policies go with it), DescribeScalingActivities.
 */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { findEcsService } from '../ecs/api';
import type { OperationInput } from '../common/input';
import { currentCapacity, scaleTo } from './activities';
import { readTargetName, targetOrFail } from './resource-id';
import type { AutoscalingState, ScalableTargetRecord } from './state';
import { tagsFromMap } from './tags';

type Ctx = OperationContext<AutoscalingState>;

const SERVICE_LINKED_ROLE =
  'role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService';

export function describeTarget(record: ScalableTargetRecord) {
  return {
    ServiceNamespace: record.serviceNamespace,
    ResourceId: record.resourceId,
    ScalableDimension: record.scalableDimension,
    MinCapacity: record.minCapacity,
    MaxCapacity: record.maxCapacity,
    RoleARN: record.roleArn,
    CreationTime: new Date(record.createdAt),
    SuspendedState: {
      DynamicScalingInSuspended: record.suspended.dynamicScalingInSuspended,
      DynamicScalingOutSuspended: record.suspended.dynamicScalingOutSuspended,
      ScheduledScalingSuspended: record.suspended.scheduledScalingSuspended,
    },
    ScalableTargetARN: record.arn,
  };
}

function registerScalableTarget(input: OperationInput, ctx: Ctx) {
  const name = readTargetName(input, ctx);
  const existing = ctx.state.targets[name.key];
  if (!existing && (input.MinCapacity === undefined || input.MaxCapacity === undefined)) {
    ctx.fail(
      'ValidationException',
      'MinCapacity and MaxCapacity are required to register a new scalable target',
    );
  }
  const service = findEcsService(ctx.account, name.clusterName, name.serviceName);
  if (!service || service.status !== 'ACTIVE')
    ctx.fail('ValidationException', `ECS service doesn't exist: ${name.resourceId}`);
  const min = input.MinCapacity ?? existing!.minCapacity;
  const max = input.MaxCapacity ?? existing!.maxCapacity;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 0) {
    ctx.fail('ValidationException', 'MinCapacity and MaxCapacity must be non-negative integers');
  }
  if (min > max) ctx.fail('ValidationException', 'Minimum capacity cannot be greater than maximum capacity');
  const suspended = input.SuspendedState ?? {};
  const record: ScalableTargetRecord = existing ?? {
    arn: ctx.account.arn('application-autoscaling', `scalable-target/${ctx.account.newId('', 36)}`),
    serviceNamespace: 'ecs',
    resourceId: name.resourceId,
    scalableDimension: 'ecs:service:DesiredCount',
    minCapacity: min,
    maxCapacity: max,
    roleArn: ctx.account.arn('iam', SERVICE_LINKED_ROLE, { region: false }),
    createdAt: ctx.now,
    suspended: {
      dynamicScalingInSuspended: false,
      dynamicScalingOutSuspended: false,
      scheduledScalingSuspended: false,
    },
    // Tags apply only when the target is created; later, TagResource (RegisterScalableTarget API reference).
    tags: tagsFromMap(input.Tags, ctx),
  };
  record.minCapacity = min;
  record.maxCapacity = max;
  record.suspended = {
    dynamicScalingInSuspended:
      suspended.DynamicScalingInSuspended ?? record.suspended.dynamicScalingInSuspended,
    dynamicScalingOutSuspended:
      suspended.DynamicScalingOutSuspended ?? record.suspended.dynamicScalingOutSuspended,
    scheduledScalingSuspended:
      suspended.ScheduledScalingSuspended ?? record.suspended.scheduledScalingSuspended,
  };
  ctx.state.targets[name.key] = record;
  const current = currentCapacity(ctx.account, record);
  if (current !== undefined && (current < min || current > max)) {
    const capacity = Math.min(max, Math.max(min, current));
    scaleTo(
      ctx.account,
      ctx.state,
      record,
      name.key,
      capacity,
      `minimum or maximum capacity changed to ${min}–${max}`,
    );
  }
  return { ScalableTargetARN: record.arn };
}

function describeScalableTargets(input: OperationInput, ctx: Ctx) {
  const ids = input.ResourceIds as string[] | undefined;
  const matching = Object.values(ctx.state.targets).filter(
    (t) =>
      t.serviceNamespace === input.ServiceNamespace &&
      (!ids?.length || ids.includes(t.resourceId)) &&
      (!input.ScalableDimension || t.scalableDimension === input.ScalableDimension),
  );
  const page = paginate(matching, input.NextToken, Math.min(input.MaxResults ?? 50, 50), 50);
  return { ScalableTargets: page.items.map(describeTarget), NextToken: page.nextToken };
}

function describeScalingActivities(input: OperationInput, ctx: Ctx) {
  const matching = ctx.state.activities
    .filter((activity) => {
      const target = ctx.state.targets[activity.targetKey];
      const [namespace, resourceId] = activity.targetKey.split('|');
      return (
        namespace === input.ServiceNamespace &&
        (!input.ResourceId || resourceId === input.ResourceId) &&
        target !== undefined
      );
    })
    .reverse();
  const page = paginate(matching, input.NextToken, Math.min(input.MaxResults ?? 50, 50), 50);
  return {
    ScalingActivities: page.items.map((activity) => {
      const [namespace, resourceId, dimension] = activity.targetKey.split('|');
      return {
        ActivityId: activity.id,
        ServiceNamespace: namespace,
        ResourceId: resourceId,
        ScalableDimension: dimension,
        Description: activity.description,
        Cause: activity.cause,
        StartTime: new Date(activity.at),
        EndTime: new Date(activity.at),
        StatusCode: 'Successful',
      };
    }),
    NextToken: page.nextToken,
  };
}

export const targetOperations: Record<string, Operation<AutoscalingState>> = {
  RegisterScalableTarget: {
    mutating: true,
    required: ['ServiceNamespace', 'ResourceId', 'ScalableDimension'],
    handle: registerScalableTarget,
  },
  DescribeScalableTargets: {
    mutating: false,
    required: ['ServiceNamespace'],
    handle: describeScalableTargets,
  },
  DeregisterScalableTarget: {
    mutating: true,
    required: ['ServiceNamespace', 'ResourceId', 'ScalableDimension'],
    handle: (input, ctx) => {
      const name = readTargetName(input, ctx);
      targetOrFail(ctx, name, 'found');
      for (const policy of Object.values(ctx.state.policies)) {
        if (policy.targetKey === name.key) delete ctx.state.policies[policy.arn];
      }
      delete ctx.state.targets[name.key];
    },
  },
  DescribeScalingActivities: {
    mutating: false,
    required: ['ServiceNamespace'],
    handle: describeScalingActivities,
  },
};
