/**
 * Security group rules: turning the SDK's `IpPermissions` into one rule per peer, validating them as AWS
 * does (protocol, port range, CIDR, referenced group), and answering in AWS's two shapes: grouped
 * `IpPermissions` (DescribeSecurityGroups) and one `SecurityGroupRule` each (DescribeSecurityGroupRules).
 */
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { isIpv4Cidr, isIpv6Cidr } from './cidr';
import type { Ec2Context } from './context';
import { KINDS } from './kinds';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from './state';

export type RuleSpec = Omit<SecurityGroupRuleRecord, 'id' | 'tags'>;

const PROTOCOL_NAMES: Record<string, string> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
  '-1': '-1',
  all: '-1',
};

function normalizeProtocol(raw: string | undefined, ctx: Ec2Context): string {
  if (raw === undefined || raw === '')
    ctx.fail('MissingParameter', 'The request must contain the parameter ipProtocol');
  const lower = raw.toLowerCase();
  if (PROTOCOL_NAMES[lower]) return PROTOCOL_NAMES[lower];
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  ctx.fail('InvalidParameterValue', `Invalid value '${raw}' for IP protocol. Unknown protocol.`);
}

function isPort(value: number | undefined, min: number, max: number): value is number {
  return value !== undefined && Number.isInteger(value) && value >= min && value <= max;
}

/** The port range AWS keeps for a protocol (ICMP: type and code; others but TCP/UDP: all, as -1). */
function portRange(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  ctx: Ec2Context,
): [number, number] {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (!isPort(from, 0, 65535) || !isPort(to, 0, 65535)) {
      ctx.fail(
        'InvalidParameterValue',
        `Invalid value '${from ?? 'null'}' for portRange. Must specify both from and to ports with TCP/UDP.`,
      );
    }
    if (from > to)
      ctx.fail(
        'InvalidParameterValue',
        `Invalid TCP/UDP port range: from port ${from} is greater than to port ${to}.`,
      );
    return [from, to];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    if (!isPort(from, -1, 255) || !isPort(to, -1, 255)) {
      ctx.fail(
        'InvalidParameterValue',
        'Invalid value for portRange. Must specify both the ICMP type and code (-1 to 255).',
      );
    }
    return [from, to];
  }
  // "If you specify all traffic (-1) or a protocol other than tcp, udp, icmp or icmpv6, traffic on all ports is allowed."
  return [-1, -1];
}

/** Finds a group referenced by a rule: by id, or by name inside the same VPC. */
function referencedGroup(
  pair: { GroupId?: string; GroupName?: string },
  group: SecurityGroupRecord,
  ctx: Ec2Context,
): SecurityGroupRecord | undefined {
  if (pair.GroupId !== undefined) return ctx.state.securityGroups[pair.GroupId];
  return Object.values(ctx.state.securityGroups).find(
    (g) => g.vpcId === group.vpcId && g.name === pair.GroupName,
  );
}

/**
 * One rule per peer of every permission. With `forRevoke`, a reference to a missing group is kept as
 * given (it simply matches nothing) instead of failing with InvalidGroup.NotFound.
 */
export function rulesFromPermissions(
  permissions: IpPermission[],
  isEgress: boolean,
  group: SecurityGroupRecord,
  ctx: Ec2Context,
  forRevoke = false,
): RuleSpec[] {
  if (permissions.length === 0) {
    ctx.fail('MissingParameter', 'The request must contain the parameter ipPermissions');
  }
  const specs: RuleSpec[] = [];
  for (const permission of permissions) {
    const protocol = normalizeProtocol(permission.IpProtocol, ctx);
    const [fromPort, toPort] = portRange(protocol, permission.FromPort, permission.ToPort, ctx);
    const base = { isEgress, protocol, fromPort, toPort };
    const before = specs.length;
    for (const range of permission.IpRanges ?? []) {
      if (!isIpv4Cidr(range.CidrIp))
        ctx.fail('InvalidParameterValue', `CIDR block ${range.CidrIp} is malformed`);
      specs.push({ ...base, cidrIpv4: range.CidrIp, description: range.Description });
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      if (!isIpv6Cidr(range.CidrIpv6))
        ctx.fail('InvalidParameterValue', `CIDR block ${range.CidrIpv6} is malformed`);
      specs.push({ ...base, cidrIpv6: range.CidrIpv6, description: range.Description });
    }
    for (const prefixList of permission.PrefixListIds ?? []) {
      specs.push({ ...base, prefixListId: prefixList.PrefixListId, description: prefixList.Description });
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      const target = referencedGroup(pair, group, ctx);
      const missingId = pair.GroupId ?? pair.GroupName ?? '';
      if (!target && !forRevoke)
        ctx.fail(KINDS['security-group'].notFoundCode, KINDS['security-group'].notFoundMessage(missingId));
      specs.push({ ...base, referencedGroupId: target?.id ?? missingId, description: pair.Description });
    }
    if (specs.length === before) {
      // Every rule needs a peer: a CIDR, a prefix list or a group.
      ctx.fail(
        'InvalidParameterValue',
        'Each IP permission must name a source or destination (CIDR, prefix list or group)',
      );
    }
  }
  return specs;
}

