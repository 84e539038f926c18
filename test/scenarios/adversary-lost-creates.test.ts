/**
 * Adversary scenarios: a create whose outcome is unknown (a 5xx, a timeout: AWS may or may not have made
 * the resource), after which a copy with the stack's tags appears before the next pass. The stack's nonce
 * was journaled before the call and is random: a resource carrying it that only one resource carries is
 * the stack's; anything else is left alone and reported (docs/ownership.md, safety rule 3). The stack ends
 * with one resource of its own per key, and the copy is never changed or deleted.
 */
import { CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { CreateVpcCommand, DescribeVpcsCommand, type Tag } from '@aws-sdk/client-ec2';
import { CreateServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientsFor } from '../../aws-sim';
import { stackRoleName } from '../../reconciler/iam/arns';
import { names, ownershipTagList, TAG_NONCE } from '../../spec';
import { READ, type HookClient } from './call-hooks';
import { byType, scenario, specInput, STACK, type Scenario } from './harness';

type Lost = '500 after it took effect' | 'a timeout after it took effect' | '500 before it took effect';

/** The error the caller sees when the answer is lost: an AWS 5xx, or the SDK's own timeout. */
function lostAnswer(lost: Lost): Error {
  if (lost.startsWith('a timeout')) {
    return Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError' });
  }
  return Object.assign(new Error('We encountered an internal error. Please try again.'), {
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500, attempts: 3 },
  });
}

/**
 * The stack's first call of `operation` is answered with `lost` (having taken effect or not); then, before
 * anyone can look, `copy` makes someone else's copy and returns its id. Every change the stack's clients
 * make naming that id afterwards is recorded.
 */
function loseFirst(
  client: unknown,
  operation: string,
  lost: Lost,
  copy: (input: Record<string, unknown>) => Promise<string>,
  which: (input: Record<string, unknown>) => boolean = () => true,
): { copied: () => string | undefined; changes: string[] } {
  let copied: string | undefined;
  let done = false;
  const changes: string[] = [];
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (!done && command === operation && which(args.input)) {
        done = true;
        if (!lost.startsWith('500 before')) await next(args);
        copied = await copy(args.input);
        throw lostAnswer(lost);
      }
      if (copied !== undefined && !READ.test(command) && JSON.stringify(args.input).includes(copied))
        changes.push(command);
      return next(args);
    },
    { step: 'initialize', name: 'adversaryLostAnswer', priority: 'high' },
  );
  return { copied: () => copied, changes };
}

/** The stack's VPCs (by its stack tag), with their nonces. */
async function stackVpcs(s: Scenario): Promise<{ id: string; nonce?: string }[]> {
  const answer = await s.account.withoutFaults(() =>
    clientsFor(s.account).ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:lambdaflex:stack', Values: [STACK] }] }),
    ),
  );
  return (answer.Vpcs ?? []).map((vpc) => ({
    id: vpc.VpcId!,
    nonce: vpc.Tags?.find((tag) => tag.Key === TAG_NONCE)?.Value,
  }));
}

const conflictIds = async (s: Scenario) =>
  ((await s.store.get(STACK))?.status?.conflicts ?? []).map((c) => c.id);

/** Up to `count` passes, 15 s apart, or until one settles: for stacks a copy keeps from settling. */
async function bounded(s: Scenario, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await s.pass();
    if (result !== 'crashed' && result.settled) return;
    s.account.advance(15_000);
  }
}

