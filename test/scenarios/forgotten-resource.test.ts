/**
 * Scenarios: a finder misses the stack's ALB (its execution role, its ECS service) for longer than the
 * not-found window, then sees it again.
 * ELBv2's reads may lag (a replica behind, a look-up throttled until the SDK's retries are spent): the
 * stack forgets the ALB it no longer finds (two passes' misses once seen, docs/ownership.md), and it used
 * to take the same ALB for someone else's once it showed again, carrying a nonce no longer recorded: the
 * name taken (`conflict:alb`) for good, the stack never settling, its own ALB left behind. The stack
 * remembers the forgotten ALB's id with its nonce, and takes back only a resource with both: its own ALB
 * comes back (or is deleted when no longer wanted), and a copy of its tags, nonce included, under another
 * id is someone else's, reported and never touched (safety rule 3). Where the id is a name (a role, a
 * service's ARN), what AWS gave the resource alone (the RoleId, the creation time) is kept with the pair.
 */
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientsFor } from '../../aws-sim';
import { simError } from '../../aws-sim/core/errors';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { stackRoleName } from '../../reconciler/iam/arns';
import { names } from '../../spec';
import { READ, type HookClient } from './call-hooks';
import { passFor, scenario, type Scenario, specInput, STACK } from './harness';

const ALB_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const ALB_NAME = names(STACK).loadBalancer;

/**
 * While `missing()`, the stack's look-ups of the ALB by name answer LoadBalancerNotFound, as a read that
 * lags behind does; every change the stack's ELBv2 client makes is counted by operation, and the ARNs
 * it names (LoadBalancerArn) are kept.
 */
function missTheAlb(s: Scenario) {
  let missing = false;
  let missed = 0;
  const changes: { operation: string; arn?: string }[] = [];
  (s.clients.elbv2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const byName = ((args.input.Names ?? []) as string[]).includes(ALB_NAME);
      if (missing && operation === 'DescribeLoadBalancers' && byName) {
        missed++;
        throw simError('elbv2', 'LoadBalancerNotFound', `Load balancers '[${ALB_NAME}]' not found`);
      }
      if (!READ.test(operation)) {
        const arn = args.input.LoadBalancerArn;
        changes.push({ operation, ...(typeof arn === 'string' ? { arn } : {}) });
      }
      return next(args);
    },
    { step: 'initialize', name: 'missTheAlb', priority: 'high' },
  );
  return {
    miss: (on: boolean) => (missing = on),
    missed: () => missed,
    changes,
  };
}

/** The stack's ALBs as the simulated account holds them (not as the stack's reads show them). */
const albsInAccount = (s: Scenario): string[] =>
  s.account
    .inventory()
    .filter((item) => item.type === ALB_TYPE)
    .map((item) => item.id);

async function recordOf(s: Scenario) {
  const record = await s.store.get(STACK);
  return { owned: record?.bookkeeping.owned, conflicts: record?.status?.conflicts ?? [] };
}

