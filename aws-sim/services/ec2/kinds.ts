/**
 * The EC2 resource kinds this model holds: id prefix, tag resource type, and the error codes AWS answers
 * for an unknown or malformed id ("Error codes for the Amazon EC2 API").
 */
import type { Ec2Context } from './context';
import type { Ec2State } from './state';

export type Ec2KindName =
  | 'vpc'
  | 'subnet'
  | 'internet-gateway'
  | 'route-table'
  | 'security-group'
  | 'security-group-rule'
  | 'network-interface';

export interface Ec2Kind {
  name: Ec2KindName;
  prefix: string;
  notFoundCode: string;
  malformedCode: string;
  /** How AWS names the kind in a NotFound message ("The vpc ID 'vpc-1' does not exist"). */
  notFoundMessage(id: string): string;
}

export const KINDS: Record<Ec2KindName, Ec2Kind> = {
  vpc: {
    name: 'vpc',
    prefix: 'vpc-',
    notFoundCode: 'InvalidVpcID.NotFound',
    malformedCode: 'InvalidVpcID.Malformed',
    notFoundMessage: (id) => `The vpc ID '${id}' does not exist`,
  },
  subnet: {
    name: 'subnet',
    prefix: 'subnet-',
    notFoundCode: 'InvalidSubnetID.NotFound',
    malformedCode: 'InvalidSubnetID.Malformed',
    notFoundMessage: (id) => `The subnet ID '${id}' does not exist`,
  },
  'internet-gateway': {
    name: 'internet-gateway',
    prefix: 'igw-',
    notFoundCode: 'InvalidInternetGatewayID.NotFound',
    malformedCode: 'InvalidInternetGatewayID.Malformed',
    notFoundMessage: (id) => `The internetGateway ID '${id}' does not exist`,
  },
  'route-table': {
    name: 'route-table',
    prefix: 'rtb-',
    notFoundCode: 'InvalidRouteTableID.NotFound',
    malformedCode: 'InvalidRouteTableID.Malformed',
    notFoundMessage: (id) => `The routeTable ID '${id}' does not exist`,
  },
  'security-group': {
    name: 'security-group',
    prefix: 'sg-',
    notFoundCode: 'InvalidGroup.NotFound',
    malformedCode: 'InvalidGroupId.Malformed',
    notFoundMessage: (id) => `The security group '${id}' does not exist`,
  },
  'security-group-rule': {
    name: 'security-group-rule',
    prefix: 'sgr-',
    notFoundCode: 'InvalidSecurityGroupRuleId.NotFound',
    malformedCode: 'InvalidSecurityGroupRuleId.Malformed',
    notFoundMessage: (id) => `The security group rule ID '${id}' does not exist`,
  },
  'network-interface': {
    name: 'network-interface',
    prefix: 'eni-',
    notFoundCode: 'InvalidNetworkInterfaceID.NotFound',
    malformedCode: 'InvalidNetworkInterfaceID.Malformed',
    notFoundMessage: (id) => `The networkInterface ID '${id}' does not exist`,
  },
};

/** Fails with the kind's Malformed code when `id` cannot be one of its ids. */
export function checkIdFormat(kind: Ec2Kind, id: unknown, ctx: Ec2Context): string {
  const text = typeof id === 'string' ? id : String(id);
  if (!text.startsWith(kind.prefix) || !/^[a-z]+-[0-9a-f]{8,17}$/.test(text)) {
    ctx.fail(kind.malformedCode, `Invalid id: "${text}" (expecting "${kind.prefix}...")`);
  }
  return text;
}

/** Looks up an id for a mutating call (no eventual-consistency delay there) or fails with NotFound. */
export function requireRecord<R>(kind: Ec2Kind, records: Record<string, R>, id: unknown, ctx: Ec2Context): R {
  const text = checkIdFormat(kind, id, ctx);
  const record = records[text];
  if (!record) ctx.fail(kind.notFoundCode, kind.notFoundMessage(text));
  return record;
}

/** The kind whose prefix `id` carries, for CreateTags/DeleteTags on any resource. */
export function kindOfId(id: string): Ec2Kind | undefined {
  // sgr- before sg-: an id is matched on its whole prefix, hyphen included, so the order is only for clarity.
  return Object.values(KINDS).find((kind) => id.startsWith(kind.prefix));
}

/** The record's tag map for any taggable id, or undefined when no such resource exists. */
export function taggableRecord(
  state: Ec2State,
  id: string,
): { kind: Ec2Kind; tags: Record<string, string>; createdAt?: number } | undefined {
  const kind = kindOfId(id);
  if (!kind) return undefined;
  switch (kind.name) {
    case 'vpc':
      return withKind(kind, state.vpcs[id]);
    case 'subnet':
      return withKind(kind, state.subnets[id]);
    case 'internet-gateway':
      return withKind(kind, state.internetGateways[id]);
    case 'route-table':
      return withKind(kind, state.routeTables[id]);
    case 'security-group':
      return withKind(kind, state.securityGroups[id]);
    case 'network-interface':
      return withKind(kind, state.networkInterfaces[id]);
    case 'security-group-rule': {
      const groupId = state.securityGroupRules[id];
      const group = groupId === undefined ? undefined : state.securityGroups[groupId];
      const rule = group?.rules[id];
      return rule && group ? { kind, tags: rule.tags, createdAt: group.createdAt } : undefined;
    }
  }
}

function withKind(
  kind: Ec2Kind,
  record: { tags: Record<string, string>; createdAt: number } | undefined,
): { kind: Ec2Kind; tags: Record<string, string>; createdAt: number } | undefined {
  return record ? { kind, tags: record.tags, createdAt: record.createdAt } : undefined;
}
