/**
 * Adversary scenarios: the Resource Groups Tagging API's index lags behind the services, as users report
 * it (docs/aws-facts.md, "Resource Groups Tagging API index"): a deleted resource stays listed with its
 * last tags (for hours, some report), a new one is missing for a while. The stack finds its resources
 * through that index (the steady pass's inventory, the HTTP API's finder, the hold of forgotten
 * resources still listed), so the lag must cost it nothing but a few calls: no duplicate, nothing of
 * another stack touched, never settled or deleted while its resources remain, never stuck, and a deletion
 * done in the time it takes without the lag.
 */
import { reconcileStack } from '../../reconciler/reconcile';
import type { PassResult } from '../../reconciler/reconcile';
import type { TaggingIndexLag } from '../../aws-sim/services/tagging';
import { listStackInventory } from '../../reconciler/aws/stack-inventory';
import { byType, scenario, specInput, STACK, type Scenario } from './harness';

/** The ARNs the Tagging API lists with the stack's tag that the account no longer holds: its ghosts. */
async function ghosts(s: Scenario): Promise<string[]> {
  const held = new Set(s.account.inventory().flatMap((item) => (item.arn ? [item.arn] : [])));
  return (await listStackInventory(s.clients, STACK)).filter((arn) => !held.has(arn));
}

/** As users report it: deleted resources listed for hours; new ones missing for a minute. */
const HOURS_LAG: Partial<TaggingIndexLag> = { afterDeleteMs: 3 * 60 * 60_000, afterChangeMs: 60_000 };

/** The stack's resources as AWS holds them, by type: "<type>" → how many. */
const stackTypes = (s: Scenario) => byType(s.owned());

/** The same spec settled in an account without lag: what the stack's resources should be, by type. */
async function reference(mode: 'lambda' | 'fargate'): Promise<Record<string, number>> {
  const s = scenario({ seed: 3 });
  await s.apply(specInput({ mode }));
  expect((await s.settle()).at(-1)).toMatchObject({ settled: true });
  return stackTypes(s);
}

/** Passes until one settles (or deletes the stack), the clock moved as each asks: the passes and the time taken. */
async function settleTimed(s: Scenario, maxPasses = 300): Promise<{ passes: PassResult[]; ms: number }> {
  const start = s.account.now();
  const passes = await s.settle(maxPasses);
  return { passes, ms: s.account.now() - start };
}

async function deleteTimed(s: Scenario): Promise<number> {
  await s.store.requestDelete(STACK);
  const { passes, ms } = await settleTimed(s);
  expect(passes.at(-1)?.outcome).toBe('deleted');
  expect(s.owned().map((item) => `${item.type} ${item.id}`)).toEqual([]);
  expect(await s.store.get(STACK)).toBeUndefined();
  return ms;
}

