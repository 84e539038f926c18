/**
 * What other simulated services (ELBv2, ECS) use of EC2: look up subnets and groups, make and release the
 * ENIs AWS creates for ALBs and Fargate tasks, and ask whether a subnet can reach the internet.
 *
 * @example
 *   const eniId = attachNetworkInterface(account, {
 *     subnetId, groupIds: [albGroupId], description: `ELB app/${name}/${suffix}`,
 *     requesterManaged: true, publicIp: true, ownerTag: loadBalancerArn,
 *   });
 *   // … on DeleteLoadBalancer: the ENI lingers for the account's load-balancer default, then disappears.
 *   releaseNetworkInterface(account, eniId);
 */
import type { SimAccount } from '../../core/account';
import type { TagMap } from '../../core/tags';
import { numberToIp, parseIpv4Block } from './cidr';
import { effectiveRouteTable, hasInternetRoute } from './route-tables';
import type { Ec2State, NetworkInterfacePurpose, NetworkInterfaceRecord } from './state';

function ec2State(account: SimAccount): Ec2State {
  return account.stateOf<Ec2State>('ec2');
}

export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
}

/** A subnet as other services need it, or undefined (no eventual-consistency delay: they are mutating calls). */
export function findSubnet(account: SimAccount, subnetId: string): SubnetInfo | undefined {
  const subnet = ec2State(account).subnets[subnetId];
  return (
    subnet && {
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      cidrBlock: subnet.cidrBlock,
    }
  );
}

export interface SecurityGroupInfo {
  groupId: string;
  groupName: string;
  vpcId: string;
}

export function findSecurityGroup(account: SimAccount, groupId: string): SecurityGroupInfo | undefined {
  const group = ec2State(account).securityGroups[groupId];
  return group && { groupId: group.id, groupName: group.name, vpcId: group.vpcId };
}

/**
 * Whether the subnet's route table (its explicit one, else the VPC's main one) sends 0.0.0.0/0 to an
 * internet gateway attached to the VPC: without it a public ALB stays `provisioning` (docs/aws-facts.md).
 */
export function subnetHasInternetRoute(account: SimAccount, subnetId: string): boolean {
  const state = ec2State(account);
  return hasInternetRoute(state, effectiveRouteTable(state, subnetId));
}

export interface AttachNetworkInterfaceOptions {
  subnetId: string;
  groupIds: string[];
  /** AWS's own descriptions: `ELB app/<name>/<id>` for an ALB, `arn:aws:ecs:…:attachment/<id>` for a task. */
  description: string;
  requesterManaged: boolean;
  /** Whether a public IPv4 address is mapped (blocks IGW detach until the ENI is gone). */
  publicIp: boolean;
  /** The ALB or task that made it (its ARN), so that it can find its ENIs again with networkInterfacesOwnedBy. */
  ownerTag?: string;
  /** Picks the default linger on release; by default guessed from the description (`ELB …` → load-balancer). */
  purpose?: NetworkInterfacePurpose;
  /** AWS shows `amazon-elb` for ALB ENIs and an AWS account id for ECS ones. */
  requesterId?: string;
  tags?: TagMap;
}

export interface NetworkInterfaceInfo {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIpAddress: string;
  publicIp?: string;
  macAddress: string;
  /** Set once released: the virtual time at which it disappears. */
  disappearsAt?: number;
}

function nextPrivateIp(account: SimAccount, subnetId: string): string {
  const subnet = ec2State(account).subnets[subnetId];
  const block = parseIpv4Block(subnet.cidrBlock);
  if (!block) throw new Error(`subnet ${subnetId} has an invalid CIDR ${subnet.cidrBlock}`);
  // The last address is reserved too; wrap around rather than fail: the sim does not track freed addresses.
  const usable = block.size - 5;
  const offset = 4 + ((subnet.nextHostOffset - 4) % Math.max(usable, 1));
  subnet.nextHostOffset = offset + 1;
  return numberToIp(block.start + offset);
}

