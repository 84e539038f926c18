/**
 * The internet gateway (AWS::EC2::InternetGateway) and its attachment to the stack's VPC, one resource
 * because neither is useful alone. A crash between CreateInternetGateway and AttachInternetGateway leaves a
 * tagged, detached gateway: `find` reports `attachedVpcId: undefined` and `update` attaches it.
 *
 * Deleting detaches first. While any ENI in the VPC still holds a public IP (a Fargate task or an ALB that
 * is going away), the detach answers DependencyViolation ("has some mapped public address(es)"): retryable,
 * the engine tries again on a later pass.
 */
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  DeleteInternetGatewayCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  type EC2Client,
  type InternetGateway,
  type InternetGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { COMPONENTS, names, type DesiredState } from '../../../spec';
import { findObserved, type Ec2Describe } from './find';
import { orUndefinedIfGone } from '../common/not-found';
import { requireRef } from '../common/dependency-refs';
import { ec2TagRecord, ec2TagSpecifications } from './tags';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = COMPONENTS.internetGateway;
const TYPE = 'AWS::EC2::InternetGateway';

export const internetGatewayErrors: ErrorCodes = {
  // Gateway.NotAttached on a detach: the attachment is already gone, which is what the detach wanted.
  notFound: ['InvalidInternetGatewayID.NotFound', 'Gateway.NotAttached'],
  // InvalidVpcID.NotFound on attach: a VPC created moments ago (eventual consistency).
  // Resource.AlreadyAssociated: attached meanwhile; the next `find` sees to which VPC.
  retryable: ['DependencyViolation', 'InvalidVpcID.NotFound', 'Resource.AlreadyAssociated'],
  terminal: ['InternetGatewayLimitExceeded', 'InvalidParameterValue'],
};

interface GatewayAttributes extends Record<string, unknown> {
  attachedVpcId: string | undefined;
}

function desiredAttributes(_spec: DesiredState, refs: ResourceContext['refs']): GatewayAttributes {
  return { attachedVpcId: refs[RESOURCE_KEYS.vpc]?.id };
}

const LIVE_STATES: readonly string[] = ['available', 'attached', 'attaching'];

/**
 * The VPC it is attached to. DescribeInternetGateways says `available` for an attached gateway (the
 * attachment API's own word is `attached`); `attaching` counts too, as it will be attached without help.
 */
function attachedVpc(attachments: readonly InternetGatewayAttachment[] | undefined): string | undefined {
  // The SDK's type lists only the attachment API's words; the `string` widening admits `available`.
  const live = (attachments ?? []).find((a) => LIVE_STATES.includes(a.State as string));
  return live?.VpcId;
}

function observedGateway(
  ctx: ResourceContext,
  id: string,
  tags: Record<string, string>,
  attributes: GatewayAttributes,
  extra?: object,
): ObservedResource {
  const wantedVpc = ctx.refs[RESOURCE_KEYS.vpc]?.id;
  const ready = attributes.attachedVpcId !== undefined && attributes.attachedVpcId === wantedVpc;
  return {
    key: KEY,
    type: TYPE,
    id,
    state: attributes.attachedVpcId ? 'attached' : 'detached',
    tags,
    attributes,
    ready,
    notReadyReason: ready
      ? undefined
      : attributes.attachedVpcId
        ? `attached to ${attributes.attachedVpcId}, not to the stack's VPC`
        : 'not attached to the VPC',
    extra,
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
  const ec2 = ctx.clients.ec2;
  const describe: Ec2Describe<InternetGateway> = {
    describePage: async (filters, token) => {
      const page = await ec2.send(
        new DescribeInternetGatewaysCommand({ Filters: filters, NextToken: token }),
      );
      return { items: page.InternetGateways, nextToken: page.NextToken };
    },
    idOf: (gateway) => gateway.InternetGatewayId,
    tagsOf: (gateway) => gateway.Tags,
  };
  return findObserved(ctx, KEY, internetGatewayErrors, describe, ({ item, id, tags }) =>
    observedGateway(ctx, id, tags, { attachedVpcId: attachedVpc(item.Attachments) }),
  );
}

async function attach(ec2: EC2Client, gatewayId: string, vpcId: string): Promise<void> {
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
}

/** Detaches; an attachment (or gateway) already gone counts as detached. */
async function detach(ec2: EC2Client, gatewayId: string, vpcId: string): Promise<void> {
  await orUndefinedIfGone(
    () => ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId })),
    internetGatewayErrors,
  );
}

async function create(ctx: ResourceContext): Promise<ObservedResource> {
  const { stack } = ctx.spec;
  const name = names(stack).internetGateway;
  const vpcId = requireRef(ctx.refs, RESOURCE_KEYS.vpc, KEY).id;
  const answer = await ctx.clients.ec2.send(
    new CreateInternetGatewayCommand({
      TagSpecifications: ec2TagSpecifications('internet-gateway', stack, KEY, name, ctx.nonce),
    }),
  );
  const gatewayId = answer.InternetGateway?.InternetGatewayId;
  if (!gatewayId) throw new Error('CreateInternetGateway answered without an InternetGatewayId');
  ctx.answered?.(gatewayId);
  // A gateway created a moment ago may answer InvalidInternetGatewayID.NotFound: it then stays detached
  // and `update` attaches it on the next pass.
  const attached = await orUndefinedIfGone(
    () => attach(ctx.clients.ec2, gatewayId, vpcId).then(() => true),
    internetGatewayErrors,
  );
  const attributes = { attachedVpcId: attached ? vpcId : undefined };
  return observedGateway(ctx, gatewayId, ec2TagRecord(stack, KEY, name, ctx.nonce), attributes);
}

async function update(ctx: ResourceContext, current: ObservedResource): Promise<ObservedResource> {
  const vpcId = requireRef(ctx.refs, RESOURCE_KEYS.vpc, KEY).id;
  const attachedVpcId = (current.attributes as GatewayAttributes).attachedVpcId;
  if (attachedVpcId !== vpcId) {
    // The gateway is ours (found by tag); a gateway attaches to one VPC at a time, so leave the other first.
    if (attachedVpcId) await detach(ctx.clients.ec2, current.id, attachedVpcId);
    await attach(ctx.clients.ec2, current.id, vpcId);
  }
  return observedGateway(ctx, current.id, current.tags, { attachedVpcId: vpcId });
}

async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
  const attachedVpcId = (current.attributes as GatewayAttributes).attachedVpcId;
  if (attachedVpcId) await detach(ctx.clients.ec2, current.id, attachedVpcId);
  await orUndefinedIfGone(
    () => ctx.clients.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: current.id })),
    internetGatewayErrors,
  );
}

/**
 * @example
 * const igw = await internetGatewayResource.find({ ...ctx, refs: { vpc } });
 * if (igw && !igw.ready) await internetGatewayResource.update!(ctx, igw, []);
 */
export const internetGatewayResource: StackResource = {
  key: KEY,
  type: TYPE,
  service: 'ec2',
  steadyCheck: 'tagged',
  creates: 'nonce',
  // EC2 ids (igw-…) are never given to another resource.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.vpc],
  // DeleteVpc answers DependencyViolation while a gateway is attached to the VPC.
  holds: { [RESOURCE_KEYS.vpc]: 'attachedVpcId' },
  errors: internetGatewayErrors,
  neededBy: () => true,
  desiredAttributes,
  find,
  create,
  update,
  delete: remove,
};
