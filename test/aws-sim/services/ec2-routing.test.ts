import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { subnetHasInternetRoute } from '../../../aws-sim/services/ec2';
import { createSubnet, createVpc, nameTag, publicNetwork, simulatedEc2 } from './ec2-fixture';

describe('simulated EC2: internet gateways', () => {
  it('attaches a gateway to one VPC, shown as an attachment in state available, found by attachment.vpc-id', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const { InternetGateway } = await ec2.send(
      new CreateInternetGatewayCommand({ TagSpecifications: nameTag('internet-gateway', 'igw') }),
    );
    const igwId = InternetGateway!.InternetGatewayId!;
    expect(igwId).toMatch(/^igw-[0-9a-f]{17}$/);
    expect(InternetGateway!.Attachments).toEqual([]);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const { InternetGateways } = await ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
    );
    expect(InternetGateways).toEqual([
      expect.objectContaining({
        InternetGatewayId: igwId,
        Attachments: [{ VpcId: vpcId, State: 'available' }],
      }),
    ]);
  });

  it('refuses a second gateway on a VPC and a gateway on a second VPC with Resource.AlreadyAssociated', async () => {
    const { ec2 } = simulatedEc2();
    const vpcA = await createVpc(ec2);
    const vpcB = await createVpc(ec2, '10.1.0.0/16');
    const first = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const second = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: first, VpcId: vpcA }));
    await expect(
      ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcA })),
    ).rejects.toMatchObject({
      name: 'Resource.AlreadyAssociated',
    });
    await expect(
      ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: first, VpcId: vpcB })),
    ).rejects.toMatchObject({
      name: 'Resource.AlreadyAssociated',
    });
  });

  it('refuses to delete an attached gateway: DependencyViolation (DeleteInternetGateway API reference: detach first)', async () => {
    const { ec2 } = simulatedEc2();
    const { vpcId, igwId } = await publicNetwork(ec2);
    await expect(
      ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId })),
    ).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    await expect(
      ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId })),
    ).rejects.toMatchObject({
      name: 'InvalidInternetGatewayID.NotFound',
    });
  });

  it('answers Gateway.NotAttached when detaching from a VPC it is not attached to', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const igwId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expect(
      ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })),
    ).rejects.toMatchObject({
      name: 'Gateway.NotAttached',
    });
  });

  it('refuses DeleteVpc while a gateway is attached: DependencyViolation (Amazon VPC User Guide, "Delete your VPC")', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const igwId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
  });
});

