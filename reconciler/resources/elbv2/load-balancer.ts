/**
 * The Application Load Balancer of the Fargate tier: internet-facing, in both public subnets, behind the
 * ALB security group. CreateLoadBalancer is idempotent by name with identical settings, so its answer is
 * proven this create's (its nonce tag) before it is recorded; the finder looks it up by its deterministic
 * name, then decides ownership from its tags.
 */
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isOwnedBy, names, nonceTags, ownershipTags } from '../../../spec';
import { confirmCreatedHere } from '../common/created-here';
import { idsOf, requireRef } from '../common/dependency-refs';
import { arnSuffix, attributeValue, elbv2TagRecord, elbv2Tags } from './support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource, Waiters } from '../types';
import { readyByState } from '../common/waiters';
import { RESOURCE_KEYS, SUBNET_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.loadBalancer;
const TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const SUBNETS = SUBNET_KEYS;
const SECURITY_GROUPS = [RESOURCE_KEYS.albSecurityGroup];

/** What dependents read from the ALB's `extra`: the alias target and the scaling policy's label. */
export interface LoadBalancerExtra {
  dnsName: string;
  canonicalHostedZoneId: string;
  /** `app/<name>/<id>`: the ALB's half of the ALBRequestCountPerTarget resource label. */
  arnSuffix: string;
  vpcId?: string;
}

/** ELBv2 load balancer state codes (ELBv2 API reference, LoadBalancerState). */
const WAITERS: Waiters = { ready: { pending: ['provisioning'], target: ['active'] } };

/**
 * How long a new ALB usually stays `provisioning` (docs/aws-facts.md: about three minutes, no AWS figure).
 * A pass that only waits on it comes back then, not every 15 seconds: a fleet switching tiers at once
 * spent a dozen ELBv2 describes a stack asking.
 */
export const ALB_USUAL_PROVISIONING_MS = 180_000;

/**
 * An ALB forwards header fields whose names break `[-A-Za-z0-9]+` to its targets unless this attribute is
 * true, and it is false by default (ELB's load balancer attributes); such fields are what HTTP desync and
 * header smuggling send, and AWS Config's alb-http-drop-invalid-header-enabled and Security Hub's ELB.4
 * flag every ALB that keeps them. The stack's ALB faces the internet, so it drops them.
 */
const DROP_INVALID_HEADERS_ATTRIBUTE = 'routing.http.drop_invalid_header_fields.enabled';

async function readDropInvalidHeaders(
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<boolean | undefined> {
  const answer = await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
  const value = attributeValue(answer, DROP_INVALID_HEADERS_ATTRIBUTE);
  return value === undefined ? undefined : value === 'true';
}

async function setDropInvalidHeaders(client: ElasticLoadBalancingV2Client, arn: string): Promise<void> {
  await client.send(
    new ModifyLoadBalancerAttributesCommand({
      LoadBalancerArn: arn,
      Attributes: [{ Key: DROP_INVALID_HEADERS_ATTRIBUTE, Value: 'true' }],
    }),
  );
}

function observe(
  lb: LoadBalancer,
  tags: Record<string, string>,
  stack: string,
  dropInvalidHeaderFields: boolean | undefined,
): ObservedResource<LoadBalancerExtra> {
  const arn = lb.LoadBalancerArn!;
  const state = lb.State?.Code;
  const extra: LoadBalancerExtra = {
    dnsName: lb.DNSName ?? '',
    canonicalHostedZoneId: lb.CanonicalHostedZoneId ?? '',
    arnSuffix: arnSuffix(arn, 'loadbalancer/'),
    vpcId: lb.VpcId,
  };
  return {
    key: KEY,
    type: TYPE,
    id: arn,
    arn,
    state,
    tags,
    attributes: {
      name: lb.LoadBalancerName,
      scheme: lb.Scheme,
      type: lb.Type,
      ipAddressType: lb.IpAddressType,
      subnets: (lb.AvailabilityZones ?? []).map((zone) => zone.SubnetId).sort(),
      securityGroups: [...(lb.SecurityGroups ?? [])].sort(),
      dropInvalidHeaderFields,
    },
    ...readyByState(WAITERS, state, 'ALB'),
    ...(state === 'provisioning' && lb.CreatedTime
      ? { readyExpectedAt: lb.CreatedTime.getTime() + ALB_USUAL_PROVISIONING_MS }
      : {}),
    foreign: !isOwnedBy(tags, stack),
    extra,
  };
}

async function create(ctx: ResourceContext): Promise<ObservedResource<LoadBalancerExtra>> {
  const { spec, refs, clients } = ctx;
  const answer = await clients.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: names(spec.stack).loadBalancer,
      Type: 'application',
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      Subnets: SUBNETS.map((key) => requireRef(refs, key, KEY).id),
      SecurityGroups: SECURITY_GROUPS.map((key) => requireRef(refs, key, KEY).id),
      Tags: elbv2Tags(spec.stack, KEY, ctx.nonce),
    }),
  );
  const lb = answer.LoadBalancers?.[0];
  if (!lb?.LoadBalancerArn) throw new Error(`CreateLoadBalancer returned no load balancer for ${KEY}`);
  // Idempotent by name and settings: the answer may be someone else's load balancer of that name.
  const answered = { key: KEY, id: lb.LoadBalancerArn, operation: 'CreateLoadBalancer' };
  const nonce = await confirmCreatedHere(answered, ctx, () =>
    elbv2TagRecord(clients.elbv2, lb.LoadBalancerArn!),
  );
  // A second call: CreateLoadBalancer takes no attributes. A crash in between leaves AWS's default, which
  // the next full look sees as drift and fixes through `update`.
  await setDropInvalidHeaders(clients.elbv2, lb.LoadBalancerArn);
  // Tagged in the same call: what we report is what the next finder will see.
  return observe(lb, { ...ownershipTags(spec.stack, KEY), ...nonceTags(nonce) }, spec.stack, true);
}

