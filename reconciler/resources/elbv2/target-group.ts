/**
 * The target group the ECS service registers its tasks in: type `ip` (awsvpc tasks have their own ENI),
 * HTTP on the spec's port, health-checked fast (every 5 s, healthy after 2 passes: ≈10 s instead of the
 * default ≈150 s) and drained in 30 s instead of 300 s, so that both scale-up and scale-down are quick.
 */
import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isOwnedBy, names, nonceTags, ownershipTags, type DesiredState } from '../../../spec';
import { confirmCreatedHere } from '../common/created-here';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { requireRef } from '../common/dependency-refs';
import { arnSuffix, attributeValue, elbv2TagRecord, elbv2Tags } from './support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.targetGroup;
const TYPE = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const DEREGISTRATION_DELAY_ATTRIBUTE = 'deregistration_delay.timeout_seconds';

/** Health check settings; ELBv2 insists the timeout be shorter than the interval. */
export const TARGET_GROUP_HEALTH_CHECK = {
  intervalSeconds: 5,
  timeoutSeconds: 4,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  matcher: '200',
} as const;

export const DEREGISTRATION_DELAY_SECONDS = 30;

/** What dependents read from the target group's `extra`. */
export interface TargetGroupExtra {
  /** `targetgroup/<name>/<id>`: the target group's half of the ALBRequestCountPerTarget resource label. */
  arnSuffix: string;
  loadBalancerArns: string[];
}

function desiredHealthCheck(spec: DesiredState) {
  return { protocol: 'HTTP' as const, path: spec.healthCheckPath, ...TARGET_GROUP_HEALTH_CHECK };
}

function observe(
  group: TargetGroup,
  tags: Record<string, string>,
  stack: string,
  deregistrationDelaySeconds: number | undefined,
): ObservedResource<TargetGroupExtra> {
  const arn = group.TargetGroupArn!;
  const extra: TargetGroupExtra = {
    arnSuffix: arnSuffix(arn, 'targetgroup/'),
    loadBalancerArns: group.LoadBalancerArns ?? [],
  };
  return {
    key: KEY,
    type: TYPE,
    id: arn,
    arn,
    tags,
    attributes: {
      name: group.TargetGroupName,
      targetType: group.TargetType,
      protocol: group.Protocol,
      port: group.Port,
      vpcId: group.VpcId,
      healthCheck: {
        protocol: group.HealthCheckProtocol,
        path: group.HealthCheckPath,
        intervalSeconds: group.HealthCheckIntervalSeconds,
        timeoutSeconds: group.HealthCheckTimeoutSeconds,
        healthyThreshold: group.HealthyThresholdCount,
        unhealthyThreshold: group.UnhealthyThresholdCount,
        matcher: group.Matcher?.HttpCode,
      },
      deregistrationDelaySeconds,
    },
    // A target group is usable as soon as it exists; its targets' health is the service's readiness.
    ready: true,
    foreign: !isOwnedBy(tags, stack),
    extra,
  };
}

async function readDeregistrationDelay(
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<number | undefined> {
  const answer = await client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
  const value = attributeValue(answer, DEREGISTRATION_DELAY_ATTRIBUTE);
  return value === undefined ? undefined : Number(value);
}

async function setDeregistrationDelay(client: ElasticLoadBalancingV2Client, arn: string): Promise<void> {
  await client.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: arn,
      Attributes: [{ Key: DEREGISTRATION_DELAY_ATTRIBUTE, Value: String(DEREGISTRATION_DELAY_SECONDS) }],
    }),
  );
}

