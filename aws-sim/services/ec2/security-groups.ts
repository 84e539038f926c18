/**
 * Security groups ("Security groups for your VPC"): a name unique within its VPC, a default rule that
 * allows all outbound traffic, and the VPC's own `default` group that users cannot delete.
 */
import type {
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';
import {
  describeRecords,
  describeRequest,
  recordsByVpc,
  takeUnfilteredToken,
  type DescribeSource,
} from './describe';
import { KINDS, requireRecord } from './kinds';
import { addRule, ipPermissionsOf, removeRule } from './security-group-rules';
import type { Ec2State, SecurityGroupRecord, VpcRecord } from './state';
import { tagsFromSpecifications } from './tags';
import { UNFILTERED_BUCKET } from './buckets';

const ALL_TRAFFIC = { protocol: '-1', fromPort: -1, toPort: -1 } as const;

/** Invalidated wherever a group is created or deleted (here, and DeleteVpc's default group). */
export const securityGroupsByVpc = recordsByVpc<SecurityGroupRecord>();

function newGroup(
  ctx: Ec2Context,
  vpc: VpcRecord,
  name: string,
  description: string,
  tags: Record<string, string>,
  isDefault: boolean,
): SecurityGroupRecord {
  const group: SecurityGroupRecord = {
    id: ctx.account.newId('sg-'),
    vpcId: vpc.id,
    name,
    description,
    createdAt: ctx.now,
    tags,
    isDefault,
    rules: {},
  };
  ctx.state.securityGroups[group.id] = group;
  securityGroupsByVpc.invalidate(ctx.state.securityGroups);
  addRule(ctx, group, { isEgress: true, ...ALL_TRAFFIC, cidrIpv4: '0.0.0.0/0' });
  return group;
}

/** The VPC's `default` group: all traffic in from its own members, all traffic out. */
export function createDefaultSecurityGroup(ctx: Ec2Context, vpc: VpcRecord): SecurityGroupRecord {
  const group = newGroup(ctx, vpc, 'default', 'default VPC security group', {}, true);
  addRule(ctx, group, { isEgress: false, ...ALL_TRAFFIC, referencedGroupId: group.id });
  return group;
}

function checkText(member: string, value: string, ctx: Ec2Context): void {
  if (value.length > 255)
    ctx.fail('InvalidParameterValue', `Value for parameter ${member} is too long (maximum 255 characters)`);
  // "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
  if (!/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/.test(value)) {
    ctx.fail(
      'InvalidParameterValue',
      `Invalid value '${value}' for ${member}. Character sets beyond ASCII are not supported.`,
    );
  }
}

export const createSecurityGroup = ec2Operation<CreateSecurityGroupRequest, CreateSecurityGroupResult>({
  mutating: true,
  required: ['GroupName', 'Description'],
  handle: (input, ctx: Ec2Context) => {
    const name = input.GroupName as string;
    const description = input.Description as string;
    checkText('GroupName', name, ctx);
    checkText('GroupDescription', description, ctx);
    if (name.startsWith('sg-'))
      ctx.fail('InvalidParameterValue', 'Group names may not be in the format sg-*');
    if (name === 'default') ctx.fail('InvalidGroup.Reserved', "The security group 'default' is reserved");
    if (input.VpcId === undefined) ctx.fail('VPCIdNotSpecified', 'No default VPC for this user');
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    const taken = Object.values(ctx.state.securityGroups).some((g) => g.vpcId === vpc.id && g.name === name);
    if (taken)
      ctx.fail('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpc.id}'`);
    const tags = tagsFromSpecifications(input.TagSpecifications, 'security-group', ctx);
    const group = newGroup(ctx, vpc, name, description, tags, false);
    return {
      GroupId: group.id,
      SecurityGroupArn: ctx.account.arn('ec2', `security-group/${group.id}`),
      Tags: toKeyValueList(group.tags),
    };
  },
});

export function securityGroupOutput(group: SecurityGroupRecord, account: SimAccount): SecurityGroup {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: account.accountId,
    SecurityGroupArn: account.arn('ec2', `security-group/${group.id}`),
    IpPermissions: ipPermissionsOf(group, false, account),
    IpPermissionsEgress: ipPermissionsOf(group, true, account),
    Tags: toKeyValueList(group.tags),
  };
}

function ruleValues(
  group: SecurityGroupRecord,
  isEgress: boolean,
  pick: (rule: SecurityGroupRecord['rules'][string]) => unknown,
): string[] {
  const values: string[] = [];
  for (const rule of Object.values(group.rules)) {
    const value = pick(rule);
    if (rule.isEgress === isEgress && value !== undefined) values.push(String(value));
  }
  return values;
}

const GROUP_SOURCE: DescribeSource<SecurityGroupRecord> = {
  kind: KINDS['security-group'],
  byVpc: securityGroupsByVpc,
  filters: {
    'group-id': (group) => group.id,
    'group-name': (group) => group.name,
    'vpc-id': (group) => group.vpcId,
    description: (group) => group.description,
    'owner-id': (_group, ctx) => ctx.account.accountId,
    'ip-permission.group-id': (group) => ruleValues(group, false, (r) => r.referencedGroupId),
    'ip-permission.cidr': (group) => ruleValues(group, false, (r) => r.cidrIpv4),
    'ip-permission.protocol': (group) => ruleValues(group, false, (r) => r.protocol),
    'ip-permission.from-port': (group) => ruleValues(group, false, (r) => r.fromPort),
    'ip-permission.to-port': (group) => ruleValues(group, false, (r) => r.toPort),
    'egress.ip-permission.group-id': (group) => ruleValues(group, true, (r) => r.referencedGroupId),
    'egress.ip-permission.cidr': (group) => ruleValues(group, true, (r) => r.cidrIpv4),
    'egress.ip-permission.protocol': (group) => ruleValues(group, true, (r) => r.protocol),
  },
};

export const describeSecurityGroups = ec2Operation<
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult
>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const request = describeRequest(input, input.GroupIds, 'groupIds');
    takeUnfilteredToken(
      { ...request, ids: [...(input.GroupIds ?? []), ...(input.GroupNames ?? [])] },
      UNFILTERED_BUCKET,
      ctx,
    );
    // GroupNames only reach the default VPC, and this account has none: use the group-name filter.
    for (const name of input.GroupNames ?? []) {
      ctx.fail('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC 'none'`);
    }
    const page = describeRecords(request, ctx.state.securityGroups, GROUP_SOURCE, ctx);
    return {
      SecurityGroups: page.items.map((group) => securityGroupOutput(group, ctx.account)),
      NextToken: page.nextToken,
    };
  },
});