export const loadBalancerResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'elbv2',
  steadyCheck: 'tagged',
  creates: 'name',
  // One every 5 s for the whole account (docs/aws-facts.md): the create waits for its turn, not its worker's part.
  createAction: 'CreateLoadBalancer',
  // the ARN ends in a random id: a load balancer made again under the name has another.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [...SUBNETS, ...SECURITY_GROUPS, RESOURCE_KEYS.routeTable],
  // Its network interfaces are in the subnets and use the groups: DeleteSubnet and DeleteSecurityGroup
  // answer DependencyViolation while they are.
  holds: Object.fromEntries([
    ...SUBNETS.map((key) => [key, 'subnets']),
    ...SECURITY_GROUPS.map((key) => [key, 'securityGroups']),
  ]),
  waiters: WAITERS,
  errors: {
    notFound: ['LoadBalancerNotFound'],
    // A subnet or group created seconds ago may not be visible to ELBv2 yet.
    retryable: ['ResourceInUse', 'SubnetNotFound', 'InvalidSecurityGroup'],
    terminal: [
      'DuplicateLoadBalancerName',
      'TooManyLoadBalancers',
      'TooManyTags',
      'InvalidConfigurationRequest',
      'InvalidScheme',
      'InvalidSubnet',
      'OperationNotPermitted',
      'ValidationError',
      'AccessDenied',
    ],
  },
  immutable: ['name', 'scheme', 'type'],

  neededBy: () => true,

  desiredAttributes(spec, refs) {
    return {
      name: names(spec.stack).loadBalancer,
      scheme: 'internet-facing',
      type: 'application',
      ipAddressType: 'ipv4',
      subnets: idsOf(refs, SUBNETS),
      securityGroups: idsOf(refs, SECURITY_GROUPS),
      dropInvalidHeaderFields: true,
    };
  },

  async find(ctx) {
    const name = names(ctx.spec.stack).loadBalancer;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] })),
      loadBalancerResource.errors,
    );
    const lb = answer?.LoadBalancers?.[0];
    if (!lb?.LoadBalancerArn) return undefined;
    const tags = await elbv2TagRecord(ctx.clients.elbv2, lb.LoadBalancerArn);
    // Someone else's ALB: its attributes are none of our business, so spare the call.
    const drop = isOwnedBy(tags, ctx.spec.stack)
      ? await readDropInvalidHeaders(ctx.clients.elbv2, lb.LoadBalancerArn)
      : undefined;
    return observe(lb, tags, ctx.spec.stack, drop);
  },

  async findById(ctx, seen) {
    const arn = seen.arn ?? seen.id;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
      loadBalancerResource.errors,
    );
    const lb = answer?.LoadBalancers?.find((candidate) => candidate.LoadBalancerArn === arn);
    // Its state is AWS's answer (an ALB a step sends traffic to must be active); its tags and attributes
    // as `seen` had them.
    const drop = seen.attributes.dropInvalidHeaderFields as boolean | undefined;
    return lb ? observe(lb, seen.tags, ctx.spec.stack, drop) : undefined;
  },

  create,

  async update(ctx, current, changes) {
    assertOwned(current, 'updating');
    const arn = current.arn!;
    const changed = (path: string) => changes.some((change) => change.path === path);
    if (changed('subnets')) {
      const subnets = SUBNETS.map((key) => requireRef(ctx.refs, key, KEY).id);
      await ctx.clients.elbv2.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: subnets }));
    }
    if (changed('securityGroups')) {
      const groups = SECURITY_GROUPS.map((key) => requireRef(ctx.refs, key, KEY).id);
      await ctx.clients.elbv2.send(
        new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: groups }),
      );
    }
    if (changed('dropInvalidHeaderFields')) await setDropInvalidHeaders(ctx.clients.elbv2, arn);
    return (await loadBalancerResource.find(ctx)) ?? current;
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    // Also removes the listeners; the ENIs linger for minutes (docs/aws-facts.md), which the network kinds retry.
    await deleteIgnoringGone(
      () =>
        ctx.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: current.arn ?? current.id })),
      loadBalancerResource.errors,
    );
  },
};
