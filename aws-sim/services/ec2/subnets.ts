/**
 * Subnets ("Subnet CIDR blocks": inside the VPC's block, /16 to /28, not overlapping another subnet of the
 * VPC; AWS reserves five addresses of each).
 */
import type {
  CreateSubnetRequest,
  CreateSubnetResult,
  DeleteSubnetRequest,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  ModifySubnetAttributeRequest,
  Subnet,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { subnetZonesOf, zonesOf } from './availability-zones';
import { blockContains, blocksOverlap, parseIpv4Block } from './cidr';
import { ec2Operation, type Ec2Context } from './context';
import { boolText, describeRecords, describeRequest, recordsByVpc, type DescribeSource } from './describe';
import { KINDS, requireRecord } from './kinds';
import { removeAssociation } from './route-tables';
import type { SubnetRecord } from './state';
import { tagsFromSpecifications } from './tags';

const RESERVED_ADDRESSES = 5;

function subnetSize(subnet: SubnetRecord): number {
  return parseIpv4Block(subnet.cidrBlock)?.size ?? 0;
}

function subnetOutput(subnet: SubnetRecord, account: SimAccount, state: Subnet['State']): Subnet {
  const zone = zonesOf(account).find((z) => z.name === subnet.availabilityZone);
  return {
    SubnetId: subnet.id,
    SubnetArn: account.arn('ec2', `subnet/${subnet.id}`),
    VpcId: subnet.vpcId,
    CidrBlock: subnet.cidrBlock,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: zone?.id,
    AvailableIpAddressCount: subnetSize(subnet) - RESERVED_ADDRESSES - subnet.networkInterfaceCount,
    State: state,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    DefaultForAz: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    OwnerId: account.accountId,
    Tags: toKeyValueList(subnet.tags),
  };
}

/** Invalidated by CreateSubnet and DeleteSubnet, the only changes to the set of subnets. */
const subnetsByVpc = recordsByVpc<SubnetRecord>();

export const createSubnet = ec2Operation<CreateSubnetRequest, CreateSubnetResult>({
  mutating: true,
  required: ['VpcId', 'CidrBlock'],
  handle: (input, ctx: Ec2Context) => {
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    const block = parseIpv4Block(input.CidrBlock);
    if (!block) {
      ctx.fail(
        'InvalidParameterValue',
        `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    }
    const vpcBlock = parseIpv4Block(vpc.cidrBlock);
    if (!vpcBlock || !blockContains(vpcBlock, block) || block.prefix < 16 || block.prefix > 28) {
      ctx.fail('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`);
    }
    for (const other of Object.values(ctx.state.subnets)) {
      if (other.vpcId !== vpc.id) continue;
      const otherBlock = parseIpv4Block(other.cidrBlock);
      if (otherBlock && blocksOverlap(block, otherBlock)) {
        ctx.fail('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`);
      }
    }
    // The zones of this account: names map to ids per account, and a Local Zone needs opting in to.
    const zones = subnetZonesOf(ctx.account);
    const zone =
      input.AvailabilityZone !== undefined
        ? zones.find((z) => z.name === input.AvailabilityZone)
        : input.AvailabilityZoneId !== undefined
          ? zones.find((z) => z.id === input.AvailabilityZoneId)
          : zones[Math.floor(ctx.account.random() * zones.length)];
    if (!zone) {
      const parameter = input.AvailabilityZone !== undefined ? 'availabilityZone' : 'availabilityZoneId';
      const listed = zones.map((z) => (parameter === 'availabilityZone' ? z.name : z.id)).join(', ');
      ctx.fail(
        'InvalidParameterValue',
        `Value (${input.AvailabilityZone ?? input.AvailabilityZoneId}) for parameter ${parameter} is invalid. ` +
          `Subnets can currently only be created in the following availability zones: ${listed}.`,
      );
    }
    const tags = tagsFromSpecifications(input.TagSpecifications, 'subnet', ctx);
    const subnet: SubnetRecord = {
      id: ctx.account.newId('subnet-'),
      vpcId: vpc.id,
      cidrBlock: input.CidrBlock as string,
      availabilityZone: zone.name,
      createdAt: ctx.now,
      tags,
      mapPublicIpOnLaunch: false,
      nextHostOffset: 4,
      networkInterfaceCount: 0,
    };
    ctx.state.subnets[subnet.id] = subnet;
    subnetsByVpc.invalidate(ctx.state.subnets);
    return { Subnet: subnetOutput(subnet, ctx.account, 'pending') };
  },
});

const SUBNET_SOURCE: DescribeSource<SubnetRecord> = {
  kind: KINDS.subnet,
  byVpc: subnetsByVpc,
  filters: {
    'subnet-id': (subnet) => subnet.id,
    'subnet-arn': (subnet, ctx) => ctx.account.arn('ec2', `subnet/${subnet.id}`),
    'vpc-id': (subnet) => subnet.vpcId,
    'cidr-block': (subnet) => subnet.cidrBlock,
    cidr: (subnet) => subnet.cidrBlock,
    cidrBlock: (subnet) => subnet.cidrBlock,
    'availability-zone': (subnet) => subnet.availabilityZone,
    availabilityZone: (subnet) => subnet.availabilityZone,
    'availability-zone-id': (subnet, ctx) =>
      zonesOf(ctx.account).find((z) => z.name === subnet.availabilityZone)?.id,
    'map-public-ip-on-launch': (subnet) => boolText(subnet.mapPublicIpOnLaunch),
    'default-for-az': () => 'false',
    'owner-id': (_subnet, ctx) => ctx.account.accountId,
    state: () => 'available',
  },
};

export const describeSubnets = ec2Operation<DescribeSubnetsRequest, DescribeSubnetsResult>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const page = describeRecords(
      describeRequest(input, input.SubnetIds, 'subnetIds'),
      ctx.state.subnets,
      SUBNET_SOURCE,
      ctx,
    );
    return {
      Subnets: page.items.map((subnet) => subnetOutput(subnet, ctx.account, 'available')),
      NextToken: page.nextToken,
    };
  },
});

export const modifySubnetAttribute = ec2Operation<ModifySubnetAttributeRequest, Record<string, never>>({
  mutating: true,
  required: ['SubnetId'],
  handle: (input, ctx: Ec2Context) => {
    const subnet = requireRecord(KINDS.subnet, ctx.state.subnets, input.SubnetId, ctx);
    if (input.MapPublicIpOnLaunch?.Value !== undefined) {
      subnet.mapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value;
    }
    return {};
  },
});

export const deleteSubnet = ec2Operation<DeleteSubnetRequest, Record<string, never>>({
  mutating: true,
  required: ['SubnetId'],
  handle: (input, ctx: Ec2Context) => {
    const subnet = requireRecord(KINDS.subnet, ctx.state.subnets, input.SubnetId, ctx);
    // "You must terminate any instances [and delete network interfaces] in the subnet before you can delete it."
    if (subnet.networkInterfaceCount > 0) {
      ctx.fail('DependencyViolation', `The subnet '${subnet.id}' has dependencies and cannot be deleted.`);
    }
    // Deleting a subnet drops its route table association with it.
    if (subnet.routeTableAssociationId !== undefined)
      removeAssociation(ctx.state, subnet.routeTableAssociationId);
    delete ctx.state.subnets[subnet.id];
    subnetsByVpc.invalidate(ctx.state.subnets);
    return {};
  },
});
