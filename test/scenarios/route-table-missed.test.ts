/**
 * Scenario: DescribeRouteTables alone misses the stack's route table for longer than two passes (a replica
 * behind), everything else read as it is. Nothing EC2 lists names a route table by id but the table itself
 * (DescribeSubnets does not show a subnet's association), so no read contradicts the miss: the table is
 * forgotten and made again. Its associations are then refused (AssociateRouteTable answers
 * Resource.AlreadyAssociated: the subnets are still the first table's). That refusal used to be terminal,
 * stopping the stack "until the spec changes", which no spec change ends. It is looked at again instead,
 * and once the first table shows again it is taken back (its id and nonce remembered), the second deleted
 * as the duplicate: one table, the first, and the stack settles. The same refusal for someone's table put
 * on the stack's subnet by hand is looked at again too, that table never touched.
 */
import {
  CreateRouteTableCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  AssociateRouteTableCommand,
} from '@aws-sdk/client-ec2';
import { clientsFor } from '../../aws-sim';
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { hideListing } from './call-hooks';
import { passFor, scenario, specInput, stackIdsOfType, STACK, type Scenario } from './harness';

/** DescribeRouteTables answering nothing while `hidden`; every EC2 change kept. */
const hideTheRouteTables = (s: Scenario) =>
  hideListing(s.clients.ec2, 'DescribeRouteTables', 'RouteTables', 'hideTheRouteTables');

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

describe('scenario: someone’s route table associated with the stack’s subnet by hand', () => {
  it('is reported and looked at again, never terminal, never touched; once they let go the stack settles', async () => {
    const s = scenario({ seed: 167 });
    const tables = hideTheRouteTables(s);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const owned = (await s.store.get(STACK))!.bookkeeping.owned!;
    const ours = owned['route-table']!.id;
    const subnet = owned['subnet-a']!.id;
    const ec2 = clientsFor(s.account).ec2;
    const theirs = (await ec2.send(new CreateRouteTableCommand({ VpcId: owned.vpc!.id }))).RouteTable!
      .RouteTableId!;
    const associationOf = async (tableId: string) =>
      (
        await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId] }))
      ).RouteTables![0]!.Associations?.find((a) => a.SubnetId === subnet)?.RouteTableAssociationId;
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: (await associationOf(ours))! }));
    const moved = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: theirs, SubnetId: subnet }));
    tables.changes.length = 0;

    // An edit, so that the passes look again at once.
    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    const during = await passFor(s, CONSISTENCY_WINDOW_MS);
    expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(tables.changes).toContain('AssociateRouteTable');
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
    expect(await associationOf(theirs)).toBe(moved.AssociationId);

    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: moved.AssociationId! }));
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(await associationOf(ours)).toBeDefined();
    expect(stackIdsOfType(s, 'AWS::EC2::RouteTable')).toEqual([ours]);
    // Theirs is left as they left it.
    expect(s.account.inventory().some((item) => item.id === theirs)).toBe(true);
  });
});
