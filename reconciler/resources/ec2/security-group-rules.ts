/**
 * Security group rules as sorted, comparable strings, one per source, so that `desiredAttributes` and what
 * DescribeSecurityGroups answers compare equal when nothing changed (no endless updates from AWS's way of
 * grouping sources into IpPermissions, or from the default egress rule AWS adds to every new group).
 *
 * A rule reads `<protocol>:<from>-<to> <source kind>:<source>`, or `all <source kind>:<source>` for every
 * protocol (AWS's `-1`, where ports do not apply):
 *
 * @example
 * 'tcp:443-443 cidr:0.0.0.0/0'
 * 'tcp:8080-8080 group:sg-0abc'
 * 'all cidr:0.0.0.0/0' // AWS's default egress rule
 */
import type { IpPermission } from '@aws-sdk/client-ec2';

export type SourceKind = 'cidr' | 'cidr6' | 'group' | 'prefix-list';

/** Every protocol and port: the default egress rule. */
export const ALLOW_ALL_EGRESS = 'all cidr:0.0.0.0/0';

/** Numbers AWS may echo back for protocols we also know by name. */
const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp' };

function protocolPart(permission: IpPermission): string {
  const raw = (permission.IpProtocol ?? '-1').toLowerCase();
  if (raw === '-1' || raw === 'all') return 'all';
  return `${PROTOCOL_NAMES[raw] ?? raw}:${permission.FromPort ?? ''}-${permission.ToPort ?? ''}`;
}

export function tcpRule(port: number, kind: SourceKind, source: string): string {
  return `tcp:${port}-${port} ${kind}:${source}`;
}

/** Flattens IpPermissions into one sorted rule string per source. */
export function rulesOf(permissions: readonly IpPermission[] | undefined): string[] {
  const rules = new Set<string>();
  for (const permission of permissions ?? []) {
    const protocol = protocolPart(permission);
    for (const range of permission.IpRanges ?? [])
      if (range.CidrIp) rules.add(`${protocol} cidr:${range.CidrIp}`);
    for (const range of permission.Ipv6Ranges ?? [])
      if (range.CidrIpv6) rules.add(`${protocol} cidr6:${range.CidrIpv6}`);
    for (const pair of permission.UserIdGroupPairs ?? [])
      if (pair.GroupId) rules.add(`${protocol} group:${pair.GroupId}`);
    for (const list of permission.PrefixListIds ?? [])
      if (list.PrefixListId) rules.add(`${protocol} prefix-list:${list.PrefixListId}`);
  }
  return [...rules].sort();
}

/** The IpPermission that authorizes or revokes exactly one rule string. */
export function permissionOf(rule: string): IpPermission {
  const [protocolText, sourceText] = rule.split(' ');
  const separator = sourceText.indexOf(':');
  const kind = sourceText.slice(0, separator) as SourceKind;
  const source = sourceText.slice(separator + 1);
  const permission: IpPermission = protocolText === 'all' ? { IpProtocol: '-1' } : portsOf(protocolText);
  switch (kind) {
    case 'cidr':
      return { ...permission, IpRanges: [{ CidrIp: source }] };
    case 'cidr6':
      return { ...permission, Ipv6Ranges: [{ CidrIpv6: source }] };
    case 'group':
      return { ...permission, UserIdGroupPairs: [{ GroupId: source }] };
    case 'prefix-list':
      return { ...permission, PrefixListIds: [{ PrefixListId: source }] };
    default:
      throw new RangeError(`unknown rule source in "${rule}"`);
  }
}

function portsOf(protocolText: string): IpPermission {
  const match = /^([^:]+):(-?\d*)-(-?\d*)$/.exec(protocolText);
  if (!match) throw new RangeError(`unreadable rule protocol "${protocolText}"`);
  const port = (text: string) => (text === '' ? undefined : Number(text));
  return { IpProtocol: match[1], FromPort: port(match[2]), ToPort: port(match[3]) };
}

/** The rules whose source is another security group: they must go before that group can be deleted. */
export function groupReferences(rules: readonly string[]): string[] {
  return rules.filter((rule) => rule.includes(' group:'));
}

export interface RuleDiff {
  missing: string[];
  extra: string[];
}

export function diffRules(current: readonly string[], wanted: readonly string[]): RuleDiff {
  return {
    missing: wanted.filter((rule) => !current.includes(rule)),
    extra: current.filter((rule) => !wanted.includes(rule)),
  };
}
