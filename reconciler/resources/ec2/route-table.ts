/**
 * The public route table (AWS::EC2::RouteTable) with its default route to the internet gateway and its
 * associations with both subnets: one resource, because a table without its route or associations does
 * nothing. It takes four calls to build (CreateRouteTable, CreateRoute, two AssociateRouteTable), so a crash
 * can stop it half way; `find` reports the route's gateway and the associated subnets in `attributes`, and
 * `update` adds what is missing. `create` runs the same completion right after CreateRouteTable.
 */
import { createHash } from 'node:crypto';
import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteRouteTableCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteCommand,
  type EC2Client,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { COMPONENTS, names, type DesiredState } from '../../../spec';
import { isNotFound } from '../../aws/classify';
import { findObserved, type Ec2Describe } from './find';
import { orUndefinedIfGone } from '../common/not-found';
import { idsOf, requireRef } from '../common/dependency-refs';
import { ec2TagRecord, ec2TagSpecifications } from './tags';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS, SUBNET_KEYS } from '../keys';

const KEY = COMPONENTS.routeTable;
const TYPE = 'AWS::EC2::RouteTable';
export const DEFAULT_ROUTE = '0.0.0.0/0';

export const routeTableErrors: ErrorCodes = {
  notFound: ['InvalidRouteTableID.NotFound', 'InvalidAssociationID.NotFound'],
  retryable: [
    'DependencyViolation',
    // Dependencies created moments ago (eventual consistency): not this table's own absence.
    'InvalidVpcID.NotFound',
    'InvalidSubnetID.NotFound',
    'InvalidInternetGatewayID.NotFound',
    'InvalidGatewayID.NotFound',
    // The route appeared since `find` looked: the next pass replaces it if it points elsewhere.
    'RouteAlreadyExists',
    // A subnet still associated with another table: the stack's own first table, which a lagging
    // DescribeRouteTables missed long enough to be made again (nothing else EC2 lists names a route table),
    // and which is taken back once shown, this one deleted as the duplicate; or someone's table, until
    // they disassociate it. No spec change ends either, so it is not terminal: looked at again.
    'Resource.AlreadyAssociated',
  ],
  terminal: ['RouteTableLimitExceeded', 'RouteLimitExceeded', 'InvalidParameterValue'],
};

interface RouteTableAttributes extends Record<string, unknown> {
  vpcId: string | undefined;
  /** The gateway the default route sends traffic to; undefined when the route is missing or a blackhole. */
  defaultRouteGatewayId: string | undefined;
  /** Explicitly associated subnets, sorted (undefined only in `desiredAttributes`, while a subnet is unknown). */
  subnetIds: string[] | undefined;
}

/** What `converge` brings a table to: every dependency known. */
interface RouteTableTarget extends RouteTableAttributes {
  subnetIds: string[];
}

/** What `update` and `delete` need beyond the compared attributes. */
export interface RouteTableExtra extends Record<string, unknown> {
  /** Whether any default route exists (blackhole or other target included): decides Create vs ReplaceRoute. */
  defaultRoutePresent: boolean;
  /** Association id by subnet id, for disassociating. */
  associations: Record<string, string>;
}

interface TableState {
  attributes: RouteTableTarget;
  extra: RouteTableExtra;
}

function desiredAttributes(_spec: DesiredState, refs: ResourceContext['refs']): RouteTableAttributes {
  return {
    vpcId: refs[RESOURCE_KEYS.vpc]?.id,
    defaultRouteGatewayId: refs[RESOURCE_KEYS.internetGateway]?.id,
    // Undefined until both subnets are known (the engine's diff skips undefined): no false drift in a plan.
    subnetIds: idsOf(refs, SUBNET_KEYS),
  };
}

/** Normalises DescribeRouteTables' answer: only what LambdaFlex manages, in a stable order. */
function readTable(table: RouteTable): TableState {
  const route = (table.Routes ?? []).find((r) => r.DestinationCidrBlock === DEFAULT_ROUTE);
  const associations: Record<string, string> = {};
  for (const association of table.Associations ?? []) {
    const state = association.AssociationState?.State;
    const live = state === undefined || state === 'associated' || state === 'associating';
    if (!association.Main && association.SubnetId && association.RouteTableAssociationId && live) {
      associations[association.SubnetId] = association.RouteTableAssociationId;
    }
  }
  return {
    attributes: {
      vpcId: table.VpcId,
      defaultRouteGatewayId: route && route.State !== 'blackhole' ? route.GatewayId : undefined,
      subnetIds: Object.keys(associations).sort(),
    },
    extra: { defaultRoutePresent: route !== undefined, associations },
  };
}

