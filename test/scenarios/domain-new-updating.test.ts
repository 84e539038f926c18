/**
 * A custom domain UPDATING just after its create is not known to serve its regional name yet: AWS calls
 * DomainNameStatus "the status of the domain name migration", and its own procedure for a new endpoint
 * sets up "a DNS record to point the custom domain name to the newly provisioned endpoint" only once it
 * is provisioned (docs/aws-facts.md, "API Gateway custom domain status"). So the `lambda` record moves to
 * a new domain only once it is AVAILABLE; a domain the record already aliases (a certificate rotated)
 * keeps it, UPDATING or not (domain-updating.test.ts). The simulator keeps the new domain UPDATING for
 * 10 minutes (an adversary setting).
 */
import type { Change } from '@aws-sdk/client-route-53';
import { setDomainStatusConfig } from '../../aws-sim/services/apigatewayv2';
import type { HookClient } from './call-hooks';
import { exampleDns, exampleZoneId, recordWeights, scenario, specInput, type Scenario } from './harness';

const UPDATING_MS = 10 * 60_000;

/** When the custom domain was created, and each write of the `lambda` record with its alias target. */
function watchWrites(s: Scenario) {
  const seen = { createdAt: undefined as number | undefined, writes: [] as { at: number; target: string }[] };
  for (const client of Object.values(s.clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        if (operation === 'CreateDomainName') seen.createdAt = s.account.now();
        if (operation === 'ChangeResourceRecordSets') {
          const changes = (args.input.ChangeBatch as { Changes: Change[] }).Changes;
          for (const change of changes) {
            const set = change.ResourceRecordSet;
            if (change.Action !== 'DELETE' && set?.SetIdentifier === 'lambda' && set.AliasTarget?.DNSName)
              seen.writes.push({ at: s.account.now(), target: set.AliasTarget.DNSName.toLowerCase() });
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'domainWrites', priority: 'low' },
    );
  }
  return seen;
}

/** The writes that aliased the custom domain before it was AVAILABLE. */
function tooEarly(seen: ReturnType<typeof watchWrites>): string[] {
  return seen.writes
    .filter(
      (w) =>
        w.target.startsWith('d-') && (seen.createdAt === undefined || w.at < seen.createdAt + UPDATING_MS),
    )
    .map((w) => `${w.target} ${w.at - (seen.createdAt ?? 0)} ms after the create`);
}

describe('a new custom domain UPDATING after its create', () => {
  it('a new stack: its lambda record is written only once the domain is AVAILABLE, then settles', async () => {
    const s = scenario({ seed: 64 });
    setDomainStatusConfig(s.account, { afterCreateMs: UPDATING_MS });
    const zone = await exampleZoneId(s);
    const seen = watchWrites(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(seen.writes.some((w) => w.target.startsWith('d-'))).toBe(true);
    expect(tooEarly(seen)).toEqual([]);
  });

  it('dns renamed on Lambda: the new name’s record waits for its new domain to be AVAILABLE, then settles on it', async () => {
    const s = scenario({ seed: 65 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    setDomainStatusConfig(s.account, { afterCreateMs: UPDATING_MS });
    const seen = watchWrites(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone, 'shop.example.test') }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(seen.createdAt).toBeDefined();
    expect(seen.writes.some((w) => w.target.startsWith('d-'))).toBe(true);
    expect(tooEarly(seen)).toEqual([]);
    expect(await recordWeights(s, zone, 'shop.example.test')).toMatchObject({ lambda: 100 });
  });
});
