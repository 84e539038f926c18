/**
 * Scaling policies: PutScalingPolicy (create or replace by name; the target must be registered, else
 * ObjectNotFoundException; target tracking on ALBRequestCountPerTarget needs a ResourceLabel
 * `app/<alb-name>/<id>/targetgroup/<tg-name>/<id>`), DescribeScalingPolicies, DeleteScalingPolicy.
 */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import type { OperationInput } from '../common/input';
import { describedTarget, readTargetName, targetOrFail } from './resource-id';
import type { AutoscalingState, ScalingPolicyRecord, TargetTrackingConfiguration } from './state';

type Ctx = OperationContext<AutoscalingState>;

const ECS_METRICS = [
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
];
const RESOURCE_LABEL = /^app\/[A-Za-z0-9-]+\/[0-9a-f]+\/targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+$/;

function readTargetTracking(
  config: TargetTrackingConfiguration | undefined,
  ctx: Ctx,
): TargetTrackingConfiguration {
  if (!config)
    ctx.fail(
      'ValidationException',
      'TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling policies',
    );
  if (!(typeof config.TargetValue === 'number' && config.TargetValue > 0)) {
    ctx.fail('ValidationException', 'TargetValue must be a positive number');
  }
  const predefined = config.PredefinedMetricSpecification;
  if (!predefined && !config.CustomizedMetricSpecification) {
    ctx.fail(
      'ValidationException',
      'Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified',
    );
  }
  if (predefined) {
    if (!ECS_METRICS.includes(predefined.PredefinedMetricType)) {
      ctx.fail(
        'ValidationException',
        `Unsupported predefined metric type '${predefined.PredefinedMetricType}' for service namespace ecs`,
      );
    }
    if (
      predefined.PredefinedMetricType === 'ALBRequestCountPerTarget' &&
      !RESOURCE_LABEL.test(predefined.ResourceLabel ?? '')
    ) {
      ctx.fail(
        'ValidationException',
        `ResourceLabel '${predefined.ResourceLabel ?? ''}' is invalid for ALBRequestCountPerTarget`,
      );
    }
  }
  for (const cooldown of [config.ScaleOutCooldown, config.ScaleInCooldown]) {
    if (cooldown !== undefined && !(Number.isInteger(cooldown) && cooldown >= 0 && cooldown <= 31_536_000)) {
      ctx.fail('ValidationException', 'Cooldowns must be whole seconds between 0 and 31536000');
    }
  }
  return structuredClone(config);
}

function alarmsFor(ctx: Ctx, resourceId: string): ScalingPolicyRecord['alarms'] {
  return ['AlarmHigh', 'AlarmLow'].map((kind) => {
    const AlarmName = `TargetTracking-${resourceId}-${kind}-${uuid(ctx)}`;
    return { AlarmName, AlarmARN: ctx.account.arn('cloudwatch', `alarm:${AlarmName}`) };
  });
}

function uuid(ctx: Ctx): string {
  const hex = ctx.account.newId('', 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function putScalingPolicy(input: OperationInput, ctx: Ctx) {
  const name = readTargetName(input, ctx);
  targetOrFail(ctx, name, 'registered');
  const policyName = String(input.PolicyName);
  if (policyName.length > 256 || /:/.test(policyName))
    ctx.fail('ValidationException', 'PolicyName must be at most 256 characters, without ":"');
  const policyType = input.PolicyType ?? 'StepScaling';
  if (policyType !== 'TargetTrackingScaling' && policyType !== 'StepScaling') {
    ctx.fail('ValidationException', `Unsupported policy type '${policyType}' for service namespace ecs`);
  }
  const existing = Object.values(ctx.state.policies).find(
    (p) => p.targetKey === name.key && p.name === policyName,
  );
  const record: ScalingPolicyRecord = {
    arn:
      existing?.arn ??
      ctx.account.arn(
        'autoscaling',
        `scalingPolicy:${uuid(ctx)}:resource/ecs/${name.resourceId}:policyName/${policyName}`,
      ),
    name: policyName,
    targetKey: name.key,
    policyType,
    alarms: existing?.alarms ?? [],
    createdAt: existing?.createdAt ?? ctx.now,
  };
  if (policyType === 'TargetTrackingScaling') {
    record.targetTracking = readTargetTracking(input.TargetTrackingScalingPolicyConfiguration, ctx);
    if (record.alarms.length === 0) record.alarms = alarmsFor(ctx, name.resourceId);
  } else {
    if (!input.StepScalingPolicyConfiguration)
      ctx.fail('ValidationException', 'StepScalingPolicyConfiguration is required for StepScaling policies');
    record.stepScaling = structuredClone(input.StepScalingPolicyConfiguration);
    record.alarms = [];
  }
  ctx.state.policies[record.arn] = record;
  return { PolicyARN: record.arn, Alarms: record.alarms.map((a) => ({ ...a })) };
}

function describeScalingPolicies(input: OperationInput, ctx: Ctx) {
  const names = input.PolicyNames as string[] | undefined;
  const matching = Object.values(ctx.state.policies).filter((policy) => {
    const [namespace, resourceId, dimension] = policy.targetKey.split('|');
    return (
      namespace === input.ServiceNamespace &&
      (!input.ResourceId || resourceId === input.ResourceId) &&
      (!input.ScalableDimension || dimension === input.ScalableDimension) &&
      (!names?.length || names.includes(policy.name))
    );
  });
  const page = paginate(matching, input.NextToken, Math.min(input.MaxResults ?? 50, 50), 50);
  return {
    ScalingPolicies: page.items.map((policy) => {
      const [namespace, resourceId, dimension] = policy.targetKey.split('|');
      return {
        PolicyARN: policy.arn,
        PolicyName: policy.name,
        ServiceNamespace: namespace,
        ResourceId: resourceId,
        ScalableDimension: dimension,
        PolicyType: policy.policyType,
        TargetTrackingScalingPolicyConfiguration:
          policy.targetTracking && structuredClone(policy.targetTracking),
        StepScalingPolicyConfiguration: policy.stepScaling && structuredClone(policy.stepScaling),
        Alarms: policy.alarms.map((a) => ({ ...a })),
        CreationTime: new Date(policy.createdAt),
      };
    }),
    NextToken: page.nextToken,
  };
}

export const policyOperations: Record<string, Operation<AutoscalingState>> = {
  PutScalingPolicy: {
    mutating: true,
    required: ['PolicyName', 'ServiceNamespace', 'ResourceId', 'ScalableDimension'],
    handle: putScalingPolicy,
  },
  DescribeScalingPolicies: {
    mutating: false,
    required: ['ServiceNamespace'],
    handle: describeScalingPolicies,
  },
  DeleteScalingPolicy: {
    mutating: true,
    required: ['PolicyName', 'ServiceNamespace', 'ResourceId', 'ScalableDimension'],
    handle: (input, ctx) => {
      const name = readTargetName(input, ctx);
      const policy = Object.values(ctx.state.policies).find(
        (p) => p.targetKey === name.key && p.name === input.PolicyName,
      );
      if (!policy) {
        return ctx.fail(
          'ObjectNotFoundException',
          `No scaling policy found for ${describedTarget(name)}, policy name: ${input.PolicyName}`,
        );
      }
      delete ctx.state.policies[policy.arn];
    },
  },
};
