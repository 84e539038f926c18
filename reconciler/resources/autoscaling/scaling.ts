/**
 * Application Auto Scaling for the ECS service: a scalable target on its desired count between the
 * spec's `minTasks` and `maxTasks`, and a target-tracking policy that keeps ALBRequestCountPerTarget at
 * `targetRequestsPerTask` (out after 60 s, in after 300 s: up fast, down slowly). The spec's value is
 * per second; ALBRequestCountPerTarget counts requests per target per minute, so the policy's
 * TargetValue is 60 times it.
 *
 * Scaling policies carry no tags: a policy of our name on our (tagged) scalable target is ours.
 */
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  type ScalableTarget,
  type ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import { isOwnedBy, names, ownershipTags, type DesiredState } from '../../../spec';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import { assertOwned } from '../common/foreign-guard';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { fargateMinTasks } from '../intent';
import { RESOURCE_KEYS } from '../keys';
import { SECONDS_PER_MINUTE } from '../../../util/time';

const NAMESPACE = 'ecs';
const DIMENSION = 'ecs:service:DesiredCount';
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;
/**
 * The policy's TargetValue: the spec's requests per second per task, as requests per target per minute
 * (ALBRequestCountPerTarget is a per-minute count, Sum over 60 s; the spec's target is per second).
 */
export function requestCountTargetValue(targetRequestsPerTask: number): number {
  return targetRequestsPerTask * SECONDS_PER_MINUTE;
}

/** `service/<cluster>/<service>`: how Application Auto Scaling names an ECS service. */
export function scalingResourceId(stack: string): string {
  const { cluster, service } = names(stack);
  return `service/${cluster}/${service}`;
}

/** The ALBRequestCountPerTarget label: `app/<alb>/<id>/targetgroup/<tg>/<id>`, or undefined while unknown. */
export function requestCountResourceLabel(refs: ResourceContext['refs']): string | undefined {
  const alb = refs[RESOURCE_KEYS.loadBalancer]?.extra?.arnSuffix;
  const tg = refs[RESOURCE_KEYS.targetGroup]?.extra?.arnSuffix;
  return alb && tg ? `${alb}/${tg}` : undefined;
}

const TARGET_ERRORS: ErrorCodes = {
  notFound: ['ObjectNotFoundException', 'ResourceNotFoundException'],
  // FailedResourceAccess: the service-linked role Application Auto Scaling creates may not work yet.
  retryable: ['ConcurrentUpdateException', 'FailedResourceAccessException'],
  terminal: [
    'ValidationException',
    'LimitExceededException',
    'TooManyTagsException',
    'AccessDeniedException',
  ],
  // ECS is eventually consistent: a service created seconds ago may not be visible yet.
  retryableWhen: [{ code: 'ValidationException', message: /ECS service doesn'?t exist|does not exist/i }],
};

const POLICY_ERRORS: ErrorCodes = {
  // ObjectNotFound on Put: the scalable target is not visible yet (the engine retries a not-found create).
  notFound: ['ObjectNotFoundException'],
  retryable: ['ConcurrentUpdateException', 'FailedResourceAccessException'],
  terminal: ['ValidationException', 'LimitExceededException', 'AccessDeniedException'],
  // The resource label's target group is not yet behind a listener of the load balancer.
  retryableWhen: [{ code: 'ValidationException', message: /not associated/i }],
};

type TargetFields = Pick<ScalableTarget, 'ResourceId' | 'MinCapacity' | 'MaxCapacity' | 'ScalableTargetARN'>;

function observeTarget(target: TargetFields, tags: Record<string, string>, stack: string): ObservedResource {
  return {
    key: RESOURCE_KEYS.scalableTarget,
    type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    id: target.ResourceId!,
    arn: target.ScalableTargetARN,
    tags,
    attributes: {
      resourceId: target.ResourceId,
      minCapacity: target.MinCapacity,
      maxCapacity: target.MaxCapacity,
    },
    ready: true,
    // A target registered before tagging existed (no ARN, no tags) is not provably ours.
    foreign: !isOwnedBy(tags, stack),
  };
}

async function register(ctx: ResourceContext, withTags: boolean) {
  const { spec } = ctx;
  return ctx.clients.autoscaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: NAMESPACE,
      ResourceId: scalingResourceId(spec.stack),
      ScalableDimension: DIMENSION,
      MinCapacity: fargateMinTasks(spec, ctx.intent),
      MaxCapacity: spec.fargate.maxTasks,
      // Tags only on the first registration: AWS refuses tags when re-registering an existing target.
      Tags: withTags ? { ...ownershipTags(spec.stack, RESOURCE_KEYS.scalableTarget) } : undefined,
    }),
  );
}

