import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeNetworkInterfacesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTargetGroupNameException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  OperationNotPermittedException,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  ResourceInUseException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSimulatedAws } from '../../../aws-sim';
import { healthyTargetCount } from '../../../aws-sim/services/elbv2';
import { createLoadBalancer, createLoadBalancing, createTargetGroup } from './elbv2-fixture';
import { createNetwork, simulatedAccount } from './network-fixture';

async function setup(options: { internet?: boolean } = {}) {
  const sim = simulatedAccount();
  const network = await createNetwork(sim, options);
  return { sim, network, elbv2: sim.clients.elbv2 };
}

async function stateOf(elbv2: ReturnType<typeof simulatedAccount>['clients']['elbv2'], arn: string) {
  const out = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
  return out.LoadBalancers![0].State!.Code;
}

async function healthOf(
  elbv2: ReturnType<typeof simulatedAccount>['clients']['elbv2'],
  targetGroupArn: string,
) {
  const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return out.TargetHealthDescriptions!.map((d) => [
    d.Target!.Id,
    d.TargetHealth!.State,
    d.TargetHealth!.Reason,
  ]);
}

describe('simulated ELBv2: load balancers', () => {
  it('creates an ALB with AWS-shaped ARN, DNS name and us-east-1 hosted zone, one ENI per subnet', async () => {
    const { sim, network, elbv2 } = await setup();
    const out = await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'web-alb',
        Subnets: network.subnetIds,
        SecurityGroups: [network.albGroupId],
      }),
    );
    const lb = out.LoadBalancers![0];
    expect(lb.LoadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web-alb\/[0-9a-f]{16}$/,
    );
    expect(lb.DNSName).toMatch(/^web-alb-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb.CanonicalHostedZoneId).toBe('Z35SXDOTRQ7X7K');
    expect(lb.State).toEqual({ Code: 'provisioning' });
    expect(lb.Scheme).toBe('internet-facing');
    expect(lb.VpcId).toBe(network.vpcId);
    const enis = await sim.clients.ec2.send(new DescribeNetworkInterfacesCommand({}));
    expect(enis.NetworkInterfaces!.filter((e) => e.Description?.startsWith('ELB app/web-alb/'))).toHaveLength(
      2,
    );
  });

  it.each([
    ['a'.repeat(33), /longer than '32'/],
    ['-web', /begin or end/],
    ['web-', /begin or end/],
    ['web_alb', /alphanumeric/],
    ['internal-web', /internal-/],
  ])(
    'refuses the name %s with ValidationError (CreateLoadBalancer API reference, Name)',
    async (name, message) => {
      const { network, elbv2 } = await setup();
      await expect(
        elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: network.subnetIds })),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringMatching(message),
      });
    },
  );

  it('needs two subnets in two Availability Zones', async () => {
    const { network, elbv2 } = await setup();
    await expect(
      elbv2.send(new CreateLoadBalancerCommand({ Name: 'one-subnet', Subnets: [network.subnetIds[0]] })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/two different Availability Zones/),
    });
    await expect(
      elbv2.send(
        new CreateLoadBalancerCommand({
          Name: 'bad-subnet',
          Subnets: [network.subnetIds[0], 'subnet-0000000000000000f'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'SubnetNotFoundException' });
  });

  it('is idempotent by name with identical settings, DuplicateLoadBalancerName otherwise (CreateLoadBalancer API reference)', async () => {
    const { sim, network, elbv2 } = await setup();
    const first = await createLoadBalancer(sim, network, 'same');
    const again = await createLoadBalancer(sim, network, 'same');
    expect(again).toBe(first);
    await expect(
      elbv2.send(
        new CreateLoadBalancerCommand({
          Name: 'same',
          Subnets: network.subnetIds,
          SecurityGroups: [network.tasksGroupId],
        }),
      ),
    ).rejects.toBeInstanceOf(DuplicateLoadBalancerNameException);
  });

  it('turns active after the provisioning time (docs/aws-facts.md: 180 s default)', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    sim.account.advance(179_000);
    expect(await stateOf(elbv2, arn)).toBe('provisioning');
    sim.account.advance(1_000);
    expect(await stateOf(elbv2, arn)).toBe('active');
  });

  it('stays provisioning while its subnets have no route to an internet gateway (terraform PR #11333)', async () => {
    const { sim, network, elbv2 } = await setup({ internet: false });
    const arn = await createLoadBalancer(sim, network);
    sim.account.advance(30 * 60_000);
    expect(await stateOf(elbv2, arn)).toBe('provisioning');
    await network.connectToInternet();
    sim.account.advance(1_000);
    expect(await stateOf(elbv2, arn)).toBe('active');
  });

  it('describes by names and ARNs, pages with Marker/PageSize, LoadBalancerNotFound for unknown ones', async () => {
    const { sim, network, elbv2 } = await setup();
    for (const name of ['a1', 'a2', 'a3']) await createLoadBalancer(sim, network, name);
    const first = await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    expect(first.LoadBalancers!.map((lb) => lb.LoadBalancerName)).toEqual(['a1', 'a2']);
    const second = await elbv2.send(
      new DescribeLoadBalancersCommand({ PageSize: 2, Marker: first.NextMarker }),
    );
    expect(second.LoadBalancers!.map((lb) => lb.LoadBalancerName)).toEqual(['a3']);
    expect(second.NextMarker).toBeUndefined();
    const byName = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['a2'] }));
    expect(byName.LoadBalancers).toHaveLength(1);
    await expect(elbv2.send(new DescribeLoadBalancersCommand({ Names: ['nope'] }))).rejects.toBeInstanceOf(
      LoadBalancerNotFoundException,
    );
    // Several names at once, all found or LoadBalancerNotFound; at most 20 (DescribeLoadBalancers API reference).
    const two = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['a1', 'a3'] }));
    expect(two.LoadBalancers!.map((lb) => lb.LoadBalancerName)).toEqual(['a1', 'a3']);
    await expect(
      elbv2.send(new DescribeLoadBalancersCommand({ Names: ['a1', 'nope'] })),
    ).rejects.toBeInstanceOf(LoadBalancerNotFoundException);
    const names = Array.from({ length: 21 }, (_, i) => `n${i}`);
    await expect(elbv2.send(new DescribeLoadBalancersCommand({ Names: names }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('refuses deletion with deletion protection, deletes listeners with the ALB, and succeeds when already gone', async () => {
    const { sim, network, elbv2 } = await setup();
    const { loadBalancerArn, listenerArn } = await createLoadBalancing(sim, network);
    await elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: loadBalancerArn,
        Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
      }),
    );
    await expect(
      elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn })),
    ).rejects.toBeInstanceOf(OperationNotPermittedException);
    await elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: loadBalancerArn,
        Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }],
      }),
    );
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn }));
    await expect(
      elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    ).rejects.toMatchObject({
      name: 'ListenerNotFoundException',
    });
    await expect(
      elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn })),
    ).resolves.toBeDefined();
  });

  it('leaves its ENIs lingering after delete, blocking subnet deletion (docs/aws-facts.md)', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    await expect(
      sim.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: network.subnetIds[0] })),
    ).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    sim.account.advance(60 * 60_000);
    await expect(
      sim.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: network.subnetIds[0] })),
    ).resolves.toBeDefined();
  });

  it('moves to other subnets with SetSubnets: two zones, its own VPC; a subnet left keeps its ENI lingering', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    const third = (
      await sim.clients.ec2.send(
        new CreateSubnetCommand({
          VpcId: network.vpcId,
          CidrBlock: '10.0.9.0/24',
          AvailabilityZone: 'us-east-1c',
        }),
      )
    ).Subnet!.SubnetId!;
    const eniSubnets = async () =>
      (
        await sim.clients.ec2.send(
          new DescribeNetworkInterfacesCommand({
            Filters: [{ Name: 'description', Values: ['ELB app/alb-web/*'] }],
          }),
        )
      ).NetworkInterfaces!.map((eni) => eni.SubnetId);
    await expect(
      elbv2.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [third] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    const otherVpc = (await sim.clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!
      .VpcId!;
    const elsewhere = (
      await sim.clients.ec2.send(
        new CreateSubnetCommand({
          VpcId: otherVpc,
          CidrBlock: '10.1.0.0/24',
          AvailabilityZone: 'us-east-1c',
        }),
      )
    ).Subnet!.SubnetId!;
    await expect(
      elbv2.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [network.subnetIds[0], elsewhere] })),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    await expect(
      elbv2.send(new SetSubnetsCommand({ LoadBalancerArn: `${arn}0`, Subnets: network.subnetIds })),
    ).rejects.toBeInstanceOf(LoadBalancerNotFoundException);
    // Refused calls changed nothing.
    expect((await eniSubnets()).sort()).toEqual([...network.subnetIds].sort());

    const out = await elbv2.send(
      new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [network.subnetIds[0], third] }),
    );
    expect(out.AvailabilityZones!.map((z) => [z.SubnetId, z.ZoneName])).toEqual([
      [network.subnetIds[0], 'us-east-1a'],
      [third, 'us-east-1c'],
    ]);
    const described = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
    expect(described.LoadBalancers![0].AvailabilityZones!.map((z) => z.SubnetId)).toEqual([
      network.subnetIds[0],
      third,
    ]);
    // The node left behind lingers like a deleted ALB's, and holds its subnet meanwhile.
    expect((await eniSubnets()).sort()).toEqual([...network.subnetIds, third].sort());
    await expect(
      sim.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: network.subnetIds[1] })),
    ).rejects.toMatchObject({ name: 'DependencyViolation' });
  });

  it('changes its groups with SetSecurityGroups, its ENIs with them: the group left can then be deleted', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    const ec2 = sim.clients.ec2;
    const replacement = (
      await ec2.send(
        new CreateSecurityGroupCommand({ VpcId: network.vpcId, GroupName: 'alb-2', Description: 'alb-2' }),
      )
    ).GroupId!;
    await expect(
      elbv2.send(
        new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: ['sg-0000000000000000f'] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSecurityGroupException' });
    await expect(
      ec2.send(new DeleteSecurityGroupCommand({ GroupId: network.albGroupId })),
    ).rejects.toMatchObject({ name: 'DependencyViolation' });

    const out = await elbv2.send(
      new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: [replacement] }),
    );
    expect(out.SecurityGroupIds).toEqual([replacement]);
    expect(
      (await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers![0]
        .SecurityGroups,
    ).toEqual([replacement]);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: network.albGroupId }));
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: replacement }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
  });

  it('reads and rejects attributes like AWS', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    const out = await elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    expect(out.Attributes).toContainEqual({ Key: 'idle_timeout.timeout_seconds', Value: '60' });
    await expect(
      elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: 'bogus', Value: '1' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('throttles Describe calls beyond the 40/10 bucket (docs/aws-facts.md)', async () => {
    const { elbv2 } = await setup();
    for (let i = 0; i < 40; i++) await elbv2.send(new DescribeLoadBalancersCommand({}));
    await expect(elbv2.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
    });
  });
});

