import {
  DeleteInternetGatewayCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
} from '@aws-sdk/client-ec2';
import {
  attachNetworkInterface,
  findSecurityGroup,
  findSubnet,
  networkInterfaceInfo,
  networkInterfacesOwnedBy,
  releaseNetworkInterface,
  setNetworkInterfaceLinger,
} from '../../../aws-sim/services/ec2';
import { publicNetwork, simulatedEc2 } from './ec2-fixture';
import { deleteNetwork } from './ec2-teardown';

const LOAD_BALANCER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-shop/50dc6c495c0c9188';

async function networkWithAlbEnis() {
  const { account, ec2 } = simulatedEc2();
  const net = await publicNetwork(ec2);
  const enis = [net.subnetA, net.subnetB].map((subnetId) =>
    attachNetworkInterface(account, {
      subnetId,
      groupIds: [net.albGroupId],
      description: 'ELB app/lf-shop/50dc6c495c0c9188',
      requesterManaged: true,
      publicIp: true,
      ownerTag: LOAD_BALANCER_ARN,
    }),
  );
  return { account, ec2, net, enis };
}

describe('simulated EC2: network interfaces made for other services', () => {
  it('creates requester-managed ENIs that DescribeNetworkInterfaces shows with addresses, groups and TagSet', async () => {
    const { ec2, net, enis } = await networkWithAlbEnis();
    expect(enis[0]).toMatch(/^eni-[0-9a-f]{17}$/);
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'description', Values: ['ELB app/lf-shop/*'] }],
      }),
    );
    expect(NetworkInterfaces).toHaveLength(2);
    expect(NetworkInterfaces![0]).toMatchObject({
      NetworkInterfaceId: enis[0],
      SubnetId: net.subnetA,
      VpcId: net.vpcId,
      AvailabilityZone: 'us-east-1a',
      Groups: [{ GroupId: net.albGroupId, GroupName: 'alb' }],
      RequesterManaged: true,
      RequesterId: 'amazon-elb',
      Status: 'in-use',
      PrivateIpAddress: '10.0.0.4',
      Association: { PublicIp: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) },
      TagSet: [],
    });
    const byGroup = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [net.albGroupId] }] }),
    );
    expect(byGroup.NetworkInterfaces).toHaveLength(2);
    await expect(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })),
    ).rejects.toMatchObject({ name: 'InvalidNetworkInterfaceID.NotFound' });
  });

  it('takes the addresses out of the subnet count', async () => {
    const { ec2, net } = await networkWithAlbEnis();
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [net.subnetA] }));
    expect(Subnets![0].AvailableIpAddressCount).toBe(256 - 5 - 1);
  });

  it('answers the look-ups other services need', async () => {
    const { account, net, enis } = await networkWithAlbEnis();
    expect(findSubnet(account, net.subnetB)).toEqual({
      subnetId: net.subnetB,
      vpcId: net.vpcId,
      availabilityZone: 'us-east-1b',
      cidrBlock: '10.0.1.0/24',
    });
    expect(findSubnet(account, 'subnet-0123456789abcdef0')).toBeUndefined();
    expect(findSecurityGroup(account, net.taskGroupId)).toEqual({
      groupId: net.taskGroupId,
      groupName: 'tasks',
      vpcId: net.vpcId,
    });
    expect(networkInterfacesOwnedBy(account, LOAD_BALANCER_ARN)).toEqual(enis);
    expect(networkInterfaceInfo(account, enis[1])).toMatchObject({
      subnetId: net.subnetB,
      privateIpAddress: '10.0.1.4',
    });
  });

  it('blocks DeleteSubnet while an ENI is in it: DependencyViolation (DeleteSubnet API reference)', async () => {
    const { ec2, net } = await networkWithAlbEnis();
    await expect(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetA }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
  });

  it('blocks DeleteSecurityGroup while an ENI uses the group: DependencyViolation (DeleteSecurityGroup API reference)', async () => {
    const { ec2, net } = await networkWithAlbEnis();
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: net.albGroupId }))).rejects.toMatchObject(
      {
        name: 'DependencyViolation',
      },
    );
  });

  it('blocks DetachInternetGateway while public addresses are mapped in the VPC (docs/aws-facts.md "IGW detach")', async () => {
    const { ec2, net } = await networkWithAlbEnis();
    await expect(
      ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId })),
    ).rejects.toMatchObject({
      name: 'DependencyViolation',
      message: expect.stringContaining('has some mapped public address(es)'),
    });
  });

  it('keeps a released ALB ENI for the load-balancer linger (120 s default), blocking deletions, then removes it (docs/aws-facts.md)', async () => {
    const { account, ec2, net, enis } = await networkWithAlbEnis();
    for (const eni of enis) releaseNetworkInterface(account, eni);
    account.advance(119_000);
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: net.albGroupId }))).rejects.toMatchObject(
      {
        name: 'DependencyViolation',
      },
    );
    expect(
      account
        .inventory()
        .filter((i) => i.type === 'AWS::EC2::NetworkInterface')
        .map((i) => i.state),
    ).toEqual(['releasing', 'releasing']);
    account.advance(1_000);
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [net.vpcId] }] }),
    );
    expect(NetworkInterfaces).toEqual([]);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: net.albGroupId }));
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: net.igwId }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetA }));
  });

  it('uses the task linger (60 s default) for a Fargate ENI, configurable per account, or an explicit linger', async () => {
    const { account, net } = await networkWithAlbEnis();
    const attachTask = () =>
      attachNetworkInterface(account, {
        subnetId: net.subnetA,
        groupIds: [net.taskGroupId],
        description: 'arn:aws:ecs:us-east-1:123456789012:attachment/6f1c1c4a-1b9e-4b8e-9f5f-1f2b3c4d5e6f',
        requesterManaged: true,
        publicIp: true,
      });
    const defaultTask = attachTask();
    releaseNetworkInterface(account, defaultTask);
    setNetworkInterfaceLinger(account, 'fargate-task', 10_000);
    const shortTask = attachTask();
    releaseNetworkInterface(account, shortTask);
    const explicit = attachTask();
    releaseNetworkInterface(account, explicit, 0);
    expect(networkInterfaceInfo(account, explicit)).toBeUndefined();
    account.advance(10_000);
    expect(networkInterfaceInfo(account, shortTask)).toBeUndefined();
    expect(networkInterfaceInfo(account, defaultTask)?.disappearsAt).toBe(account.startTime + 60_000);
    account.advance(50_000);
    expect(networkInterfaceInfo(account, defaultTask)).toBeUndefined();
  });

  it('blocks DeleteVpc while ENIs remain and lets the whole network go in the docs/aws-facts.md deletion order', async () => {
    const { account, ec2, net, enis } = await networkWithAlbEnis();
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: net.vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    for (const eni of enis) releaseNetworkInterface(account, eni);
    account.advance(120_000);
    await deleteNetwork(ec2, net);
    await expect(ec2.send(new DescribeVpcsCommand({ VpcIds: [net.vpcId] }))).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
    });
    expect(account.inventory().filter((i) => i.type.startsWith('AWS::EC2::'))).toEqual([]);
  });
});