export const scalableTargetResource: StackResource = {
  key: RESOURCE_KEYS.scalableTarget,
  type: 'AWS::ApplicationAutoScaling::ScalableTarget',
  service: 'autoscaling',
  steadyCheck: 'tagged',
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.service],
  errors: TARGET_ERRORS,
  immutable: ['resourceId'],

  neededBy: () => true,

  desiredAttributes: (spec, _refs, intent) => ({
    resourceId: scalingResourceId(spec.stack),
    minCapacity: fargateMinTasks(spec, intent),
    maxCapacity: spec.fargate.maxTasks,
  }),

  async find(ctx) {
    const resourceId = scalingResourceId(ctx.spec.stack);
    const answer = await ctx.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: NAMESPACE,
        ResourceIds: [resourceId],
        ScalableDimension: DIMENSION,
      }),
    );
    const target = answer.ScalableTargets?.find((candidate) => candidate.ResourceId === resourceId);
    if (!target) return undefined;
    const arn = target.ScalableTargetARN;
    const tagAnswer = arn
      ? await orUndefinedIfGone(
          () => ctx.clients.autoscaling.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
          TARGET_ERRORS,
        )
      : undefined;
    return observeTarget(target, tagAnswer?.Tags ?? {}, ctx.spec.stack);
  },

  async create(ctx) {
    const answer = await register(ctx, true);
    const target: TargetFields = {
      ResourceId: scalingResourceId(ctx.spec.stack),
      MinCapacity: fargateMinTasks(ctx.spec, ctx.intent),
      MaxCapacity: ctx.spec.fargate.maxTasks,
      ScalableTargetARN: answer.ScalableTargetARN,
    };
    return observeTarget(
      target,
      { ...ownershipTags(ctx.spec.stack, RESOURCE_KEYS.scalableTarget) },
      ctx.spec.stack,
    );
  },

  async update(ctx, current) {
    assertOwned(current, 'updating');
    await register(ctx, false);
    return {
      ...current,
      attributes: {
        ...current.attributes,
        minCapacity: fargateMinTasks(ctx.spec, ctx.intent),
        maxCapacity: ctx.spec.fargate.maxTasks,
      },
    };
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    await deleteIgnoringGone(
      () =>
        ctx.clients.autoscaling.send(
          new DeregisterScalableTargetCommand({
            ServiceNamespace: NAMESPACE,
            ResourceId: current.id,
            ScalableDimension: DIMENSION,
          }),
        ),
      TARGET_ERRORS,
    );
  },
};

function desiredPolicy(spec: DesiredState, resourceLabel: string | undefined) {
  return {
    policyName: names(spec.stack).scalingPolicy,
    policyType: 'TargetTrackingScaling',
    targetValue: requestCountTargetValue(spec.fargate.targetRequestsPerTask),
    metricType: 'ALBRequestCountPerTarget',
    resourceLabel,
    scaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS,
    scaleInCooldown: SCALE_IN_COOLDOWN_SECONDS,
    disableScaleIn: false,
  };
}

