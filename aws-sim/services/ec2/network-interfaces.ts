/**
 * Network interfaces. Callers never create them here: the simulated ELBv2 and ECS do, through
 * attachNetworkInterface (see for-services.ts), as AWS creates requester-managed ENIs for ALBs and tasks.
 */
import type {
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult,
  NetworkInterface,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { UNFILTERED_BUCKET } from './buckets';
import { ec2Operation, type Ec2Context } from './context';
import {
  boolText,
  describeRecords,
  describeRequest,
  takeUnfilteredToken,
  type DescribeSource,
} from './describe';
import { KINDS } from './kinds';
import type { Ec2State, NetworkInterfaceRecord } from './state';

export function networkInterfaceOutput(
  state: Ec2State,
  eni: NetworkInterfaceRecord,
  account: SimAccount,
): NetworkInterface {
  const association = eni.publicIp
    ? { PublicIp: eni.publicIp, IpOwnerId: 'amazon', PublicDnsName: '' }
    : undefined;
  return {
    NetworkInterfaceId: eni.id,
    SubnetId: eni.subnetId,
    VpcId: eni.vpcId,
    AvailabilityZone: eni.availabilityZone,
    Description: eni.description,
    InterfaceType: eni.interfaceType as NetworkInterface['InterfaceType'],
    Groups: eni.groupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.name })),
    MacAddress: eni.macAddress,
    OwnerId: account.accountId,
    PrivateIpAddress: eni.privateIpAddress,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: eni.privateIpAddress, Association: association }],
    Association: association,
    RequesterManaged: eni.requesterManaged,
    RequesterId: eni.requesterId,
    SourceDestCheck: true,
    // Lingering ENIs stay in-use (and keep blocking deletions) until they disappear.
    Status: 'in-use',
    Attachment: {
      AttachmentId: eni.attachmentId,
      DeviceIndex: 1,
      Status: 'attached',
      InstanceOwnerId: eni.requesterId ?? account.accountId,
    },
    Ipv6Addresses: [],
    TagSet: toKeyValueList(eni.tags),
  };
}

/** No `byVpc` index: ENIs come and go with every task, and DescribeNetworkInterfaces is rare. */
const ENI_SOURCE: DescribeSource<NetworkInterfaceRecord> = {
  kind: KINDS['network-interface'],
  filters: {
    'network-interface-id': (eni) => eni.id,
    'subnet-id': (eni) => eni.subnetId,
    'vpc-id': (eni) => eni.vpcId,
    'availability-zone': (eni) => eni.availabilityZone,
    'group-id': (eni) => eni.groupIds,
    'group-name': (eni, ctx) => eni.groupIds.map((id) => ctx.state.securityGroups[id]?.name ?? ''),
    description: (eni) => eni.description,
    status: () => 'in-use',
    'interface-type': (eni) => eni.interfaceType,
    'requester-managed': (eni) => boolText(eni.requesterManaged),
    'requester-id': (eni) => eni.requesterId,
    'owner-id': (_eni, ctx) => ctx.account.accountId,
    'attachment.status': () => 'attached',
    'attachment.attachment-id': (eni) => eni.attachmentId,
    'addresses.private-ip-address': (eni) => eni.privateIpAddress,
    'private-ip-address': (eni) => eni.privateIpAddress,
    'association.public-ip': (eni) => eni.publicIp,
    'mac-address': (eni) => eni.macAddress,
  },
};

export const describeNetworkInterfaces = ec2Operation<
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult
>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const request = describeRequest(input, input.NetworkInterfaceIds, 'networkInterfaceIds');
    takeUnfilteredToken(request, UNFILTERED_BUCKET, ctx);
    const page = describeRecords(request, ctx.state.networkInterfaces, ENI_SOURCE, ctx);
    return {
      NetworkInterfaces: page.items.map((eni) => networkInterfaceOutput(ctx.state, eni, ctx.account)),
      NextToken: page.nextToken,
    };
  },
});