describe('adversary: a VPC create whose answer is lost, then a copy with the stack’s tags', () => {
  const cases: Lost[] = [
    '500 after it took effect',
    'a timeout after it took effect',
    '500 before it took effect',
  ];

  it.each(cases)(
    '%s: the stack keeps one VPC of its own; the copy is never changed or deleted',
    async (lost) => {
      const s = scenario({ seed: 41 });
      const someoneElse = clientsFor(s.account);
      const race = loseFirst(s.clients.ec2, 'CreateVpc', lost, async (input) => {
        // Copies of the stack's tags, as anyone can read them from its other resources; not the nonce,
        // which was random and on no resource before this create.
        const spec = (input.TagSpecifications as { Tags: Tag[] }[])[0];
        const tags = spec.Tags.filter((tag) => tag.Key !== TAG_NONCE);
        const made = await someoneElse.ec2.send(
          new CreateVpcCommand({
            CidrBlock: input.CidrBlock as string,
            TagSpecifications: [{ ResourceType: 'vpc', Tags: tags }],
          }),
        );
        return made.Vpc!.VpcId!;
      });

      await s.apply(specInput({ mode: 'fargate' }));
      const passes = await s.settle();
      expect(passes.at(-1)?.phase).toBe('Fargate');
      const copy = race.copied()!;
      expect(copy).toBeDefined();
      const vpcs = await stackVpcs(s);
      // Its own (the one the lost create made, when it took effect) and the copy: nothing more.
      expect(vpcs.map((v) => v.id).sort()).toHaveLength(2);
      expect(vpcs.map((v) => v.id)).toContain(copy);
      expect(await conflictIds(s)).toContain(copy);
      const own = vpcs.find((v) => v.id !== copy)!;
      expect(own.nonce).toBeDefined();
      expect(byType(s.owned())['AWS::EC2::Subnet']).toBe(2);

      await s.apply(specInput({ mode: 'lambda' }));
      await s.settle();
      await s.store.requestDelete(STACK);
      await s.settle();
      expect(race.changes).toEqual([]);
      expect((await stackVpcs(s)).map((v) => v.id)).toEqual([copy]);
    },
  );

  it('a copy carrying the lost create’s nonce too (copied from the stack’s VPC once it showed): neither is taken, changed or deleted', async () => {
    const s = scenario({ seed: 42 });
    const someoneElse = clientsFor(s.account);
    const race = loseFirst(s.clients.ec2, 'CreateVpc', '500 after it took effect', async (input) => {
      const made = await someoneElse.ec2.send(
        new CreateVpcCommand({
          CidrBlock: input.CidrBlock as string,
          TagSpecifications: input.TagSpecifications as never,
        }),
      );
      return made.Vpc!.VpcId!;
    });

    await s.apply(specInput({ mode: 'fargate' }));
    const passes = await s.settle();
    expect(passes.at(-1)?.phase).toBe('Fargate');
    const copy = race.copied()!;
    const vpcs = await stackVpcs(s);
    const lostNonce = vpcs.find((v) => v.id === copy)!.nonce;
    const twins = vpcs.filter((v) => v.nonce === lostNonce).map((v) => v.id);
    // Two carry the nonce and nothing tells which is the copy: both are reported and left alone, and
    // the stack made its own under a new nonce once the consistency window had passed.
    expect(twins).toHaveLength(2);
    expect(vpcs).toHaveLength(3);
    const conflicts = (await s.store.get(STACK))?.status?.conflicts ?? [];
    for (const id of twins) {
      // The status says which resources and why.
      expect(conflicts.find((c) => c.id === id)?.reason).toMatch(/answer was lost.*nothing tells which/);
    }

    await s.store.requestDelete(STACK);
    await s.settle();
    expect(race.changes).toEqual([]);
    expect((await stackVpcs(s)).map((v) => v.id).sort()).toEqual([...twins].sort());
  });
});

describe('adversary: a role create whose answer is lost, then someone else takes the name', () => {
  it('CreateRole answered 500 before it took effect, then a role of that name with copied tags: never changed or deleted', async () => {
    const s = scenario({ seed: 43 });
    const someoneElse = clientsFor(s.account);
    const roleName = stackRoleName(STACK, 'execution-role', s.account.region);
    const race = loseFirst(
      s.clients.iam,
      'CreateRole',
      '500 before it took effect',
      async (input) => {
        await someoneElse.iam.send(
          new CreateRoleCommand({
            RoleName: roleName,
            AssumeRolePolicyDocument: input.AssumeRolePolicyDocument as string,
            Description: 'made by hand, with copies of the stack tags',
            Tags: ownershipTagList(STACK, 'execution-role'),
          }),
        );
        return roleName;
      },
      (input) => input.RoleName === roleName,
    );

    await s.apply(specInput({ mode: 'fargate' }));
    for (let i = 0; i < 40; i++) {
      const result = await s.pass();
      if (result !== 'crashed' && result.settled) break;
      s.account.advance(15_000);
    }
    await s.store.requestDelete(STACK);
    await s.settle();

    expect(race.copied()).toBe(roleName);
    expect(race.changes).toEqual([]);
    const kept = await someoneElse.iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(kept.Role?.Description).toBe('made by hand, with copies of the stack tags');
    const attached = await someoneElse.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    expect(attached.AttachedPolicies ?? []).toEqual([]);
  });
});

