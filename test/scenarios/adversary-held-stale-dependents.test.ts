/**
 * Adversary scenario: the hold's liveness under EC2's eventual consistency. Someone deletes the stack's
 * subnets, then its VPC, by hand (as EC2 demands: DeleteVpc answers DependencyViolation while a subnet
 * is in it), and DescribeSubnets keeps showing the deleted subnets for three minutes ("Eventual
 * consistency in the Amazon EC2 API": a Describe may lag a change by up to a few minutes). While it does,
 * the VPC's miss is contradicted by a stale read and the VPC is held; once the subnets' reads catch up,
 * nothing names the VPC, and it must be made again: held for a while, never for ever.
 */
import { DeleteSubnetCommand, DeleteVpcCommand, type Filter, type Subnet } from '@aws-sdk/client-ec2';
import { clientsFor } from '../../aws-sim';
import { simError } from '../../aws-sim/core/errors';
import { READ, type HookClient } from './call-hooks';
import { scenario, specInput, STACK, type Scenario, passesEvery15s } from './harness';

const STALE_MS = 3 * 60_000;

const vpcsInAccount = (s: Scenario): string[] =>
  s.account
    .inventory()
    .filter((item) => item.type === 'AWS::EC2::VPC')
    .map((item) => item.id);

/**
 * DescribeSubnets as a lagging replica: once `deleted(ids)` is called, the subnets it names, as last
 * answered, are still listed (for the filters they matched) for STALE_MS.
 */
function staleSubnets(s: Scenario) {
  const last = new Map<string, Subnet>();
  let stale: { ids: string[]; until: number } | undefined;
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const answer = (await next(args)) as { output: { Subnets?: Subnet[] } };
      if (context.commandName !== 'DescribeSubnetsCommand') return answer;
      const listed = answer.output.Subnets ?? [];
      for (const subnet of listed) last.set(subnet.SubnetId!, subnet);
      if (stale && s.account.now() < stale.until) {
        const filters = (args.input.Filters ?? []) as Filter[];
        const matches = (subnet: Subnet) =>
          filters.every((f) =>
            f.Name?.startsWith('tag:')
              ? (subnet.Tags ?? []).some((t) => `tag:${t.Key}` === f.Name && f.Values?.includes(t.Value!))
              : true,
          );
        const ghosts = stale.ids
          .filter((id) => !listed.some((subnet) => subnet.SubnetId === id))
          .map((id) => last.get(id)!)
          .filter(matches);
        answer.output = { ...answer.output, Subnets: [...listed, ...ghosts] };
      }
      return answer;
    },
    { step: 'initialize', name: 'staleSubnets', priority: 'high' },
  );
  return { deleted: (ids: string[]) => (stale = { ids, until: s.account.now() + STALE_MS }) };
}

describe('adversary: a VPC really deleted while DescribeSubnets still shows its deleted subnets', () => {
  it('is held while the stale read lasts, then made again once: settled on one VPC of its own', async () => {
    const s = scenario({ seed: 93 });
    const stale = staleSubnets(s);
    const changes: string[] = [];
    // The tier half built (VPC and subnets; every other create of the tier throttled), so that a hand
    // can delete them as EC2 demands, the subnets first.
    let building = true;
    for (const client of [s.clients.ec2, s.clients.elbv2] as unknown as HookClient[]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          if (!READ.test(operation)) changes.push(operation);
          if (building && /^Create/.test(operation) && !/^Create(Vpc|Subnet|Tags)$/.test(operation))
            throw simError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.');
          return next(args);
        },
        { step: 'initialize', name: 'halfBuilt', priority: 'high' },
      );
    }
    await s.apply(specInput({ mode: 'fargate' }));
    const owned = async () => (await s.store.get(STACK))!.bookkeeping.owned ?? {};
    const seen = async () => {
      const o = await owned();
      return ['vpc', 'subnet-a', 'subnet-b'].every((key) => o[key]?.seen === true);
    };
    for (let i = 0; i < 40 && !(await seen()); i++) {
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(await seen()).toBe(true);
    const before = await owned();
    const original = before.vpc!.id;
    const subnets = [before['subnet-a']!.id, before['subnet-b']!.id];

    const ec2 = clientsFor(s.account).ec2;
    for (const id of subnets) await ec2.send(new DeleteSubnetCommand({ SubnetId: id }));
    await ec2.send(new DeleteVpcCommand({ VpcId: original }));
    stale.deleted(subnets);
    changes.length = 0;

    // While the read is stale: held, nothing made.
    const held = await passesEvery15s(s, STALE_MS - 15_000);
    expect(changes.filter((c) => c === 'CreateVpc')).toEqual([]);
    const vpcWaits = held.flatMap((p) => p.plan!.steps.filter((step) => step.key === 'vpc'));
    expect(vpcWaits.some((step) => step.waitsFor?.includes(`${original} was not found, but`))).toBe(true);

    // Then it ends: made again, once, and the tier builds.
    building = false;
    const passes = await s.settle(300);
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const made = (await owned()).vpc?.id;
    expect(made).toBeDefined();
    expect(made).not.toBe(original);
    expect(vpcsInAccount(s)).toEqual([made]);
    expect(changes.filter((c) => c === 'CreateVpc')).toHaveLength(1);
    expect((await s.store.get(STACK))!.status?.conflicts ?? []).toEqual([]);
  });
});
