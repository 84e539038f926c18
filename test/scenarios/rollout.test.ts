/**
 * The ECS deployment circuit breaker with rollback is on, and the rollout feeds the Fargate tier's
 * readiness: a rollout whose tasks keep failing is stopped and undone by ECS, reported as a condition,
 * not started again until the spec changes, and traffic does not move.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { PassResult } from '../../reconciler/reconcile';
import { setImageBroken } from '../../aws-sim/services/ecs';
import {
  EXAMPLE_RECORD,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

const image = (tag: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:${tag}`;

async function withDns(s: Scenario, tag: string) {
  const zone = await exampleZoneId(s);
  const certificateArn = s.account.arn('acm', 'certificate/00000000-0000-4000-8000-000000000000');
  await s.apply(
    specInput({
      mode: 'fargate',
      image: image(tag),
      dns: { hostedZoneId: zone, recordName: EXAMPLE_RECORD, ttlSeconds: 60, certificateArn },
    }),
  );
  return zone;
}

async function ecsService(s: Scenario) {
  const { resources } = (await s.store.get(STACK))!.status!;
  const answer = await s.clients.ecs.send(
    new DescribeServicesCommand({ cluster: resources.cluster!.id, services: [resources.service!.id] }),
  );
  return answer.services![0]!;
}

async function conditions(s: Scenario) {
  return (await s.store.get(STACK))!.status!.conditions;
}

describe('scenario: rollouts and the circuit breaker', () => {
  it('a failing rollout is rolled back by ECS, reported, not retried, and traffic stays on Fargate', async () => {
    const s = scenario();
    const zone = await withDns(s, '1.0.0');
    await s.settle();
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ fargate: 100 });
    const before = await ecsService(s);
    expect(before.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
      enable: true,
      rollback: true,
    });

    setImageBroken(s.account, image('2.0.0'));
    await withDns(s, '2.0.0');
    const passes = await s.settle();
    const last = passes.at(-1)!;
    expect(last).toMatchObject({ outcome: 'terminal', settled: false });
    expect(last.reason).toMatch(/rollout of lf-orders-api-task:2 failed: ECS deployment circuit breaker/);
    // Until the breaker tripped, the rollout held readiness back: no pass called the stack settled.
    expect(passes.some((p) => p.settled)).toBe(false);

    const rolledBack = await ecsService(s);
    expect(rolledBack.taskDefinition).toBe(before.taskDefinition);
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ fargate: 100 });
    expect(await conditions(s)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'RolloutFailed', status: 'True', reason: 'CircuitBreaker' }),
        expect.objectContaining({ type: 'Ready', status: 'False' }),
      ]),
    );

    // Later passes start no new rollout of the failed revision.
    for (let i = 0; i < 3; i++) {
      s.account.advance(5 * 60_000);
      const again = (await s.pass()) as PassResult;
      expect(again).toMatchObject({ outcome: 'terminal' });
      expect(again.calls.byOperation['ecs:UpdateService']).toBeUndefined();
    }
    expect((await ecsService(s)).deployments).toHaveLength(1);

    // A fixed image is a new revision, rolled out afresh.
    await withDns(s, '2.0.1');
    const fixed = await s.settle();
    expect(fixed.at(-1)).toMatchObject({ outcome: 'reconciled', phase: 'Fargate', settled: true });
    expect((await ecsService(s)).taskDefinition).toMatch(/:3$/);
    expect((await conditions(s)).map((c) => c.type)).not.toContain('RolloutFailed');
    expect((await s.store.get(STACK))!.bookkeeping.failedRollout).toBeUndefined();
  });

  it('a first rollout that fails leaves traffic on Lambda and says why', async () => {
    const s = scenario();
    setImageBroken(s.account, image('1.0.0'));
    const zone = await withDns(s, '1.0.0');
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ outcome: 'terminal' });
    expect(passes.at(-1)!.reason).toMatch(
      /rollout of lf-orders-api-task:1 failed: .*ECS launches no more of its tasks/,
    );
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 100, fargate: 0 });
    expect((await conditions(s)).find((c) => c.type === 'RolloutFailed')).toMatchObject({ status: 'True' });
  });
});
