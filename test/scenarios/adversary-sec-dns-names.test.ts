/**
 * Adversary (security): one stack's token holder claiming any free name of the organisation's zone. The
 * operator grants the reconciler a hosted zone with `bootstrap --hosted-zone Z123` (every name below the
 * apex by default) or a list of names, for the whole table: nothing ties a name to a stack. Whoever holds
 * one stack's API token (or runs code with its role) may write any schema-valid spec (`PUT /desired-state`,
 * docs/security.md), and the reconciler's only checks are the zone's grant and the TXT registry, which
 * keeps a name that another stack or someone else holds, not a free one. With a wildcard certificate of
 * the domain in the account (the usual kind: `dns.certificateArn` may name any of the account's), the
 * token holder of a minor stack gets `login.example.test`, `sso.…`, `pay.…` served by code of its own
 * over valid HTTPS: a phishing page on the organisation's own name, and the receiver of every cookie the
 * organisation's sites scope to the domain.
 *
 * The token holder is held to what the operator gave for Lambda concurrency (`--max-reserved-concurrency`,
 * adversary-reserved-concurrency); names need the same: which names (or patterns) each stack may take,
 * given by the operator, and a spec naming another is invalid to the pass (SpecValid=False, nothing
 * written). Found: the record is written at the new name at once.
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { SystemRecord } from '../../reconciler/state/system-record';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

/** `bootstrap --hosted-zone <zone>`: every name below example.test, for every stack of the table. */
function wholeZone(zoneId: string): SystemRecord {
  return {
    hostedZones: [{ id: zoneId, recordNames: ['*.example.test'] }],
    zoneNames: { [zoneId]: 'example.test' },
  };
}

async function namesInZone(s: Scenario, zoneId: string): Promise<string[]> {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (answer.ResourceRecordSets ?? []).filter((r) => r.Type === 'A').map((r) => r.Name ?? '');
}

describe('adversary (security): a token holder’s spec taking a free name of the zone', () => {
  it.skip('DEFECT: a PUT moving the stack to login.example.test, a name the operator never gave this stack, is acted on', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    s.store.systemRecord = wholeZone(zone);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    await s.settle();
    // The stack serves the name it was set up with.
    expect(await namesInZone(s, zone)).toEqual([`${EXAMPLE_RECORD}.`]);

    const record = await s.store.get(STACK);
    await s.store.putSpec(specInput({ mode: 'lambda', dns: exampleDns(zone, 'login.example.test') }), {
      expectedGeneration: record!.generation,
      expectedIncarnation: record!.incarnation,
    });
    for (let i = 0; i < 20; i++) {
      const result = await s.pass();
      if (result !== 'crashed' && (result.settled || result.outcome !== 'reconciled')) break;
      s.account.advance(30_000);
    }
    const specValid = (await s.store.get(STACK))?.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid).toMatchObject({ status: 'False', message: expect.stringContaining('dns.recordName') });
    expect(await namesInZone(s, zone)).not.toContain('login.example.test.');
  });
});
