/**
 * The two security groups (AWS::EC2::SecurityGroup):
 * - `sg-alb`: the load balancer's, its listeners' ports from anywhere: TCP 80, and 443 only while the
 *   spec wants the HTTPS listener (a certificate is given);
 * - `sg-tasks`: the Fargate tasks', the spec's `port` from the ALB's group only.
 * Both keep AWS's default allow-all egress (tasks pull their image and reach AWS APIs over the internet).
 *
 * Rules are compared as normalised strings (security-group-rules.ts); `update` authorizes the missing ones
 * and revokes the extra ones. Deleting `sg-tasks` (first, in reverse order) revokes its rules that reference
 * another group before the group itself, so `sg-alb` is no longer referenced even while lingering task
 * ENIs still hold `sg-tasks` back (DependencyViolation / InvalidGroup.InUse: retryable).
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { COMPONENTS, names, type DesiredState } from '../../../spec';
import { isNotFound } from '../../aws/classify';
import { findObserved, tagRecord, type Ec2Describe } from './find';
import { assertOwned } from '../common/foreign-guard';
import { orUndefinedIfGone } from '../common/not-found';
import { requireRef } from '../common/dependency-refs';
import { ec2TagRecord, ec2TagSpecifications } from './tags';
import {
  ALLOW_ALL_EGRESS,
  diffRules,
  groupReferences,
  permissionOf,
  rulesOf,
  tcpRule,
} from './security-group-rules';
import { servedPorts } from '../elbv2/listener';
import { DEFAULT_INTENT, type Intent } from '../intent';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';
import type { ResourceKey } from '../keys';

const TYPE = 'AWS::EC2::SecurityGroup';
const ANYWHERE = '0.0.0.0/0';

export type SecurityGroupRole = 'alb' | 'tasks';

export const securityGroupErrors: ErrorCodes = {
  // InvalidPermission.NotFound on a revoke: the rule is already gone, which is what the revoke wanted.
  notFound: ['InvalidGroup.NotFound', 'InvalidPermission.NotFound'],
  retryable: [
    'DependencyViolation',
    'InvalidGroup.InUse',
    // A VPC created moments ago (eventual consistency).
    'InvalidVpcID.NotFound',
    // The group or rule appeared since `find` looked (e.g. a tag filter lagging behind a create); the next
    // pass sees it.
    'InvalidGroup.Duplicate',
    'InvalidPermission.Duplicate',
  ],
  terminal: ['SecurityGroupLimitExceeded', 'RulesPerSecurityGroupLimitExceeded', 'InvalidParameterValue'],
};

interface GroupAttributes extends Record<string, unknown> {
  name: string;
  vpcId: string | undefined;
  /** Undefined only in `desiredAttributes`, while a group the rules reference is unknown. */
  ingress: string[] | undefined;
  egress: string[];
}

/** What create and update act on: every dependency known. */
interface GroupTarget extends GroupAttributes {
  ingress: string[];
}

interface Role {
  key: ResourceKey;
  dependsOn: ResourceKey[];
  name: (stack: string) => string;
  description: (stack: string) => string;
  /** Ingress rules; `albGroupId` is the ALB group's id where the rules need it. */
  ingress: (
    spec: DesiredState,
    albGroupId: string,
    refs: ResourceContext['refs'],
    intent: Intent,
  ) => string[];
}

const ROLES: Record<SecurityGroupRole, Role> = {
  alb: {
    key: RESOURCE_KEYS.albSecurityGroup,
    dependsOn: [RESOURCE_KEYS.vpc],
    name: (stack) => names(stack).albSecurityGroup,
    // Set once at creation, while the ports follow the listeners: it names no port.
    description: (stack) => `LambdaFlex ${stack} load balancer: the ports of its listeners from anywhere`,
    // The listeners' ports, and the HTTPS one kept while a dropped name drains (elbv2/listener.ts).
    ingress: (spec, _albGroupId, refs, intent) =>
      servedPorts(spec, refs, intent)
        .map((port) => tcpRule(port, 'cidr', ANYWHERE))
        .sort(),
  },
  tasks: {
    key: RESOURCE_KEYS.tasksSecurityGroup,
    dependsOn: [RESOURCE_KEYS.vpc, COMPONENTS.albSecurityGroup],
    name: (stack) => names(stack).tasksSecurityGroup,
    description: (stack) => `LambdaFlex ${stack} tasks: service port from the load balancer only`,
    ingress: (spec, albGroupId) => [tcpRule(spec.port, 'group', albGroupId)],
  },
};

