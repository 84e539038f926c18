/**
 * The simulated EC2's state: every resource indexed by id in plain objects (cheap look-ups, JSON for
 * save/load). A deleted resource is removed, never kept as "deleted".
 */
import type { TokenBucketState } from '../../../util/token-bucket';
import type { TagMap } from '../../core/tags';

export interface VpcRecord {
  id: string;
  cidrBlock: string;
  cidrAssociationId: string;
  dhcpOptionsId: string;
  createdAt: number;
  tags: TagMap;
  /** Created with the VPC and deleted with it (AWS: "the main route table cannot be deleted"). */
  mainRouteTableId: string;
  /** The group named `default`, created with the VPC and deleted with it. */
  defaultSecurityGroupId: string;
  internetGatewayId?: string;
  /** DNS attributes: a non-default VPC starts with support on and hostnames off ("DNS attributes for your VPC"). */
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

export interface SubnetRecord {
  id: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  createdAt: number;
  tags: TagMap;
  mapPublicIpOnLaunch: boolean;
  /** Explicit association with a route table; without one the VPC's main route table applies. */
  routeTableAssociationId?: string;
  /** Offset of the next private address to hand out (AWS reserves the first four of every subnet). */
  nextHostOffset: number;
  /** ENIs in the subnet, kept as a count so that DeleteSubnet's dependency check needs no scan. */
  networkInterfaceCount: number;
}

export interface InternetGatewayRecord {
  id: string;
  createdAt: number;
  tags: TagMap;
  vpcId?: string;
}

export interface RouteRecord {
  destinationCidrBlock: string;
  /** `local` for the VPC's own route, else an internet gateway id. */
  gatewayId: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableAssociationRecord {
  id: string;
  main: boolean;
  subnetId?: string;
}

export interface RouteTableRecord {
  id: string;
  vpcId: string;
  createdAt: number;
  tags: TagMap;
  main: boolean;
  routes: RouteRecord[];
  associations: RouteTableAssociationRecord[];
}

export interface SecurityGroupRuleRecord {
  id: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number. */
  protocol: string;
  /** -1 where the protocol has no ports (all traffic, or a protocol other than TCP/UDP/ICMP). */
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
  tags: TagMap;
}

export interface SecurityGroupRecord {
  id: string;
  vpcId: string;
  name: string;
  description: string;
  createdAt: number;
  tags: TagMap;
  isDefault: boolean;
  /** By rule id, in the order they were authorized. */
  rules: Record<string, SecurityGroupRuleRecord>;
}

/** Why an ENI exists; picks its default linger after release. */
export type NetworkInterfacePurpose = 'load-balancer' | 'fargate-task' | 'other';

export interface NetworkInterfaceRecord {
  id: string;
  attachmentId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  groupIds: string[];
  description: string;
  interfaceType: string;
  requesterManaged: boolean;
  requesterId?: string;
  purpose: NetworkInterfacePurpose;
  /** The ALB or task that asked for it (not an AWS field: lets the owning service find it again). */
  owner?: string;
  privateIpAddress: string;
  publicIp?: string;
  macAddress: string;
  createdAt: number;
  tags: TagMap;
  /** Set by releaseNetworkInterface: the ENI lingers, still blocking deletions, until this time. */
  disappearsAt?: number;
}

export interface Ec2State {
  vpcs: Record<string, VpcRecord>;
  subnets: Record<string, SubnetRecord>;
  internetGateways: Record<string, InternetGatewayRecord>;
  routeTables: Record<string, RouteTableRecord>;
  securityGroups: Record<string, SecurityGroupRecord>;
  networkInterfaces: Record<string, NetworkInterfaceRecord>;
  /** Route table association id → route table id. */
  routeTableAssociations: Record<string, string>;
  /** Security group rule id → security group id. */
  securityGroupRules: Record<string, string>;
  /** Released ENIs still lingering, id → when they disappear; refresh looks only at these. */
  lingering: Record<string, number>;
  /** How long a released ENI lingers by purpose (docs/aws-facts.md: minutes for ALB and task ENIs). */
  lingerMs: Record<NetworkInterfacePurpose, number>;
  /** The bucket of unfiltered, unpaginated DescribeNetworkInterfaces/SecurityGroups calls. */
  unfilteredBucket?: TokenBucketState;
  /** Counter behind the public IPv4 addresses handed to ENIs. */
  publicIpCounter: number;
  /** Zone states other than `available`, by zone id (a test's knob: `setAvailabilityZoneState`). */
  zoneStates?: Record<string, 'available' | 'information' | 'impaired' | 'unavailable' | 'constrained'>;
  /**
   * Client tokens seen ("Ensuring idempotency in Amazon EC2 API requests"), by `<operation>:<token>`: the
   * request's parameters and the resource it made. Absent in accounts saved before tokens were kept.
   */
  clientTokens?: Record<string, { parameters: string; resourceId: string }>;
}

export const DEFAULT_LINGER_MS: Record<NetworkInterfacePurpose, number> = {
  'load-balancer': 120_000,
  'fargate-task': 60_000,
  other: 0,
};

export function initialEc2State(): Ec2State {
  return {
    vpcs: {},
    subnets: {},
    internetGateways: {},
    routeTables: {},
    securityGroups: {},
    networkInterfaces: {},
    routeTableAssociations: {},
    securityGroupRules: {},
    lingering: {},
    lingerMs: { ...DEFAULT_LINGER_MS },
    publicIpCounter: 0,
  };
}