describe('simulated ELBv2: target groups and listeners', () => {
  it('creates an ip target group with the API reference defaults, idempotent by name and settings', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createTargetGroup(sim, network);
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/tg-web\/[0-9a-f]{16}$/,
    );
    const [group] = (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })))
      .TargetGroups!;
    expect(group).toMatchObject({
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: '/health',
      Matcher: { HttpCode: '200' },
      TargetType: 'ip',
      LoadBalancerArns: [],
    });
    expect(await createTargetGroup(sim, network)).toBe(arn);
    await expect(createTargetGroup(sim, network, 'tg-web', { Port: 9090 })).rejects.toBeInstanceOf(
      DuplicateTargetGroupNameException,
    );
    const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(attributes.Attributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: '300',
    });
    await expect(
      elbv2.send(
        new CreateTargetGroupCommand({
          Name: 'x'.repeat(33),
          Protocol: 'HTTP',
          Port: 80,
          VpcId: network.vpcId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('does not describe a target group made a moment ago, by ARN, name or listing; a listener forwards to it all the same', async () => {
    // The account's default consistency delay, 2 s.
    const sim = createSimulatedAws({ seed: 1 });
    const network = await createNetwork(sim);
    const elbv2 = sim.clients.elbv2;
    const loadBalancerArn = await createLoadBalancer(sim, network);
    const arn = await createTargetGroup(sim, network);
    await expect(
      elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(elbv2.send(new DescribeTargetGroupsCommand({ Names: ['tg-web'] }))).rejects.toBeInstanceOf(
      TargetGroupNotFoundException,
    );
    expect((await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toEqual([]);
    // It exists: a listener may forward to it, and a second create of the name answers with it.
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }],
      }),
    );
    expect(await createTargetGroup(sim, network)).toBe(arn);
    sim.account.advance(1_999);
    await expect(
      elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    sim.account.advance(1);
    expect(
      (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups,
    ).toMatchObject([{ TargetGroupArn: arn, TargetGroupName: 'tg-web' }]);
  });

  it('describes target groups by name and by load balancer, TargetGroupNotFound for unknown ones', async () => {
    const { sim, network, elbv2 } = await setup();
    const { loadBalancerArn, targetGroupArn } = await createLoadBalancing(sim, network);
    await createTargetGroup(sim, network, 'unattached');
    const byLb = await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn }));
    expect(byLb.TargetGroups!.map((g) => g.TargetGroupArn)).toEqual([targetGroupArn]);
    expect(byLb.TargetGroups![0].LoadBalancerArns).toEqual([loadBalancerArn]);
    const byName = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['unattached'] }));
    expect(byName.TargetGroups).toHaveLength(1);
    await expect(elbv2.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toBeInstanceOf(
      TargetGroupNotFoundException,
    );
  });

  it('refuses to delete a target group while a listener forwards to it: ResourceInUse (docs/aws-facts.md deletion order)', async () => {
    const { sim, network, elbv2 } = await setup();
    const { targetGroupArn, listenerArn } = await createLoadBalancing(sim, network);
    await expect(
      elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    await elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn }));
    await expect(
      elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
  });

  it('needs a certificate for HTTPS, redirects, and refuses a second listener on the same port', async () => {
    const { sim, network, elbv2 } = await setup();
    const { loadBalancerArn, targetGroupArn, listenerArn } = await createLoadBalancing(sim, network);
    const forward = [{ Type: 'forward' as const, TargetGroupArn: targetGroupArn }];
    await expect(
      elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: 'HTTPS',
          Port: 443,
          DefaultActions: forward,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/certificate/) });
    const https = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
        DefaultActions: forward,
      }),
    );
    expect(https.Listeners![0].SslPolicy).toBe('ELBSecurityPolicy-2016-08');
    const redirect = [
      {
        Type: 'redirect' as const,
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' as const },
      },
    ];
    await expect(
      elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: redirect,
        }),
      ),
    ).rejects.toBeInstanceOf(DuplicateListenerException);
    const modified = await elbv2.send(
      new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: redirect }),
    );
    expect(modified.Listeners![0].DefaultActions![0].Type).toBe('redirect');
    const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    expect(listeners.Listeners!.map((l) => l.Port)).toEqual([80, 443]);
  });

  it('adds, describes and removes tags; Tags given on create are kept', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createLoadBalancer(sim, network);
    await elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: 'team', Value: 'a' }] }));
    await elbv2.send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: ['team'] }));
    await elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: 'env', Value: 'test' }] }));
    const out = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    expect(out.TagDescriptions![0].Tags).toEqual([
      { Key: 'lambdaflex:stack', Value: 'web' },
      { Key: 'env', Value: 'test' },
    ]);
    // Up to 20 resources in a single call (DescribeTags API reference); one that does not exist fails it.
    await expect(
      elbv2.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => arn) })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn, `${arn.slice(0, -4)}0000`] })),
    ).rejects.toBeInstanceOf(LoadBalancerNotFoundException);
    expect(sim.account.inventory()).toContainEqual(
      expect.objectContaining({
        type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        arn,
        state: 'provisioning',
      }),
    );
  });
});