/** Identity of a rule for duplicate checks and revoke-by-properties (the description is not part of it). */
export function ruleKey(rule: RuleSpec): string {
  return [
    rule.isEgress ? 'egress' : 'ingress',
    rule.protocol,
    rule.fromPort,
    rule.toPort,
    rule.cidrIpv4 ?? '',
    rule.cidrIpv6 ?? '',
    rule.referencedGroupId ?? '',
    rule.prefixListId ?? '',
  ].join('|');
}

/** AWS's wording of a duplicate: `the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists`. */
export function describeRuleForMessage(rule: RuleSpec): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.referencedGroupId ?? rule.prefixListId;
  const protocol = rule.protocol === '-1' ? 'ALL' : rule.protocol.toUpperCase();
  return `peer: ${peer}, ${protocol}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
}

const PROTOCOLS_WITH_PORTS = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);
const NO_PORTS = {};

type Permission = Required<
  Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>
> &
  IpPermission;

/** Rules of a group, grouped by protocol and ports as DescribeSecurityGroups shows them. */
export function ipPermissionsOf(
  group: SecurityGroupRecord,
  isEgress: boolean,
  account: SimAccount,
): IpPermission[] {
  // A group has a handful of rules: a list searched by protocol and ports, in the order the rules came.
  const ranges: { rule: SecurityGroupRuleRecord; permission: Permission }[] = [];
  for (const rule of Object.values(group.rules)) {
    if (rule.isEgress !== isEgress) continue;
    let permission = ranges.find(
      (r) =>
        r.rule.protocol === rule.protocol &&
        r.rule.fromPort === rule.fromPort &&
        r.rule.toPort === rule.toPort,
    )?.permission;
    if (!permission) {
      // Same members in the same order as AWS's answer; FromPort and ToPort only where the protocol has ports.
      const ports = PROTOCOLS_WITH_PORTS.has(rule.protocol)
        ? { FromPort: rule.fromPort, ToPort: rule.toPort }
        : NO_PORTS;
      permission = {
        IpProtocol: rule.protocol,
        ...ports,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      ranges.push({ rule, permission });
    }
    if (rule.cidrIpv4) permission.IpRanges.push({ CidrIp: rule.cidrIpv4, Description: rule.description });
    if (rule.cidrIpv6) permission.Ipv6Ranges.push({ CidrIpv6: rule.cidrIpv6, Description: rule.description });
    if (rule.prefixListId)
      permission.PrefixListIds.push({ PrefixListId: rule.prefixListId, Description: rule.description });
    if (rule.referencedGroupId) {
      permission.UserIdGroupPairs.push({
        GroupId: rule.referencedGroupId,
        UserId: account.accountId,
        Description: rule.description,
      });
    }
  }
  return ranges.map((r) => r.permission);
}

export function securityGroupRuleOutput(
  group: SecurityGroupRecord,
  rule: SecurityGroupRuleRecord,
  account: SimAccount,
): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.id,
    SecurityGroupRuleArn: account.arn('ec2', `security-group-rule/${rule.id}`),
    GroupId: group.id,
    GroupOwnerId: account.accountId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    CidrIpv4: rule.cidrIpv4,
    CidrIpv6: rule.cidrIpv6,
    PrefixListId: rule.prefixListId,
    ReferencedGroupInfo: rule.referencedGroupId
      ? { GroupId: rule.referencedGroupId, UserId: account.accountId }
      : undefined,
    Description: rule.description,
    Tags: toKeyValueList(rule.tags),
  };
}

/** Adds a rule to a group and to the rule index. */
export function addRule(
  ctx: Ec2Context,
  group: SecurityGroupRecord,
  spec: RuleSpec,
  tags: Record<string, string> = {},
): SecurityGroupRuleRecord {
  const rule: SecurityGroupRuleRecord = { id: ctx.account.newId('sgr-'), ...spec, tags: { ...tags } };
  group.rules[rule.id] = rule;
  ctx.state.securityGroupRules[rule.id] = group.id;
  return rule;
}

export function removeRule(ctx: Ec2Context, group: SecurityGroupRecord, ruleId: string): void {
  delete group.rules[ruleId];
  delete ctx.state.securityGroupRules[ruleId];
}
