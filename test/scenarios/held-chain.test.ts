/**
 * Scenarios: holds that chain (docs/ownership.md, "Missed, while a dependent names it"). EC2's listings
 * lag together: one pass's reads can miss the stack's VPC AND everything in it (its subnets, route table,
 * gateway and security groups), while ELBv2 still shows the ALB, found and proven the stack's, naming the
 * subnets and the ALB's group. The ALB holds the subnets (DeleteSubnet answers DependencyViolation while
 * its interfaces are in them); the subnets, unread but held, hold the VPC (DeleteVpc answers
 * DependencyViolation while a subnet is in it). So nothing in the VPC, nor the VPC, is gone: no second
 * one of any of them is made, at any moment, however long the reads lag, on Fargate or mid-switch; and
 * the stack settles on what it has once the reads come back. A VPC really deleted, by hand, with
 * everything in it (as EC2 demands: the ALB and the service first), is still made again: nothing names
 * it, nothing holds it for ever.
 */
import {
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DetachInternetGatewayCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteServiceCommand } from '@aws-sdk/client-ecs';
import { clientsFor } from '../../aws-sim';
import { simError } from '../../aws-sim/core/errors';
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import type { PassResult } from '../../reconciler/pass/outcome';
import { changesBy, hideListing, type HookClient } from './call-hooks';
import { scenario, specInput, stackIdsOfType, STACK, type Scenario, passesEvery15s } from './harness';
import { hideTheVpc } from './hide-the-vpc';

/** What is in the VPC, by CloudFormation type, with how many of each the stack has on Fargate. */
const IN_THE_VPC = {
  'AWS::EC2::VPC': 1,
  'AWS::EC2::Subnet': 2,
  'AWS::EC2::RouteTable': 1,
  'AWS::EC2::InternetGateway': 1,
  'AWS::EC2::SecurityGroup': 2,
} as const;

/** The creates of what is in a VPC (and of the VPC). */
const MAKES_IN_THE_VPC = /^Create(Vpc|Subnet|RouteTable|InternetGateway|SecurityGroup)$/;

/** How many of each of what is in the VPC the account holds for the stack (as AWS holds them). */
function countInTheVpc(s: Scenario): Record<string, number> {
  return Object.fromEntries(Object.keys(IN_THE_VPC).map((type) => [type, stackIdsOfType(s, type).length]));
}

/** The types of what is in the VPC of which the account holds more than the stack needs. */
function doubled(s: Scenario): string[] {
  const counts = countInTheVpc(s);
  return Object.entries(IN_THE_VPC)
    .filter(([type, wanted]) => counts[type]! > wanted)
    .map(([type]) => type);
}

/** Every change the stack's ELBv2 client makes (the EC2 ones are the hook's). */
function elbv2Changes(s: Scenario): string[] {
  return changesBy({ elbv2: s.clients.elbv2 }, 'elbv2Changes');
}

/**
 * Passes for `ms` of simulated time (the clock moved as each asks), checking after each that the account
 * never holds a second one of anything in the VPC; every result kept.
 */
