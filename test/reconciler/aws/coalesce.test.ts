/**
 * Reads gathered while they wait for the budget (reconciler/aws/coalesce.ts), against the simulated
 * account: several callers' DescribeTags and DescribeLoadBalancers become one call, each caller gets its
 * own part, and "not found" is only the answer of the caller whose resource is gone.
 */
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { budgetClients, CallBudget } from '../../../reconciler/aws/rate-budget';
import { COALESCABLE_READS, ReadCoalescer } from '../../../reconciler/aws/coalesce';
import { createSimulatedAws } from '../../../aws-sim';

/**
 * Puts `sim`'s clients behind a budget of one `service` call a second, on a clock the budget's waits move,
 * so that concurrent calls queue and are gathered; returns how many calls of an operation AWS got since.
 */
function behindOneTokenBudget(sim: ReturnType<typeof createSimulatedAws>, service: 'elbv2' | 'ec2') {
  let now = 0;
  const bucket = { capacity: 1, refillPerSecond: 1 };
  const budget = new CallBudget(
    { [service]: { read: bucket, write: bucket } },
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  budgetClients(sim.clients, budget);
  sim.account.resetCallCounts();
  return (operation: string) => sim.account.callCounts().find((c) => c.operation === operation)?.count ?? 0;
}

/** An account with target groups tg-0 … tg-(n-1) and one ALB, behind a budget of one ELBv2 read a second. */
async function world(targetGroups: number) {
  const sim = createSimulatedAws({ consistencyDelayMs: 0 });
  const { clients } = sim;
  const vpc = (await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnets = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(subnet.Subnet!.SubnetId!);
  }
  const group = await clients.ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'alb', Description: 'alb' }),
  );
  const arns: string[] = [];
  for (let i = 0; i < targetGroups; i++) {
    const answer = await clients.elbv2.send(
      new CreateTargetGroupCommand({
        Name: `tg-${i}`,
        Protocol: 'HTTP',
        Port: 80,
        VpcId: vpc,
        TargetType: 'ip',
        Tags: [{ Key: 'n', Value: String(i) }],
      }),
    );
    arns.push(answer.TargetGroups![0]!.TargetGroupArn!);
    // ELBv2's changes refill at 3 a second (docs/aws-facts.md): the set-up waits its turn as a caller would.
    sim.account.advance(400);
  }
  await clients.elbv2.send(
    new CreateLoadBalancerCommand({ Name: 'alb-1', Subnets: subnets, SecurityGroups: [group.GroupId!] }),
  );
  const calls = behindOneTokenBudget(sim, 'elbv2');
  return { clients, arns, calls };
}

const tagsOf = (answer: { TagDescriptions?: { ResourceArn?: string; Tags?: { Value?: string }[] }[] }) =>
  (answer.TagDescriptions ?? []).map((d) => d.Tags?.[0]?.Value);

