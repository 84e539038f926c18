/**
 * The stack's VPC (AWS::EC2::VPC): the spec's `network.cidr`, DNS support and DNS hostnames on (tasks
 * resolve ECR, CloudWatch Logs and the ALB through the Amazon resolver). CreateVpc has no client token: the
 * engine journals an intent first and the create carries its nonce among the tags, given in the same call
 * (docs/ownership.md).
 */
import {
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
  type Vpc,
  type VpcAttributeName,
} from '@aws-sdk/client-ec2';
import { COMPONENTS, names, type DesiredState } from '../../../spec';
import { findOwned, recordedIn } from './find';
import { orUndefinedIfGone } from '../common/not-found';
import { ec2TagRecord, ec2TagSpecifications } from './tags';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource, Waiters } from '../types';
import { readyByState } from '../common/waiters';

const KEY = COMPONENTS.vpc;
const TYPE = 'AWS::EC2::VPC';

export const vpcErrors: ErrorCodes = {
  notFound: ['InvalidVpcID.NotFound'],
  retryable: ['DependencyViolation'],
  terminal: ['VpcLimitExceeded', 'InvalidVpcRange', 'InvalidParameterValue'],
};

interface VpcAttributes extends Record<string, unknown> {
  cidr: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

function desired(spec: DesiredState): VpcAttributes {
  return { cidr: spec.network.cidr, enableDnsSupport: true, enableDnsHostnames: true };
}

/** DescribeVpcs does not report the DNS attributes; each needs its own DescribeVpcAttribute. */
async function dnsAttribute(ec2: EC2Client, vpcId: string, attribute: VpcAttributeName): Promise<boolean> {
  const answer = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute }));
  const value = attribute === 'enableDnsSupport' ? answer.EnableDnsSupport : answer.EnableDnsHostnames;
  return value?.Value === true;
}

/** VPC states (EC2 API reference, Vpc.State). */
const WAITERS: Waiters = { ready: { pending: ['pending'], target: ['available'] } };