/** Why a group cannot be deleted yet, if anything keeps it ("Delete a security group"). */
function groupDependency(state: Ec2State, group: SecurityGroupRecord): string | undefined {
  for (const eni of Object.values(state.networkInterfaces)) {
    if (eni.groupIds.includes(group.id)) return `resource ${group.id} has a dependent object`;
  }
  for (const other of Object.values(state.securityGroups)) {
    if (other.id === group.id) continue;
    for (const rule of Object.values(other.rules)) {
      if (rule.referencedGroupId === group.id) return `resource ${group.id} has a dependent object`;
    }
  }
  return undefined;
}

export const deleteSecurityGroup = ec2Operation<DeleteSecurityGroupRequest, DeleteSecurityGroupResult>({
  mutating: true,
  handle: (input, ctx: Ec2Context) => {
    if (input.GroupId === undefined) {
      // GroupName alone addresses the default VPC, which this account does not have.
      ctx.fail('MissingParameter', 'The request must contain the parameter groupId');
    }
    const group = requireRecord(KINDS['security-group'], ctx.state.securityGroups, input.GroupId, ctx);
    if (group.isDefault) {
      ctx.fail(
        'CannotDelete',
        `the specified group: "${group.id}" name: "default" cannot be deleted by a user`,
      );
    }
    const dependency = groupDependency(ctx.state, group);
    if (dependency) ctx.fail('DependencyViolation', dependency);
    for (const ruleId of Object.keys(group.rules)) removeRule(ctx, group, ruleId);
    delete ctx.state.securityGroups[group.id];
    securityGroupsByVpc.invalidate(ctx.state.securityGroups);
    return { Return: true, GroupId: group.id };
  },
});
