/**
 * The one place where ELBv2 and ECS reach into the simulated EC2: ENIs for load balancer nodes and
 * Fargate tasks, and what a subnet is (VPC, zone, route to an internet gateway). Everything goes through
 * the helpers the EC2 model exports, so EC2's own rules (DependencyViolation while ENIs remain, lingering
 * ENIs, mapped public IPs) hold for the interfaces ELBv2 and ECS create.
 */
import type { SimAccount } from '../../core/account';
import {
  attachNetworkInterface,
  findSecurityGroup,
  findSubnet as findEc2Subnet,
  networkInterfaceInfo,
  releaseNetworkInterface,
  setNetworkInterfaceGroups,
  subnetHasInternetRoute,
  type Ec2State,
  type SubnetInfo,
} from '../ec2';

export interface InterfaceRequest {
  subnetId: string;
  securityGroupIds: string[];
  description: string;
  /** Maps a public IPv4 address (Fargate assignPublicIp ENABLED, internet-facing ALB nodes). */
  assignPublicIp: boolean;
  /** Picks the EC2 model's linger time after release. */
  purpose: 'load-balancer' | 'fargate-task';
  /** The ALB or task ARN the ENI belongs to. */
  owner: string;
}

export interface AttachedInterface {
  networkInterfaceId: string;
  privateIpAddress: string;
  publicIp?: string;
}

export function findSubnet(account: SimAccount, subnetId: string): SubnetInfo | undefined {
  return findEc2Subnet(account, subnetId);
}

export function securityGroupVpc(account: SimAccount, groupId: string): string | undefined {
  return findSecurityGroup(account, groupId)?.vpcId;
}

export function vpcExists(account: SimAccount, vpcId: string): boolean {
  return account.stateOf<Ec2State>('ec2').vpcs[vpcId] !== undefined;
}

export function hasInternetRoute(account: SimAccount, subnetId: string): boolean {
  return subnetHasInternetRoute(account, subnetId);
}

export function attachInterface(account: SimAccount, request: InterfaceRequest): AttachedInterface {
  const networkInterfaceId = attachNetworkInterface(account, {
    subnetId: request.subnetId,
    groupIds: request.securityGroupIds,
    description: request.description,
    requesterManaged: true,
    publicIp: request.assignPublicIp,
    ownerTag: request.owner,
    purpose: request.purpose,
  });
  const info = networkInterfaceInfo(account, networkInterfaceId);
  return { networkInterfaceId, privateIpAddress: info?.privateIpAddress ?? '', publicIp: info?.publicIp };
}

/**
 * Releases an ENI that was let go at `releasedAt`. It lingers for the EC2 model's time for its purpose,
 * counted from `releasedAt` rather than from when the simulator noticed, so the result does not depend on
 * how finely the clock was advanced.
 */
export function releaseInterface(
  account: SimAccount,
  networkInterfaceId: string,
  releasedAt = account.now(),
): void {
  const ec2 = account.stateOf<Ec2State>('ec2');
  const eni = ec2.networkInterfaces[networkInterfaceId];
  if (!eni) return;
  const remaining = Math.max(0, ec2.lingerMs[eni.purpose] - (account.now() - releasedAt));
  releaseNetworkInterface(account, networkInterfaceId, remaining);
}

/** Puts an interface made by `attachInterface` in other security groups. */
export function setInterfaceGroups(
  account: SimAccount,
  networkInterfaceId: string,
  groupIds: string[],
): void {
  setNetworkInterfaceGroups(account, networkInterfaceId, groupIds);
}