function makeSecurityGroupResource(roleName: SecurityGroupRole): StackResource {
  const role = ROLES[roleName];
  const key = role.key;

  function desiredAttributes(
    spec: DesiredState,
    refs: ResourceContext['refs'],
    intent: Intent = DEFAULT_INTENT,
  ): GroupAttributes {
    const albGroupId = refs[RESOURCE_KEYS.albSecurityGroup]?.id;
    // While the ALB group is unknown (a plan for an empty account), the tasks group's ingress is left
    // undefined, which the engine's diff skips, rather than a made-up id that would read as drift.
    const needsAlbGroup = role.dependsOn.includes(RESOURCE_KEYS.albSecurityGroup);
    return {
      name: role.name(spec.stack),
      vpcId: refs[RESOURCE_KEYS.vpc]?.id,
      ingress: needsAlbGroup && !albGroupId ? undefined : role.ingress(spec, albGroupId ?? '', refs, intent),
      egress: [ALLOW_ALL_EGRESS],
    };
  }

  /** `desiredAttributes` with every dependency required: what create and update act on. */
  function wantedNow(ctx: ResourceContext): GroupTarget {
    const albGroupId =
      roleName === 'tasks' ? requireRef(ctx.refs, RESOURCE_KEYS.albSecurityGroup, key).id : '';
    return {
      name: role.name(ctx.spec.stack),
      vpcId: requireRef(ctx.refs, RESOURCE_KEYS.vpc, key).id,
      ingress: role.ingress(ctx.spec, albGroupId, ctx.refs, ctx.intent),
      egress: [ALLOW_ALL_EGRESS],
    };
  }

  function observedGroup(
    ctx: ResourceContext,
    id: string,
    tags: Record<string, string>,
    attributes: GroupAttributes,
    extra?: object,
  ): ObservedResource {
    const wantedIngress = desiredAttributes(ctx.spec, ctx.refs, ctx.intent).ingress;
    const missing = wantedIngress ? diffRules(attributes.ingress ?? [], wantedIngress).missing : [];
    const known = wantedIngress !== undefined;
    return {
      key,
      type: TYPE,
      id,
      tags,
      attributes,
      ready: known && missing.length === 0,
      notReadyReason: !known
        ? 'the load balancer group is not known yet'
        : missing.length > 0
          ? `ingress rules missing: ${missing.join(', ')}`
          : undefined,
      extra,
    };
  }

  function attributesOf(group: SecurityGroup): GroupAttributes {
    return {
      name: group.GroupName ?? '',
      vpcId: group.VpcId,
      ingress: rulesOf(group.IpPermissions),
      egress: rulesOf(group.IpPermissionsEgress),
    };
  }

  async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
    const ec2 = ctx.clients.ec2;
    const describe: Ec2Describe<SecurityGroup> = {
      describePage: async (filters, token) => {
        const page = await ec2.send(
          new DescribeSecurityGroupsCommand({ Filters: filters, NextToken: token }),
        );
        return { items: page.SecurityGroups, nextToken: page.NextToken };
      },
      idOf: (group) => group.GroupId,
      tagsOf: (group) => group.Tags,
    };
    const found = await findObserved(ctx, key, securityGroupErrors, describe, ({ item, id, tags }) =>
      observedGroup(ctx, id, tags, attributesOf(item)),
    );
    return found ?? findForeign(ctx);
  }

  /**
   * Group names are unique per VPC, so an untagged group with our name would make CreateSecurityGroup fail
   * (InvalidGroup.Duplicate) on every pass. Looking it up lets the plan report the clash instead. Only
   * while the stack's VPC exists and our group does not: a steady-state pass never makes this call.
   */
  async function findForeign(ctx: ResourceContext): Promise<ObservedResource | undefined> {
    const vpcId = ctx.refs[RESOURCE_KEYS.vpc]?.id;
    if (!vpcId) return undefined;
    const answer = await orUndefinedIfGone(
      () =>
        ctx.clients.ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: 'vpc-id', Values: [vpcId] },
              { Name: 'group-name', Values: [role.name(ctx.spec.stack)] },
            ],
          }),
        ),
      securityGroupErrors,
    );
    const group = answer?.SecurityGroups?.[0];
    if (!group?.GroupId) return undefined;
    return {
      ...observedGroup(ctx, group.GroupId, tagRecord(group.Tags), attributesOf(group)),
      foreign: true,
      ready: false,
      notReadyReason: "a security group with this name exists without this stack's tags",
    };
  }

  async function authorize(
    ec2: EC2Client,
    groupId: string,
    direction: 'ingress' | 'egress',
    rules: string[],
  ) {
    if (rules.length === 0) return;
    const input = { GroupId: groupId, IpPermissions: rules.map(permissionOf) };
    // Two sends, not one over a union of commands: the SDK's overloads take one command type at a time.
    if (direction === 'ingress') await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
    else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
  }

  /** Revokes; rules (or a group) already gone count as revoked. */
  async function revoke(ec2: EC2Client, groupId: string, direction: 'ingress' | 'egress', rules: string[]) {
    if (rules.length === 0) return;
    const input = { GroupId: groupId, IpPermissions: rules.map(permissionOf) };
    await orUndefinedIfGone(
      () =>
        direction === 'ingress'
          ? ec2.send(new RevokeSecurityGroupIngressCommand(input))
          : ec2.send(new RevokeSecurityGroupEgressCommand(input)),
      securityGroupErrors,
    );
  }

  async function create(ctx: ResourceContext): Promise<ObservedResource> {
    const { stack } = ctx.spec;
    const want = wantedNow(ctx);
    const answer = await ctx.clients.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: want.name,
        Description: role.description(stack),
        VpcId: want.vpcId,
        TagSpecifications: ec2TagSpecifications('security-group', stack, key, want.name, ctx.nonce),
      }),
    );
    const groupId = answer.GroupId;
    if (!groupId) throw new Error('CreateSecurityGroup answered without a GroupId');
    ctx.answered?.(groupId);
    // AWS gives every new group the allow-all egress rule and no ingress.
    const attributes: GroupAttributes = { ...want, ingress: [], egress: [ALLOW_ALL_EGRESS] };
    try {
      await authorize(ctx.clients.ec2, groupId, 'ingress', want.ingress);
      attributes.ingress = want.ingress;
    } catch (error) {
      // The new group (or, for sg-tasks, the ALB group just made) not visible yet: `update` adds the rules.
      if (!isNotFound(error, securityGroupErrors)) throw error;
    }
    return observedGroup(ctx, groupId, ec2TagRecord(stack, key, want.name, ctx.nonce), attributes);
  }

  async function update(ctx: ResourceContext, current: ObservedResource): Promise<ObservedResource> {
    assertOwned(current, 'updating');
    const ec2 = ctx.clients.ec2;
    const want = wantedNow(ctx);
    const attributes = { ...(current.attributes as GroupAttributes) };
    for (const direction of ['ingress', 'egress'] as const) {
      const { missing, extra } = diffRules(attributes[direction] ?? [], want[direction]);
      // Authorize first, so a port change never leaves a moment with neither rule.
      await authorize(ec2, current.id, direction, missing);
      await revoke(ec2, current.id, direction, extra);
      attributes[direction] = want[direction];
    }
    return observedGroup(ctx, current.id, current.tags, attributes);
  }

  async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
    assertOwned(current, 'deleting');
    const ec2 = ctx.clients.ec2;
    const ingress = (current.attributes as Partial<GroupAttributes>).ingress ?? [];
    await revoke(ec2, current.id, 'ingress', groupReferences(ingress));
    await orUndefinedIfGone(
      () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: current.id })),
      securityGroupErrors,
    );
  }

  return {
    key,
    type: TYPE,
    service: 'ec2',
    steadyCheck: 'tagged',
    creates: 'nonce',
    // EC2 ids (sg-…) are never given to another resource.
    idsNeverReused: true,
    tier: 'fargate',
    dependsOn: role.dependsOn,
    // DeleteVpc answers DependencyViolation while a security group other than the default is in the VPC.
    holds: { [RESOURCE_KEYS.vpc]: 'vpcId' },
    errors: securityGroupErrors,
    immutable: ['name', 'vpcId'],
    neededBy: () => true,
    desiredAttributes,
    find,
    create,
    update,
    delete: remove,
  };
}

const SECURITY_GROUP_RESOURCES: Record<SecurityGroupRole, StackResource> = {
  alb: makeSecurityGroupResource('alb'),
  tasks: makeSecurityGroupResource('tasks'),
};

/**
 * The ALB's or the tasks' security group; the same value on every call.
 *
 * @example
 * securityGroupResource('tasks').desiredAttributes(spec, { vpc, 'sg-alb': albGroup }).ingress;
 * // ['tcp:8080-8080 group:sg-…']
 */
export function securityGroupResource(role: SecurityGroupRole): StackResource {
  return SECURITY_GROUP_RESOURCES[role];
}
