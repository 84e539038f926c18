/**
 * The ALB's security group swapped by hand for the tasks' group (SetSecurityGroups, which the simulator
 * now answers as the API reference does, the nodes' ENIs taking the new groups): the periodic full
 * observation finds it and puts the stack's own group back with SetSecurityGroups, nothing made or
 * deleted; the tasks' group, let go by the ALB's ENIs, is held by its tasks only.
 */
import {
  DescribeLoadBalancersCommand,
  SetSecurityGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { READ, type HookClient } from './call-hooks';
import { scenario, specInput, STACK } from './harness';

describe('the ALB’s security groups changed by hand', () => {
  it('are put back with SetSecurityGroups, nothing made or deleted', async () => {
    const s = scenario({ seed: 53 });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
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

    const changes: string[] = [];
    for (const client of Object.values(s.clients)) {
      (client as unknown as HookClient).middlewareStack?.add(
        (next, context) => async (args) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          if (!READ.test(operation)) changes.push(operation);
          return next(args);
        },
        { step: 'initialize', name: 'watchChanges', priority: 'high' },
      );
    }
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