function observedTable(
  ctx: ResourceContext,
  id: string,
  tags: Record<string, string>,
  attributes: RouteTableAttributes,
  extra: RouteTableExtra,
): ObservedResource<RouteTableExtra> {
  const want = desiredAttributes(ctx.spec, ctx.refs);
  const routed =
    !!attributes.defaultRouteGatewayId && attributes.defaultRouteGatewayId === want.defaultRouteGatewayId;
  const associated =
    !!want.subnetIds && want.subnetIds.every((subnetId) => attributes.subnetIds?.includes(subnetId));
  return {
    key: KEY,
    type: TYPE,
    id,
    tags,
    attributes,
    ready: routed && associated,
    notReadyReason: !routed
      ? 'default route to the internet gateway missing'
      : !associated
        ? 'not associated with both subnets'
        : undefined,
    extra,
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource<RouteTableExtra> | undefined> {
  const ec2 = ctx.clients.ec2;
  const describe: Ec2Describe<RouteTable> = {
    describePage: async (filters, token) => {
      const page = await ec2.send(new DescribeRouteTablesCommand({ Filters: filters, NextToken: token }));
      return { items: page.RouteTables, nextToken: page.NextToken };
    },
    idOf: (table) => table.RouteTableId,
    tagsOf: (table) => table.Tags,
  };
  return findObserved(ctx, KEY, routeTableErrors, describe, ({ item, id, tags }) => {
    const { attributes, extra } = readTable(item);
    return observedTable(ctx, id, tags, attributes, extra);
  });
}

/**
 * CreateRouteTable's client token, from the create's nonce: a create repeated under the same pending
 * intent returns the table the first call made (EC2 idempotency) instead of a second table. The VPC is
 * in it too: EC2 refuses the same token with other parameters (`IdempotentParameterMismatch`), which a
 * VPC made again while the create was pending would otherwise meet for good. At most 64 ASCII characters.
 */
export function routeTableClientToken(stack: string, vpcId: string | undefined, nonce: string): string {
  const digest = createHash('sha256')
    .update(`${stack}\n${vpcId ?? ''}\n${nonce}`)
    .digest('hex');
  return `lf-rt-${digest.slice(0, 40)}`;
}

/**
 * Brings the route and the associations to `want`, recording each step in `state` as it succeeds, so that
 * a caller interrupted by an error still knows how far it got.
 */
async function converge(
  ec2: EC2Client,
  tableId: string,
  want: RouteTableTarget,
  state: TableState,
): Promise<void> {
  const gatewayId = want.defaultRouteGatewayId;
  if (gatewayId && state.attributes.defaultRouteGatewayId !== gatewayId) {
    const route = { RouteTableId: tableId, DestinationCidrBlock: DEFAULT_ROUTE, GatewayId: gatewayId };
    await ec2.send(
      state.extra.defaultRoutePresent ? new ReplaceRouteCommand(route) : new CreateRouteCommand(route),
    );
    state.attributes.defaultRouteGatewayId = gatewayId;
    state.extra.defaultRoutePresent = true;
  }
  for (const subnetId of want.subnetIds) {
    if (state.attributes.subnetIds.includes(subnetId)) continue;
    const answer = await ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }),
    );
    if (answer.AssociationId) state.extra.associations[subnetId] = answer.AssociationId;
    state.attributes.subnetIds = [...state.attributes.subnetIds, subnetId].sort();
  }
  for (const [subnetId, associationId] of Object.entries(state.extra.associations)) {
    if (want.subnetIds.includes(subnetId)) continue;
    await orUndefinedIfGone(
      () => ec2.send(new DisassociateRouteTableCommand({ AssociationId: associationId })),
      routeTableErrors,
    );
    delete state.extra.associations[subnetId];
    state.attributes.subnetIds = state.attributes.subnetIds.filter((id) => id !== subnetId);
  }
}

function wantedNow(ctx: ResourceContext): RouteTableTarget {
  return {
    vpcId: requireRef(ctx.refs, RESOURCE_KEYS.vpc, KEY).id,
    defaultRouteGatewayId: requireRef(ctx.refs, RESOURCE_KEYS.internetGateway, KEY).id,
    subnetIds: SUBNET_KEYS.map((key) => requireRef(ctx.refs, key, KEY).id).sort(),
  };
}