describe('reads gathered while they wait for the budget', () => {
  it('makes one DescribeTags of several callers’ ARNs, each caller getting its own tags', async () => {
    const { clients, arns, calls } = await world(4);
    const answers = await Promise.all(
      arns.map((arn) => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }))),
    );
    expect(answers.map(tagsOf)).toEqual([['0'], ['1'], ['2'], ['3']]);
    expect(calls('DescribeTags')).toBe(1);
  });

  it('asks again alone for each caller when one resource is gone: only its caller hears "not found"', async () => {
    const { clients, arns, calls } = await world(3);
    await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arns[1] }));
    const answers = await Promise.allSettled(
      arns.map((arn) => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }))),
    );
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason).toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
    expect(tagsOf((answers[2] as PromiseFulfilledResult<never>).value)).toEqual(['2']);
    // The merged call, then one each.
    expect(calls('DescribeTags')).toBe(4);
  });

  it('never asks for more than AWS takes in one call (20 ARNs)', async () => {
    const { clients, arns, calls } = await world(25);
    const answers = await Promise.all(
      arns.map((arn) => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }))),
    );
    expect(answers.map(tagsOf).flat()).toEqual(arns.map((_, i) => String(i)));
    expect(calls('DescribeTags')).toBe(2);
  });

  it('gathers DescribeLoadBalancers by name, and "not found" stays the missing name’s', async () => {
    const { clients, calls } = await world(0);
    const byName = (name: string) => clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }));
    const [found, again] = await Promise.all([byName('alb-1'), byName('alb-1')]);
    expect(found.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['alb-1']);
    expect(again.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(['alb-1']);
    expect(calls('DescribeLoadBalancers')).toBe(1);
    const both = await Promise.allSettled([byName('alb-1'), byName('alb-2')]);
    expect(both.map((a) => a.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('gathers DescribeTargetGroups by name, each caller getting its own group; "not found" stays the missing name’s', async () => {
    const { clients, arns, calls } = await world(3);
    const byName = (name: string) => clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    const answers = await Promise.all([byName('tg-0'), byName('tg-1'), byName('tg-2')]);
    expect(answers.map((a) => a.TargetGroups?.map((g) => g.TargetGroupArn))).toEqual(
      arns.map((arn) => [arn]),
    );
    expect(calls('DescribeTargetGroups')).toBe(1);
    const both = await Promise.allSettled([byName('tg-0'), byName('tg-gone')]);
    expect(both.map((a) => a.status)).toEqual(['fulfilled', 'rejected']);
    expect((both[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'TargetGroupNotFoundException' });
  });

  it('shares one DescribeListeners among callers asking of the same ALB, not of another', async () => {
    const { clients, calls } = await world(0);
    const { LoadBalancers } = await clients.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: ['alb-1'] }),
    );
    const arn = LoadBalancers![0]!.LoadBalancerArn!;
    const listeners = (lb: string) =>
      clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb }));
    const [a, b] = await Promise.all([listeners(arn), listeners(arn)]);
    expect(a.Listeners).toEqual([]);
    expect(b.Listeners).toEqual([]);
    expect(calls('DescribeListeners')).toBe(1);
    const gone = arn.replace(/\/[0-9a-f]+$/, '/0000000000000000');
    const mixed = await Promise.allSettled([listeners(arn), listeners(gone)]);
    expect(mixed.map((m) => m.status)).toEqual(['fulfilled', 'rejected']);
    expect(calls('DescribeListeners')).toBe(3);
  });

  it('shares one DescribeTargetHealth among callers asking of the same target group', async () => {
    const { clients, arns, calls } = await world(2);
    const health = (arn: string) =>
      clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    await Promise.all([health(arns[0]!), health(arns[0]!), health(arns[1]!)]);
    expect(calls('DescribeTargetHealth')).toBe(2);
  });

  it('gathers DescribeTargetGroups and DescribeLoadBalancers by ARN among themselves, never with those by name', async () => {
    const { clients, arns, calls } = await world(3);
    const { LoadBalancers } = await clients.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: ['alb-1'] }),
    );
    const alb = LoadBalancers![0]!.LoadBalancerArn!;
    const byArn = (arn: string) =>
      clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }));
    const byName = (name: string) => clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    const before = calls('DescribeTargetGroups');
    const answers = await Promise.all([byArn(arns[0]!), byArn(arns[1]!), byName('tg-2'), byName('tg-0')]);
    expect(answers.map((a) => a.TargetGroups?.map((g) => g.TargetGroupArn))).toEqual([
      [arns[0]],
      [arns[1]],
      [arns[2]],
      [arns[0]],
    ]);
    expect(calls('DescribeTargetGroups') - before).toBe(2);
    const gone = arns[0]!.replace(/\/[0-9a-f]+$/, '/0000000000000000');
    const both = await Promise.allSettled([byArn(arns[1]!), byArn(gone)]);
    expect(both.map((a) => a.status)).toEqual(['fulfilled', 'rejected']);
    expect((both[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'TargetGroupNotFoundException' });
    const lbs = await Promise.all(
      [alb, alb].map((arn) =>
        clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
      ),
    );
    expect(lbs.map((a) => a.LoadBalancers?.map((lb) => lb.LoadBalancerArn))).toEqual([[alb], [alb]]);
  });

  it('leaves alone a read with other filters (a page marker, ARNs)', async () => {
    const { clients, calls } = await world(0);
    await Promise.all([
      clients.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 10 })),
      clients.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 10 })),
    ]);
    expect(calls('DescribeLoadBalancers')).toBe(2);
  });
});

