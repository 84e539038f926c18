/**
 * Adversary (faults): UpdateDomainName takes effect and its answer is lost to a 5xx (AWS documents that a
 * request may meet a server error although it took effect); the SDK's retry finds the custom domain
 * UPDATING and is refused (ConflictException, "There is already an update in progress"), and a pass may die
 * right after the call. Either way the certificate change is done, the stack settles on it with no terminal
 * error, and the Lambda alias stays on the domain's regional name.
 */
import { GetDomainNameCommand } from '@aws-sdk/client-apigatewayv2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import {
  CERTIFICATE_ARN,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
} from './harness';

const SECOND_CERTIFICATE = CERTIFICATE_ARN.replace(/0000$/, '0002');

describe('adversary: a certificate change whose UpdateDomainName answer is lost', () => {
  it.each([
    ['answered 5xx after it took effect', { error5xxAfterOperation: 'UpdateDomainName' }],
    ['the pass dying right after it', { crashAfterOperation: 'UpdateDomainName' }],
  ])('%s: the change is done and the stack settles on it', async (_case, faults) => {
    const s = scenario({ seed: 67, afterCrashMs: 0 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    await s.apply(
      specInput({ mode: 'lambda', dns: { ...exampleDns(zone), certificateArn: SECOND_CERTIFICATE } }),
    );
    s.account.setFaults(faults);
    const passes = await s.settle();
    expect(Object.values(s.account.faults).filter((v) => v !== undefined)).toEqual([]);
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
    const domain = (
      await s.clients.apigatewayv2.send(new GetDomainNameCommand({ DomainName: EXAMPLE_RECORD }))
    ).DomainNameConfigurations![0]!;
    expect(domain.CertificateArn).toBe(SECOND_CERTIFICATE);
    const sets = (await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })))
      .ResourceRecordSets;
    const lambda = sets?.find((r) => r.SetIdentifier === 'lambda' && r.Type === 'A');
    expect(lambda?.AliasTarget?.DNSName?.replace(/\.$/, '').toLowerCase()).toBe(
      domain.ApiGatewayDomainName!.toLowerCase(),
    );
  });
});