describe('adversary: a service create whose answer is lost, then someone else’s service of its name in its cluster', () => {
  it('CreateService answered 500 before it took effect, then a copy: a conflict looked at every pass, never a change to the copy', async () => {
    const s = scenario({ seed: 44 });
    const someoneElse = clientsFor(s.account);
    const race = loseFirst(s.clients.ecs, 'CreateService', '500 before it took effect', async (input) => {
      const { clientToken: _own, tags: _ownTags, ...settings } = input;
      const made = await someoneElse.ecs.send(
        new CreateServiceCommand({
          ...settings,
          tags: ownershipTagList(STACK, 'service').map(({ Key, Value }) => ({ key: Key, value: Value })),
        } as never),
      );
      return made.service!.serviceArn!;
    });

    await s.apply(specInput({ mode: 'fargate' }));
    for (let i = 0; i < 30; i++) {
      const result = await s.pass();
      if (result !== 'crashed' && result.settled) break;
      s.account.advance(15_000);
    }
    const status = (await s.store.get(STACK))!.status!;
    const condition = (type: string) => status.conditions?.find((c) => c.type === type);
    expect(condition('Conflict')).toMatchObject({ status: 'True' });
    expect(condition('Conflict')?.message).toContain(race.copied());
    // Not an error the spec must fix: the name is someone else's, and the stack looks again every pass.
    expect(condition('Ready')?.message).not.toMatch(/until the spec changes/);
    expect(race.changes).toEqual([]);
    const kept = await someoneElse.ecs.send(
      new DescribeServicesCommand({ cluster: names(STACK).cluster, services: [race.copied()!] }),
    );
    expect(kept.services?.[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 1 });
  });
});

describe('adversary: a load balancer create whose answer is lost, then someone else takes the name', () => {
  it('CreateLoadBalancer answered 500 before it took effect, then one of that name and settings with copied tags: never taken, changed or deleted', async () => {
    const s = scenario({ seed: 45 });
    const someoneElse = clientsFor(s.account);
    const race = loseFirst(
      s.clients.elbv2,
      'CreateLoadBalancer',
      '500 before it took effect',
      async (input) => {
        const made = await someoneElse.elbv2.send(
          new CreateLoadBalancerCommand({ ...input, Tags: ownershipTagList(STACK, 'alb') } as never),
        );
        return made.LoadBalancers![0].LoadBalancerArn!;
      },
    );

    await s.apply(specInput({ mode: 'fargate' }));
    await bounded(s, 30);
    expect(await conflictIds(s)).toContain(race.copied());
    // The copy sits in the stack's subnets behind its security group: the network can't go while it does,
    // and the passes retry that (DependencyViolation), never touching the copy.
    await s.apply(specInput({ mode: 'lambda' }));
    await bounded(s, 40);
    await s.store.requestDelete(STACK);
    await bounded(s, 40);

    expect(race.changes).toEqual([]);
    const kept = await someoneElse.elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [race.copied()!] }),
    );
    expect(kept.LoadBalancers?.[0]?.LoadBalancerArn).toBe(race.copied());
  });
});

describe('a create answered with a 5xx after it took effect, whose SDK retry hears that it exists', () => {
  it('CreateSubnet retried after the 5xx hears InvalidSubnet.Conflict (its own first attempt): the subnet is found as the stack’s, not a terminal error', async () => {
    const s = scenario({ seed: 47 });
    s.account.setFaults({ error5xxAfterOperation: 'CreateSubnet' });
    await s.apply(specInput({ mode: 'fargate' }));
    const passes = await s.settle();
    expect(passes.at(-1)?.phase).toBe('Fargate');
    expect(byType(s.owned())['AWS::EC2::Subnet']).toBe(2);
    expect((await s.store.get(STACK))?.status?.conflicts ?? []).toEqual([]);
  });
});
