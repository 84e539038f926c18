import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteRouteTableCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ReplaceRouteCommand,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import {
  routeTableResource as kind,
  type RouteTableExtra,
  routeTableClientToken,
} from '../../../../reconciler/resources/ec2/route-table';
import type { ObservedResource } from '../../../../reconciler/resources/types';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const refs = {
  vpc: observed('vpc', 'AWS::EC2::VPC', 'vpc-1'),
  igw: observed('igw', 'AWS::EC2::InternetGateway', 'igw-1'),
  'subnet-a': observed('subnet-a', 'AWS::EC2::Subnet', 'subnet-b2'),
  'subnet-b': observed('subnet-b', 'AWS::EC2::Subnet', 'subnet-a1'),
};
const ctx = () => testContext({ refs });
const OWN_TAGS = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'route-table' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];
const LOCAL_ROUTE = { DestinationCidrBlock: '10.42.0.0/16', GatewayId: 'local', State: 'active' as const };

function describesTable(table: Partial<RouteTable>): void {
  ec2.on(DescribeRouteTablesCommand).resolves({
    RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Tags: OWN_TAGS, ...table }],
  });
}

function association(subnetId: string, id: string, state: 'associated' | 'disassociated' = 'associated') {
  return { RouteTableAssociationId: id, SubnetId: subnetId, Main: false, AssociationState: { State: state } };
}

function table(
  attributes: { defaultRouteGatewayId?: string; subnetIds?: string[] },
  extra: { defaultRoutePresent?: boolean; associations?: Record<string, string> } = {},
): ObservedResource<RouteTableExtra> {
  return observed(
    'route-table',
    'AWS::EC2::RouteTable',
    'rtb-1',
    { vpcId: 'vpc-1', subnetIds: [], ...attributes },
    { extra: { defaultRoutePresent: false, associations: {}, ...extra } },
  );
}