async function passesNeverDoubling(s: Scenario, ms: number): Promise<PassResult[]> {
  const results: PassResult[] = [];
  const until = s.account.now() + ms;
  while (s.account.now() < until) {
    const result = await s.pass();
    if (result !== 'crashed') results.push(result);
    expect(doubled(s)).toEqual([]);
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return results;
}

/** Passes until one settles, checking after each that nothing in the VPC is ever doubled. */
async function settleNeverDoubling(s: Scenario, max = 300): Promise<PassResult[]> {
  const results: PassResult[] = [];
  for (let i = 0; i < max; i++) {
    const result = await s.pass();
    expect(doubled(s)).toEqual([]);
    if (result !== 'crashed') {
      results.push(result);
      if (result.settled || result.outcome !== 'reconciled') return results;
    }
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error(`not settled after ${max} passes`);
}

const ownedIds = async (s: Scenario): Promise<Record<string, string | undefined>> => {
  const owned = (await s.store.get(STACK))!.bookkeeping.owned ?? {};
  return Object.fromEntries(Object.entries(owned).map(([key, record]) => [key, record?.id]));
};

describe('scenario: the VPC and everything in it missed together while the ALB names the subnets', () => {
  it.each([
    ['one pass', 1],
    ['two passes', 2],
    ['three not-found windows', 0],
  ])(
    'on Fargate, for %s: no second VPC, subnet, route table, gateway or group; settles on the first',
    async (_, count) => {
      const s = scenario({ seed: 131 });
      const hook = hideTheVpc(s);
      const elbv2 = elbv2Changes(s);
      await s.apply(specInput({ mode: 'fargate' }));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
      expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
      const before = await ownedIds(s);
      hook.changes.length = 0;
      elbv2.length = 0;

      // An edit that makes every pass look again (a full observation), EC2's listings behind meanwhile.
      await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
      hook.hide(before.vpc);
      hook.hideAllInIt(true);
      const during =
        count > 0 ? await nPasses(s, count) : await passesNeverDoubling(s, 3 * CONSISTENCY_WINDOW_MS);
      expect(hook.missed()).toBeGreaterThan(0);
      expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
      expect(elbv2.filter((op) => /^Create(LoadBalancer|TargetGroup)$/.test(op))).toEqual([]);
      expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);
      // The VPC waits, and says why: what names it (held through the subnets the ALB names).
      const vpcSteps = during.flatMap((p) => p.plan!.steps.filter((step) => step.key === 'vpc'));
      expect(vpcSteps.length).toBeGreaterThan(0);
      for (const step of vpcSteps) {
        expect(step.action).toBe('wait');
        expect(step.waitsFor).toMatch(
          new RegExp(`${before.vpc} was not found, but subnet-a \\(${before['subnet-a']}\\), .*held by alb`),
        );
      }

      hook.hide(undefined);
      hook.hideAllInIt(false);
      const after = await settleNeverDoubling(s);
      expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
      await s.expectPlansNothing();
      const now = await ownedIds(s);
      for (const key of ['vpc', 'subnet-a', 'subnet-b', 'route-table', 'igw', 'sg-alb', 'sg-tasks'])
        expect([key, now[key]]).toEqual([key, before[key]]);
      expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
      expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
      expect((await s.store.get(STACK))!.status?.conflicts ?? []).toEqual([]);
    },
  );
  it('mid-switch to Fargate, the ALB made and seen: none doubled, and the switch ends on the first VPC', async () => {
    const s = scenario({ seed: 137 });
    const hook = hideTheVpc(s);
    const elbv2 = elbv2Changes(s);
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    await s.apply(specInput({ mode: 'fargate' }));
    // Until a pass has seen the ALB (it names the subnets and its group): the switch is half done.
    const seenAlb = async () => (await s.store.get(STACK))!.bookkeeping.owned?.alb?.seen === true;
    for (let i = 0; i < 60 && !(await seenAlb()); i++) await nPasses(s, 1);
    expect(await seenAlb()).toBe(true);
    expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
    const before = await ownedIds(s);
    hook.changes.length = 0;
    elbv2.length = 0;

    hook.hide(before.vpc);
    hook.hideAllInIt(true);
    const during = await passesNeverDoubling(s, 2 * CONSISTENCY_WINDOW_MS);
    expect(hook.missed()).toBeGreaterThan(0);
    expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
    expect(elbv2.filter((op) => /^Create(LoadBalancer|TargetGroup)$/.test(op))).toEqual([]);
    expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);

    hook.hide(undefined);
    hook.hideAllInIt(false);
    const after = await settleNeverDoubling(s);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    expect((await ownedIds(s)).vpc).toBe(before.vpc);
    expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
    expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
  });

  it('really deleted by hand with everything in it (the service and the ALB first): made again, once', async () => {
    const s = scenario({ seed: 139 });
    const hook = hideTheVpc(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const before = await ownedIds(s);
    await deleteTheTierByHand(s, before);
    expect(countInTheVpc(s)).toEqual(Object.fromEntries(Object.keys(IN_THE_VPC).map((type) => [type, 0])));
    hook.changes.length = 0;

    // EC2's listings lag behind the deletion for a pass (they show nothing of the VPC either way).
    hook.hide(before.vpc);
    hook.hideAllInIt(true);
    await nPasses(s, 1);
    hook.hide(undefined);
    hook.hideAllInIt(false);
    const after = await settleNeverDoubling(s);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    const made = (await ownedIds(s)).vpc;
    expect(made).toBeDefined();
    expect(made).not.toBe(before.vpc);
    expect(stackIdsOfType(s, 'AWS::EC2::VPC')).toEqual([made]);
    expect(hook.changes.filter((c) => c.operation === 'CreateVpc')).toHaveLength(1);
    expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
    expect((await s.store.get(STACK))!.status?.conflicts ?? []).toEqual([]);
  });
});

describe('scenario: the VPC and everything in it missed together while the ALB cannot be read', () => {
  // ELBv2's reads throttled past the SDK's retries: nothing contradicts the misses, nothing confirms them.
  it('counts none of the misses: no second VPC, subnet, route table, gateway or group; settles on the first', async () => {
    const s = scenario({ seed: 149 });
    const hook = hideTheVpc(s);
    let throttled = false;
    (s.clients.elbv2 as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        if (throttled && /^Describe/.test((context.commandName ?? '').replace(/Command$/, '')))
          throw simError('elbv2', 'Throttling', 'Rate exceeded', { httpStatusCode: 400 });
        return next(args);
      },
      { step: 'initialize', name: 'elbv2Throttled', priority: 'high' },
    );
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const before = await ownedIds(s);
    hook.changes.length = 0;

    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    hook.hide(before.vpc);
    hook.hideAllInIt(true);
    throttled = true;
    const during = await passesNeverDoubling(s, 2 * CONSISTENCY_WINDOW_MS);
    expect(hook.missed()).toBeGreaterThan(2);
    expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
    expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);

    throttled = false;
    hook.hide(undefined);
    hook.hideAllInIt(false);
    const after = await settleNeverDoubling(s);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect((await ownedIds(s)).vpc).toBe(before.vpc);
    expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
    expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
  });
});

