/**
 * Adversary scenarios: creates that AWS answers with a resource that already existed. ELBv2's
 * CreateLoadBalancer and CreateTargetGroup succeed with the existing one when the name and settings are the
 * same; ECS's CreateCluster answers with the active cluster of that name. Someone else (another
 * installation's stack of the same name, a person) takes the name with copies of the stack's tags between
 * the stack's look-up and its create: the answer names their resource, which must never be recorded as
 * the stack's, modified or deleted (docs/ownership.md, safety rule 3).
 */
import { CreateClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientsFor } from '../../aws-sim';
import { ownershipTagList } from '../../spec';
import { READ, type HookClient } from './call-hooks';
import { passes, scenario, specInput, STACK, type Scenario } from './harness';

/**
 * Right before the stack's first call of `operation`, `plant` runs with the call's input (someone else
 * creating the same thing) and returns the id of what it made; from then on every change the stack's
 * clients make whose input names that id is recorded.
 */
function raceOn(
  client: unknown,
  operation: string,
  plant: (input: Record<string, unknown>) => Promise<string>,
): { planted: () => string | undefined; changes: string[] } {
  let planted: string | undefined;
  const changes: string[] = [];
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (planted === undefined && command === operation) planted = await plant(args.input);
      else if (planted !== undefined && !READ.test(command) && JSON.stringify(args.input).includes(planted))
        changes.push(command);
      return next(args);
    },
    { step: 'initialize', name: 'adversaryRace', priority: 'high' },
  );
  return { planted: () => planted, changes };
}

/** Up on Lambda, then switched to Fargate (the race happens there), back to Lambda, then deleted. */
async function fullLife(s: Scenario, whileTaken: () => Promise<void>): Promise<void> {
  await s.apply(specInput({ mode: 'lambda' }));
  await s.settle();
  await s.apply(specInput({ mode: 'fargate' }));
  await passes(s, 40);
  await whileTaken();
  await s.apply(specInput({ mode: 'lambda' }));
  await passes(s, 60);
  await s.store.requestDelete(STACK);
  await passes(s, 80);
}

const withoutNonce = (tags: unknown, component: string) =>
  Array.isArray(tags) ? ownershipTagList(STACK, component) : tags;

describe('adversary: a create answered with someone else’s same-named resource', () => {
  it('CreateLoadBalancer answered with a copy made with the same settings: never recorded, changed or deleted', async () => {
    const s = scenario({ seed: 31 });
    const someoneElse = clientsFor(s.account);
    const race = raceOn(s.clients.elbv2, 'CreateLoadBalancer', async (input) => {
      const made = await someoneElse.elbv2.send(
        new CreateLoadBalancerCommand({ ...input, Tags: withoutNonce(input.Tags, 'alb') } as never),
      );
      return made.LoadBalancers![0].LoadBalancerArn!;
    });

    await fullLife(s, async () => {
      const status = (await s.store.get(STACK))?.status;
      expect(status?.conflicts?.map((c) => c.key)).toContain('alb');
      expect(JSON.stringify(status?.conflicts)).toContain(race.planted());
    });

    expect(race.planted()).toBeDefined();
    expect(race.changes).toEqual([]);
    const kept = await someoneElse.elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [race.planted()!] }),
    );
    expect(kept.LoadBalancers?.[0]?.LoadBalancerArn).toBe(race.planted());
  });

  it('CreateTargetGroup answered with a copy: its attributes are never changed, nor is it deleted', async () => {
    const s = scenario({ seed: 32 });
    const someoneElse = clientsFor(s.account);
    const race = raceOn(s.clients.elbv2, 'CreateTargetGroup', async (input) => {
      const made = await someoneElse.elbv2.send(
        new CreateTargetGroupCommand({ ...input, Tags: withoutNonce(input.Tags, 'tg') } as never),
      );
      return made.TargetGroups![0].TargetGroupArn!;
    });

    await fullLife(s, async () => {
      const status = (await s.store.get(STACK))?.status;
      expect(status?.conflicts?.map((c) => c.key)).toContain('tg');
    });

    expect(race.planted()).toBeDefined();
    expect(race.changes).toEqual([]);
    const kept = await someoneElse.elbv2.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [race.planted()!] }),
    );
    expect(kept.TargetGroups?.[0]?.TargetGroupArn).toBe(race.planted());
  });

  it('CreateCluster answered with an active cluster of that name: no service is put in it, it is never deleted', async () => {
    const s = scenario({ seed: 33 });
    const someoneElse = clientsFor(s.account);
    const race = raceOn(s.clients.ecs, 'CreateCluster', async (input) => {
      const made = await someoneElse.ecs.send(
        new CreateClusterCommand({
          clusterName: input.clusterName as string,
          tags: ownershipTagList(STACK, 'cluster').map(({ Key, Value }) => ({ key: Key, value: Value })),
        }),
      );
      return made.cluster!.clusterArn!;
    });

    await fullLife(s, async () => {
      const status = (await s.store.get(STACK))?.status;
      expect(status?.conflicts?.map((c) => c.key)).toContain('cluster');
    });

    expect(race.planted()).toBeDefined();
    expect(race.changes).toEqual([]);
    const kept = await someoneElse.ecs.send(new DescribeClustersCommand({ clusters: [race.planted()!] }));
    expect(kept.clusters?.[0]?.status).toBe('ACTIVE');
    expect(kept.clusters?.[0]?.activeServicesCount).toBe(0);
  });
});
