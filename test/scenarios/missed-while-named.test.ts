/**
 * Scenarios: the stack's VPC missed by its finder (a listing that lost it: a replica behind, a page lost)
 * for longer than the not-found window, while the subnets in it are found, naming it by id.
 * EC2 refuses to delete a VPC that still has subnets ("DeleteVpc": every subnet, security group and route
 * table deleted, every gateway detached first), so the subnets' read contradicts the miss: the VPC is not
 * gone. It used to be forgotten and made again: a second VPC (a cost and ownership leak), and the subnets,
 * still in the first, answered "cannot change vpcId in place", a terminal error that stopped the stack.
 * A VPC really deleted behind the stack's back takes its subnets with it (EC2 would not delete it
 * otherwise), and is made again as before (docs/ownership.md, "Missed, while a dependent names it").
 */
import { DeleteSubnetCommand, DeleteVpcCommand } from '@aws-sdk/client-ec2';
import { clientsFor } from '../../aws-sim';
import { simError } from '../../aws-sim/core/errors';
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import type { HookClient } from './call-hooks';
import { passFor, scenario, type Scenario, specInput, STACK } from './harness';
import { vpcWithCopiedTags } from './copied-tags';
import { hideTheVpc } from './hide-the-vpc';

const VPC_TYPE = 'AWS::EC2::VPC';

const vpcsInAccount = (s: Scenario): string[] =>
  s.account
    .inventory()
    .filter((item) => item.type === VPC_TYPE)
    .map((item) => item.id);

async function recordOf(s: Scenario) {
  const record = await s.store.get(STACK);
  return { owned: record?.bookkeeping.owned, terminal: record?.bookkeeping.terminal };
}

/** On Fargate, settled, its VPC recorded and seen: the VPC's id. */
async function onFargate(s: Scenario): Promise<string> {
  await s.apply(specInput({ mode: 'fargate' }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  const vpc = (await recordOf(s)).owned?.vpc;
  expect(vpc?.seen).toBe(true);
  return vpc!.id;
}

describe('scenario: the stack’s VPC missed by its finder for longer than the not-found window, its subnets seen', () => {
  it('is not gone: no second VPC is ever made, nothing terminal, the stack converges once it is seen again', async () => {
    const s = scenario({ seed: 81 });
    const hook = hideTheVpc(s);
    const original = await onFargate(s);
    // Someone's VPC carrying copies of the stack's tags (no nonce): never the stack's to touch.
    const foreign = await vpcWithCopiedTags(clientsFor(s.account).ec2, '10.99.0.0/16');
    hook.changes.length = 0;

    // An edit that makes every pass look again (a full observation), the VPC unseen meanwhile.
    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    hook.hide(original);
    const during = await passFor(s, 3 * CONSISTENCY_WINDOW_MS);
    expect(hook.missed()).toBeGreaterThan(2);

    expect(hook.changes.filter((c) => c.operation === 'CreateVpc')).toEqual([]);
    expect(vpcsInAccount(s).sort()).toEqual([original, foreign].sort());
    expect(during.filter((p) => p.outcome === 'terminal')).toEqual([]);
    const held = await recordOf(s);
    expect(held.owned?.vpc?.id).toBe(original);
    expect(held.terminal).toBeUndefined();
    // Every pass says why it waits: what it found names the VPC its finder missed; a full observation
    // finds the subnets in it.
    const vpcSteps = during.map((p) => p.plan!.steps.filter((step) => step.key === 'vpc'));
    for (const steps of vpcSteps) {
      expect(steps).toEqual([
        expect.objectContaining({
          action: 'wait',
          waitsFor: expect.stringContaining(`${original} was not found, but`),
        }),
      ]);
    }
    const subnetsNameIt = new RegExp(
      `subnet-a \\(subnet-[0-9a-f]+\\), subnet-b \\(subnet-[0-9a-f]+\\).*names it`,
    );
    expect(vpcSteps.filter(([step]) => subnetsNameIt.test(step!.waitsFor!)).length).toBeGreaterThan(0);

    hook.hide(undefined);
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect((await recordOf(s)).owned?.vpc?.id).toBe(original);
    expect(hook.changes.filter((c) => c.operation === 'CreateVpc')).toEqual([]);
    expect(vpcsInAccount(s).sort()).toEqual([original, foreign].sort());
    // Nothing names the foreign VPC in a change, and it keeps its tags.
    expect(hook.changes.filter((c) => JSON.stringify(c.input).includes(foreign))).toEqual([]);
    expect(s.account.inventory().find((item) => item.id === foreign)?.tags).toEqual({
      'lambdaflex:stack': STACK,
      'lambdaflex:component': 'vpc',
      'lambdaflex:managed-by': 'lambdaflex',
    });
  });

  it('really deleted behind the stack’s back (its subnets deleted first) is made again, as before', async () => {
    const s = scenario({ seed: 82 });
    const hook = hideTheVpc(s);
    // The tier half built: the VPC and its subnets made, nothing else in the VPC yet (every other create
    // of the tier throttled), so that a hand can delete them as EC2 demands, the subnets first.
    let building = true;
    for (const client of [s.clients.ec2, s.clients.elbv2] as unknown as HookClient[]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          if (building && /^Create/.test(operation) && !/^Create(Vpc|Subnet|Tags)$/.test(operation))
            throw simError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.');
          return next(args);
        },
        { step: 'initialize', name: 'halfBuilt', priority: 'high' },
      );
    }
    await s.apply(specInput({ mode: 'fargate' }));
    const seen = async () => {
      const { owned } = await recordOf(s);
      return ['vpc', 'subnet-a', 'subnet-b'].every((key) => owned?.[key]?.seen === true);
    };
    for (let i = 0; i < 40 && !(await seen()); i++) await passFor(s, 1);
    expect(await seen()).toBe(true);
    const { owned } = await recordOf(s);
    const original = owned!.vpc!.id;

    const ec2 = clientsFor(s.account).ec2;
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: original }))).rejects.toMatchObject({
      name: 'DependencyViolation',
    });
    for (const key of ['subnet-a', 'subnet-b'])
      await ec2.send(new DeleteSubnetCommand({ SubnetId: owned![key]!.id }));
    await ec2.send(new DeleteVpcCommand({ VpcId: original }));
    expect(vpcsInAccount(s)).toEqual([]);
    hook.changes.length = 0;

    building = false;
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const made = (await recordOf(s)).owned?.vpc?.id;
    expect(made).toBeDefined();
    expect(made).not.toBe(original);
    expect(vpcsInAccount(s)).toEqual([made]);
    expect(hook.changes.filter((c) => c.operation === 'CreateVpc')).toHaveLength(1);
  });
});
