/**
 * The stack's DNS name removed or moved while it serves on the Lambda tier: its records at the old name
 * alias the API Gateway custom domain of that name, and resolvers may hold them for up to their TTL after
 * their removal is INSYNC. A client that got them reaches API Gateway with the old host; the domain (and
 * its API mapping) gone, API Gateway no longer serves it. So the old custom domain goes only once the old
 * name has drained as the Fargate side drains it (traffic/old-name.ts): TTL × 2 after the removal is in
 * sync by a change the stack knows, also across a crash and throttled reads. Measured on the simulated
 * account's clock, from Route 53's own answers.
 */
import type { FaultConfig } from '../../aws-sim/core/faults';
import type { Route53State } from '../../aws-sim/services/route53/state';
import type { HookClient } from './call-hooks';
import { settledOnFargateWithDns } from './drain-watch';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, type Scenario } from './harness';

const TTL_MS = 60_000;

interface DomainWatch {
  /** The old name's custom domain's deletions (DeleteDomainName, DeleteApiMapping), AWS's time. */
  deletions: { operation: string; at: number }[];
  /** Since when Route 53 answers nothing at the old name (its removal INSYNC); undefined while it does. */
  goneSince(): number | undefined;
}

/** Watches the old name's answers and its custom domain's deletions from inside the simulated clients. */
function watchOldName(s: Scenario, zoneId: string, name: string): DomainWatch {
  const key = `${name}.|A`;
  const epochs = new Map<number, number>();
  const remember = () => {
    const zone = s.account.stateOf<Route53State>('route53').zones[zoneId];
    for (const epoch of zone?.answers[key] ?? []) epochs.set(epoch.effectiveAt, epoch.entries.length);
  };
  const deletions: DomainWatch['deletions'] = [];
  for (const client of Object.values(s.clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        remember();
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const deletes = operation === 'DeleteDomainName' || operation === 'DeleteApiMapping';
        if (deletes && args.input.DomainName === name) deletions.push({ operation, at: s.account.now() });
        const answer = await next(args);
        remember();
        return answer;
      },
      { step: 'initialize', name: 'oldNameWatch', priority: 'low' },
    );
  }
  const goneSince = () => {
    remember();
    const inEffect = [...epochs.entries()].filter(([at]) => at <= s.account.now()).sort(([a], [b]) => a - b);
    const last = inEffect.at(-1);
    return last && last[1] === 0 ? last[0] : undefined;
  };
  return { deletions, goneSince };
}

/** A stack settled on Lambda behind the example record with a custom domain, the old name watched. */
async function settledOnLambda(seed: number, faults?: FaultConfig) {
  const s = scenario({ seed, ...(faults ? { faults } : {}) });
  const zone = await exampleZoneId(s);
  await s.account.withoutFaults(async () => {
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    await s.settle();
  });
  return { s, zone, watch: watchOldName(s, zone, EXAMPLE_RECORD) };
}

/** The deletions of the old domain that came before TTL × 2 had passed since its records were gone. */
function early(watch: DomainWatch, goneAt: number | undefined): string[] {
  return watch.deletions
    .filter((d) => goneAt === undefined || d.at - goneAt < 2 * TTL_MS)
    .map((d) =>
      goneAt === undefined
        ? `${d.operation} before the old records were gone`
        : `${d.operation} ${d.at - goneAt} ms after`,
    );
}

describe('the old name’s custom domain on the Lambda tier', () => {
  it.each([
    ['dns removed', (_zone: string) => specInput({ mode: 'lambda' })],
    [
      'dns renamed',
      (zone: string) => specInput({ mode: 'lambda', dns: exampleDns(zone, 'shop.example.test') }),
    ],
  ])('%s: the old custom domain goes, TTL × 2 after its records’ removal is INSYNC', async (_case, next) => {
    const { s, zone, watch } = await settledOnLambda(95);
    await s.apply(next(zone));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const goneAt = watch.goneSince();
    expect(goneAt).toBeDefined();
    expect(watch.deletions.map((d) => d.operation)).toContain('DeleteDomainName');
    expect(early(watch, goneAt)).toEqual([]);
  });

  it('the pass dying right after the old records’ removal: the domain still waits the whole drain', async () => {
    const { s, watch } = await settledOnLambda(96);
    await s.apply(specInput({ mode: 'lambda' }));
    s.account.setFaults({ crashAfterOperation: 'ChangeResourceRecordSets' });
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(s.account.faults.crashAfterOperation).toBeUndefined();
    expect(watch.deletions.map((d) => d.operation)).toContain('DeleteDomainName');
    expect(early(watch, watch.goneSince())).toEqual([]);
  });

  // A crash after each change of the move in turn (the records' removal, the TXT's rewrite, the mapping's
  // and the domain's deletes): the drain kept in the stack's record resumes, never restarts short.
  it('a pass dying after any one change of the move: the domain still waits the whole drain', async () => {
    for (let n = 1; n <= 6; n++) {
      const { s, watch } = await settledOnLambda(100 + n);
      await s.apply(specInput({ mode: 'lambda' }));
      s.account.setFaults({ crashAfterMutatingCalls: n });
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
      expect([n, ...watch.deletions.map((d) => d.operation)]).toContain('DeleteDomainName');
      expect([n, ...early(watch, watch.goneSince())]).toEqual([n]);
    }
  });

  // On the way down the old name drains with the records (drain.ts); its custom domain, of the Lambda
  // tier the plan touches meanwhile, waits for that drain too.
  it('dns removed while asking Lambda from Fargate: the old custom domain waits for the drain as well', async () => {
    const { s, zone } = await settledOnFargateWithDns({ seed: 98 });
    const watch = watchOldName(s, zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(watch.deletions.map((d) => d.operation)).toContain('DeleteDomainName');
    expect(early(watch, watch.goneSince())).toEqual([]);
  });

  it('with throttled reads: the domain still waits the whole drain', async () => {
    const { s, watch } = await settledOnLambda(97, { throttle: 0.2, seed: 97 });
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(watch.deletions.map((d) => d.operation)).toContain('DeleteDomainName');
    expect(early(watch, watch.goneSince())).toEqual([]);
  });
});