describe('EC2 describes by the ownership tags, gathered across stacks', () => {
  /** VPCs and subnets of stacks a, b and c, behind a budget of one EC2 read a second. */
  async function ec2World() {
    const sim = createSimulatedAws({ consistencyDelayMs: 0 });
    const { clients } = sim;
    const vpcs: Record<string, string> = {};
    for (const [i, stack] of ['a', 'b', 'c'].entries()) {
      const vpc = await clients.ec2.send(
        new CreateVpcCommand({
          CidrBlock: `10.${i}.0.0/16`,
          TagSpecifications: [
            {
              ResourceType: 'vpc',
              Tags: [
                { Key: 'lambdaflex:stack', Value: stack },
                { Key: 'lambdaflex:component', Value: 'vpc' },
              ],
            },
          ],
        }),
      );
      vpcs[stack] = vpc.Vpc!.VpcId!;
    }
    const calls = behindOneTokenBudget(sim, 'ec2');
    const find = (stack: string, component = 'vpc') =>
      clients.ec2.send(
        new DescribeVpcsCommand({
          Filters: [
            { Name: 'tag:lambdaflex:stack', Values: [stack] },
            { Name: 'tag:lambdaflex:component', Values: [component] },
          ],
        }),
      );
    return { vpcs, calls, find };
  }

  it('asks once for every stack’s VPC, each stack getting its own, and none for a stack without one', async () => {
    const { vpcs, calls, find } = await ec2World();
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((stack) => find(stack)));
    expect(answers.map((a) => (a.Vpcs ?? []).map((v) => v.VpcId))).toEqual([
      [vpcs.a],
      [vpcs.b],
      [vpcs.c],
      [],
    ]);
    expect(calls('DescribeVpcs')).toBe(1);
  });

  it('gathers only calls whose other filters are the same', async () => {
    const { vpcs, calls, find } = await ec2World();
    const [own, other] = await Promise.all([find('a'), find('b', 'subnet-a')]);
    expect((own.Vpcs ?? []).map((v) => v.VpcId)).toEqual([vpcs.a]);
    expect(other.Vpcs).toEqual([]);
    expect(calls('DescribeVpcs')).toBe(2);
  });

  it('does not cut a gathered answer that has a next page: each stack asks alone', async () => {
    const coalescer = new ReadCoalescer();
    const read = COALESCABLE_READS['ec2:DescribeVpcs']!;
    const asked: unknown[] = [];
    const next = async (args: { input: Record<string, unknown> }) => {
      asked.push(args.input.Filters);
      const stacks = (args.input.Filters as { Name: string; Values: string[] }[])[0]!.Values;
      // The gathered call's answer comes in pages; a single stack's in one.
      return {
        output: stacks.length > 1 ? { Vpcs: [], NextToken: 'more' } : { Vpcs: [{ VpcId: stacks[0] }] },
      };
    };
    let release: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (release = resolve));
    let takes = 0;
    const take = () => (takes++ === 0 ? first : Promise.resolve());
    const input = (stack: string) => ({
      input: { Filters: [{ Name: 'tag:lambdaflex:stack', Values: [stack] }] },
    });
    const answers = Promise.all(
      ['a', 'b'].map((stack) => coalescer.run('ec2:DescribeVpcs', read, input(stack), next, take)),
    );
    release();
    expect((await answers).map((a) => a.output.Vpcs)).toEqual([[{ VpcId: 'a' }], [{ VpcId: 'b' }]]);
    expect(asked).toHaveLength(3);
  });
});