describe('scenario: the internet gateway alone missed while the route table routes to it', () => {
  /** DescribeInternetGateways answering nothing while `hidden`; every EC2 change kept. */
  const hideTheGateway = (s: Scenario) =>
    hideListing(s.clients.ec2, 'DescribeInternetGateways', 'InternetGateways', 'hideTheGateway');

  // EC2 keeps a route's state: active while its gateway is attached, 'blackhole' once detached or deleted.
  it('is held by the route table’s active default route: no second gateway; settles on the first', async () => {
    const s = scenario({ seed: 151 });
    const gateway = hideTheGateway(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const before = await ownedIds(s);
    gateway.changes.length = 0;

    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    gateway.hidden = true;
    const during = await passesNeverDoubling(s, 2 * CONSISTENCY_WINDOW_MS);
    expect(gateway.changes.filter((op) => MAKES_IN_THE_VPC.test(op))).toEqual([]);
    const igwSteps = during.flatMap((p) => p.plan!.steps.filter((step) => step.key === 'igw'));
    expect(igwSteps.length).toBeGreaterThan(0);
    for (const step of igwSteps)
      expect(step.waitsFor).toContain(
        `${before.igw} was not found, but route-table (${before['route-table']})`,
      );

    gateway.hidden = false;
    expect((await settleNeverDoubling(s)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    expect((await ownedIds(s)).igw).toBe(before.igw);
    expect(gateway.changes.filter((op) => MAKES_IN_THE_VPC.test(op))).toEqual([]);
  });

  it('really detached and deleted by hand (the service and the ALB first): made again, once', async () => {
    const s = scenario({ seed: 157 });
    const gateway = hideTheGateway(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const before = await ownedIds(s);
    // EC2 detaches no gateway from a VPC with public addresses mapped: the ALB's and the tasks' go first.
    await deleteByHand(s, [
      () =>
        clientsFor(s.account).ecs.send(
          new DeleteServiceCommand({ cluster: before.cluster, service: before.service, force: true }),
        ),
      () => clientsFor(s.account).elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: before.alb })),
      () =>
        clientsFor(s.account).ec2.send(
          new DetachInternetGatewayCommand({ InternetGatewayId: before.igw, VpcId: before.vpc }),
        ),
      () =>
        clientsFor(s.account).ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: before.igw })),
    ]);
    gateway.changes.length = 0;

    // The route table, still there, routes to a blackhole: it holds nothing.
    const after = await settleNeverDoubling(s);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    const made = (await ownedIds(s)).igw;
    expect(made).toBeDefined();
    expect(made).not.toBe(before.igw);
    expect(stackIdsOfType(s, 'AWS::EC2::InternetGateway')).toEqual([made]);
    expect(gateway.changes.filter((op) => op === 'CreateInternetGateway')).toHaveLength(1);
  });
});