/** Another stack of the account, settled on Fargate: its resources' ids, to check nothing of it is touched. */
async function anotherStack(s: Scenario, stack = 'billing-api'): Promise<() => string[]> {
  await s.store.putSpec({ ...specInput({ mode: 'fargate' }), stack });
  for (let i = 0; i < 200; i++) {
    const result = await reconcileStack(s.reconciler, stack);
    if (result.settled) break;
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  const ids = () =>
    s.account
      .inventory()
      .filter((item) => item.tags['lambdaflex:stack'] === stack)
      .map((item) => `${item.type} ${item.id}`)
      .sort();
  expect(ids().length).toBeGreaterThan(10);
  return ids;
}

describe('adversary: the Tagging API lists deleted resources and misses new ones for a while', () => {
  let fargate: Record<string, number>;
  let lambda: Record<string, number>;
  let deleteWithoutLagMs: number;

  beforeAll(async () => {
    fargate = await reference('fargate');
    lambda = await reference('lambda');
    const s = scenario({ seed: 3 });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    deleteWithoutLagMs = await deleteTimed(s);
  });

  it('switches Lambda → Fargate → Lambda: each settles with the resources it should have, no duplicate', async () => {
    const s = scenario({ seed: 41, taggingLag: HOURS_LAG });
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(stackTypes(s)).toEqual(lambda);

    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(stackTypes(s)).toEqual(fargate);

    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(stackTypes(s)).toEqual(lambda);
    // Settled while the index still lists the whole Fargate tier: no error, nothing planned.
    expect((await ghosts(s)).some((arn) => arn.includes(':loadbalancer/'))).toBe(true);
    await s.expectPlansNothing();
    expect((await s.store.get(STACK))!.status?.conditions.find((c) => c.type === 'Ready')?.status).toBe(
      'True',
    );
  });

  it('deletes a Fargate stack in the time it takes without the lag, the other stack of the account untouched', async () => {
    const s = scenario({ seed: 43, taggingLag: HOURS_LAG });
    const other = await anotherStack(s);
    const before = other();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle(300);
    const ms = await deleteTimed(s);
    // The index lists the deleted tier for hours: the deletion waits for AWS, not for the index.
    expect(ms).toBeLessThanOrEqual(deleteWithoutLagMs + 60_000);
    expect(other()).toEqual(before);
  });

  it('re-creates a stack under the same name right after its deletion: one of each, no ghost deleted or reported', async () => {
    const s = scenario({ seed: 47, taggingLag: HOURS_LAG });
    const other = await anotherStack(s);
    const before = other();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle(300);
    await deleteTimed(s);

    // At once: the index still lists every resource of the deleted stack, with the same stack tag.
    expect((await ghosts(s)).length).toBeGreaterThan(10);
    await s.apply(specInput({ mode: 'fargate' }));
    const passes = (await settleTimed(s)).passes;
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(stackTypes(s)).toEqual(fargate);
    const record = (await s.store.get(STACK))!;
    expect(record.status?.conflicts ?? []).toEqual([]);
    expect(passes.filter((p) => p.outcome !== 'reconciled')).toEqual([]);
    expect(other()).toEqual(before);

    // And so on while the ghosts are listed, and once they are gone: settled, nothing planned.
    for (const ms of [5 * 60_000, 20 * 60_000, HOURS_LAG.afterDeleteMs!]) {
      s.account.advance(ms);
      const again = await s.settle(300);
      expect(again.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
      expect(stackTypes(s)).toEqual(fargate);
    }
  });

  it('switches back to Fargate soon after a teardown, the deleted ALB and VPC still listed: one of each, settled', async () => {
    const s = scenario({ seed: 53, taggingLag: HOURS_LAG });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle(300);
    const firstAlb = (await s.store.get(STACK))!.bookkeeping.owned?.alb?.id;
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(stackTypes(s)).toEqual(lambda);

    expect(await ghosts(s)).toContain(firstAlb);
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(stackTypes(s)).toEqual(fargate);
    expect((await s.store.get(STACK))!.bookkeeping.owned?.alb?.id).not.toBe(firstAlb);
    expect((await s.store.get(STACK))!.status?.conflicts ?? []).toEqual([]);
  });

  it('switches Fargate → Lambda → Fargate → Lambda with throttling and crashes on the way: one of each, settled', async () => {
    const s = scenario({
      seed: 73,
      taggingLag: HOURS_LAG,
      afterCrashMs: 0,
      faults: { throttle: 0.05, seed: 5 },
    });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle(400)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    for (const [mode, crashAfterMutatingCalls] of [
      ['lambda', 3],
      ['fargate', 7],
      ['lambda', 5],
    ] as const) {
      await s.apply(specInput({ mode }));
      s.account.setFaults({ throttle: 0.05, seed: 5, crashAfterMutatingCalls });
      expect((await s.settle(400)).at(-1)).toMatchObject({ settled: true });
      // The crash happened (a restart clears it).
      expect(s.account.faults.crashAfterMutatingCalls).toBeUndefined();
      expect(stackTypes(s)).toEqual(mode === 'lambda' ? lambda : fargate);
      expect((await s.store.get(STACK))!.status?.conflicts ?? []).toEqual([]);
    }
  });

  it('runs the next pass at once after one that created (not yet listed): nothing made twice', async () => {
    const s = scenario({
      seed: 59,
      taggingLag: HOURS_LAG,
      afterCrashMs: 0,
      faults: { crashAfterOperation: 'CreateApi' },
    });
    await s.apply(specInput({ mode: 'lambda' }));
    expect(await s.pass()).toBe('crashed');
    // The same instant: the API made by the dead pass is in no listing yet.
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(stackTypes(s)).toEqual(lambda);
  });

  it('lets go of the ECS service it deleted itself once gone, though the index lists it for hours', async () => {
    const s = scenario({ seed: 61, taggingLag: HOURS_LAG });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle(300);
    await s.apply(specInput({ mode: 'lambda' }));
    const { passes, ms } = await settleTimed(s);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(stackTypes(s)).toEqual(lambda);
    // Not held for the hour a forgotten resource still listed holds a stack: the stack deleted it.
    expect(ms).toBeLessThan(30 * 60_000);
    const record = (await s.store.get(STACK))!;
    const held = record.status?.conditions.find((c) => c.type === 'Ready')?.message ?? '';
    expect(held).not.toMatch(/Tagging API still lists/);
  });

  it.each(['DeleteVpc', 'DeleteLoadBalancer', 'DeleteSubnet'])(
    'deletes a Fargate stack whose pass died right after %s (its answer lost) in bounded time, nothing left',
    async (operation) => {
      const s = scenario({ seed: 67, taggingLag: HOURS_LAG });
      await s.apply(specInput({ mode: 'fargate' }));
      await s.settle(300);
      s.account.setFaults({ crashAfterOperation: operation });
      const ms = await deleteTimed(s);
      expect(s.account.faults.crashAfterOperation).toBeUndefined();
      expect(ms).toBeLessThanOrEqual(deleteWithoutLagMs + 5 * 60_000);
    },
  );

  it('rebuilds a listener deleted by hand, still listed by the index, by the next full observation', async () => {
    const s = scenario({ seed: 71, taggingLag: HOURS_LAG });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle(300);
    s.account.advance(2 * 60_000);
    await s.settle(300);
    const listener = (await s.store.get(STACK))!.status!.resources['listener-http']!;
    const { DeleteListenerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    await s.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: listener.arn ?? listener.id }));
    const listeners = () => stackTypes(s)['AWS::ElasticLoadBalancingV2::Listener'] ?? 0;
    expect(listeners()).toBe(0);
    // A pass a minute: the steady passes trust the snapshot while the index lists the listener; the
    // periodic full observation (15 minutes) finds it gone.
    const start = s.account.now();
    while (listeners() === 0 && s.account.now() - start < 20 * 60_000) {
      await s.pass();
      s.account.advance(60_000);
    }
    expect(listeners()).toBe(fargate['AWS::ElasticLoadBalancingV2::Listener']);
    expect(s.account.now() - start).toBeLessThanOrEqual(16 * 60_000);
  });
});
