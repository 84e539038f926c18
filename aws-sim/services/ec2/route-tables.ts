/**
 * Route tables, their routes and subnet associations ("Route tables for your VPC"). Every VPC has a main
 * route table, made with it and deleted with it; a subnet without an explicit association uses it.
 */
import type {
  AssociateRouteTableRequest,
  AssociateRouteTableResult,
  CreateRouteRequest,
  CreateRouteResult,
  CreateRouteTableRequest,
  CreateRouteTableResult,
  DeleteRouteRequest,
  DeleteRouteTableRequest,
  DescribeRouteTablesRequest,
  DescribeRouteTablesResult,
  DisassociateRouteTableRequest,
  ReplaceRouteRequest,
  RouteTable,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { toKeyValueList } from '../../core/tags';
import { parseIpv4Block } from './cidr';
import { ec2Operation, type Ec2Context } from './context';
import { describeRecords, describeRequest, recordsByVpc, type DescribeSource } from './describe';
import { KINDS, requireRecord } from './kinds';
import type { Ec2State, RouteRecord, RouteTableRecord, VpcRecord } from './state';
import { tagsFromSpecifications } from './tags';

/** Invalidated wherever a table is created or deleted (here, and DeleteVpc's main table). */
export const routeTablesByVpc = recordsByVpc<RouteTableRecord>();

function newRouteTable(
  ctx: Ec2Context,
  vpc: VpcRecord,
  main: boolean,
  tags: Record<string, string>,
): RouteTableRecord {
  const table: RouteTableRecord = {
    id: ctx.account.newId('rtb-'),
    vpcId: vpc.id,
    createdAt: ctx.now,
    tags,
    main,
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    associations: [],
  };
  ctx.state.routeTables[table.id] = table;
  routeTablesByVpc.invalidate(ctx.state.routeTables);
  return table;
}

/** The main route table of a new VPC, with its `Main: true` association. */
export function createMainRouteTable(ctx: Ec2Context, vpc: VpcRecord): RouteTableRecord {
  const table = newRouteTable(ctx, vpc, true, {});
  const association = { id: ctx.account.newId('rtbassoc-'), main: true };
  table.associations.push(association);
  ctx.state.routeTableAssociations[association.id] = table.id;
  return table;
}

/** A route to an internet gateway is a blackhole once the gateway is detached or deleted. */
function routeState(state: Ec2State, table: RouteTableRecord, route: RouteRecord): 'active' | 'blackhole' {
  if (route.gatewayId === 'local') return 'active';
  return state.internetGateways[route.gatewayId]?.vpcId === table.vpcId ? 'active' : 'blackhole';
}

function routeTableOutput(state: Ec2State, table: RouteTableRecord, account: SimAccount): RouteTable {
  return {
    RouteTableId: table.id,
    VpcId: table.vpcId,
    OwnerId: account.accountId,
    PropagatingVgws: [],
    Routes: table.routes.map((route) => ({
      DestinationCidrBlock: route.destinationCidrBlock,
      GatewayId: route.gatewayId,
      Origin: route.origin,
      State: routeState(state, table, route),
    })),
    Associations: table.associations.map((association) => ({
      Main: association.main,
      RouteTableAssociationId: association.id,
      RouteTableId: table.id,
      SubnetId: association.subnetId,
      AssociationState: { State: 'associated' },
    })),
    Tags: toKeyValueList(table.tags),
  };
}

export const createRouteTable = ec2Operation<CreateRouteTableRequest, CreateRouteTableResult>({
  mutating: true,
  required: ['VpcId'],
  handle: (input, ctx: Ec2Context) => {
    const vpc = requireRecord(KINDS.vpc, ctx.state.vpcs, input.VpcId, ctx);
    const tags = tagsFromSpecifications(input.TagSpecifications, 'route-table', ctx);
    // A repeated client token with the same parameters answers with the table the first request made;
    // with other parameters, EC2 refuses it.
    const token = input.ClientToken ? `CreateRouteTable:${input.ClientToken}` : undefined;
    const parameters = JSON.stringify({ VpcId: input.VpcId, TagSpecifications: input.TagSpecifications });
    const seen = token ? ctx.state.clientTokens?.[token] : undefined;
    if (seen) {
      if (seen.parameters !== parameters) {
        ctx.fail(
          'IdempotentParameterMismatch',
          'The client token you have provided is associated with a resource that is already deleted, or the parameters differ from the original request.',
        );
      }
      const earlier = ctx.state.routeTables[seen.resourceId];
      if (earlier) {
        return {
          RouteTable: routeTableOutput(ctx.state, earlier, ctx.account),
          ClientToken: input.ClientToken,
        };
      }
    }
    const table = newRouteTable(ctx, vpc, false, tags);
    if (token) (ctx.state.clientTokens ??= {})[token] = { parameters, resourceId: table.id };
    return {
      RouteTable: routeTableOutput(ctx.state, table, ctx.account),
      ...(input.ClientToken ? { ClientToken: input.ClientToken } : {}),
    };
  },
});

const ROUTE_TABLE_SOURCE: DescribeSource<RouteTableRecord> = {
  kind: KINDS['route-table'],
  byVpc: routeTablesByVpc,
  filters: {
    'route-table-id': (table) => table.id,
    'vpc-id': (table) => table.vpcId,
    'owner-id': (_table, ctx) => ctx.account.accountId,
    'association.main': (table) => (table.main ? 'true' : table.associations.length > 0 ? 'false' : []),
    'association.subnet-id': (table) => table.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : [])),
    'association.route-table-association-id': (table) => table.associations.map((a) => a.id),
    'association.route-table-id': (table) => (table.associations.length > 0 ? table.id : []),
    'association.association-state': (table) => (table.associations.length > 0 ? 'associated' : []),
    'route.destination-cidr-block': (table) => table.routes.map((r) => r.destinationCidrBlock),
    'route.gateway-id': (table) => table.routes.map((r) => r.gatewayId),
    'route.origin': (table) => table.routes.map((r) => r.origin),
    'route.state': (table, ctx) => table.routes.map((r) => routeState(ctx.state, table, r)),
  },
};