describe('simulated ELBv2: target health (TargetHealth API reference)', () => {
  it('is unused while no listener forwards to the group', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createTargetGroup(sim, network);
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '10.0.0.10' }] }));
    expect(await healthOf(elbv2, arn)).toEqual([['10.0.0.10', 'unused', 'Target.NotInUse']]);
  });

  it('is initial until the ALB is active, then healthy after interval × healthy threshold', async () => {
    const { sim, network, elbv2 } = await setup();
    const { targetGroupArn } = await createLoadBalancing(sim, network, {
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 3,
    });
    await elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.0.10' }] }),
    );
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([
      ['10.0.0.10', 'initial', 'Elb.RegistrationInProgress'],
    ]);
    sim.account.advance(180_000); // ALB active
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([
      ['10.0.0.10', 'initial', 'Elb.InitialHealthChecking'],
    ]);
    sim.account.advance(29_999);
    expect(healthyTargetCount(sim.account, targetGroupArn)).toBe(0);
    sim.account.advance(1);
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([['10.0.0.10', 'healthy', undefined]]);
    expect(healthyTargetCount(sim.account, targetGroupArn)).toBe(1);
  });

  it('is unhealthy under the unhealthy fault after interval × unhealthy threshold', async () => {
    const { sim, network, elbv2 } = await setup();
    const { targetGroupArn } = await createLoadBalancing(sim, network);
    sim.account.setFaults({ unhealthy: true });
    await elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.0.10' }] }),
    );
    sim.account.advance(180_000 + 60_000);
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([
      ['10.0.0.10', 'unhealthy', 'Target.ResponseCodeMismatch'],
    ]);
  });

  it('drains for the deregistration delay, then the target is gone', async () => {
    const { sim, network, elbv2 } = await setup();
    const { targetGroupArn } = await createLoadBalancing(sim, network);
    await elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      }),
    );
    await elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.0.10' }] }),
    );
    sim.account.advance(400_000);
    await elbv2.send(
      new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.0.10' }] }),
    );
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([
      ['10.0.0.10', 'draining', 'Target.DeregistrationInProgress'],
    ]);
    sim.account.advance(29_000);
    expect(await healthOf(elbv2, targetGroupArn)).toHaveLength(1);
    sim.account.advance(1_000);
    expect(await healthOf(elbv2, targetGroupArn)).toEqual([]);
    await expect(
      elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.0.10' }] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidTargetException' });
  });

  it('checks health check settings on ModifyTargetGroup', async () => {
    const { sim, network, elbv2 } = await setup();
    const arn = await createTargetGroup(sim, network);
    const out = await elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: arn,
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
      }),
    );
    expect(out.TargetGroups![0].HealthCheckIntervalSeconds).toBe(5);
    await expect(
      elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckTimeoutSeconds: 10 })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
