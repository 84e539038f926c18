/**
 * The ALB's security group swapped by hand for the tasks' group, or one of its subnets for another of the
 * VPC (SetSecurityGroups, SetSubnets, which the simulator now answers as the API reference does): the
 * periodic full observation finds it and puts the stack's own back with the same call, nothing else
 * made or deleted.
 */
import { CreateSubnetCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { changesBy } from './call-hooks';
import { scenario, settledOnFargate, STACK } from './harness';

describe('the ALB’s security groups changed by hand', () => {
  it('are put back with SetSecurityGroups, nothing made or deleted', async () => {
    const s = scenario({ seed: 53 });
    await settledOnFargate(s);
    const { resources } = (await s.store.get(STACK))!.status!;
    const albArn = resources.alb!.arn ?? resources.alb!.id;
    const albGroup = resources['sg-alb']!.id;
    const tasksGroup = resources['sg-tasks']!.id;
    const groupsOfAlb = async () =>
      (await s.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [albArn] })))
        .LoadBalancers![0]!.SecurityGroups;

    // By hand.
    await s.clients.elbv2.send(
      new SetSecurityGroupsCommand({ LoadBalancerArn: albArn, SecurityGroups: [tasksGroup] }),
    );
    expect(await groupsOfAlb()).toEqual([tasksGroup]);

    const changes = changesBy(s.clients);
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(changes.filter((c) => !/^(Put|Update|Get|Scan|Query|Delete)$/.test(c))).toEqual([
      'SetSecurityGroups',
    ]);
    expect(await groupsOfAlb()).toEqual([albGroup]);
  });
});

describe('the ALB’s subnets changed by hand', () => {
  it('are put back with SetSubnets, nothing else made or deleted', async () => {
    const s = scenario({ seed: 59 });
    await settledOnFargate(s);
    const { resources } = (await s.store.get(STACK))!.status!;
    const albArn = resources.alb!.arn ?? resources.alb!.id;
    const ours = [resources['subnet-a']!.id, resources['subnet-b']!.id];
    const subnetsOfAlb = async () =>
      (await s.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [albArn] })))
        .LoadBalancers![0]!.AvailabilityZones!.map((zone) => zone.SubnetId!)
        .sort();

    // By hand: a subnet of the VPC in a third zone in place of the second.
    const zones = (
      await s.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [albArn] }))
    ).LoadBalancers![0]!.AvailabilityZones!.map((zone) => zone.ZoneName!);
    const third = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'].find((z) => !zones.includes(z))!;
    const vpcCidr = (await s.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [resources.vpc!.id] })))
      .Vpcs![0]!.CidrBlock!;
    // The last /24 of the VPC's block (a /16 or larger), which the stack's two subnets leave free.
    const [a, b] = vpcCidr.split('.');
    const byHand = (
      await s.clients.ec2.send(
        new CreateSubnetCommand({
          VpcId: resources.vpc!.id,
          CidrBlock: `${a}.${b}.255.0/24`,
          AvailabilityZone: third,
        }),
      )
    ).Subnet!.SubnetId!;
    await s.clients.elbv2.send(
      new SetSubnetsCommand({ LoadBalancerArn: albArn, Subnets: [ours[0]!, byHand] }),
    );
    expect(await subnetsOfAlb()).toEqual([ours[0]!, byHand].sort());

    const changes = changesBy({ elbv2: s.clients.elbv2 });
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(changes).toEqual(['SetSubnets']);
    expect(await subnetsOfAlb()).toEqual([...ours].sort());
  });
});