describe('routeTableResource', () => {
  it('depends on the VPC, the gateway and both subnets', () => {
    expect(kind.dependsOn).toEqual(['vpc', 'igw', 'subnet-a', 'subnet-b']);
    expect(kind.immutable).toEqual(['vpcId']);
  });

  it('desires the default route to the gateway and both subnets, sorted', () => {
    expect(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      vpcId: 'vpc-1',
      defaultRouteGatewayId: 'igw-1',
      subnetIds: ['subnet-a1', 'subnet-b2'],
    });
  });

  it('leaves the subnets undefined in desired until both are known, so a plan shows no false drift', () => {
    expect(
      kind.desiredAttributes(
        testSpec(),
        { vpc: refs.vpc, igw: refs.igw, 'subnet-a': refs['subnet-a'] },
        DEFAULT_INTENT,
      ),
    ).toEqual({
      vpcId: 'vpc-1',
      defaultRouteGatewayId: 'igw-1',
      subnetIds: undefined,
    });
  });

  describe('find', () => {
    it('filters by the stack and component tags and answers undefined when empty', async () => {
      ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
      expect(await kind.find(ctx())).toBeUndefined();
      expect(ec2).toHaveReceivedCommandWith(DescribeRouteTablesCommand, {
        Filters: [
          { Name: 'tag:lambdaflex:stack', Values: ['orders-api'] },
          { Name: 'tag:lambdaflex:component', Values: ['route-table'] },
        ],
      });
    });

    it('answers undefined on InvalidRouteTableID.NotFound', async () => {
      ec2.on(DescribeRouteTablesCommand).rejects(awsError('InvalidRouteTableID.NotFound'));
      expect(await kind.find(ctx())).toBeUndefined();
    });

    it('reports a complete table as desired and ready, ignoring the local route and the main flag', async () => {
      describesTable({
        Routes: [LOCAL_ROUTE, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }],
        Associations: [association('subnet-b2', 'rtbassoc-b'), association('subnet-a1', 'rtbassoc-a')],
      });
      const found = await kind.find(ctx());
      expect(found?.attributes).toEqual(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
      expect(found?.ready).toBe(true);
      expect(found?.extra).toEqual({
        defaultRoutePresent: true,
        associations: { 'subnet-a1': 'rtbassoc-a', 'subnet-b2': 'rtbassoc-b' },
      });
    });

    it('reports what a crash left out: no default route, one association', async () => {
      describesTable({ Routes: [LOCAL_ROUTE], Associations: [association('subnet-a1', 'rtbassoc-a')] });
      const found = await kind.find(ctx());
      expect(found?.attributes).toEqual({
        vpcId: 'vpc-1',
        defaultRouteGatewayId: undefined,
        subnetIds: ['subnet-a1'],
      });
      expect(found?.ready).toBe(false);
    });

    it('treats a blackhole default route as no gateway, and ignores disassociated subnets', async () => {
      describesTable({
        Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-old', State: 'blackhole' }],
        Associations: [association('subnet-a1', 'rtbassoc-a', 'disassociated')],
      });
      const found = await kind.find(ctx());
      expect(found?.attributes).toMatchObject({ defaultRouteGatewayId: undefined, subnetIds: [] });
      expect(found?.extra).toMatchObject({ defaultRoutePresent: true });
    });
  });

  describe('create', () => {
    it('tags the table with the journaled nonce and derives the client token from it', async () => {
      ec2
        .on(CreateRouteTableCommand)
        .resolves({ RouteTable: { RouteTableId: 'rtb-9', VpcId: 'vpc-1', Routes: [LOCAL_ROUTE] } });
      ec2.on(CreateRouteCommand).resolves({ Return: true });
      ec2.on(AssociateRouteTableCommand).resolves({ AssociationId: 'rtbassoc-a' });
      await kind.create({ ...ctx(), nonce: 'abcd0123' });
      expect(ec2).toHaveReceivedCommandWith(CreateRouteTableCommand, {
        VpcId: 'vpc-1',
        ClientToken: routeTableClientToken('orders-api', 'vpc-1', 'abcd0123'),
        TagSpecifications: [
          {
            ResourceType: 'route-table',
            Tags: [
              ...OWN_TAGS,
              { Key: 'Name', Value: 'lf-orders-api-route-table' },
              { Key: 'lambdaflex:nonce', Value: 'abcd0123' },
            ],
          },
        ],
      });
    });

    it('derives the client token from the stack, the VPC and the nonce: a VPC made again gets another token', () => {
      // EC2 answers the same token with other parameters IdempotentParameterMismatch: a VPC made again
      // while a create of the table was pending must not wedge the stack on the old token.
      const token = routeTableClientToken('orders-api', 'vpc-1', 'abcd0123');
      expect(routeTableClientToken('orders-api', 'vpc-1', 'abcd0123')).toBe(token);
      expect(routeTableClientToken('orders-api', 'vpc-2', 'abcd0123')).not.toBe(token);
      expect(routeTableClientToken('orders-api', 'vpc-1', 'abcd0124')).not.toBe(token);
      expect(routeTableClientToken('orders-apj', 'vpc-1', 'abcd0123')).not.toBe(token);
      expect(token.length).toBeLessThanOrEqual(64);
      expect(token).toMatch(/^[\x21-\x7e]+$/);
    });

    it('creates the tagged table, the default route and both associations', async () => {
      ec2
        .on(CreateRouteTableCommand)
        .resolves({ RouteTable: { RouteTableId: 'rtb-9', VpcId: 'vpc-1', Routes: [LOCAL_ROUTE] } });
      ec2.on(CreateRouteCommand).resolves({ Return: true });
      ec2
        .on(AssociateRouteTableCommand, { SubnetId: 'subnet-a1' })
        .resolves({ AssociationId: 'rtbassoc-a' })
        .on(AssociateRouteTableCommand, { SubnetId: 'subnet-b2' })
        .resolves({ AssociationId: 'rtbassoc-b' });
      const created = await kind.create(ctx());
      expect(ec2).toHaveReceivedCommandWith(CreateRouteTableCommand, {
        VpcId: 'vpc-1',
        TagSpecifications: [
          {
            ResourceType: 'route-table',
            Tags: [...OWN_TAGS, { Key: 'Name', Value: 'lf-orders-api-route-table' }],
          },
        ],
      });
      expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, {
        RouteTableId: 'rtb-9',
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: 'igw-1',
      });
      expect(ec2).toHaveReceivedCommandWith(AssociateRouteTableCommand, {
        RouteTableId: 'rtb-9',
        SubnetId: 'subnet-a1',
      });
      expect(ec2).toHaveReceivedCommandWith(AssociateRouteTableCommand, {
        RouteTableId: 'rtb-9',
        SubnetId: 'subnet-b2',
      });
      expect(created.attributes).toEqual(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
      expect(created.ready).toBe(true);
      expect(created.extra).toEqual({
        defaultRoutePresent: true,
        associations: { 'subnet-a1': 'rtbassoc-a', 'subnet-b2': 'rtbassoc-b' },
      });
    });

    it('returns a partial table when the new table is not visible yet, for update to finish', async () => {
      ec2.on(CreateRouteTableCommand).resolves({ RouteTable: { RouteTableId: 'rtb-9', VpcId: 'vpc-1' } });
      ec2.on(CreateRouteCommand).rejects(awsError('InvalidRouteTableID.NotFound'));
      const created = await kind.create(ctx());
      expect(created).toMatchObject({
        id: 'rtb-9',
        ready: false,
        attributes: { defaultRouteGatewayId: undefined },
      });
      expect(ec2).not.toHaveReceivedCommand(AssociateRouteTableCommand);
    });

    it("lets a just-created subnet's NotFound through, classified retryable", async () => {
      const error = awsError('InvalidSubnetID.NotFound');
      ec2.on(CreateRouteTableCommand).resolves({ RouteTable: { RouteTableId: 'rtb-9', VpcId: 'vpc-1' } });
      ec2.on(CreateRouteCommand).resolves({ Return: true });
      ec2.on(AssociateRouteTableCommand).rejects(error);
      await expect(kind.create(ctx())).rejects.toBe(error);
      expect(classify(error, kind.errors)).toBe('retryable');
    });
  });

  describe('update', () => {
    it('adds the missing route and association after a crash', async () => {
      ec2.on(CreateRouteCommand).resolves({ Return: true });
      ec2.on(AssociateRouteTableCommand).resolves({ AssociationId: 'rtbassoc-b' });
      const current = table({ subnetIds: ['subnet-a1'] }, { associations: { 'subnet-a1': 'rtbassoc-a' } });
      const updated = await kind.update!(ctx(), current, []);
      expect(ec2).toHaveReceivedCommandWith(CreateRouteCommand, {
        RouteTableId: 'rtb-1',
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: 'igw-1',
      });
      expect(ec2).toHaveReceivedCommandTimes(AssociateRouteTableCommand, 1);
      expect(ec2).toHaveReceivedCommandWith(AssociateRouteTableCommand, {
        RouteTableId: 'rtb-1',
        SubnetId: 'subnet-b2',
      });
      expect(updated.attributes).toEqual(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
      expect(updated.ready).toBe(true);
    });

    it('replaces a default route that points elsewhere or is a blackhole', async () => {
      ec2.on(ReplaceRouteCommand).resolves({});
      const current = table(
        { defaultRouteGatewayId: undefined, subnetIds: ['subnet-a1', 'subnet-b2'] },
        { defaultRoutePresent: true, associations: { 'subnet-a1': 'x', 'subnet-b2': 'y' } },
      );
      await kind.update!(ctx(), current, []);
      expect(ec2).toHaveReceivedCommandWith(ReplaceRouteCommand, {
        RouteTableId: 'rtb-1',
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: 'igw-1',
      });
      expect(ec2).not.toHaveReceivedCommand(CreateRouteCommand);
    });

    it("disassociates a subnet that is no longer one of the stack's", async () => {
      ec2.on(DisassociateRouteTableCommand).resolves({});
      const current = table(
        { defaultRouteGatewayId: 'igw-1', subnetIds: ['subnet-a1', 'subnet-b2', 'subnet-old'] },
        {
          defaultRoutePresent: true,
          associations: { 'subnet-a1': 'x', 'subnet-b2': 'y', 'subnet-old': 'rtbassoc-old' },
        },
      );
      const updated = await kind.update!(ctx(), current, []);
      expect(ec2).toHaveReceivedCommandTimes(DisassociateRouteTableCommand, 1);
      expect(ec2).toHaveReceivedCommandWith(DisassociateRouteTableCommand, { AssociationId: 'rtbassoc-old' });
      expect(updated.attributes).toEqual(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
    });

    it('makes no call when nothing drifted', async () => {
      const current = table(
        { defaultRouteGatewayId: 'igw-1', subnetIds: ['subnet-a1', 'subnet-b2'] },
        { defaultRoutePresent: true, associations: { 'subnet-a1': 'x', 'subnet-b2': 'y' } },
      );
      await kind.update!(ctx(), current, []);
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('delete', () => {
    const current = table(
      { defaultRouteGatewayId: 'igw-1', subnetIds: ['subnet-a1', 'subnet-b2'] },
      { defaultRoutePresent: true, associations: { 'subnet-a1': 'rtbassoc-a', 'subnet-b2': 'rtbassoc-b' } },
    );

    it('disassociates both subnets, then deletes the table', async () => {
      ec2.on(DisassociateRouteTableCommand).resolves({});
      ec2.on(DeleteRouteTableCommand).resolves({});
      await kind.delete(ctx(), current);
      expect(ec2).toHaveReceivedNthCommandWith(1, DisassociateRouteTableCommand, {
        AssociationId: 'rtbassoc-a',
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, DisassociateRouteTableCommand, {
        AssociationId: 'rtbassoc-b',
      });
      expect(ec2).toHaveReceivedNthCommandWith(3, DeleteRouteTableCommand, { RouteTableId: 'rtb-1' });
    });

    it('is idempotent: gone associations and a gone table count as done', async () => {
      ec2.on(DisassociateRouteTableCommand).rejects(awsError('InvalidAssociationID.NotFound'));
      ec2.on(DeleteRouteTableCommand).rejects(awsError('InvalidRouteTableID.NotFound'));
      await expect(kind.delete(ctx(), current)).resolves.toBeUndefined();
    });

    it('rethrows DependencyViolation, classified retryable', async () => {
      const error = awsError(
        'DependencyViolation',
        "The routeTable 'rtb-1' has dependencies and cannot be deleted.",
      );
      ec2.on(DisassociateRouteTableCommand).resolves({});
      ec2.on(DeleteRouteTableCommand).rejects(error);
      await expect(kind.delete(ctx(), current)).rejects.toBe(error);
      expect(classify(error, kind.errors)).toBe('retryable');
    });
  });

  it.each([
    ['InvalidRouteTableID.NotFound', 'notFound'],
    ['InvalidAssociationID.NotFound', 'notFound'],
    ['InvalidInternetGatewayID.NotFound', 'retryable'],
    ['InvalidGatewayID.NotFound', 'retryable'],
    ['InvalidSubnetID.NotFound', 'retryable'],
    ['RouteAlreadyExists', 'retryable'],
    ['Resource.AlreadyAssociated', 'retryable'],
    ['RouteTableLimitExceeded', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), kind.errors)).toBe(verdict);
  });
});
