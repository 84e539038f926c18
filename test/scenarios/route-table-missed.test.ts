/**
 * Scenario: DescribeRouteTables alone misses the stack's route table for longer than two passes (a replica
 * behind), everything else read as it is. Nothing EC2 lists names a route table by id but the table itself
 * (DescribeSubnets does not show a subnet's association), so no read contradicts the miss: the table is
 * forgotten and made again. Its associations are then refused (AssociateRouteTable answers
 * Resource.AlreadyAssociated: the subnets are still the first table's). That refusal used to be terminal,
 * stopping the stack "until the spec changes", which no spec change ends. It is looked at again instead,
 * and once the first table shows again it is taken back (its id and nonce remembered), the second deleted
 * as the duplicate: one table, the first, and the stack settles.
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { READ, type HookClient } from './call-hooks';
import { passFor, scenario, specInput, stackIdsOfType, STACK, type Scenario } from './harness';

/** DescribeRouteTables answering nothing while `hidden`; every EC2 change kept. */
function hideTheRouteTables(s: Scenario) {
  const state = { hidden: false, changes: [] as string[] };
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ.test(operation)) state.changes.push(operation);
      const answer = (await next(args)) as { output: Record<string, unknown> };
      if (state.hidden && operation === 'DescribeRouteTables')
        answer.output = { ...answer.output, RouteTables: [] };
      return answer;
    },
    { step: 'initialize', name: 'hideTheRouteTables', priority: 'high' },
  );
  return state;
}

describe('scenario: the route table alone missed for longer than two passes', () => {
  it('is never a terminal error; shown again, the first is taken back and the second deleted', async () => {
    const s = scenario({ seed: 163 });
    const tables = hideTheRouteTables(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const first = (await s.store.get(STACK))!.bookkeeping.owned?.['route-table']?.id;
    expect(first).toBeDefined();

    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    tables.hidden = true;
    const during = await passFor(s, CONSISTENCY_WINDOW_MS);
    expect(tables.changes).toContain('CreateRouteTable');
    expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);

    tables.hidden = false;
    const after = await s.settle(300);
    expect(after.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(after.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    await s.expectPlansNothing();
    expect((await s.store.get(STACK))!.bookkeeping.owned?.['route-table']?.id).toBe(first);
    expect(stackIdsOfType(s, 'AWS::EC2::RouteTable')).toEqual([first]);
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
  });
});
