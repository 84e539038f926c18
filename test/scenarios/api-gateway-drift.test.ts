/**
 * The Lambda tier's API Gateway parts changed by hand: the stage's auto-deploy turned off, the
 * integration's payload format set back to 1.0, the custom domain's TLS policy lowered. The periodic full
 * observation finds each and puts it back in place with UpdateStage, UpdateIntegration and
 * UpdateDomainName (the simulator answers them as the API reference does; before, it did not implement
 * them, and no scenario ran these updates), nothing made or deleted.
 */
import {
  GetDomainNameCommand,
  GetIntegrationsCommand,
  GetStageCommand,
  UpdateDomainNameCommand,
  UpdateIntegrationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { changesBy } from './call-hooks';
import {
  CERTIFICATE_ARN,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
} from './harness';

describe('the API Gateway parts changed by hand', () => {
  it('are put back in place with their update calls, nothing made or deleted', async () => {
    const s = scenario({ seed: 47 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const apiId = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    const api = s.clients.apigatewayv2;
    const [integration] = (await api.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items!;

    // By hand.
    await api.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: false }));
    await api.send(
      new UpdateIntegrationCommand({
        ApiId: apiId,
        IntegrationId: integration!.IntegrationId,
        PayloadFormatVersion: '1.0',
      }),
    );
    await api.send(
      new UpdateDomainNameCommand({
        DomainName: EXAMPLE_RECORD,
        DomainNameConfigurations: [
          { CertificateArn: CERTIFICATE_ARN, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_0' },
        ],
      }),
    );

    const changes = changesBy({ api });
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);

    expect([...changes].sort()).toEqual(['UpdateDomainName', 'UpdateIntegration', 'UpdateStage']);
    expect(await api.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).toMatchObject({
      AutoDeploy: true,
    });
    expect((await api.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items).toEqual([
      expect.objectContaining({ IntegrationId: integration!.IntegrationId, PayloadFormatVersion: '2.0' }),
    ]);
    expect(
      (await api.send(new GetDomainNameCommand({ DomainName: EXAMPLE_RECORD })))
        .DomainNameConfigurations?.[0],
    ).toMatchObject({ SecurityPolicy: 'TLS_1_2', CertificateArn: CERTIFICATE_ARN });
  });
});
