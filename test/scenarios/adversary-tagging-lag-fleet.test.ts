/**
 * Adversary scenario: the fleet's sweep (reconciler/dispatch/sweep.ts) lists every stack's tagged ARNs
 * from the Resource Groups Tagging API, an index that lists a deleted resource for hours as users report
 * it (docs/aws-facts.md). A stack that tore down its Fargate tier, its ghosts still listed, must settle
 * and then be left alone by the sweep (no pass a minute for hours), and the other stack not bothered.
 */
import { setTaggingIndexLag } from '../../aws-sim/services/tagging';
import { listStackInventory } from '../../reconciler/aws/stack-inventory';
import { fanOutWorld, quietMetrics, type FanOutWorld } from './fan-out-world';
import { fargateTier } from './harness';

const spec = (stack: string, mode: 'lambda' | 'fargate') => ({
  stack,
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${stack}:1`,
  mode,
  ...(mode === 'fargate' ? { fargate: fargateTier(1, 2) } : {}),
});

let restore: () => void;
beforeEach(() => (restore = quietMetrics()));
afterEach(() => restore());

async function settled(w: FanOutWorld, stack: string, phase: string): Promise<boolean> {
  const status = (await w.store.get(stack))?.status;
  return status?.phase === phase && status.lastPass?.requeueAfterMs === undefined;
}

/** The every-minute schedule (and the requeues between) for `ms`: each stack's dispatches, by reason. */
async function minutes(w: FanOutWorld, ms: number): Promise<Record<string, string[]>> {
  const dispatched: Record<string, string[]> = {};
  const until = w.account.now() + ms;
  while (w.account.now() < until) {
    for (const d of (await w.schedule()).dispatched ?? [])
      (dispatched[d.stack] ??= []).push(d.reason ?? 'queued');
    await w.runtime.drain();
    w.account.advance(15_000);
  }
  return dispatched;
}

it('a stack back on Lambda, its Fargate tier listed for hours after, settles and is left alone by the sweep', async () => {
  const w = await fanOutWorld({ seed: 17 });
  setTaggingIndexLag(w.account, { afterDeleteMs: 3 * 60 * 60_000, afterChangeMs: 60_000 });
  await w.store.putSpec(spec('web', 'lambda'));
  await w.store.putSpec(spec('api', 'fargate'));
  await minutes(w, 20 * 60_000);
  expect(await settled(w, 'web', 'Lambda')).toBe(true);
  expect(await settled(w, 'api', 'Fargate')).toBe(true);

  await w.store.putSpec(spec('api', 'lambda'));
  await minutes(w, 20 * 60_000);
  expect(await settled(w, 'api', 'Lambda')).toBe(true);
  const ours = w.account.inventory().filter((item) => item.tags['lambdaflex:stack'] === 'api');
  expect(ours.some((item) => item.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toBe(false);

  // An hour on, the ghosts still listed: a handful of passes at most (the resync), not one a minute.
  const hour = await minutes(w, 60 * 60_000);
  expect((hour.api ?? []).length).toBeLessThanOrEqual(6);
  expect((hour.web ?? []).length).toBeLessThanOrEqual(6);
  for (const reasons of [hour.api ?? [], hour.web ?? []])
    expect(reasons.filter((reason) => reason !== 'periodic resync')).toEqual([]);
  // The attack was live all along: the torn-down ALB is still listed with the stack's tag.
  const held = new Set(w.account.inventory().flatMap((item) => (item.arn ? [item.arn] : [])));
  const ghosts = (await listStackInventory(w.clients, 'api')).filter((arn) => !held.has(arn));
  expect(ghosts.some((arn) => arn.includes(':loadbalancer/'))).toBe(true);
  expect(await settled(w, 'api', 'Lambda')).toBe(true);
  expect(await settled(w, 'web', 'Lambda')).toBe(true);
});
