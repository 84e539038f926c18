/**
 * API Gateway keeps a custom domain name UPDATING while a change to it is applied, and refuses to change
 * it further meanwhile: UpdateDomainName answers ConflictException (docs/aws-facts.md, "API Gateway custom
 * domain status"; the simulator keeps it UPDATING a minute after an update by default). The spec's
 * certificate changed twice within that minute: the second change must wait for the first, not stop the
 * stack, nor be sent only to be refused: each refused call would also spend UpdateDomainName's one call
 * per 30 s, and show the user a warning for an ordinary edit. The Route 53 alias stays on the domain's
 * regional name throughout.
 */
import { GetDomainNameCommand } from '@aws-sdk/client-apigatewayv2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { setDomainStatusConfig } from '../../aws-sim/services/apigatewayv2';
import { answersTo } from './call-hooks';
import {
  CERTIFICATE_ARN,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

const SECOND_CERTIFICATE = CERTIFICATE_ARN.replace(/0000$/, '0002');
const THIRD_CERTIFICATE = CERTIFICATE_ARN.replace(/0000$/, '0003');

async function domainNow(s: Scenario) {
  const answer = await s.clients.apigatewayv2.send(new GetDomainNameCommand({ DomainName: EXAMPLE_RECORD }));
  return answer.DomainNameConfigurations![0]!;
}

/** Where the stack's `lambda` weighted record points (lower case, without the root dot). */
async function lambdaAliasTarget(s: Scenario, zone: string): Promise<string | undefined> {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  const set = answer.ResourceRecordSets?.find((r) => r.SetIdentifier === 'lambda' && r.Type === 'A');
  return set?.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase();
}

describe('a custom domain name UPDATING', () => {
  it('a second certificate change within the update waits for it, unsent: no refused call, no warning, the last certificate wins', async () => {
    const s = scenario({ seed: 61 });
    const zone = await exampleZoneId(s);
    const updates = answersTo(s.clients.apigatewayv2, 'UpdateDomainNameCommand');
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });

    await s.apply(
      specInput({ mode: 'lambda', dns: { ...exampleDns(zone), certificateArn: SECOND_CERTIFICATE } }),
    );
    const first = await s.pass();
    expect(first).not.toBe('crashed');
    expect(updates).toEqual(['ok']);
    expect(await domainNow(s)).toMatchObject({
      DomainNameStatus: 'UPDATING',
      CertificateArn: SECOND_CERTIFICATE,
    });

    // Within the minute the first update takes (and past UpdateDomainName's one call per 30 s).
    s.account.advance(31_000);
    await s.apply(
      specInput({ mode: 'lambda', dns: { ...exampleDns(zone), certificateArn: THIRD_CERTIFICATE } }),
    );
    const passes = await s.settle();

    // Sent once the first is applied, never to be refused.
    expect(updates).toEqual(['ok', 'ok']);
    const warnings = (await s.store.get(STACK))!.events.filter((e) => e.type === 'Warning');
    expect(warnings).toEqual([]);
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
    const domain = await domainNow(s);
    expect(domain.CertificateArn).toBe(THIRD_CERTIFICATE);
    expect(await lambdaAliasTarget(s, zone)).toBe(domain.ApiGatewayDomainName!.toLowerCase());
  });

  it('traffic rolls back to Lambda at once while the domain is UPDATING and a certificate change waits for it', async () => {
    const s = scenario({ seed: 63 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone);
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ fargate: 100 });

    await s.apply(specInput({ mode: 'fargate', dns: { ...dns, certificateArn: SECOND_CERTIFICATE } }));
    expect(await s.pass()).not.toBe('crashed');
    expect(await domainNow(s)).toMatchObject({ DomainNameStatus: 'UPDATING' });
    // Within the update: another certificate, and the Fargate targets turn unhealthy.
    s.account.advance(31_000);
    await s.apply(specInput({ mode: 'fargate', dns: { ...dns, certificateArn: THIRD_CERTIFICATE } }));
    s.account.setFaults({ unhealthy: true });
    expect(await s.pass()).not.toBe('crashed');

    expect(await domainNow(s)).toMatchObject({
      DomainNameStatus: 'UPDATING',
      CertificateArn: SECOND_CERTIFICATE,
    });
    // Safety: the rollback is not held behind the domain's change, which waits.
    expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toMatchObject({ lambda: 100, fargate: 0 });
    // This pass's rollback, for the unhealthy targets.
    expect((await s.store.get(STACK))!.status!.lastRollback).toEqual({
      at: s.account.now(),
      reason: '0 of 1 targets healthy',
    });
  });

  it('a new domain UPDATING for minutes after its create: the stack settles with its record on the domain', async () => {
    const s = scenario({ seed: 62 });
    // An adversary setting: users see a new regional domain AVAILABLE at once, AWS promises nothing.
    setDomainStatusConfig(s.account, { afterCreateMs: 10 * 60_000 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    const passes = await s.settle();
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const domain = await domainNow(s);
    expect(await lambdaAliasTarget(s, zone)).toBe(domain.ApiGatewayDomainName!.toLowerCase());
  });
});