describe('simulated EC2: inventory and rate limits', () => {
  it('lists every VPC resource with its CloudFormation type, Name tag and tags, but not the main table or default group', async () => {
    const { account, ec2 } = simulatedEc2();
    const net = await publicNetwork(ec2);
    const items = account.inventory().filter((i) => i.type.startsWith('AWS::EC2::'));
    expect(items.map((i) => i.type).sort()).toEqual([
      'AWS::EC2::InternetGateway',
      'AWS::EC2::RouteTable',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::SecurityGroup',
      'AWS::EC2::Subnet',
      'AWS::EC2::Subnet',
      'AWS::EC2::VPC',
    ]);
    expect(items.find((i) => i.id === net.vpcId)).toMatchObject({
      name: 'test',
      state: 'available',
      tags: { Name: 'test' },
    });
    expect(items.find((i) => i.id === net.igwId)?.state).toBe('attached');
  });

  it('throttles unfiltered DescribeSecurityGroups in its own 50-call bucket while filtered calls go on (docs/aws-facts.md rate limits)', async () => {
    const { account, ec2 } = simulatedEc2();
    for (let i = 0; i < 50; i++) await ec2.send(new DescribeSecurityGroupsCommand({}));
    await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
    await expect(
      ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['x'] }] })),
    ).resolves.toBeDefined();
    account.advance(1_000);
    await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).resolves.toBeDefined();
  });

  it('survives save/load: a restored account answers for the same network and keeps lingering ENIs', async () => {
    const { account, net, enis } = await networkWithAlbEnis();
    releaseNetworkInterface(account, enis[0]);
    const copy = simulatedEc2();
    copy.account.restore(JSON.parse(JSON.stringify(account.toJSON())));
    const { SecurityGroups } = await copy.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [net.taskGroupId] }),
    );
    expect(SecurityGroups![0].GroupName).toBe('tasks');
    await expect(copy.ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetA }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    copy.account.advance(120_000);
    expect(networkInterfaceInfo(copy.account, enis[0])).toBeUndefined();
    expect(networkInterfaceInfo(copy.account, enis[1])).toBeDefined();
  });

  it('throttles Describe calls beyond the 100-call burst with RequestLimitExceeded', async () => {
    const { ec2 } = simulatedEc2();
    for (let i = 0; i < 100; i++) await ec2.send(new DescribeVpcsCommand({}));
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
  });
});