/** On Fargate, settled, its ALB recorded and seen: the ARN. */
async function onFargate(s: Scenario): Promise<string> {
  await s.apply(specInput({ mode: 'fargate' }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  const alb = (await recordOf(s)).owned?.alb;
  expect(alb?.seen).toBe(true);
  return alb!.id;
}

describe('scenario: the stack’s ALB missed by its finder for longer than the not-found window', () => {
  it('seen again, it is the stack’s again: taken back, nothing made beside it, nothing deleted', async () => {
    const s = scenario({ seed: 71 });
    const hook = missTheAlb(s);
    const arn = await onFargate(s);
    // An edit that makes every pass look again (a full observation), with the ALB unseen meanwhile.
    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    hook.miss(true);
    await passFor(s, 2 * CONSISTENCY_WINDOW_MS);
    hook.miss(false);
    expect(hook.missed()).toBeGreaterThan(2);
    // Forgotten: the stack went to make its ALB again (the name answers with the one it has).
    expect(hook.changes.some((c) => c.operation === 'CreateLoadBalancer')).toBe(true);

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const after = await recordOf(s);
    expect(after.conflicts).toEqual([]);
    expect(after.owned?.alb?.id).toBe(arn);
    expect(albsInAccount(s)).toEqual([arn]);
    expect(hook.changes.filter((c) => c.operation === 'DeleteLoadBalancer')).toEqual([]);
  });

  it('seen again after the spec stopped wanting it, it is deleted cleanly', async () => {
    const s = scenario({ seed: 72 });
    const hook = missTheAlb(s);
    const arn = await onFargate(s);
    await s.apply(specInput({ mode: 'lambda' }));
    hook.miss(true);
    await passFor(s, 2 * CONSISTENCY_WINDOW_MS);
    hook.miss(false);
    expect(hook.missed()).toBeGreaterThan(2);

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect((await recordOf(s)).conflicts).toEqual([]);
    expect(albsInAccount(s)).toEqual([]);
    expect(hook.changes.filter((c) => c.operation === 'DeleteLoadBalancer')).toEqual([
      { operation: 'DeleteLoadBalancer', arn },
    ]);
  });
});

describe('adversary: the stack’s ALB deleted, and one of its name made with every tag copied, nonce included', () => {
  it('is never taken back for the stack’s: reported, never changed nor deleted, the stack deleted around it', async () => {
    const s = scenario({ seed: 73 });
    const hook = missTheAlb(s);
    const arn = await onFargate(s);

    // Someone else's hands: the stack's ALB goes, and one of the same name and settings takes its place
    // with a copy of every tag of the stack's, the nonce the record keeps for it included.
    const elbv2 = clientsFor(s.account).elbv2;
    const old = (await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })))
      .LoadBalancers![0]!;
    const tags = s.account.inventory().find((item) => item.id === arn)!.tags;
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    const made = await elbv2.send(
      new CreateLoadBalancerCommand({
        Name: ALB_NAME,
        Subnets: old.AvailabilityZones!.map((z) => z.SubnetId!),
        SecurityGroups: old.SecurityGroups!,
        Scheme: 'internet-facing',
        Type: 'application',
        IpAddressType: 'ipv4',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const copy = made.LoadBalancers![0]!.LoadBalancerArn!;
    expect(copy).not.toBe(arn);

    await passFor(s, 3 * CONSISTENCY_WINDOW_MS);
    const during = await recordOf(s);
    expect(during.owned?.alb).toBeUndefined();
    // Reported as a copy of the tags of the stack's ALB it no longer finds.
    expect(during.conflicts).toContainEqual(
      expect.objectContaining({ key: 'alb', id: copy, reason: expect.stringContaining(`nonce of ${arn}`) }),
    );

    await s.store.requestDelete(STACK);
    await passFor(s, 3 * CONSISTENCY_WINDOW_MS);
    expect(hook.changes.filter((c) => c.arn === copy)).toEqual([]);
    expect(albsInAccount(s)).toEqual([copy]);
    expect(s.account.inventory().find((item) => item.id === copy)?.tags).toEqual(tags);
  });
});

describe('scenario: the stack’s execution role missed by its finder for longer than the not-found window', () => {
  it('seen again, it is the stack’s again by its name, nonce and RoleId: no conflict, nothing made beside it', async () => {
    const s = scenario({ seed: 74 });
    const roleName = stackRoleName(STACK, 'execution-role', s.account.region);
    let missing = false;
    let missed = 0;
    const changes: string[] = [];
    (s.clients.iam as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        if (args.input.RoleName === roleName) {
          if (missing && operation === 'GetRole') {
            missed++;
            throw simError('iam', 'NoSuchEntity', `The role with name ${roleName} cannot be found.`);
          }
          if (!READ.test(operation)) changes.push(operation);
        }
        return next(args);
      },
      { step: 'initialize', name: 'missTheRole', priority: 'high' },
    );
    await onFargate(s);
    const before = (await recordOf(s)).owned?.['execution-role'];
    expect(before?.uniqueId).toBeDefined();
    changes.length = 0;

    // IAM roles are not listed by the Tagging API: a settled stack reads them again at its next full
    // observation (every DEFAULT_FULL_OBSERVE_EVERY_MS); the miss lasts past it and the window.
    missing = true;
    await passFor(s, DEFAULT_FULL_OBSERVE_EVERY_MS + 2 * CONSISTENCY_WINDOW_MS);
    missing = false;
    expect(missed).toBeGreaterThan(2);
    // Forgotten: the stack went to make it again (IAM answers that the name exists).
    expect(changes).toContain('CreateRole');

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const after = await recordOf(s);
    expect(after.conflicts).toEqual([]);
    expect(after.owned?.['execution-role']).toMatchObject({ id: roleName, uniqueId: before!.uniqueId });
    expect(changes.filter((operation) => operation === 'DeleteRole')).toEqual([]);
  });
});

describe('scenario: the stack’s ECS service missed by its finder for longer than the not-found window', () => {
  it('seen again, it is the stack’s again by its ARN, nonce and creation time: no conflict, nothing made beside it', async () => {
    const s = scenario({ seed: 75 });
    const service = names(STACK).service;
    let missing = false;
    let missed = 0;
    const changes: string[] = [];
    (s.clients.ecs as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const names = [args.input.services, args.input.service, args.input.serviceName].flat();
        if (names.some((n) => typeof n === 'string' && (n === service || n.endsWith(`/${service}`)))) {
          if (missing && operation === 'DescribeServices') {
            missed++;
            return {
              output: { services: [], failures: [{ arn: service, reason: 'MISSING' }] },
              response: {},
            };
          }
          if (!READ.test(operation)) changes.push(operation);
        }
        return next(args);
      },
      { step: 'initialize', name: 'missTheService', priority: 'high' },
    );
    await onFargate(s);
    const before = (await recordOf(s)).owned?.service;
    expect(before?.uniqueId).toBeDefined();
    changes.length = 0;

    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    missing = true;
    await passFor(s, 2 * CONSISTENCY_WINDOW_MS);
    missing = false;
    expect(missed).toBeGreaterThan(2);
    expect(changes).toContain('CreateService');

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const after = await recordOf(s);
    expect(after.conflicts).toEqual([]);
    expect(after.owned?.service).toMatchObject({ id: before!.id, uniqueId: before!.uniqueId });
    expect(changes.filter((operation) => operation === 'DeleteService')).toEqual([]);
  });
});

