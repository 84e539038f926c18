/**
 * A steady stack is observed from the snapshot of its last full observation, confirmed by one Resource
 * Groups Tagging API call plus the live resources (engine/observe-inventory.ts); every sign of change
 * brings the full observation back. Each case changes something behind the reconciler's back.
 */
import { CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import type { PassResult } from '../../reconciler/reconcile';
import { SimulatedCrashError } from '../../aws-sim/core/errors';
import {
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
  type Scenario,
  type ScenarioOptions,
} from './harness';

const STEADY_CALLS_TARGET = 6;

async function steady(
  spec = specInput({ mode: 'fargate' }),
  options: ScenarioOptions = {},
): Promise<Scenario> {
  const s = scenario(options);
  await s.apply(spec);
  await s.settle();
  // A settled pass without steps leaves the snapshot (the settling pass itself, or the one after it).
  s.account.advance(60_000);
  await passOnce(s);
  expect((await s.store.get(STACK))!.bookkeeping.observationSnapshot).toBeDefined();
  return s;
}

async function passOnce(s: Scenario): Promise<PassResult> {
  const result = await s.pass();
  if (result === 'crashed') throw new Error('no crash was asked for');
  return result;
}

async function lastPass(s: Scenario) {
  return (await s.store.get(STACK))!.status!.lastPass!;
}

/** A change to the ECS service made outside LambdaFlex (the service is read on every pass). */
async function editServiceByHand(s: Scenario): Promise<void> {
  const { resources } = (await s.store.get(STACK))!.status!;
  await s.clients.ecs.send(
    new UpdateServiceCommand({
      cluster: resources.cluster!.id,
      service: resources.service!.id,
      healthCheckGracePeriodSeconds: 999,
    }),
  );
}

/** A minute later, as the schedule runs it. */
async function nextMinute(s: Scenario): Promise<PassResult> {
  s.account.advance(60_000);
  return passOnce(s);
}

describe('scenario: steady-state passes from the snapshot', () => {
  it('confirm a settled Fargate tier with at most 6 read calls, then observe in full after 15 minutes', async () => {
    const s = await steady();

    const quick = await nextMinute(s);
    expect(await lastPass(s)).toMatchObject({ observedBy: 'inventory' });
    expect(quick.plan?.steps).toEqual([]);
    expect(quick.calls.mutating).toBe(0);
    expect(quick.calls.total).toBeLessThanOrEqual(STEADY_CALLS_TARGET);
    expect(quick.calls.byOperation).toMatchObject({
      'tagging:GetResources': 1,
      'ecs:DescribeServices': 1,
      'elbv2:DescribeTargetHealth': 1,
    });
    expect(quick.phase).toBe('Fargate');

    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    const full = await passOnce(s);
    expect(await lastPass(s)).toMatchObject({
      observedBy: 'full',
      fullObservationBecause: 'periodic full observation',
    });
    expect(full.calls.total).toBeGreaterThan(quick.calls.total);
  });

  it('confirm a settled Lambda tier with its weighted record with at most 6 read calls', async () => {
    const zone = await exampleZoneId(scenario());
    const dns = exampleDns(zone);
    const s = await steady(specInput({ mode: 'lambda', dns }));

    const quick = await nextMinute(s);
    expect(await lastPass(s)).toMatchObject({ observedBy: 'inventory' });
    expect(quick).toMatchObject({ phase: 'Lambda', settled: true, calls: { mutating: 0 } });
    expect(quick.calls.total).toBeLessThanOrEqual(STEADY_CALLS_TARGET);
    // The record is live (no tags, and its weight is what traffic follows); the Fargate tier's record and
    // service are not looked for, as their ALB and cluster are in neither the snapshot nor the inventory.
    expect(quick.calls.byOperation).toEqual({
      'tagging:GetResources': 1,
      'route53:ListResourceRecordSets': 1,
    });
  });

  it('rebuild a resource deleted by hand on the next pass: its ARN is missing from the inventory', async () => {
    // The Tagging API current: lagging, it lists the deleted listener 20 minutes more, and the periodic
    // full observation finds it missing instead (adversary-tagging-lag).
    const s = await steady(undefined, { taggingLag: false });
    const listener = (await s.store.get(STACK))!.status!.resources['listener-http']!;
    await s.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: listener.arn ?? listener.id }));

    const next = await nextMinute(s);
    const because = (await lastPass(s)).fullObservationBecause;
    expect((await lastPass(s)).observedBy).toBe('full');
    expect(because).toContain(`−${listener.arn}`);
    expect(next.plan?.steps.map((step) => step.id)).toContain('create:listener-http');
    await s.settle();
    expect(s.owned().filter((r) => r.type === 'AWS::ElasticLoadBalancingV2::Listener')).toHaveLength(1);
  });

  it('observe in full when a resource with the stack tag appears (e.g. left by a crashed pass), then trust the new inventory', async () => {
    const s = await steady();
    const vpc = (await s.store.get(STACK))!.status!.resources.vpc!.id;
    const created = await s.clients.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'stray',
        Description: 'made by hand',
        VpcId: vpc,
        TagSpecifications: [
          { ResourceType: 'security-group', Tags: [{ Key: 'lambdaflex:stack', Value: STACK }] },
        ],
      }),
    );

    const stale = await nextMinute(s);
    expect(stale.calls.byOperation['tagging:GetResources']).toBe(1);
    expect((await lastPass(s)).observedBy).toBe('full');
    expect((await lastPass(s)).fullObservationBecause).toMatch(
      new RegExp(`\\+arn:aws:ec2:[^,]*:security-group/${created.GroupId}`),
    );
    await nextMinute(s);
    expect((await lastPass(s)).observedBy).toBe('inventory');
  });

  it('plan again from a full observation when the snapshot says a step is due (a live resource changed)', async () => {
    const s = await steady();
    await editServiceByHand(s);

    const next = await nextMinute(s);
    expect(await lastPass(s)).toMatchObject({
      observedBy: 'full',
      fullObservationBecause: 'a step is due',
    });
    expect(next.plan?.steps.map((step) => step.id)).toEqual(['update:service']);
    // The inventory the snapshot was checked against is the full observation's too: listed once.
    expect(next.calls.byOperation['tagging:GetResources']).toBe(1);
  });

  it('drop the snapshot before applying a step, so that a pass dying mid-step leaves a full observation next', async () => {
    const s = await steady();
    await editServiceByHand(s);
    // The process dies as it sends the step's call (a Lambda can).
    let dying = true;
    s.clients.ecs.middlewareStack.add(
      (next, context) => async (args) => {
        if (dying && context.commandName === 'UpdateServiceCommand') {
          dying = false;
          throw new SimulatedCrashError(0);
        }
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'dieOnUpdateService' },
    );

    s.account.advance(60_000);
    expect(await s.pass()).toBe('crashed');
    expect((await s.store.get(STACK))!.bookkeeping.observationSnapshot).toBeUndefined();
    const next = await nextMinute(s);
    expect(await lastPass(s)).toMatchObject({
      observedBy: 'full',
      fullObservationBecause: 'no snapshot of a settled stack',
    });
    expect(next.plan?.steps.map((step) => step.id)).toEqual(['update:service']);
  });

  it('find drift the Tagging API cannot see (a role policy detached by hand) at the periodic full observation', async () => {
    const s = await steady();
    const role = (await s.store.get(STACK))!.status!.resources['execution-role']!.id;
    await s.clients.iam.send(
      new DetachRolePolicyCommand({
        RoleName: role,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
      }),
    );

    // Trusted until the snapshot's time is up: IAM roles are not in the Tagging API's inventory.
    const unseen = await nextMinute(s);
    expect((await lastPass(s)).observedBy).toBe('inventory');
    expect(unseen.plan?.steps).toEqual([]);

    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    const found = await passOnce(s);
    expect((await lastPass(s)).observedBy).toBe('full');
    expect(found.plan?.steps.map((step) => step.id)).toContain('update:execution-role');
  });

  it('find again everything the Tagging API lists after the spec changes, and take only what it can’t see from the snapshot', async () => {
    const s = await steady();
    await s.apply(specInput({ mode: 'fargate', image: `${specInput().image}-2` }));
    const next = await nextMinute(s);
    expect(await lastPass(s)).toMatchObject({ observedBy: 'view' });
    expect(next.plan?.steps.map((step) => step.id)).toContain('update:task-definition');
    // The task definition, its service and the rest of the tier are asked for again; the Lambda tier's
    // route, integration and permission come from the snapshot.
    expect(next.calls.byOperation['ecs:ListTaskDefinitions']).toBeGreaterThan(0);
    expect(next.calls.byOperation['ecs:DescribeServices']).toBeGreaterThan(0);
    expect(next.calls.byOperation['lambda:GetFunction']).toBeGreaterThan(0);
    expect(next.calls.byOperation['apigatewayv2:GetRoutes']).toBeUndefined();
    expect(next.calls.byOperation['lambda:GetPolicy']).toBeUndefined();
  });
});