/**
 * ELBv2's reads as a lagging replica: once `deleted(arn)` is called, the load balancer last answered is
 * still described (by name or ARN, with its tags and attributes) for STALE_MS.
 */
function staleLoadBalancer(s: Scenario) {
  const last = new Map<string, { lb: Record<string, unknown>; tags?: unknown; attributes?: unknown }>();
  let stale: { arn: string; until: number } | undefined;
  const ghost = () => (stale && s.account.now() < stale.until ? last.get(stale.arn) : undefined);
  (s.clients.elbv2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as {
        Names?: string[];
        LoadBalancerArns?: string[];
        ResourceArns?: string[];
        LoadBalancerArn?: string;
      };
      const seen = ghost();
      const lb = seen?.lb as { LoadBalancerArn: string; LoadBalancerName: string } | undefined;
      const ghostly =
        lb !== undefined &&
        ((operation === 'DescribeLoadBalancers' &&
          (input.LoadBalancerArns?.includes(lb.LoadBalancerArn) ||
            input.Names?.includes(lb.LoadBalancerName))) ||
          (operation === 'DescribeTags' && input.ResourceArns?.includes(lb.LoadBalancerArn)) ||
          (operation === 'DescribeLoadBalancerAttributes' && input.LoadBalancerArn === lb.LoadBalancerArn));
      let answer: { output: Record<string, unknown> } = { output: {} };
      try {
        answer = (await next(args)) as { output: Record<string, unknown> };
      } catch (error) {
        if (!ghostly || !/^LoadBalancerNotFound/.test((error as { name?: string }).name ?? '')) throw error;
      }
      if (operation === 'DescribeLoadBalancers') {
        const listed = (answer.output.LoadBalancers ?? []) as { LoadBalancerArn: string }[];
        for (const one of listed)
          last.set(one.LoadBalancerArn, { ...last.get(one.LoadBalancerArn), lb: one });
        if (ghostly && !listed.some((one) => one.LoadBalancerArn === lb.LoadBalancerArn))
          return { ...answer, output: { ...answer.output, LoadBalancers: [...listed, lb] } };
      }
      if (operation === 'DescribeTags') {
        const described = (answer.output.TagDescriptions ?? []) as { ResourceArn: string }[];
        for (const d of described) if (last.has(d.ResourceArn)) last.get(d.ResourceArn)!.tags = d;
        if (ghostly && !described.some((d) => d.ResourceArn === lb.LoadBalancerArn))
          return { ...answer, output: { ...answer.output, TagDescriptions: [...described, seen!.tags] } };
      }
      if (operation === 'DescribeLoadBalancerAttributes' && input.LoadBalancerArn) {
        if (ghostly) return { ...answer, output: { ...answer.output, Attributes: seen!.attributes } };
        if (last.has(input.LoadBalancerArn))
          last.get(input.LoadBalancerArn)!.attributes = answer.output.Attributes;
      }
      return answer;
    },
    { step: 'initialize', name: 'staleLoadBalancer', priority: 'high' },
  );
  return { deleted: (arn: string) => (stale = { arn, until: s.account.now() + STALE_MS }) };
}

