/**
 * The two public subnets (AWS::EC2::Subnet), `subnet-a` and `subnet-b`, each in its own Availability
 * Zone: an ALB needs subnets in two. Which zones is the stack's choice, recorded by zone id
 * (resources/ec2/availability-zones.ts): a subnet is created by `AvailabilityZoneId` and compared by the id
 * DescribeSubnets reports, never by a name, which maps to another zone in another account.
 *
 * Public means MapPublicIpOnLaunch, which CreateSubnet cannot set, so it is a second call; a crash between
 * the two leaves a subnet that `find` reports with `mapPublicIpOnLaunch: false`, and `update` finishes it.
 */
import {
  CreateSubnetCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
  ModifySubnetAttributeCommand,
  type EC2Client,
  type Subnet,
} from '@aws-sdk/client-ec2';
import { names, type DesiredState } from '../../../spec';
import { NO_ELIGIBLE_ZONE, NoEligibleZoneError, noZoneReason } from './availability-zones';
import type { Intent } from '../intent';
import { findObserved, type Ec2Describe, type TaggedItem } from './find';
import { orUndefinedIfGone } from '../common/not-found';
import { requireRef } from '../common/dependency-refs';
import { ec2TagRecord, ec2TagSpecifications } from './tags';
import { subnetCidr, type SubnetZone } from './subnet-cidrs';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource, Waiters } from '../types';
import { readyByState } from '../common/waiters';
import { RESOURCE_KEYS } from '../keys';
import type { ResourceKey } from '../keys';

const TYPE = 'AWS::EC2::Subnet';

export const subnetErrors: ErrorCodes = {
  notFound: ['InvalidSubnetID.NotFound'],
  // InvalidVpcID.NotFound on CreateSubnet means the VPC was created moments ago (eventual consistency).
  retryable: ['DependencyViolation', 'InvalidVpcID.NotFound'],
  terminal: [
    'InvalidSubnet.Range',
    'InvalidSubnet.Conflict',
    'SubnetLimitExceeded',
    'InvalidParameterValue',
    NO_ELIGIBLE_ZONE,
  ],
};

interface SubnetAttributes extends Record<string, unknown> {
  vpcId: string | undefined;
  cidr: string;
  /** The Availability Zone id (`apne1-az4`); undefined in `desiredAttributes` while no zone is chosen. */
  zoneId: string | undefined;
  mapPublicIpOnLaunch: boolean;
}

function keyOf(zone: SubnetZone): ResourceKey {
  return zone === 'a' ? RESOURCE_KEYS.subnetA : RESOURCE_KEYS.subnetB;
}

function nameOf(stack: string, zone: SubnetZone): string {
  const all = names(stack);
  return zone === 'a' ? all.subnetA : all.subnetB;
}

/** Subnet states (EC2 API reference, Subnet.State). */
const WAITERS: Waiters = { ready: { pending: ['pending'], target: ['available'] } };