async function create(ctx: ResourceContext): Promise<ObservedResource<RouteTableExtra>> {
  const { stack } = ctx.spec;
  const name = names(stack).routeTable;
  const want = wantedNow(ctx);
  const answer = await ctx.clients.ec2.send(
    new CreateRouteTableCommand({
      VpcId: want.vpcId,
      TagSpecifications: ec2TagSpecifications('route-table', stack, KEY, name, ctx.nonce),
      ...(ctx.nonce === undefined
        ? {}
        : { ClientToken: routeTableClientToken(stack, want.vpcId, ctx.nonce) }),
    }),
  );
  const table = answer.RouteTable;
  if (!table?.RouteTableId) throw new Error('CreateRouteTable answered without a RouteTableId');
  ctx.answered?.(table.RouteTableId);
  const state = readTable(table);
  try {
    await converge(ctx.clients.ec2, table.RouteTableId, want, state);
  } catch (error) {
    // The new table not visible yet (eventual consistency): report what exists; `update` finishes it.
    if (!isNotFound(error, routeTableErrors)) throw error;
  }
  return observedTable(
    ctx,
    table.RouteTableId,
    ec2TagRecord(stack, KEY, name, ctx.nonce),
    state.attributes,
    state.extra,
  );
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<RouteTableExtra>,
): Promise<ObservedResource<RouteTableExtra>> {
  const state: TableState = {
    attributes: { ...(current.attributes as RouteTableTarget) },
    extra: extraOf(current),
  };
  await converge(ctx.clients.ec2, current.id, wantedNow(ctx), state);
  return observedTable(ctx, current.id, current.tags, state.attributes, { ...current.extra, ...state.extra });
}

/** The route and association details `find` put in `extra`, copied so that `converge` may change them. */
function extraOf(current: ObservedResource<RouteTableExtra>): RouteTableExtra {
  const extra: Partial<RouteTableExtra> = current.extra ?? {};
  return {
    defaultRoutePresent: extra.defaultRoutePresent ?? current.attributes.defaultRouteGatewayId !== undefined,
    associations: { ...(extra.associations ?? {}) },
  };
}

async function remove(ctx: ResourceContext, current: ObservedResource<RouteTableExtra>): Promise<void> {
  const ec2 = ctx.clients.ec2;
  // DeleteRouteTable refuses a table that still has associations (DependencyViolation).
  for (const associationId of Object.values(extraOf(current).associations)) {
    await orUndefinedIfGone(
      () => ec2.send(new DisassociateRouteTableCommand({ AssociationId: associationId })),
      routeTableErrors,
    );
  }
  await orUndefinedIfGone(
    () => ec2.send(new DeleteRouteTableCommand({ RouteTableId: current.id })),
    routeTableErrors,
  );
}

/**
 * @example
 * routeTableResource.desiredAttributes(spec, { vpc, igw, 'subnet-a': a, 'subnet-b': b });
 * // { vpcId: 'vpc-…', defaultRouteGatewayId: 'igw-…', subnetIds: ['subnet-…', 'subnet-…'] }
 */
export const routeTableResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'ec2',
  steadyCheck: 'tagged',
  creates: 'client-token',
  // EC2 ids (rtb-…) are never given to another resource.
  idsNeverReused: true,
  tier: 'fargate',
  dependsOn: [RESOURCE_KEYS.vpc, RESOURCE_KEYS.internetGateway, RESOURCE_KEYS.subnetA, RESOURCE_KEYS.subnetB],
  // DeleteVpc answers DependencyViolation while a route table other than the main one is in the VPC. A
  // default route names its gateway only while it is active: EC2 marks it 'blackhole' once the gateway
  // is detached or deleted (the Route's `State`), and `find` then reports no gateway. So a route table
  // read with one shows the gateway attached, and a consistent read never holds one that is gone.
  holds: { [RESOURCE_KEYS.vpc]: 'vpcId', [RESOURCE_KEYS.internetGateway]: 'defaultRouteGatewayId' },
  errors: routeTableErrors,
  immutable: ['vpcId'],
  neededBy: () => true,
  desiredAttributes,
  find,
  create,
  update,
  delete: remove,
};