const STALE_MS = 3 * 60_000;

describe('scenario: the VPC deleted by hand with everything in it while ELBv2 still shows the ALB', () => {
  it('is held while the ALB’s read lags, then made again once: settled on one VPC of its own', async () => {
    const s = scenario({ seed: 173 });
    const hook = hideTheVpc(s);
    const alb = staleLoadBalancer(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const before = await ownedIds(s);
    await deleteTheTierByHand(s, before);
    alb.deleted(before.alb!);
    hook.changes.length = 0;

    // While ELBv2 still shows the ALB naming the subnets and its group: held, nothing made in the VPC.
    const held = await passesEvery15s(s, STALE_MS - 15_000);
    expect(hook.changes.filter((c) => MAKES_IN_THE_VPC.test(c.operation))).toEqual([]);
    const vpcWaits = held.flatMap((p) => p.plan!.steps.filter((step) => step.key === 'vpc'));
    expect(vpcWaits.some((step) => step.waitsFor?.includes('held by alb'))).toBe(true);

    // Then it ends: made again, once, and the tier builds.
    const after = await settleNeverDoubling(s);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    const made = (await ownedIds(s)).vpc;
    expect(made).not.toBe(before.vpc);
    expect(stackIdsOfType(s, 'AWS::EC2::VPC')).toEqual([made]);
    expect(hook.changes.filter((c) => c.operation === 'CreateVpc')).toHaveLength(1);
    expect(countInTheVpc(s)).toEqual(IN_THE_VPC);
  });
});

/**
 * Someone deletes the stack's Fargate tier by hand, as EC2 demands: the service (its tasks' interfaces
 * go with them) and the ALB (its interfaces linger a while), its target group, then, once nothing is in
 * them, the subnets, the groups (the tasks' first: it names the ALB's), the route table, the gateway
 * (detached first) and the VPC. What refuses with DependencyViolation is tried again a little later.
 */
async function deleteTheTierByHand(s: Scenario, ids: Record<string, string | undefined>): Promise<void> {
  const { ec2, ecs, elbv2 } = clientsFor(s.account);
  await ecs.send(new DeleteServiceCommand({ cluster: ids.cluster, service: ids.service, force: true }));
  await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: ids.alb }));
  const steps: (() => Promise<unknown>)[] = [
    () => elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: ids.tg })),
    () => ec2.send(new DeleteSubnetCommand({ SubnetId: ids['subnet-a'] })),
    () => ec2.send(new DeleteSubnetCommand({ SubnetId: ids['subnet-b'] })),
    () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: ids['sg-tasks'] })),
    () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: ids['sg-alb'] })),
    () => ec2.send(new DeleteRouteTableCommand({ RouteTableId: ids['route-table'] })),
    () => ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: ids.igw, VpcId: ids.vpc })),
    () => ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: ids.igw })),
    () => ec2.send(new DeleteVpcCommand({ VpcId: ids.vpc })),
  ];
  await deleteByHand(s, steps);
}

/** Each of `steps` in turn, one refused for what is still in it tried again a little later. */
async function deleteByHand(s: Scenario, steps: (() => Promise<unknown>)[]): Promise<void> {
  for (let attempt = 0; attempt < 60 && steps.length > 0; attempt++) {
    try {
      await steps[0]!();
      steps.shift();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'DependencyViolation' && name !== 'ResourceInUse') throw error;
      s.account.advance(30_000);
    }
  }
  expect(steps).toEqual([]);
}

/** `count` passes, the clock moved as each asks, checking after each that nothing is doubled. */
async function nPasses(s: Scenario, count: number): Promise<PassResult[]> {
  const results: PassResult[] = [];
  for (let i = 0; i < count; i++) {
    const result = await s.pass();
    if (result !== 'crashed') results.push(result);
    expect(doubled(s)).toEqual([]);
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return results;
}