function makeSubnetResource(zone: SubnetZone): StackResource {
  const key = keyOf(zone);

  function desiredAttributes(
    spec: DesiredState,
    refs: ResourceContext['refs'],
    intent: Intent,
  ): SubnetAttributes {
    return {
      vpcId: refs[RESOURCE_KEYS.vpc]?.id,
      cidr: subnetCidr(spec.network.cidr, zone),
      zoneId: intent.zones[zone],
      mapPublicIpOnLaunch: true,
    };
  }

  function observedSubnet(
    id: string,
    tags: Record<string, string>,
    attributes: SubnetAttributes,
    state: string | undefined,
    extra?: unknown,
  ): ObservedResource {
    const available = readyByState(WAITERS, state, 'subnet is');
    return {
      key,
      type: TYPE,
      id,
      state,
      tags,
      attributes,
      ready: available.ready && attributes.mapPublicIpOnLaunch,
      notReadyReason: !available.ready
        ? available.notReadyReason
        : !attributes.mapPublicIpOnLaunch
          ? 'public IPs are not yet mapped on launch'
          : undefined,
      extra,
    };
  }

  async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
    const ec2 = ctx.clients.ec2;
    const describe: Ec2Describe<Subnet> = {
      describePage: async (filters, token) => {
        const page = await ec2.send(new DescribeSubnetsCommand({ Filters: filters, NextToken: token }));
        return { items: page.Subnets, nextToken: page.NextToken };
      },
      idOf: (subnet) => subnet.SubnetId,
      tagsOf: (subnet) => subnet.Tags,
    };
    return findObserved(ctx, key, subnetErrors, describe, observedFrom);
  }

  function observedFrom({ item: subnet, id, tags }: TaggedItem<Subnet>): ObservedResource {
    const attributes: SubnetAttributes = {
      vpcId: subnet.VpcId,
      cidr: subnet.CidrBlock ?? '',
      zoneId: subnet.AvailabilityZoneId,
      mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch === true,
    };
    return observedSubnet(id, tags, attributes, subnet.State, { availabilityZone: subnet.AvailabilityZone });
  }

  async function mapPublicIps(ec2: EC2Client, subnetId: string): Promise<void> {
    await ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
    );
  }

  async function create(ctx: ResourceContext): Promise<ObservedResource> {
    const { stack } = ctx.spec;
    const name = nameOf(stack, zone);
    const vpcId = requireRef(ctx.refs, RESOURCE_KEYS.vpc, key).id;
    const zoneId = ctx.intent.zones[zone];
    if (!zoneId) throw new NoEligibleZoneError(noZoneReason(ctx.intent));
    const answer = await ctx.clients.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: subnetCidr(ctx.spec.network.cidr, zone),
        AvailabilityZoneId: zoneId,
        TagSpecifications: ec2TagSpecifications('subnet', stack, key, name, ctx.nonce),
      }),
    );
    const subnet = answer.Subnet;
    if (!subnet?.SubnetId) throw new Error('CreateSubnet answered without a SubnetId');
    ctx.answered?.(subnet.SubnetId);
    const subnetId = subnet.SubnetId;
    // A subnet just created may not be visible to ModifySubnetAttribute yet: then `update` maps public IPs
    // on the next pass, as it would after a crash here.
    const mapped = await orUndefinedIfGone(
      () => mapPublicIps(ctx.clients.ec2, subnetId).then(() => true),
      subnetErrors,
    );
    const attributes: SubnetAttributes = {
      vpcId,
      cidr: subnet.CidrBlock ?? subnetCidr(ctx.spec.network.cidr, zone),
      zoneId: subnet.AvailabilityZoneId ?? zoneId,
      mapPublicIpOnLaunch: mapped === true,
    };
    return observedSubnet(subnetId, ec2TagRecord(stack, key, name, ctx.nonce), attributes, subnet.State, {
      availabilityZone: subnet.AvailabilityZone,
    });
  }

  async function update(ctx: ResourceContext, current: ObservedResource): Promise<ObservedResource> {
    const attributes = { ...(current.attributes as SubnetAttributes) };
    if (!attributes.mapPublicIpOnLaunch) {
      await mapPublicIps(ctx.clients.ec2, current.id);
      attributes.mapPublicIpOnLaunch = true;
    }
    return observedSubnet(current.id, current.tags, attributes, current.state, current.extra);
  }

  async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
    // DependencyViolation while ALB or task ENIs linger in the subnet: retryable.
    await orUndefinedIfGone(
      () => ctx.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: current.id })),
      subnetErrors,
    );
  }

  return {
    key,
    type: TYPE,
    service: 'ec2',
    steadyCheck: 'tagged',
    creates: 'nonce',
    // EC2 ids (subnet-…) are never given to another resource.
    idsNeverReused: true,
    tier: 'fargate',
    dependsOn: [RESOURCE_KEYS.vpc],
    // DeleteVpc answers DependencyViolation while a subnet is in the VPC.
    holds: { [RESOURCE_KEYS.vpc]: 'vpcId' },
    waiters: WAITERS,
    // CreateSubnet answers `pending`; the subnet is `available` moments later.
    readySoonAfterCreate: true,
    errors: subnetErrors,
    immutable: ['vpcId', 'cidr', 'zoneId'],
    neededBy: () => true,
    desiredAttributes,
    find,
    create,
    update,
    delete: remove,
  };
}

const SUBNET_RESOURCES: Record<SubnetZone, StackResource> = {
  a: makeSubnetResource('a'),
  b: makeSubnetResource('b'),
};

/**
 * One of the two public subnets; the same value on every call, so kinds can be compared by identity.
 *
 * @example
 * subnetResource('b').key; // 'subnet-b'
 */
export function subnetResource(zone: SubnetZone): StackResource {
  return SUBNET_RESOURCES[zone];
}
