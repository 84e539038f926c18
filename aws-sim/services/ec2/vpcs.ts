/**
 * VPCs. CreateVpc also makes the VPC's main route table and its `default` security group, which go
 * away with the VPC ("Route tables for your VPC", "Default security groups for your VPCs").
 */
import type {
  CreateVpcRequest,
  CreateVpcResult,
  DeleteVpcRequest,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  Vpc,
} from '@aws-sdk/client-ec2';
import { toKeyValueList } from '../../core/tags';
import type { SimAccount } from '../../core/account';
import { parseIpv4Block } from './cidr';
import { ec2Operation, type Ec2Context } from './context';
import { describeRecords, describeRequest, type DescribeSource } from './describe';
import { KINDS, requireRecord } from './kinds';
import { createMainRouteTable, routeTablesByVpc } from './route-tables';
import { createDefaultSecurityGroup, securityGroupsByVpc } from './security-groups';
import type { Ec2State, VpcRecord } from './state';
import { tagsFromSpecifications } from './tags';

function vpcOutput(vpc: VpcRecord, account: SimAccount, state: Vpc['State']): Vpc {
  return {
    VpcId: vpc.id,
    CidrBlock: vpc.cidrBlock,
    State: state,
    DhcpOptionsId: vpc.dhcpOptionsId,
    InstanceTenancy: 'default',
    IsDefault: false,
    OwnerId: account.accountId,
    CidrBlockAssociationSet: [
      {
        AssociationId: vpc.cidrAssociationId,
        CidrBlock: vpc.cidrBlock,
        CidrBlockState: { State: 'associated' },
      },
    ],
    Tags: toKeyValueList(vpc.tags),
  };
}

export const createVpc = ec2Operation<CreateVpcRequest, CreateVpcResult>({
  mutating: true,
  required: ['CidrBlock'],
  handle: (input, ctx: Ec2Context) => {
    const block = parseIpv4Block(input.CidrBlock);
    if (!block) {
      ctx.fail(
        'InvalidParameterValue',
        `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    }
    // "The allowed block size is between a /16 netmask (65,536 IP addresses) and /28 netmask (16 IP addresses)."
    if (block.prefix < 16 || block.prefix > 28)
      ctx.fail('InvalidVpc.Range', `The CIDR '${input.CidrBlock}' is invalid.`);
    const tags = tagsFromSpecifications(input.TagSpecifications, 'vpc', ctx);
    const vpc: VpcRecord = {
      id: ctx.account.newId('vpc-'),
      cidrBlock: input.CidrBlock as string,
      cidrAssociationId: ctx.account.newId('vpc-cidr-assoc-'),
      dhcpOptionsId: 'dopt-00000000000000001',
      createdAt: ctx.now,
      tags,
      mainRouteTableId: '',
      defaultSecurityGroupId: '',
      enableDnsSupport: true,
      enableDnsHostnames: false,
    };
    ctx.state.vpcs[vpc.id] = vpc;
    vpc.mainRouteTableId = createMainRouteTable(ctx, vpc).id;
    vpc.defaultSecurityGroupId = createDefaultSecurityGroup(ctx, vpc).id;
    // A new VPC answers `pending`; Describe shows it `available` (it becomes so within the consistency delay).
    return { Vpc: vpcOutput(vpc, ctx.account, 'pending') };
  },
});

const VPC_SOURCE: DescribeSource<VpcRecord> = {
  kind: KINDS.vpc,
  filters: {
    'vpc-id': (vpc) => vpc.id,
    cidr: (vpc) => vpc.cidrBlock,
    'cidr-block-association.cidr-block': (vpc) => vpc.cidrBlock,
    'cidr-block-association.association-id': (vpc) => vpc.cidrAssociationId,
    'cidr-block-association.state': () => 'associated',
    'dhcp-options-id': (vpc) => vpc.dhcpOptionsId,
    'is-default': () => 'false',
    'owner-id': (_vpc, ctx) => ctx.account.accountId,
    state: () => 'available',
  },
};

export const describeVpcs = ec2Operation<DescribeVpcsRequest, DescribeVpcsResult>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const page = describeRecords(
      describeRequest(input, input.VpcIds, 'vpcIds'),
      ctx.state.vpcs,
      VPC_SOURCE,
      ctx,
    );
    return {
      Vpcs: page.items.map((vpc) => vpcOutput(vpc, ctx.account, 'available')),
      NextToken: page.nextToken,
    };
  },
});

/** What still keeps a VPC from being deleted ("Delete your VPC": subnets, gateways, groups, route tables). */
function vpcDependencies(state: Ec2State, vpc: VpcRecord): string[] {
  const found: string[] = [];
  if (vpc.internetGatewayId) found.push(vpc.internetGatewayId);
  for (const subnet of Object.values(state.subnets)) if (subnet.vpcId === vpc.id) found.push(subnet.id);
  for (const table of Object.values(state.routeTables)) {
    if (table.vpcId === vpc.id && !table.main) found.push(table.id);
  }
  for (const group of Object.values(state.securityGroups)) {
    if (group.vpcId === vpc.id && !group.isDefault) found.push(group.id);
  }
  for (const eni of Object.values(state.networkInterfaces)) if (eni.vpcId === vpc.id) found.push(eni.id);
  return found;
}

export const deleteVpc = ec2Operation<DeleteVpcRequest, Record<string, never>>({
  mutating: true,
  required: ['VpcId'],
  handle: (input, ctx: Ec2Context) => {
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    if (vpcDependencies(ctx.state, vpc).length > 0) {
      ctx.fail('DependencyViolation', `The vpc '${vpc.id}' has dependencies and cannot be deleted.`);
    }
    const mainTable = ctx.state.routeTables[vpc.mainRouteTableId];
    for (const association of mainTable?.associations ?? [])
      delete ctx.state.routeTableAssociations[association.id];
    delete ctx.state.routeTables[vpc.mainRouteTableId];
    routeTablesByVpc.invalidate(ctx.state.routeTables);
    const defaultGroup = ctx.state.securityGroups[vpc.defaultSecurityGroupId];
    for (const ruleId of Object.keys(defaultGroup?.rules ?? {})) delete ctx.state.securityGroupRules[ruleId];
    delete ctx.state.securityGroups[vpc.defaultSecurityGroupId];
    securityGroupsByVpc.invalidate(ctx.state.securityGroups);
    delete ctx.state.vpcs[vpc.id];
    return {};
  },
});
