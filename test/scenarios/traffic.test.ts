/**
 * Scenarios: the full cycle Lambda → Fargate → Lambda through weighted Route 53 records, each
 * safety rule, a rollback, a delete, and two reconcilers at once.
 */
import { healthyTargetCount, isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';
import type { StackStatus } from '../../reconciler/state/types';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

const LAMBDA_TYPES = ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Api'];

async function withDns(s: Scenario, mode: 'lambda' | 'fargate' | 'auto') {
  const zone = await exampleZoneId(s);
  await s.apply(specInput({ mode, dns: exampleDns(zone, EXAMPLE_RECORD) }));
  return zone;
}

async function status(s: Scenario): Promise<StackStatus> {
  return (await s.store.get(STACK))!.status!;
}

/** Safety rule 1, checked against the simulated AWS itself, not the reconciler's view of it. */
async function assertNoWeightOnUnhealthyAlb(s: Scenario, zone: string) {
  const weights = await recordWeights(s, zone, EXAMPLE_RECORD);
  if (!weights.fargate) return;
  const resources = (await status(s)).resources;
  expect(resources.alb).toBeDefined();
  expect(isLoadBalancerActive(s.account, resources.alb.arn ?? resources.alb.id)).toBe(true);
  const minTasks = ((await s.store.get(STACK))!.spec as { fargate: { minTasks: number } }).fargate.minTasks;
  expect(healthyTargetCount(s.account, resources.tg.arn ?? resources.tg.id)).toBeGreaterThanOrEqual(minTasks);
}

/** Passes until settled, checking the safety rules after every pass; returns the statuses seen. */
async function settleChecked(s: Scenario, zone: string, maxPasses = 300): Promise<StackStatus[]> {
  const seen: StackStatus[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const result = await s.pass();
    if (result === 'crashed') continue;
    await assertNoWeightOnUnhealthyAlb(s, zone);
    const st = await status(s);
    seen.push(st);
    // Safety rule 4: the Lambda tier and its record are there in every phase, once built.
    if (i > 20)
      expect(Object.keys(st.resources)).toEqual(
        expect.arrayContaining(['lambda-function', 'http-api', 'dns-lambda']),
      );
    if (result.settled && result.outcome === 'reconciled') await s.expectPlansNothing();
    if (result.settled || result.outcome !== 'reconciled') return seen;
    s.account.advance(Math.max(5_000, Math.min(result.requeueAfterMs ?? 10_000, 15_000)));
  }
  throw new Error('not settled');
}

describe('scenario: traffic between the tiers', () => {
  it('runs a full cycle Lambda → Fargate → Lambda in the spec’s steps, never dropping the fallback', async () => {
    const s = scenario();
    const zone = await withDns(s, 'lambda');
    const start = await settleChecked(s, zone);
    expect(start.at(-1)).toMatchObject({ phase: 'Lambda', traffic: { lambda: 100, fargate: 0 } });
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 100 });

    await withDns(s, 'fargate');
    const up = await settleChecked(s, zone);
    const fargateShares = [...new Set(up.map((st) => st.traffic!.fargate))];
    expect(fargateShares).toEqual([0, 10, 50, 100]);
    expect(up.map((st) => st.phase)).toContain('ScalingUp');
    expect(up.at(-1)).toMatchObject({ phase: 'Fargate', traffic: { lambda: 0, fargate: 100 } });
    expect(s.owned().map((r) => r.type)).toEqual(expect.arrayContaining(LAMBDA_TYPES));

    await withDns(s, 'lambda');
    const down = await settleChecked(s, zone);
    // Safety rule 2: the ALB is still there after traffic left it, until TTL × 2 + the deregistration delay.
    const firstDrained = down.findIndex((st) => st.traffic!.fargate === 0);
    expect(down[firstDrained].resources.alb).toBeDefined();
    const albGone = down.findIndex((st) => !st.resources.alb);
    const drainedAt = down[firstDrained].lastPass!.at;
    expect(down[albGone].lastPass!.at - drainedAt).toBeGreaterThanOrEqual(2 * 60_000 + 30_000);
    expect(down.at(-1)).toMatchObject({ phase: 'Lambda', traffic: { lambda: 100, fargate: 0 } });
    expect(
      s
        .owned()
        .filter((r) => r.type.startsWith('AWS::ElasticLoadBalancingV2') || r.type.startsWith('AWS::EC2')),
    ).toEqual([]);
    expect(s.owned().map((r) => r.type)).toEqual(expect.arrayContaining(LAMBDA_TYPES));
  });

  it('rolls traffic back to Lambda at once when Fargate targets turn unhealthy, and says why', async () => {
    const s = scenario();
    const zone = await withDns(s, 'fargate');
    await settleChecked(s, zone);
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ fargate: 100 });

    s.account.setFaults({ unhealthy: true });
    s.account.advance(60_000);
    const result = await s.pass();
    expect(result).not.toBe('crashed');
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ lambda: 100, fargate: 0 });
    const st = await status(s);
    expect(st.lastRollback).toMatchObject({ reason: expect.stringMatching(/targets healthy|ALB/) });
    expect(st.conditions.find((c) => c.type === 'TrafficOnFargate')).toMatchObject({ reason: 'RolledBack' });
    const events = (await s.store.get(STACK))!.events;
    expect(events.some((e) => e.reason === 'RolledBack')).toBe(true);
  });

  it('without dns runs the same phases and gives both URLs', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate' });
    const st = await status(s);
    expect(st.urls).toEqual({
      lambda: expect.stringMatching(/^https:\/\/.+execute-api/),
      fargate: expect.stringMatching(/^http:\/\/.+elb\.amazonaws\.com/),
    });
    expect(st.traffic).toEqual({ lambda: 0, fargate: 100 });
  });

  it('deletes both tiers, then the record, on a delete request', async () => {
    const s = scenario();
    const zone = await withDns(s, 'fargate');
    await settleChecked(s, zone);
    await s.store.requestDelete(STACK);
    const passes = await s.settle(400);
    expect(passes.at(-1)).toMatchObject({ outcome: 'deleted' });
    expect(await s.store.get(STACK)).toBeUndefined();
    expect(s.owned()).toEqual([]);
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({});
  });

  it('two reconcilers at once: the lease keeps one acting and the end state is the same as with one', async () => {
    const single = scenario();
    const zone1 = await withDns(single, 'fargate');
    await settleChecked(single, zone1);

    const s = scenario();
    const zone = await withDns(s, 'fargate');
    let settled = false;
    for (let i = 0; i < 300 && !settled; i++) {
      const [a, b] = await Promise.all([s.pass('reconciler-a'), s.pass('reconciler-b')]);
      const results = [a, b].filter((r) => r !== 'crashed');
      // Never both acting on the stack in the same round.
      expect(results.filter((r) => r.outcome !== 'skipped').length).toBeLessThanOrEqual(1);
      settled = results.some((r) => r.settled);
      s.account.advance(10_000);
    }
    expect(settled).toBe(true);
    const types = (x: Scenario) =>
      x
        .owned()
        .map((r) => r.type)
        .sort();
    expect(types(s)).toEqual(types(single));
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual(
      await recordWeights(single, zone1, EXAMPLE_RECORD),
    );
  });

  it('an image change updates both tiers: the function code and a new task definition revision rolled out', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.0.0';
    await s.apply(specInput({ mode: 'fargate', image }));
    await s.settle();
    const { GetFunctionCommand } = await import('@aws-sdk/client-lambda');
    const { DescribeServicesCommand, DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    const resources = (await status(s)).resources;
    const fn = await s.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: resources['lambda-function'].id }),
    );
    expect(fn.Code?.ImageUri).toBe(image);
    const service = await s.clients.ecs.send(
      new DescribeServicesCommand({
        cluster: resources.cluster.id,
        services: [resources.service.arn ?? resources.service.id],
      }),
    );
    const taskDefinition = service.services?.[0]?.taskDefinition;
    expect(taskDefinition).toMatch(/:2$/);
    const described = await s.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    expect(described.taskDefinition?.containerDefinitions?.[0]?.image).toBe(image);
  });

  it('still rolls traffic back from unhealthy targets after a terminal error stopped the stack', async () => {
    const s = scenario();
    const zone = await withDns(s, 'fargate');
    await settleChecked(s, zone);
    // A port change can't be applied to the target group in place: a conflict, terminal until the spec changes.
    const zoneSpec = exampleDns(zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'fargate', port: 9090, dns: zoneSpec }));
    s.account.advance(10_000);
    expect(await s.pass()).toMatchObject({ phase: 'Error' });
    s.account.advance(10_000);
    expect(await s.pass()).toMatchObject({ outcome: 'terminal', phase: 'Error' });
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ fargate: 100 });

    s.account.setFaults({ unhealthy: true });
    s.account.advance(60_000);
    expect(await s.pass()).toMatchObject({ outcome: 'terminal' });
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ lambda: 100, fargate: 0 });
    expect((await status(s)).lastRollback).toBeDefined();
  });
});
