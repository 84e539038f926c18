/**
 * Simulated Amazon EC2: the VPC networking LambdaFlex's Fargate tier needs (VPC, subnets, internet
 * gateway, route tables, security groups) and the ENIs that ALBs and tasks leave behind.
 *
 * @example
 *   const { account, clients } = createSimulatedAws();
 *   const { Vpc } = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
 */
import type { SimService } from '../../core/service';
import { describeAvailabilityZones } from './availability-zones';
import { EC2_BUCKETS, UNFILTERED_BUCKET } from './buckets';
import { expireLingeringNetworkInterfaces } from './for-services';
import {
  attachInternetGateway,
  createInternetGateway,
  deleteInternetGateway,
  describeInternetGateways,
  detachInternetGateway,
} from './internet-gateways';
import { ec2Inventory } from './inventory';
import { describeNetworkInterfaces } from './network-interfaces';
import {
  associateRouteTable,
  createRoute,
  createRouteTable,
  deleteRoute,
  deleteRouteTable,
  describeRouteTables,
  disassociateRouteTable,
  replaceRoute,
} from './route-tables';
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  describeSecurityGroupRules,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from './security-group-permissions';
import { createSecurityGroup, deleteSecurityGroup, describeSecurityGroups } from './security-groups';
import { initialEc2State, type Ec2State } from './state';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets';
import { createTags, deleteTags, describeTags } from './tags';
import { describeVpcAttribute, modifyVpcAttribute } from './vpc-attributes';
import { createVpc, deleteVpc, describeVpcs } from './vpcs';

export type { Ec2State, NetworkInterfacePurpose } from './state';
export { DEFAULT_LINGER_MS } from './state';
export {
  attachNetworkInterface,
  findSecurityGroup,
  findSubnet,
  networkInterfaceInfo,
  networkInterfacesOwnedBy,
  releaseNetworkInterface,
  setNetworkInterfaceGroups,
  setNetworkInterfaceLinger,
  subnetHasInternetRoute,
  type AttachNetworkInterfaceOptions,
  type NetworkInterfaceInfo,
  type SecurityGroupInfo,
  type SubnetInfo,
} from './for-services';
export { setAvailabilityZoneState, subnetZonesOf, zonesOf, type SimZone } from './availability-zones';

export const ec2Service: SimService<Ec2State> = {
  name: 'ec2',
  freshAnswers: true,
  validationErrorCode: 'MissingParameter',
  throttlingErrorCode: 'RequestLimitExceeded',
  buckets: { ...EC2_BUCKETS, unfiltered: UNFILTERED_BUCKET },
  operations: {
    CreateVpc: createVpc,
    DescribeVpcs: describeVpcs,
    DeleteVpc: deleteVpc,
    DescribeVpcAttribute: describeVpcAttribute,
    ModifyVpcAttribute: modifyVpcAttribute,
    CreateSubnet: createSubnet,
    DescribeSubnets: describeSubnets,
    DeleteSubnet: deleteSubnet,
    ModifySubnetAttribute: modifySubnetAttribute,
    DescribeAvailabilityZones: describeAvailabilityZones,
    CreateInternetGateway: createInternetGateway,
    AttachInternetGateway: attachInternetGateway,
    DetachInternetGateway: detachInternetGateway,
    DescribeInternetGateways: describeInternetGateways,
    DeleteInternetGateway: deleteInternetGateway,
    CreateRouteTable: createRouteTable,
    CreateRoute: createRoute,
    DeleteRoute: deleteRoute,
    ReplaceRoute: replaceRoute,
    AssociateRouteTable: associateRouteTable,
    DisassociateRouteTable: disassociateRouteTable,
    DescribeRouteTables: describeRouteTables,
    DeleteRouteTable: deleteRouteTable,
    CreateSecurityGroup: createSecurityGroup,
    AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
    AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
    RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
    RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
    DescribeSecurityGroups: describeSecurityGroups,
    DescribeSecurityGroupRules: describeSecurityGroupRules,
    DeleteSecurityGroup: deleteSecurityGroup,
    DescribeNetworkInterfaces: describeNetworkInterfaces,
    CreateTags: createTags,
    DeleteTags: deleteTags,
    DescribeTags: describeTags,
  },
  initialState: () => initialEc2State(),
  refresh: (state, account) => expireLingeringNetworkInterfaces(state, account.now()),
  inventory: ec2Inventory,
};