function nextPublicIp(state: Ec2State): string {
  state.publicIpCounter += 1;
  const n = state.publicIpCounter;
  // 3.80.0.0/12-like space, as ALB and Fargate public addresses in us-east-1 look.
  return `3.${80 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

function macAddress(account: SimAccount): string {
  const hex = account.newId('', 10);
  return `0e:${hex.match(/../g)?.join(':')}`;
}

/**
 * Creates an in-use ENI in the subnet, as AWS does for an ALB node or a Fargate task, and returns its id.
 * Throws a plain Error for a missing subnet or group: the calling service validates its input first.
 */
export function attachNetworkInterface(account: SimAccount, options: AttachNetworkInterfaceOptions): string {
  const state = ec2State(account);
  const subnet = state.subnets[options.subnetId];
  if (!subnet) throw new Error(`attachNetworkInterface: no subnet ${options.subnetId}`);
  for (const groupId of options.groupIds) {
    if (!state.securityGroups[groupId])
      throw new Error(`attachNetworkInterface: no security group ${groupId}`);
  }
  const purpose =
    options.purpose ?? (options.description.startsWith('ELB ') ? 'load-balancer' : 'fargate-task');
  const eni: NetworkInterfaceRecord = {
    id: account.newId('eni-'),
    attachmentId: account.newId('eni-attach-'),
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    availabilityZone: subnet.availabilityZone,
    groupIds: [...options.groupIds],
    description: options.description,
    interfaceType: 'interface',
    requesterManaged: options.requesterManaged,
    requesterId: options.requesterId ?? (purpose === 'load-balancer' ? 'amazon-elb' : undefined),
    purpose,
    owner: options.ownerTag,
    privateIpAddress: nextPrivateIp(account, subnet.id),
    publicIp: options.publicIp ? nextPublicIp(state) : undefined,
    macAddress: macAddress(account),
    createdAt: account.now(),
    tags: { ...(options.tags ?? {}) },
  };
  state.networkInterfaces[eni.id] = eni;
  subnet.networkInterfaceCount += 1;
  return eni.id;
}

/**
 * Marks an ENI to disappear `lingerMs` from now (default: the account's linger for its purpose, see
 * setNetworkInterfaceLinger). Until then it still blocks deleting its subnet, groups, IGW and VPC.
 * Releasing twice keeps the earlier time; an unknown id is ignored (already gone).
 */
export function releaseNetworkInterface(account: SimAccount, eniId: string, lingerMs?: number): void {
  const state = ec2State(account);
  const eni = state.networkInterfaces[eniId];
  if (!eni) return;
  const disappearsAt = account.now() + (lingerMs ?? state.lingerMs[eni.purpose]);
  if (eni.disappearsAt !== undefined && eni.disappearsAt <= disappearsAt) return;
  eni.disappearsAt = disappearsAt;
  if (disappearsAt <= account.now()) removeNetworkInterface(state, eniId);
  else state.lingering[eniId] = disappearsAt;
}

/**
 * Puts an ENI in other security groups (an ALB's SetSecurityGroups changes its nodes' interfaces), so that
 * the groups it left can be deleted and those it joined can't. An unknown id is ignored (already gone).
 */
export function setNetworkInterfaceGroups(account: SimAccount, eniId: string, groupIds: string[]): void {
  const eni = ec2State(account).networkInterfaces[eniId];
  if (eni) eni.groupIds = [...groupIds];
}

/** Changes the default linger after release for one purpose (docs/aws-facts.md: minutes; "anecdotal"). */
export function setNetworkInterfaceLinger(
  account: SimAccount,
  purpose: NetworkInterfacePurpose,
  lingerMs: number,
): void {
  ec2State(account).lingerMs[purpose] = lingerMs;
}

export function removeNetworkInterface(state: Ec2State, eniId: string): void {
  const eni = state.networkInterfaces[eniId];
  if (!eni) return;
  const subnet = state.subnets[eni.subnetId];
  if (subnet) subnet.networkInterfaceCount -= 1;
  delete state.networkInterfaces[eniId];
  delete state.lingering[eniId];
}

/** Removes released ENIs whose time is up; looks only at the lingering ones. */
export function expireLingeringNetworkInterfaces(state: Ec2State, now: number): void {
  for (const [eniId, disappearsAt] of Object.entries(state.lingering)) {
    if (disappearsAt <= now) removeNetworkInterface(state, eniId);
  }
}

export function networkInterfaceInfo(account: SimAccount, eniId: string): NetworkInterfaceInfo | undefined {
  const eni = ec2State(account).networkInterfaces[eniId];
  return (
    eni && {
      networkInterfaceId: eni.id,
      subnetId: eni.subnetId,
      vpcId: eni.vpcId,
      availabilityZone: eni.availabilityZone,
      privateIpAddress: eni.privateIpAddress,
      publicIp: eni.publicIp,
      macAddress: eni.macAddress,
      disappearsAt: eni.disappearsAt,
    }
  );
}

/** Ids of the ENIs made for `ownerTag` that still exist (lingering ones included). */
export function networkInterfacesOwnedBy(account: SimAccount, ownerTag: string): string[] {
  return Object.values(ec2State(account).networkInterfaces)
    .filter((eni) => eni.owner === ownerTag)
    .map((eni) => eni.id);
}