function observedVpc(
  id: string,
  tags: Record<string, string>,
  attributes: VpcAttributes,
  state: string | undefined,
): ObservedResource {
  const available = readyByState(WAITERS, state, 'VPC is');
  const complete = attributes.enableDnsSupport && attributes.enableDnsHostnames;
  return {
    key: KEY,
    type: TYPE,
    id,
    state,
    tags,
    attributes,
    ready: available.ready && complete,
    notReadyReason: !available.ready
      ? available.notReadyReason
      : !complete
        ? 'DNS attributes not yet enabled'
        : undefined,
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
  const ec2 = ctx.clients.ec2;
  const match = await findOwned<Vpc>({
    stack: ctx.spec.stack,
    component: KEY,
    errors: vpcErrors,
    describePage: async (filters, token) => {
      const page = await ec2.send(new DescribeVpcsCommand({ Filters: filters, NextToken: token }));
      return { items: page.Vpcs, nextToken: page.NextToken };
    },
    idOf: (vpc) => vpc.VpcId,
    tagsOf: (vpc) => vpc.Tags,
    isRecorded: recordedIn(ctx, KEY),
  });
  if (!match) return undefined;
  // The VPC may vanish between the two calls (a concurrent delete): that is "not found" too.
  const dns = await orUndefinedIfGone(
    async () => ({
      enableDnsSupport: await dnsAttribute(ec2, match.id, 'enableDnsSupport'),
      enableDnsHostnames: await dnsAttribute(ec2, match.id, 'enableDnsHostnames'),
    }),
    vpcErrors,
  );
  if (!dns) return undefined;
  const attributes: VpcAttributes = { cidr: match.item.CidrBlock ?? '', ...dns };
  const found = observedVpc(match.id, match.tags, attributes, match.item.State);
  if (match.others.length === 0) return found;
  // Deleting a VPC needs its id only: the DNS attributes of the others are not asked for.
  const duplicates = match.others.map((other) =>
    observedVpc(
      other.id,
      other.tags,
      { cidr: other.item.CidrBlock ?? '', enableDnsSupport: false, enableDnsHostnames: false },
      other.item.State,
    ),
  );
  return { ...found, duplicates };
}

/** One attribute per call: ModifyVpcAttribute rejects requests that set both. */
async function setDns(
  ec2: EC2Client,
  vpcId: string,
  attribute: VpcAttributeName,
  value: boolean,
): Promise<void> {
  const input =
    attribute === 'enableDnsSupport'
      ? { VpcId: vpcId, EnableDnsSupport: { Value: value } }
      : { VpcId: vpcId, EnableDnsHostnames: { Value: value } };
  await ec2.send(new ModifyVpcAttributeCommand(input));
}

/**
 * Turns on whatever DNS attribute is off, support first (AWS refuses hostnames without support). Returns
 * the attributes as they now are.
 */
async function applyDns(ec2: EC2Client, vpcId: string, current: VpcAttributes): Promise<VpcAttributes> {
  const next = { ...current };
  if (!next.enableDnsSupport) {
    await setDns(ec2, vpcId, 'enableDnsSupport', true);
    next.enableDnsSupport = true;
  }
  if (!next.enableDnsHostnames) {
    await setDns(ec2, vpcId, 'enableDnsHostnames', true);
    next.enableDnsHostnames = true;
  }
  return next;
}

async function create(ctx: ResourceContext): Promise<ObservedResource> {
  const { stack } = ctx.spec;
  const name = names(stack).vpc;
  const answer = await ctx.clients.ec2.send(
    new CreateVpcCommand({
      CidrBlock: ctx.spec.network.cidr,
      TagSpecifications: ec2TagSpecifications('vpc', stack, KEY, name, ctx.nonce),
    }),
  );
  const vpc = answer.Vpc;
  if (!vpc?.VpcId) throw new Error('CreateVpc answered without a VpcId');
  ctx.answered?.(vpc.VpcId);
  // A new VPC has DNS support on and DNS hostnames off (AWS defaults).
  const created: VpcAttributes = {
    cidr: vpc.CidrBlock ?? ctx.spec.network.cidr,
    enableDnsSupport: true,
    enableDnsHostnames: false,
  };
  // Right after CreateVpc, EC2 may still answer InvalidVpcID.NotFound (eventual consistency): the VPC then
  // counts as created but not ready, and the next pass's `update` enables DNS hostnames.
  const attributes =
    (await orUndefinedIfGone(() => applyDns(ctx.clients.ec2, vpc.VpcId!, created), vpcErrors)) ?? created;
  return observedVpc(vpc.VpcId, ec2TagRecord(stack, KEY, name, ctx.nonce), attributes, vpc.State);
}

async function update(ctx: ResourceContext, current: ObservedResource): Promise<ObservedResource> {
  const attributes = await applyDns(ctx.clients.ec2, current.id, current.attributes as VpcAttributes);
  return observedVpc(current.id, current.tags, attributes, current.state);
}

async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
  // DependencyViolation while subnets, gateways or lingering ENIs remain: retryable, the next pass retries.
  await orUndefinedIfGone(() => ctx.clients.ec2.send(new DeleteVpcCommand({ VpcId: current.id })), vpcErrors);
}

/**
 * @example
 * const found = await vpcResource.find(ctx); // undefined before the first create
 * const vpc = found ?? (await vpcResource.create(ctx));
 */
export const vpcResource: StackResource = {
  key: KEY,
  type: TYPE,
  service: 'ec2',
  steadyCheck: 'tagged',
  creates: 'nonce',
  // EC2 ids (vpc-…) are never given to another resource.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [],
  waiters: WAITERS,
  // CreateVpc answers `pending`; the VPC is `available` moments later.
  readySoonAfterCreate: true,
  errors: vpcErrors,
  immutable: ['cidr'],
  neededBy: () => true,
  desiredAttributes: (spec) => desired(spec),
  find,
  create,
  update,
  delete: remove,
};