function healthCheckInput(spec: DesiredState) {
  const check = desiredHealthCheck(spec);
  return {
    HealthCheckProtocol: check.protocol,
    HealthCheckPath: check.path,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    Matcher: { HttpCode: check.matcher },
  } as const;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<TargetGroupExtra>> {
  const { spec, clients } = ctx;
  const answer = await clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: names(spec.stack).targetGroup,
      TargetType: 'ip',
      Protocol: 'HTTP',
      Port: spec.port,
      VpcId: requireRef(ctx.refs, RESOURCE_KEYS.vpc, KEY).id,
      ...healthCheckInput(spec),
      Tags: elbv2Tags(spec.stack, KEY, ctx.nonce),
    }),
  );
  const group = answer.TargetGroups?.[0];
  if (!group?.TargetGroupArn) throw new Error(`CreateTargetGroup returned no target group for ${KEY}`);
  // Idempotent by name and settings: the answer may be someone else's group of that name, which the
  // attribute change below must never reach.
  const answered = { key: KEY, id: group.TargetGroupArn, operation: 'CreateTargetGroup' };
  const nonce = await confirmCreatedHere(answered, ctx, () =>
    elbv2TagRecord(clients.elbv2, group.TargetGroupArn!),
  );
  ctx.answered?.(group.TargetGroupArn);
  // A second call: CreateTargetGroup takes no attributes. A crash in between leaves the 300 s default,
  // which the next pass sees as drift and fixes through `update`.
  await setDeregistrationDelay(clients.elbv2, group.TargetGroupArn);
  const tags = { ...ownershipTags(spec.stack, KEY), ...nonceTags(nonce) };
  return observe(group, tags, spec.stack, DEREGISTRATION_DELAY_SECONDS);
}

export const targetGroupResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'elbv2',
  steadyCheck: 'tagged',
  creates: 'name',
  // the ARN ends in a random id: a group made again under the name has another.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.vpc],
  errors: {
    notFound: ['TargetGroupNotFound'],
    // ResourceInUse: a listener or rule still forwards to it (deletion order, docs/aws-facts.md).
    retryable: ['ResourceInUse'],
    terminal: [
      'DuplicateTargetGroupName',
      'TooManyTargetGroups',
      'TooManyTags',
      'ValidationError',
      'AccessDenied',
    ],
  },
  immutable: ['name', 'targetType', 'protocol', 'port', 'vpcId'],

  neededBy: () => true,

  desiredAttributes(spec, refs) {
    return {
      name: names(spec.stack).targetGroup,
      targetType: 'ip',
      protocol: 'HTTP',
      port: spec.port,
      vpcId: refs[RESOURCE_KEYS.vpc]?.id,
      healthCheck: desiredHealthCheck(spec),
      deregistrationDelaySeconds: DEREGISTRATION_DELAY_SECONDS,
    };
  },

  async find(ctx) {
    const name = names(ctx.spec.stack).targetGroup;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] })),
      targetGroupResource.errors,
    );
    const group = answer?.TargetGroups?.[0];
    if (!group?.TargetGroupArn) return undefined;
    const tags = await elbv2TagRecord(ctx.clients.elbv2, group.TargetGroupArn);
    // Someone else's group: its attributes are none of our business, so spare the call.
    const delay = isOwnedBy(tags, ctx.spec.stack)
      ? await readDeregistrationDelay(ctx.clients.elbv2, group.TargetGroupArn)
      : undefined;
    return observe(group, tags, ctx.spec.stack, delay);
  },

  async findById(ctx, seen) {
    const arn = seen.arn ?? seen.id;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
      targetGroupResource.errors,
    );
    const group = answer?.TargetGroups?.find((candidate) => candidate.TargetGroupArn === arn);
    if (!group) return undefined;
    // The tags and the deregistration delay as `seen` had them: a step naming the group reads its ARN.
    const delay = seen.attributes.deregistrationDelaySeconds as number | undefined;
    return observe(group, seen.tags, ctx.spec.stack, delay);
  },

  create,

  async update(ctx, current, changes) {
    assertOwned(current, 'updating');
    const arn = current.arn ?? current.id;
    if (changes.some((change) => change.path.startsWith('healthCheck'))) {
      await ctx.clients.elbv2.send(
        new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...healthCheckInput(ctx.spec) }),
      );
    }
    if (changes.some((change) => change.path === 'deregistrationDelaySeconds')) {
      await setDeregistrationDelay(ctx.clients.elbv2, arn);
    }
    return (await targetGroupResource.find(ctx)) ?? current;
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    await deleteIgnoringGone(
      () =>
        ctx.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: current.arn ?? current.id })),
      targetGroupResource.errors,
    );
  },
};