export const describeRouteTables = ec2Operation<DescribeRouteTablesRequest, DescribeRouteTablesResult>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const page = describeRecords(
      describeRequest(input, input.RouteTableIds, 'routeTableIds'),
      ctx.state.routeTables,
      ROUTE_TABLE_SOURCE,
      ctx,
    );
    return {
      RouteTables: page.items.map((table) => routeTableOutput(ctx.state, table, ctx.account)),
      NextToken: page.nextToken,
    };
  },
});

export const deleteRouteTable = ec2Operation<DeleteRouteTableRequest, Record<string, never>>({
  mutating: true,
  required: ['RouteTableId'],
  handle: (input, ctx: Ec2Context) => {
    const table = requireRecord(KINDS['route-table'], ctx.state.routeTables, input.RouteTableId, ctx);
    // "You can't delete the main route table"; any table with associations: "has dependencies".
    if (table.main || table.associations.length > 0) {
      ctx.fail('DependencyViolation', `The routeTable '${table.id}' has dependencies and cannot be deleted.`);
    }
    delete ctx.state.routeTables[table.id];
    routeTablesByVpc.invalidate(ctx.state.routeTables);
    return {};
  },
});

/** The destination and internet gateway of a CreateRoute/ReplaceRoute request, checked as AWS checks them. */
function routeTarget(
  input: CreateRouteRequest,
  table: RouteTableRecord,
  ctx: Ec2Context,
): { destination: string; gatewayId: string } {
  const destination = input.DestinationCidrBlock;
  if (destination === undefined) {
    ctx.fail('MissingParameter', 'The request must contain the parameter destinationCidrBlock');
  }
  if (!parseIpv4Block(destination)) {
    ctx.fail(
      'InvalidParameterValue',
      `Value (${destination}) for parameter destinationCidrBlock is invalid.`,
    );
  }
  // This model routes only to internet gateways: the only target LambdaFlex's public subnets need.
  if (input.GatewayId === undefined) {
    ctx.fail(
      'MissingParameter',
      'The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId',
    );
  }
  const gateway = requireRecord(KINDS['internet-gateway'], ctx.state.internetGateways, input.GatewayId, ctx);
  if (gateway.vpcId !== table.vpcId) {
    ctx.fail(
      'InvalidParameterValue',
      `route table ${table.id} and network gateway ${gateway.id} belong to different networks`,
    );
  }
  return { destination, gatewayId: gateway.id };
}

