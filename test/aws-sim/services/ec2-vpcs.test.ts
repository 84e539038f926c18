import {
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { createSimulatedAws } from '../../../aws-sim';
import { createSubnet, createVpc, nameTag, simulatedEc2 } from './ec2-fixture';

describe('simulated EC2: VPCs', () => {
  it('creates a VPC with an AWS-format id, tags from TagSpecifications, and state pending then available', async () => {
    const { ec2 } = simulatedEc2();
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.1.0.0/16',
        TagSpecifications: nameTag('vpc', 'web', { team: 'a' }),
      }),
    );
    expect(Vpc).toMatchObject({ CidrBlock: '10.1.0.0/16', State: 'pending', IsDefault: false });
    expect(Vpc!.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    expect(Vpcs).toHaveLength(1);
    expect(Vpcs![0].State).toBe('available');
    expect(Vpcs![0].Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'web' },
        { Key: 'team', Value: 'a' },
      ]),
    );
  });

  it('starts with DNS support on and hostnames off, changed one attribute per call ("DNS attributes for your VPC")', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const hostnames = () =>
      ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
    expect((await hostnames()).EnableDnsHostnames).toEqual({ Value: false });
    const support = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }),
    );
    expect(support.EnableDnsSupport).toEqual({ Value: true });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    expect((await hostnames()).EnableDnsHostnames).toEqual({ Value: true });
    await expect(
      ec2.send(
        new ModifyVpcAttributeCommand({
          VpcId: vpcId,
          EnableDnsHostnames: { Value: true },
          EnableDnsSupport: { Value: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
  });

  it('refuses a VPC block outside /16–/28 with InvalidVpc.Range (Amazon VPC User Guide, "VPC CIDR blocks")', async () => {
    const { ec2 } = simulatedEc2();
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' }))).rejects.toMatchObject({
      name: 'InvalidVpc.Range',
    });
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0/16' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('refuses a tag specification for another resource type', async () => {
    const { ec2 } = simulatedEc2();
    await expect(
      ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: nameTag('subnet', 'x') })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers InvalidVpcID.NotFound for an unknown id and InvalidVpcID.Malformed for a wrong format', async () => {
    const { ec2 } = simulatedEc2();
    await expect(
      ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    });
    await expect(
      ec2.send(new DescribeVpcsCommand({ VpcIds: ['subnet-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcID.Malformed',
    });
  });

  it('hides a new VPC from Describe for the consistency delay, while mutating calls can use it ("Eventual consistency in the Amazon EC2 API")', async () => {
    const { account, clients } = createSimulatedAws({ consistencyDelayMs: 5000 });
    const ec2 = clients.ec2;
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: nameTag('vpc', 'fresh') }),
    );
    const vpcId = Vpc!.VpcId!;
    await expect(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
    });
    const byTag = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['fresh'] }] }),
    );
    expect(byTag.Vpcs).toEqual([]);
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a' }),
      ),
    ).resolves.toBeDefined();
    account.advance(5000);
    const later = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['fresh'] }] }),
    );
    expect(later.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
  });

  it('filters by tag, tag-key, vpc-id and cidr, and refuses an unknown filter name', async () => {
    const { ec2 } = simulatedEc2();
    const a = await createVpc(ec2, '10.0.0.0/16', { 'lambdaflex:stack': 'shop' });
    await createVpc(ec2, '10.1.0.0/16', { 'lambdaflex:stack': 'blog' });
    const byStack = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:lambdaflex:stack', Values: ['shop'] }] }),
    );
    expect(byStack.Vpcs?.map((v) => v.VpcId)).toEqual([a]);
    const byKey = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['lambdaflex:stack'] }] }),
    );
    expect(byKey.Vpcs).toHaveLength(2);
    const byCidr = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.1.0.0/16'] }] }),
    );
    expect(byCidr.Vpcs).toHaveLength(1);
    const both = await ec2.send(
      new DescribeVpcsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [a] },
          { Name: 'tag:lambdaflex:stack', Values: ['blog'] },
        ],
      }),
    );
    expect(both.Vpcs).toEqual([]);
    await expect(
      ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-name', Values: ['x'] }] })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('pages with MaxResults and NextToken, as the SDK paginator reads them', async () => {
    const { ec2 } = simulatedEc2();
    for (let i = 0; i < 7; i++) await createVpc(ec2, `10.${i}.0.0/16`);
    const first = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    expect(first.Vpcs).toHaveLength(5);
    expect(first.NextToken).toBeDefined();
    const ids: string[] = [];
    for await (const page of paginateDescribeVpcs({ client: ec2, pageSize: 5 }, {})) {
      ids.push(...(page.Vpcs ?? []).map((v) => v.VpcId!));
    }
    expect(new Set(ids).size).toBe(7);
    await expect(ec2.send(new DescribeVpcsCommand({ MaxResults: 2 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(ec2.send(new DescribeVpcsCommand({ NextToken: 'invented' }))).rejects.toMatchObject({
      name: 'InvalidPaginationToken',
    });
  });

  it('deletes an empty VPC together with its main route table and default group, and then answers NotFound', async () => {
    const { account, ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    expect(account.inventory().filter((item) => item.type.startsWith('AWS::EC2::'))).toEqual([]);
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
    });
  });

  it('refuses DeleteVpc with a subnet left: DependencyViolation (Amazon VPC User Guide, "Delete your VPC")', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const subnetId = await createSubnet(ec2, vpcId, '10.0.0.0/24');
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
      message: `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).resolves.toBeDefined();
  });
});

describe('simulated EC2: subnets', () => {
  it('creates a subnet inside the VPC with AWS fields (five reserved addresses, Amazon VPC "Subnet CIDR blocks")', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.3.0/24', AvailabilityZone: 'us-east-1c' }),
    );
    expect(Subnet).toMatchObject({
      VpcId: vpcId,
      CidrBlock: '10.0.3.0/24',
      AvailabilityZone: 'us-east-1c',
      AvailabilityZoneId: 'use1-az3',
      AvailableIpAddressCount: 251,
      MapPublicIpOnLaunch: false,
      State: 'pending',
    });
    expect(Subnet!.SubnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(Subnet!.SubnetArn).toBe(`arn:aws:ec2:us-east-1:123456789012:subnet/${Subnet!.SubnetId}`);
  });

  it('refuses a block outside the VPC (InvalidSubnet.Range) or overlapping another subnet (InvalidSubnet.Conflict)', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await createSubnet(ec2, vpcId, '10.0.0.0/24');
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24', AvailabilityZone: 'us-east-1a' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnet.Range' });
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.128/25', AvailabilityZone: 'us-east-1b' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnet.Conflict' });
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/29', AvailabilityZone: 'us-east-1b' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnet.Range' });
  });

  it('refuses an Availability Zone the region does not have', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1z' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('us-east-1a'),
    });
  });

  it('answers InvalidVpcID.NotFound for a subnet in a missing VPC and MissingParameter without a CidrBlock', async () => {
    const { ec2 } = simulatedEc2();
    await expect(
      ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.0.0/24' })),
    ).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    await expect(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0' }))).rejects.toMatchObject(
      {
        name: 'MissingParameter',
      },
    );
  });

  it('filters subnets by vpc-id and tag, and modifies MapPublicIpOnLaunch', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const other = await createVpc(ec2, '10.9.0.0/16');
    const subnetId = await createSubnet(ec2, vpcId, '10.0.0.0/24');
    await createSubnet(ec2, other, '10.9.0.0/24');
    await ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
    );
    await ec2.send(
      new CreateTagsCommand({
        Resources: [subnetId],
        Tags: [{ Key: 'lambdaflex:component', Value: 'subnet-a' }],
      }),
    );
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'tag:lambdaflex:component', Values: ['subnet-*'] },
        ],
      }),
    );
    expect(Subnets?.map((s) => [s.SubnetId, s.MapPublicIpOnLaunch])).toEqual([[subnetId, true]]);
    await expect(
      ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
    });
  });

  it('answers InvalidSubnetID.NotFound when deleting a missing subnet', async () => {
    const { ec2 } = simulatedEc2();
    await expect(
      ec2.send(new DeleteSubnetCommand({ SubnetId: 'subnet-0123456789abcdef0' })),
    ).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
    });
  });
});

describe('simulated EC2: tags', () => {
  it('adds, lists and deletes tags on any resource, and names the NotFound code of the id kind', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [vpcId],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    const listed = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }] }),
    );
    expect(listed.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'a', Value: '1', ResourceId: vpcId, ResourceType: 'vpc' },
        { Key: 'b', Value: '2', ResourceId: vpcId, ResourceType: 'vpc' },
      ]),
    );
    // A Value that does not match leaves the tag (DeleteTags API reference).
    await ec2.send(
      new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'a', Value: 'other' }, { Key: 'b' }] }),
    );
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs![0].Tags).toEqual([
      { Key: 'Name', Value: 'test' },
      { Key: 'a', Value: '1' },
    ]);
    await expect(
      ec2.send(
        new CreateTagsCommand({ Resources: ['subnet-0123456789abcdef0'], Tags: [{ Key: 'a', Value: '1' }] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnetID.NotFound' });
  });

  it('changes nothing when one resource of a CreateTags call is missing', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await expect(
      ec2.send(
        new CreateTagsCommand({
          Resources: [vpcId, 'vpc-0123456789abcdef0'],
          Tags: [{ Key: 'x', Value: '1' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs![0].Tags).toEqual([{ Key: 'Name', Value: 'test' }]);
  });

  it('refuses more than 50 tags on a resource with TagLimitExceeded', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: tags }))).rejects.toMatchObject({
      name: 'TagLimitExceeded',
    });
  });
});