describe('simulated EC2: route tables', () => {
  it("creates each VPC's main route table with a local route and a Main association", async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    expect(RouteTables).toHaveLength(1);
    expect(RouteTables![0].RouteTableId).toMatch(/^rtb-[0-9a-f]{17}$/);
    expect(RouteTables![0].Routes).toEqual([
      {
        DestinationCidrBlock: '10.0.0.0/16',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
    ]);
    expect(RouteTables![0].Associations).toEqual([
      expect.objectContaining({ Main: true, RouteTableAssociationId: expect.stringMatching(/^rtbassoc-/) }),
    ]);
  });

  it('refuses to delete the main route table: DependencyViolation ("You can\'t delete the main route table")', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    await expect(
      ec2.send(new DeleteRouteTableCommand({ RouteTableId: RouteTables![0].RouteTableId! })),
    ).rejects.toMatchObject({ name: 'DependencyViolation' });
    await expect(
      ec2.send(
        new DisassociateRouteTableCommand({
          AssociationId: RouteTables![0].Associations![0].RouteTableAssociationId!,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('shows routes and subnet associations, found by association.subnet-id', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [net.subnetA] }] }),
    );
    expect(RouteTables?.map((t) => t.RouteTableId)).toEqual([net.routeTableId]);
    expect(RouteTables![0].Routes).toContainEqual({
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: net.igwId,
      Origin: 'CreateRoute',
      State: 'active',
    });
    expect(RouteTables![0].Associations?.map((a) => [a.SubnetId, a.Main])).toEqual([
      [net.subnetA, false],
      [net.subnetB, false],
    ]);
  });

  it('refuses a duplicate route (RouteAlreadyExists), a subnet associated twice (Resource.AlreadyAssociated), a missing gateway (InvalidInternetGatewayID.NotFound)', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await expect(
      ec2.send(
        new CreateRouteCommand({
          RouteTableId: net.routeTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: net.igwId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'RouteAlreadyExists' });
    const other = (await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!
      .RouteTableId!;
    await expect(
      ec2.send(new AssociateRouteTableCommand({ RouteTableId: other, SubnetId: net.subnetA })),
    ).rejects.toMatchObject({
      name: 'Resource.AlreadyAssociated',
    });
    await expect(
      ec2.send(
        new CreateRouteCommand({
          RouteTableId: other,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: 'igw-0123456789abcdef0',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInternetGatewayID.NotFound' });
  });

  it('refuses DeleteRouteTable while subnets are associated: DependencyViolation (DeleteRouteTable API reference)', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await expect(
      ec2.send(new DeleteRouteTableCommand({ RouteTableId: net.routeTableId })),
    ).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    for (const AssociationId of net.associations)
      await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: net.routeTableId }));
    await expect(
      ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [net.routeTableId] })),
    ).rejects.toMatchObject({
      name: 'InvalidRouteTableID.NotFound',
    });
  });

  it("drops a subnet's association when the subnet is deleted", async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetA }));
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ RouteTableIds: [net.routeTableId] }),
    );
    expect(RouteTables![0].Associations?.map((a) => a.SubnetId)).toEqual([net.subnetB]);
  });

  it('deletes a route, but never the local one', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await expect(
      ec2.send(
        new DeleteRouteCommand({ RouteTableId: net.routeTableId, DestinationCidrBlock: '10.0.0.0/16' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await ec2.send(
      new DeleteRouteCommand({ RouteTableId: net.routeTableId, DestinationCidrBlock: '0.0.0.0/0' }),
    );
    await expect(
      ec2.send(new DeleteRouteCommand({ RouteTableId: net.routeTableId, DestinationCidrBlock: '0.0.0.0/0' })),
    ).rejects.toMatchObject({ name: 'InvalidRoute.NotFound' });
  });

  it('replaces an existing route and refuses to replace a missing one (ReplaceRoute API reference)', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId }));
    const newIgw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: newIgw, VpcId: net.vpcId }));
    await ec2.send(
      new ReplaceRouteCommand({
        RouteTableId: net.routeTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: newIgw,
      }),
    );
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ RouteTableIds: [net.routeTableId] }),
    );
    expect(RouteTables![0].Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')).toMatchObject({
      GatewayId: newIgw,
      State: 'active',
    });
    await expect(
      ec2.send(
        new ReplaceRouteCommand({
          RouteTableId: net.routeTableId,
          DestinationCidrBlock: '1.2.3.0/24',
          GatewayId: newIgw,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Use CreateRoute instead'),
    });
  });

  it('marks a route to a detached gateway blackhole', async () => {
    const { ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId }));
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ RouteTableIds: [net.routeTableId] }),
    );
    expect(RouteTables![0].Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.State).toBe(
      'blackhole',
    );
  });

  it('refuses DeleteVpc while a non-main route table is left', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
  });
});

describe('simulated EC2: subnetHasInternetRoute (for the ELBv2 model)', () => {
  it('is true for a subnet whose route table sends 0.0.0.0/0 to an attached internet gateway', async () => {
    const { account, ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    expect(subnetHasInternetRoute(account, net.subnetA)).toBe(true);
  });

  it('is false without the default route, and false again once the gateway is detached', async () => {
    const { account, ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId }));
    expect(subnetHasInternetRoute(account, net.subnetA)).toBe(false);
    const lonely = await createSubnet(ec2, net.vpcId, '10.0.9.0/24');
    expect(subnetHasInternetRoute(account, lonely)).toBe(false);
  });

  it("follows the VPC's main route table for a subnet without an explicit association", async () => {
    const { account, ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const subnetId = await createSubnet(ec2, vpcId, '10.0.0.0/24');
    const igwId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    expect(subnetHasInternetRoute(account, subnetId)).toBe(false);
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: RouteTables![0].RouteTableId!,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: igwId,
      }),
    );
    expect(subnetHasInternetRoute(account, subnetId)).toBe(true);
    expect(subnetHasInternetRoute(account, 'subnet-0123456789abcdef0')).toBe(false);
  });
});

describe('simulated EC2: CreateRouteTable client token', () => {
  it('answers a repeated token with the table the first request made; other parameters are refused', async () => {
    const { ec2 } = simulatedEc2();
    const vpcA = await createVpc(ec2);
    const vpcB = await createVpc(ec2, '10.1.0.0/16');
    const first = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcA, ClientToken: 'token-1' }));
    const again = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcA, ClientToken: 'token-1' }));
    expect(again.RouteTable!.RouteTableId).toBe(first.RouteTable!.RouteTableId);
    expect(again.ClientToken).toBe('token-1');
    await expect(
      ec2.send(new CreateRouteTableCommand({ VpcId: vpcB, ClientToken: 'token-1' })),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
    const other = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcA, ClientToken: 'token-2' }));
    expect(other.RouteTable!.RouteTableId).not.toBe(first.RouteTable!.RouteTableId);
  });
});
