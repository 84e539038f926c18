/**
 * Internet gateways: created detached, attached to one VPC at a time ("Internet gateways"). Describe shows
 * an attachment's state as `available`, as AWS does for internet gateways.
 */
import type {
  AttachInternetGatewayRequest,
  AttachmentStatus,
  CreateInternetGatewayRequest,
  CreateInternetGatewayResult,
  DeleteInternetGatewayRequest,
  DescribeInternetGatewaysRequest,
  DescribeInternetGatewaysResult,
  DetachInternetGatewayRequest,
  InternetGateway,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';
import { describeRecords, describeRequest, type DescribeSource } from './describe';
import { KINDS, requireRecord } from './kinds';
import type { InternetGatewayRecord } from './state';
import { tagsFromSpecifications } from './tags';

function gatewayOutput(gateway: InternetGatewayRecord, account: SimAccount): InternetGateway {
  return {
    InternetGatewayId: gateway.id,
    OwnerId: account.accountId,
    // AWS answers `available` for an attached internet gateway (DescribeInternetGateways examples), a
    // value the SDK's AttachmentStatus type does not list.
    Attachments: gateway.vpcId ? [{ VpcId: gateway.vpcId, State: 'available' as AttachmentStatus }] : [],
    Tags: toKeyValueList(gateway.tags),
  };
}

export const createInternetGateway = ec2Operation<CreateInternetGatewayRequest, CreateInternetGatewayResult>({
  mutating: true,
  handle: (input, ctx: Ec2Context) => {
    const tags = tagsFromSpecifications(input.TagSpecifications, 'internet-gateway', ctx);
    const gateway: InternetGatewayRecord = { id: ctx.account.newId('igw-'), createdAt: ctx.now, tags };
    ctx.state.internetGateways[gateway.id] = gateway;
    return { InternetGateway: gatewayOutput(gateway, ctx.account) };
  },
});

const GATEWAY_SOURCE: DescribeSource<InternetGatewayRecord> = {
  kind: KINDS['internet-gateway'],
  filters: {
    'internet-gateway-id': (gateway) => gateway.id,
    'attachment.vpc-id': (gateway) => gateway.vpcId,
    'attachment.state': (gateway) => (gateway.vpcId ? 'available' : undefined),
    'owner-id': (_gateway, ctx) => ctx.account.accountId,
  },
};

export const describeInternetGateways = ec2Operation<
  DescribeInternetGatewaysRequest,
  DescribeInternetGatewaysResult
>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const page = describeRecords(
      describeRequest(input, input.InternetGatewayIds, 'internetGatewayIds'),
      ctx.state.internetGateways,
      GATEWAY_SOURCE,
      ctx,
    );
    return {
      InternetGateways: page.items.map((gateway) => gatewayOutput(gateway, ctx.account)),
      NextToken: page.nextToken,
    };
  },
});

export const attachInternetGateway = ec2Operation<AttachInternetGatewayRequest, Record<string, never>>({
  mutating: true,
  required: ['InternetGatewayId', 'VpcId'],
  handle: (input, ctx: Ec2Context) => {
    const gateway = requireRecord(
      KINDS['internet-gateway'],
      ctx.state.internetGateways,
      input.InternetGatewayId,
      ctx,
    );
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    if (gateway.vpcId !== undefined) {
      ctx.fail(
        'Resource.AlreadyAssociated',
        `resource ${gateway.id} is already attached to network ${gateway.vpcId}`,
      );
    }
    // "You can attach only one internet gateway to a VPC."
    if (vpc.internetGatewayId !== undefined) {
      ctx.fail('Resource.AlreadyAssociated', `Network ${vpc.id} already has an internet gateway attached`);
    }
    gateway.vpcId = vpc.id;
    vpc.internetGatewayId = gateway.id;
    return {};
  },
});

export const detachInternetGateway = ec2Operation<DetachInternetGatewayRequest, Record<string, never>>({
  mutating: true,
  required: ['InternetGatewayId', 'VpcId'],
  handle: (input, ctx: Ec2Context) => {
    const gateway = requireRecord(
      KINDS['internet-gateway'],
      ctx.state.internetGateways,
      input.InternetGatewayId,
      ctx,
    );
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    if (gateway.vpcId !== vpc.id) {
      ctx.fail('Gateway.NotAttached', `resource ${gateway.id} is not attached to network ${vpc.id}`);
    }
    // docs/aws-facts.md "IGW detach": refused while ENIs of the VPC (lingering ones too) hold public addresses.
    const mapped = Object.values(ctx.state.networkInterfaces).some(
      (eni) => eni.vpcId === vpc.id && eni.publicIp,
    );
    if (mapped) {
      ctx.fail(
        'DependencyViolation',
        `Network ${vpc.id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
      );
    }
    delete gateway.vpcId;
    delete vpc.internetGatewayId;
    return {};
  },
});

export const deleteInternetGateway = ec2Operation<DeleteInternetGatewayRequest, Record<string, never>>({
  mutating: true,
  required: ['InternetGatewayId'],
  handle: (input, ctx: Ec2Context) => {
    const gateway = requireRecord(
      KINDS['internet-gateway'],
      ctx.state.internetGateways,
      input.InternetGatewayId,
      ctx,
    );
    if (gateway.vpcId !== undefined) {
      ctx.fail(
        'DependencyViolation',
        `The internetGateway '${gateway.id}' has dependencies and cannot be deleted.`,
      );
    }
    delete ctx.state.internetGateways[gateway.id];
    return {};
  },
});
