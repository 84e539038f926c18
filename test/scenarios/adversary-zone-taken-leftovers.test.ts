/**
 * Adversary scenarios: the records a stack left at a name its spec no longer wants, in a zone (or at a name)
 * that `lambdaflex bootstrap` no longer gives. The reconciler's policy then grants no Route 53 change there
 * (docs/security.md, "DNS only where it was given"): AWS would answer the leftovers' DELETE with
 * AccessDenied, a terminal error that stops the whole stack. The simulator does not evaluate IAM, so the
 * tests watch what the reconciler sends: no change to a name the system record does not allow. As for a
 * stack whose own zone is taken away, the stack is held as it is, its status naming the records, the
 * zone and the bootstrap that would allow them, until the zone is given back.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { SystemRecord } from '../../reconciler/state/system-record';
import { beforeEveryCall } from './call-hooks';
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

function allowing(zoneId: string, recordNames = ['*.example.test']): SystemRecord {
  return { hostedZones: [{ id: zoneId, recordNames }], zoneNames: { [zoneId]: 'example.test' } };
}

const OTHER_RECORD = 'shop.example.test';

/** The names of every Route 53 change the scenario's clients send from now on, with its zone. */
function route53Changes(s: Scenario): { zone: string; names: string[] }[] {
  const sent: { zone: string; names: string[] }[] = [];
  beforeEveryCall(s.clients, 'watchRoute53', (operation, input) => {
    if (operation !== 'ChangeResourceRecordSets') return;
    const batch = input.ChangeBatch as { Changes: { ResourceRecordSet: ResourceRecordSet }[] };
    sent.push({
      zone: String(input.HostedZoneId),
      names: batch.Changes.map((c) => (c.ResourceRecordSet.Name ?? '').replace(/\.$/, '')),
    });
  });
  return sent;
}

/** A Lambda stack settled with its records at api.example.test, every name of the zone allowed. */
async function builtAtApi(s: Scenario): Promise<string> {
  const zone = await exampleZoneId(s);
  s.store.systemRecord = allowing(zone);
  await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
  expect((await s.settle()).at(-1)).toMatchObject({ settled: true, phase: 'Lambda' });
  await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual({ lambda: 100 });
  return zone;
}

describe('adversary: leftover records at a name bootstrap no longer gives', () => {
  it('renamed to a name still given while the old one is taken away: nothing sent at the old name, the stack held and says why', async () => {
    const s = scenario();
    const zone = await builtAtApi(s);
    // Bootstrap again with only the new name; the spec moves there.
    s.store.systemRecord = allowing(zone, [OTHER_RECORD]);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone, OTHER_RECORD) }));
    const sent = route53Changes(s);
    const passes = [];
    for (let i = 0; i < 6; i++) {
      passes.push(await s.pass());
      s.account.advance(30_000);
    }
    const allowed = (name: string) => name === OTHER_RECORD || name === `lambdaflex-a.${OTHER_RECORD}`;
    expect(sent.flatMap((c) => c.names).filter((name) => !allowed(name))).toEqual([]);
    // Still serving at the old name, which nothing took away.
    await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual({ lambda: 100 });
    expect(passes.at(-1)).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining(`api.example.test`),
    });
    const message = (await s.store.get(STACK))?.status?.conditions.find(
      (c) => c.type === 'SpecValid',
    )?.message;
    expect(message).toBe(
      `dns: the records the stack wrote at api.example.test in ${zone}, which its spec no longer wants, ` +
        `can't be removed: api.example.test is not a name the reconciler may write in ${zone}; allowed: ` +
        `shop.example.test (\`lambdaflex bootstrap --hosted-zone ${zone}='shop.example.test,api.example.test'\` adds it); ` +
        'until then nothing of the stack is created, changed or deleted (what exists is left as it is)',
    );
  });

  it('dns taken out of the spec while its zone is taken away: nothing sent to the zone, the stack held', async () => {
    const s = scenario();
    const zone = await builtAtApi(s);
    s.store.systemRecord = allowing('ZOTHERZONE');
    await s.apply(specInput({ mode: 'lambda' }));
    const sent = route53Changes(s);
    for (let i = 0; i < 6; i++) {
      await s.pass();
      s.account.advance(30_000);
    }
    expect(sent.filter((c) => c.zone.endsWith(zone))).toEqual([]);
    await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual({ lambda: 100 });
    const specValid = (await s.store.get(STACK))?.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid).toMatchObject({
      status: 'False',
      message: expect.stringContaining(`is not a hosted zone the reconciler may write in`),
    });
  });

  it('given back, the zone lets the next passes remove the leftovers and settle', async () => {
    const s = scenario();
    const zone = await builtAtApi(s);
    s.store.systemRecord = allowing('ZOTHERZONE');
    await s.apply(specInput({ mode: 'lambda' }));
    await s.pass();
    s.store.systemRecord = allowing(zone);
    s.account.advance(60_000);
    expect((await s.settle()).at(-1)).toMatchObject({ settled: true, phase: 'Lambda' });
    await expect(recordWeights(s, zone, EXAMPLE_RECORD)).resolves.toEqual({});
    expect((await s.store.get(STACK))?.bookkeeping.dnsNames ?? []).toEqual([]);
  });
});
