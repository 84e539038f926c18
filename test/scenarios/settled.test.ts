/**
 * "Settled" means a fresh observation planned nothing: a pass that applied steps has not seen their
 * effect, so it never says settled, and `plan` right after a settled pass plans nothing.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { planStack, type PassResult } from '../../reconciler/reconcile';
import { scenario, specInput, STACK } from './harness';

/** Passes until one says settled, without the harness's own check, so that the test makes it itself. */
async function passesUntilSettled(s: ReturnType<typeof scenario>): Promise<PassResult[]> {
  const passes: PassResult[] = [];
  for (let i = 0; i < 200; i++) {
    const result = await s.pass();
    if (result === 'crashed') throw new Error('no crash was injected');
    passes.push(result);
    if (result.settled || result.outcome !== 'reconciled') return passes;
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error('not settled after 200 passes');
}

describe('scenario: settled', () => {
  it('after a task-size edit, the settled pass planned nothing and a dry run plans nothing', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await passesUntilSettled(s);
    await s.apply(
      specInput({ mode: 'fargate', fargate: { cpu: 512, memoryMb: 1024, minTasks: 1, maxTasks: 4 } }),
    );
    s.account.advance(60_000);

    const passes = await passesUntilSettled(s);
    const last = passes.at(-1)!;
    expect(last).toMatchObject({ outcome: 'reconciled', settled: true, plan: { steps: [] } });
    for (const p of passes.filter((r) => r.calls.mutating > 0)) expect(p.settled).toBe(false);
    const dryRun = await planStack(s.reconciler, STACK);
    expect(dryRun.plan.steps.map((step) => step.id)).toEqual([]);

    const record = (await s.store.get(STACK))!;
    const service = await s.clients.ecs.send(
      new DescribeServicesCommand({
        cluster: record.status!.resources.cluster.id,
        services: [record.status!.resources.service.id],
      }),
    );
    expect(service.services?.[0]?.taskDefinition).toMatch(/:2$/);
    expect(record.status!.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });

  it('a pass that applied steps is not Ready and asks to be called back soon', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'lambda' }));
    const first = await s.pass();
    expect(first).toMatchObject({ settled: false });
    if (first === 'crashed') return;
    expect(first.calls.mutating).toBeGreaterThan(0);
    expect(first.requeueAfterMs).toBeDefined();
    const ready = (await s.store.get(STACK))!.status!.conditions.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Progressing' });
  });

  it('a terminal error ends the pass that met it with outcome terminal and the message', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    await s.apply(specInput({ mode: 'fargate', port: 9090 }));
    s.account.advance(10_000);
    expect(await s.pass()).toMatchObject({
      outcome: 'terminal',
      phase: 'Error',
      settled: false,
      reason: expect.stringContaining('cannot change port in place'),
    });
  });
});
