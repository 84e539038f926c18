import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { createGroup, createVpc, nameTag, simulatedEc2 } from './ec2-fixture';

const HTTP_FROM_ANYWHERE = {
  IpProtocol: 'tcp',
  FromPort: 80,
  ToPort: 80,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};

describe('simulated EC2: security groups', () => {
  it('creates a group with a default rule allowing all outbound traffic ("Security group rules": default egress)', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: vpcId,
        GroupName: 'lf-shop-alb',
        Description: 'ALB of shop',
        TagSpecifications: nameTag('security-group', 'alb'),
      }),
    );
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(
      `arn:aws:ec2:us-east-1:123456789012:security-group/${created.GroupId}`,
    );
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] }),
    );
    expect(SecurityGroups![0]).toMatchObject({
      GroupName: 'lf-shop-alb',
      Description: 'ALB of shop',
      VpcId: vpcId,
      IpPermissions: [],
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
      Tags: [{ Key: 'Name', Value: 'alb' }],
    });
  });

  it('refuses a name already used in the VPC with InvalidGroup.Duplicate, but allows it in another VPC', async () => {
    const { ec2 } = simulatedEc2();
    const vpcA = await createVpc(ec2);
    const vpcB = await createVpc(ec2, '10.1.0.0/16');
    await createGroup(ec2, vpcA, 'web');
    await expect(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcA, GroupName: 'web', Description: 'again' })),
    ).rejects.toMatchObject({ name: 'InvalidGroup.Duplicate' });
    await expect(createGroup(ec2, vpcB, 'web')).resolves.toMatch(/^sg-/);
    await expect(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcA, GroupName: 'default', Description: 'x' })),
    ).rejects.toMatchObject({ name: 'InvalidGroup.Reserved' });
    await expect(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcA, GroupName: 'sg-like', Description: 'x' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('finds groups by group-name and vpc-id filters; refuses GroupNames outside a default VPC', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'tasks');
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['tasks'] },
        ],
      }),
    );
    expect(SecurityGroups?.map((g) => g.GroupId)).toEqual([groupId]);
    const all = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(all.SecurityGroups?.map((g) => g.GroupName).sort()).toEqual(['default', 'tasks']);
    await expect(
      ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['tasks'] })),
    ).rejects.toMatchObject({
      name: 'InvalidGroup.NotFound',
    });
    await expect(
      ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0123456789abcdef0' does not exist",
    });
  });

  it('authorizes ingress, returns the new rules with sgr- ids, and groups them by protocol and ports', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const alb = await createGroup(ec2, vpcId, 'alb');
    const tasks = await createGroup(ec2, vpcId, 'tasks');
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: alb,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 80,
            ToPort: 80,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
            Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          },
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
          },
        ],
      }),
    );
    expect(out.Return).toBe(true);
    expect(out.SecurityGroupRules).toHaveLength(3);
    expect(out.SecurityGroupRules![0]).toMatchObject({
      SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/),
      GroupId: alb,
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      CidrIpv4: '0.0.0.0/0',
    });
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: tasks,
        IpPermissions: [
          { IpProtocol: '6', FromPort: 3000, ToPort: 3000, UserIdGroupPairs: [{ GroupId: alb }] },
        ],
      }),
    );
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [alb, tasks] }));
    expect(SecurityGroups![0].IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    expect(SecurityGroups![1].IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 3000,
        UserIdGroupPairs: [{ GroupId: alb, UserId: '123456789012' }],
      }),
    ]);
    const referencing = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [alb] }] }),
    );
    expect(referencing.SecurityGroups?.map((g) => g.GroupId)).toEqual([tasks]);
  });

  it('refuses a duplicate rule with InvalidPermission.Duplicate and adds nothing from that request', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'alb');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [HTTP_FROM_ANYWHERE] }),
    );
    const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await expect(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [https, HTTP_FROM_ANYWHERE],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists',
    });
    const { SecurityGroupRules } = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
    );
    expect(SecurityGroupRules?.filter((r) => !r.IsEgress).map((r) => r.FromPort)).toEqual([80]);
    // The default egress rule is a duplicate too.
    await expect(
      ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPermission.Duplicate' });
  });

  it.each([
    [
      'an unknown protocol',
      { IpProtocol: 'tcpx', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
    ['TCP without ports', { IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    [
      'a port above 65535',
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 70000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
    [
      'FromPort above ToPort',
      { IpProtocol: 'udp', FromPort: 90, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
    ['a malformed CIDR', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0/0' }] }],
  ])(
    'refuses %s with InvalidParameterValue (AuthorizeSecurityGroupIngress API reference)',
    async (_label, permission) => {
      const { ec2 } = simulatedEc2();
      const vpcId = await createVpc(ec2);
      const groupId = await createGroup(ec2, vpcId, 'web');
      await expect(
        ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    },
  );

  it('refuses a rule that references a missing group with InvalidGroup.NotFound', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'web');
    await expect(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 80,
              ToPort: 80,
              UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }],
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
  });

  it('revokes by properties or by rule id; an unmatched rule is InvalidPermission.NotFound (RevokeSecurityGroupIngress API reference, non-default VPC)', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'web');
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          HTTP_FROM_ANYWHERE,
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    const revoked = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [HTTP_FROM_ANYWHERE] }),
    );
    expect(revoked.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).toEqual([
      added.SecurityGroupRules![0].SecurityGroupRuleId,
    ]);
    await expect(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [HTTP_FROM_ANYWHERE] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPermission.NotFound' });
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: groupId,
        SecurityGroupRuleIds: [added.SecurityGroupRules![1].SecurityGroupRuleId!],
      }),
    );
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    expect(SecurityGroups![0].IpPermissions).toEqual([]);
  });

  it('lists rules by id with DescribeSecurityGroupRules and answers InvalidSecurityGroupRuleId.NotFound for an unknown one', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'web');
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [HTTP_FROM_ANYWHERE] }),
    );
    const ruleId = added.SecurityGroupRules![0].SecurityGroupRuleId!;
    const { SecurityGroupRules } = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }),
    );
    expect(SecurityGroupRules).toEqual([
      expect.objectContaining({ SecurityGroupRuleId: ruleId, GroupId: groupId, FromPort: 80 }),
    ]);
    await expect(
      ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-0123456789abcdef0'] })),
    ).rejects.toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound' });
  });

  it("refuses to delete a group another group's rule references: DependencyViolation (docs/aws-facts.md deletion order 8)", async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const alb = await createGroup(ec2, vpcId, 'alb');
    const tasks = await createGroup(ec2, vpcId, 'tasks');
    const permission = {
      IpProtocol: 'tcp',
      FromPort: 3000,
      ToPort: 3000,
      UserIdGroupPairs: [{ GroupId: alb }],
    };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: tasks, IpPermissions: [permission] }));
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: tasks, IpPermissions: [permission] }));
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb }))).resolves.toMatchObject({
      Return: true,
      GroupId: alb,
    });
  });

  it('lets a group that references only itself be deleted', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const groupId = await createGroup(ec2, vpcId, 'cluster');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId }] }],
      }),
    );
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))).resolves.toBeDefined();
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))).rejects.toMatchObject({
      name: 'InvalidGroup.NotFound',
    });
  });

  it("refuses to delete the VPC's default group (CannotDelete), and DeleteVpc while another group is left", async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    await expect(
      ec2.send(new DeleteSecurityGroupCommand({ GroupId: SecurityGroups![0].GroupId })),
    ).rejects.toMatchObject({
      name: 'CannotDelete',
    });
    const groupId = await createGroup(ec2, vpcId, 'web');
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).resolves.toBeDefined();
  });
});