function observePolicy(policy: ScalingPolicy, refs: ResourceContext['refs']): ObservedResource {
  const config = policy.TargetTrackingScalingPolicyConfiguration;
  const target = refs[RESOURCE_KEYS.scalableTarget];
  return {
    key: RESOURCE_KEYS.scalingPolicy,
    type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
    id: policy.PolicyName!,
    arn: policy.PolicyARN,
    tags: {},
    attributes: {
      policyName: policy.PolicyName,
      policyType: policy.PolicyType,
      targetValue: config?.TargetValue,
      metricType: config?.PredefinedMetricSpecification?.PredefinedMetricType,
      resourceLabel: config?.PredefinedMetricSpecification?.ResourceLabel,
      scaleOutCooldown: config?.ScaleOutCooldown,
      scaleInCooldown: config?.ScaleInCooldown,
      disableScaleIn: config?.DisableScaleIn ?? false,
    },
    ready: true,
    // Ownership is the scalable target's. A policy cannot outlive its target (deregistering deletes it),
    // so one found without an observed target is on ours and may be cleaned up.
    foreign: target?.foreign === true,
  };
}

async function putPolicy(ctx: ResourceContext): Promise<ObservedResource> {
  const { spec } = ctx;
  const resourceLabel = requestCountResourceLabel(ctx.refs);
  if (!resourceLabel)
    throw new Error('scaling-policy needs the ARN suffixes of alb and tg, which are not known yet');
  const wanted = desiredPolicy(spec, resourceLabel);
  const configuration = {
    TargetValue: wanted.targetValue,
    PredefinedMetricSpecification: {
      PredefinedMetricType: 'ALBRequestCountPerTarget' as const,
      ResourceLabel: resourceLabel,
    },
    ScaleOutCooldown: wanted.scaleOutCooldown,
    ScaleInCooldown: wanted.scaleInCooldown,
    DisableScaleIn: wanted.disableScaleIn,
  };
  // PutScalingPolicy creates or replaces: the same call serves create and update.
  const answer = await ctx.clients.autoscaling.send(
    new PutScalingPolicyCommand({
      PolicyName: wanted.policyName,
      ServiceNamespace: NAMESPACE,
      ResourceId: scalingResourceId(spec.stack),
      ScalableDimension: DIMENSION,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: configuration,
    }),
  );
  return observePolicy(
    {
      PolicyName: wanted.policyName,
      PolicyARN: answer.PolicyARN,
      PolicyType: 'TargetTrackingScaling',
      ServiceNamespace: NAMESPACE,
      ResourceId: scalingResourceId(spec.stack),
      ScalableDimension: DIMENSION,
      TargetTrackingScalingPolicyConfiguration: configuration,
      CreationTime: new Date(ctx.now()),
    },
    ctx.refs,
  );
}

export const scalingPolicyResource: StackResource = {
  key: RESOURCE_KEYS.scalingPolicy,
  type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
  service: 'autoscaling',
  steadyCheck: 'untagged',
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.scalableTarget, RESOURCE_KEYS.loadBalancer, RESOURCE_KEYS.targetGroup],
  errors: POLICY_ERRORS,
  immutable: ['policyName'],

  neededBy: () => true,

  desiredAttributes: (spec, refs) => desiredPolicy(spec, requestCountResourceLabel(refs)),

  async find(ctx) {
    const policyName = names(ctx.spec.stack).scalingPolicy;
    const answer = await ctx.clients.autoscaling.send(
      new DescribeScalingPoliciesCommand({
        ServiceNamespace: NAMESPACE,
        ResourceId: scalingResourceId(ctx.spec.stack),
        ScalableDimension: DIMENSION,
        PolicyNames: [policyName],
      }),
    );
    const policy = answer.ScalingPolicies?.find((candidate) => candidate.PolicyName === policyName);
    return policy ? observePolicy(policy, ctx.refs) : undefined;
  },

  create: putPolicy,

  async update(ctx, current) {
    assertOwned(current, 'updating');
    return putPolicy(ctx);
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    await deleteIgnoringGone(
      () =>
        ctx.clients.autoscaling.send(
          new DeleteScalingPolicyCommand({
            PolicyName: current.id,
            ServiceNamespace: NAMESPACE,
            ResourceId: scalingResourceId(ctx.spec.stack),
            ScalableDimension: DIMENSION,
          }),
        ),
      POLICY_ERRORS,
    );
  },
};