/**
 * While `hidden` names a gateway, EC2's listings lose it (a page lost, a replica behind); with
 * `withItsRouteTable`, the route table that routes to it is lost with it, so nothing found names it.
 */
function missTheGateway(s: Scenario, withItsRouteTable: boolean) {
  const state = { hidden: undefined as string | undefined, missed: 0 };
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const answer = (await next(args)) as {
        output: {
          InternetGateways?: { InternetGatewayId?: string }[];
          RouteTables?: { Routes?: { GatewayId?: string }[] }[];
        };
      };
      const { hidden } = state;
      const { InternetGateways: gateways, RouteTables: tables } = answer.output;
      if (hidden && context.commandName === 'DescribeInternetGatewaysCommand' && gateways) {
        const shown = gateways.filter((g) => g.InternetGatewayId !== hidden);
        state.missed += gateways.length - shown.length;
        answer.output = { ...answer.output, InternetGateways: shown };
      }
      if (hidden && withItsRouteTable && context.commandName === 'DescribeRouteTablesCommand' && tables) {
        const shown = tables.filter((t) => !(t.Routes ?? []).some((r) => r.GatewayId === hidden));
        answer.output = { ...answer.output, RouteTables: shown };
      }
      return answer;
    },
    { step: 'initialize', name: 'missTheGateway', priority: 'high' },
  );
  return state;
}

/**
 * On Fargate, settled; then, after an edit (so that every pass looks again), the stack's gateway missed
 * by its finder (with its route table when `withItsRouteTable`) for two not-found windows: its id.
 */
async function gatewayMissedPastTheWindow(s: Scenario, withItsRouteTable: boolean): Promise<string> {
  const miss = missTheGateway(s, withItsRouteTable);
  await onFargate(s);
  const original = (await recordOf(s)).owned?.igw?.id;
  expect(original).toBeDefined();

  await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
  miss.hidden = original;
  await passFor(s, 2 * CONSISTENCY_WINDOW_MS);
  miss.hidden = undefined;
  expect(miss.missed).toBeGreaterThan(2);
  return original!;
}

function gatewaysOf(s: Scenario) {
  return s.account
    .inventory()
    .filter((item) => item.type === 'AWS::EC2::InternetGateway')
    .map((item) => item.id);
}

describe('scenario: the stack’s internet gateway missed by its finder for longer than the not-found window', () => {
  it('while its route table is found routing to it, it is held: none is made in its place', async () => {
    const s = scenario({ seed: 76 });
    const original = await gatewayMissedPastTheWindow(s, false);
    expect(gatewaysOf(s)).toEqual([original]);

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect((await recordOf(s)).owned?.igw?.id).toBe(original);
    expect(gatewaysOf(s)).toEqual([original]);
  });

  it('missed with its route table, one is made in its place meanwhile; the one seen again is put back in use and the one made since deleted', async () => {
    const s = scenario({ seed: 76 });
    const original = await gatewayMissedPastTheWindow(s, true);
    // Forgotten: another was made (it cannot be attached: the VPC has the original).
    expect(gatewaysOf(s)).toHaveLength(2);

    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const after = await recordOf(s);
    expect(after.conflicts).toEqual([]);
    expect(after.owned?.igw?.id).toBe(original);
    expect(gatewaysOf(s)).toEqual([original]);
  });
});
