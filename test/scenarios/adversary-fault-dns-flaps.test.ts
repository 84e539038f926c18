/**
 * Adversary (edits mid-drain): `dns` removed, put back (same name, or another), and removed again while
 * the old name drains, a few passes apart, on Fargate and asking for Lambda at the end. The records written
 * again at the name are new answers resolvers may hold: each removal drains from its own INSYNC, and nothing
 * serving the Fargate tier behind the name goes before it has drained for the whole wait (safety rule 2).
 */
import type { Route53State } from '../../aws-sim/services/route53/state';
import { beforeEveryCall } from './call-hooks';
import { callsBeforeDrained, settledOnFargateWithDns, type DrainWatch } from './drain-watch';
import type { Scenario } from './harness';
import { DRAIN_WAIT_MS, exampleDns, passes, specInput } from './harness';

/**
 * The serving path's calls `watch` saw made before `name` (a second name, put back) had drained for the
 * whole wait: its answers kept as they appear (the simulator prunes those nobody can see any more).
 */
function watchSecondName(s: Scenario, zoneId: string, name: string) {
  const key = `${name}.|A`;
  const answers = new Map<number, boolean>();
  const remember = () => {
    for (const epoch of s.account.stateOf<Route53State>('route53').zones[zoneId]?.answers[key] ?? []) {
      const total = epoch.entries.reduce((sum, e) => sum + (e.weight ?? 1), 0);
      const naming = epoch.entries.some(
        (e) => e.setIdentifier === 'fargate' && (total === 0 || (e.weight ?? 1) > 0),
      );
      answers.set(epoch.effectiveAt, naming);
    }
  };
  beforeEveryCall(s.clients, 'secondNameWatch', remember);
  const early = (watch: DrainWatch): string[] => {
    remember();
    const early: string[] = [];
    for (const call of watch.calls) {
      const inEffect = [...answers.entries()].filter(([from]) => from <= call.at).sort(([a], [b]) => a - b);
      let last = -1;
      inEffect.forEach(([, naming], i) => (last = naming ? i : last));
      if (last === -1) continue;
      const since = inEffect[last + 1]?.[0];
      if (since === undefined || call.at - since < DRAIN_WAIT_MS)
        early.push(
          `${name}: ${call.operation} ${since === undefined ? 'while it names Fargate' : `${call.at - since} ms after it drained`}`,
        );
    }
    return early;
  };
  return { early, namedFargate: () => [...answers.values()].some((naming) => naming) };
}

describe('adversary: dns removed and put back while the old name drains', () => {
  it.each([
    ['the same name, staying on Fargate', 'fargate', undefined],
    ['the same name, then Lambda', 'lambda', undefined],
    ['another name, staying on Fargate', 'fargate', 'shop.example.test'],
    ['another name, then Lambda', 'lambda', 'shop.example.test'],
  ] as const)('%s', async (_case, mode, back) => {
    const broken: string[] = [];
    for (const gap of [1, 2, 4]) {
      const { s, zone, watch } = await settledOnFargateWithDns({ seed: 110 + gap });
      await s.apply(specInput({ mode: 'fargate' }));
      await passes(s, gap);
      // The name put back is watched too: once it names the Fargate tier, it drains as the first did.
      const other = back ? watchSecondName(s, zone, back) : undefined;
      await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, back) }));
      await passes(s, gap);
      await s.apply(specInput({ mode }));
      const last = (await s.settle(300)).at(-1);
      const early = [...callsBeforeDrained(watch), ...(other ? other.early(watch) : [])];
      const want = mode === 'fargate' ? 'Fargate' : 'Lambda';
      if (early.length > 0 || last?.phase !== want || !last.settled)
        broken.push(`${gap} passes apart: ${JSON.stringify({ early, phase: last?.phase })}`);
      expect(watch.calls.length).toBeGreaterThan(0);
      if (other && !other.namedFargate()) broken.push(`${gap} passes apart: ${back} never named Fargate`);
    }
    expect(broken).toEqual([]);
  });
});