export const createRoute = ec2Operation<CreateRouteRequest, CreateRouteResult>({
  mutating: true,
  required: ['RouteTableId'],
  handle: (input, ctx: Ec2Context) => {
    const table = requireRecord(KINDS['route-table'], ctx.state.routeTables, input.RouteTableId, ctx);
    const { destination, gatewayId } = routeTarget(input, table, ctx);
    if (table.routes.some((route) => route.destinationCidrBlock === destination)) {
      ctx.fail('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
    }
    table.routes.push({ destinationCidrBlock: destination, gatewayId, origin: 'CreateRoute' });
    return { Return: true };
  },
});

/** ReplaceRoute: "There is no route defined for … in the route table. Use CreateRoute instead." when absent. */
export const replaceRoute = ec2Operation<ReplaceRouteRequest, Record<string, never>>({
  mutating: true,
  required: ['RouteTableId'],
  handle: (input, ctx: Ec2Context) => {
    const table = requireRecord(KINDS['route-table'], ctx.state.routeTables, input.RouteTableId, ctx);
    const { destination, gatewayId } = routeTarget(input, table, ctx);
    const route = table.routes.find((r) => r.destinationCidrBlock === destination);
    if (!route) {
      ctx.fail(
        'InvalidParameterValue',
        `There is no route defined for '${destination}' in the route table. Use CreateRoute instead.`,
      );
    }
    if (route.gatewayId === 'local') {
      ctx.fail(
        'InvalidParameterValue',
        `cannot replace local route ${destination} in route table ${table.id}`,
      );
    }
    route.gatewayId = gatewayId;
    return {};
  },
});

export const deleteRoute = ec2Operation<DeleteRouteRequest, Record<string, never>>({
  mutating: true,
  required: ['RouteTableId'],
  handle: (input, ctx: Ec2Context) => {
    const table = requireRecord(KINDS['route-table'], ctx.state.routeTables, input.RouteTableId, ctx);
    const index = table.routes.findIndex(
      (route) => route.destinationCidrBlock === input.DestinationCidrBlock,
    );
    if (index < 0) {
      ctx.fail(
        'InvalidRoute.NotFound',
        `no route with destination-cidr-block ${input.DestinationCidrBlock} in route table ${table.id}`,
      );
    }
    if (table.routes[index].gatewayId === 'local') {
      ctx.fail(
        'InvalidParameterValue',
        `cannot remove local route ${input.DestinationCidrBlock} in route table ${table.id}`,
      );
    }
    table.routes.splice(index, 1);
    return {};
  },
});

export const associateRouteTable = ec2Operation<AssociateRouteTableRequest, AssociateRouteTableResult>({
  mutating: true,
  required: ['RouteTableId'],
  handle: (input, ctx: Ec2Context) => {
    const table = requireRecord(KINDS['route-table'], ctx.state.routeTables, input.RouteTableId, ctx);
    if (input.SubnetId === undefined)
      ctx.fail('MissingParameter', 'The request must contain the parameter subnetId');
    const subnet = requireRecord(KINDS.subnet, ctx.state.subnets, input.SubnetId, ctx);
    if (subnet.vpcId !== table.vpcId) {
      ctx.fail(
        'InvalidParameterValue',
        `Route table ${table.id} and subnet ${subnet.id} belong to different networks`,
      );
    }
    if (subnet.routeTableAssociationId !== undefined) {
      const current = ctx.state.routeTableAssociations[subnet.routeTableAssociationId];
      ctx.fail(
        'Resource.AlreadyAssociated',
        `the specified association for route table ${current} conflicts with an existing association`,
      );
    }
    const association = { id: ctx.account.newId('rtbassoc-'), main: false, subnetId: subnet.id };
    table.associations.push(association);
    ctx.state.routeTableAssociations[association.id] = table.id;
    subnet.routeTableAssociationId = association.id;
    return { AssociationId: association.id, AssociationState: { State: 'associated' } };
  },
});

/** Removes a subnet's explicit association (DisassociateRouteTable, or DeleteSubnet which drops it). */
export function removeAssociation(state: Ec2State, associationId: string): void {
  const table = state.routeTables[state.routeTableAssociations[associationId]];
  if (table) {
    const association = table.associations.find((a) => a.id === associationId);
    table.associations = table.associations.filter((a) => a.id !== associationId);
    const subnet = association?.subnetId === undefined ? undefined : state.subnets[association.subnetId];
    if (subnet) delete subnet.routeTableAssociationId;
  }
  delete state.routeTableAssociations[associationId];
}

export const disassociateRouteTable = ec2Operation<DisassociateRouteTableRequest, Record<string, never>>({
  mutating: true,
  required: ['AssociationId'],
  handle: (input, ctx: Ec2Context) => {
    const associationId = input.AssociationId as string;
    const table = ctx.state.routeTables[ctx.state.routeTableAssociations[associationId]];
    if (!table) {
      ctx.fail('InvalidAssociationID.NotFound', `The association ID '${associationId}' does not exist`);
    }
    if (table.associations.some((a) => a.id === associationId && a.main)) {
      ctx.fail(
        'InvalidParameterValue',
        `cannot disassociate the main route table association ${associationId}`,
      );
    }
    removeAssociation(ctx.state, associationId);
    return {};
  },
});

/** The table that routes a subnet's traffic: its explicit association, else its VPC's main table. */
export function effectiveRouteTable(state: Ec2State, subnetId: string): RouteTableRecord | undefined {
  const subnet = state.subnets[subnetId];
  if (!subnet) return undefined;
  const explicit =
    subnet.routeTableAssociationId === undefined
      ? undefined
      : state.routeTableAssociations[subnet.routeTableAssociationId];
  return state.routeTables[explicit ?? state.vpcs[subnet.vpcId]?.mainRouteTableId ?? ''];
}

/** Whether a route table sends 0.0.0.0/0 to an internet gateway attached to its VPC. */
export function hasInternetRoute(state: Ec2State, table: RouteTableRecord | undefined): boolean {
  return (
    table?.routes.some(
      (route) =>
        route.destinationCidrBlock === '0.0.0.0/0' &&
        route.gatewayId.startsWith('igw-') &&
        routeState(state, table, route) === 'active',
    ) ?? false
  );
}
