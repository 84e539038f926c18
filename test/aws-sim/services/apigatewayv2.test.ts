import {
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetDomainNameCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { createSimulatedAws } from '../../../aws-sim';
import { setDomainStatusConfig } from '../../../aws-sim/services/apigatewayv2';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lf-demo-function';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
/** The account's default consistency delay: a new stage is shown once it has passed. */
const STAGE_SHOWN_MS = 2_000;

async function httpApi() {
  const sim = createSimulatedAws({ seed: 11 });
  const api = sim.clients.apigatewayv2;
  const created = await api.send(
    new CreateApiCommand({ Name: 'lf-demo-api', ProtocolType: 'HTTP', Tags: { 'lambdaflex:stack': 'demo' } }),
  );
  return { ...sim, api, apiId: created.ApiId!, created };
}

describe('simulated API Gateway v2', () => {
  it('creates an HTTP API with an execute-api endpoint and tags', async () => {
    const { api, created } = await httpApi();
    expect(created).toMatchObject({
      Name: 'lf-demo-api',
      ProtocolType: 'HTTP',
      ApiId: expect.stringMatching(/^[a-z0-9]{10}$/),
      Tags: { 'lambdaflex:stack': 'demo' },
    });
    expect(created.ApiEndpoint).toBe(`https://${created.ApiId}.execute-api.us-east-1.amazonaws.com`);
    expect((await api.send(new GetApisCommand({}))).Items).toHaveLength(1);
  });

  it('throttles CreateDomainName beyond one call per 30 s, apart from DeleteDomainName (docs/aws-facts.md: API Gateway control plane)', async () => {
    const { account, api } = await httpApi();
    const create = (name: string) =>
      api.send(
        new CreateDomainNameCommand({
          DomainName: name,
          DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
        }),
      );
    await create('one.example.test');
    await expect(create('two.example.test')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    // DeleteDomainName has a bucket of its own.
    await api.send(new DeleteDomainNameCommand({ DomainName: 'one.example.test' }));
    account.advance(30_000);
    await create('two.example.test');
  });

  it('throttles CreateApi beyond one call per 3 s (docs/aws-facts.md: API Gateway control plane)', async () => {
    const { account, api } = await httpApi();
    await expect(api.send(new CreateApiCommand({ Name: 'b', ProtocolType: 'HTTP' }))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    account.advance(3_000);
    await expect(api.send(new CreateApiCommand({ Name: 'b', ProtocolType: 'HTTP' }))).resolves.toBeDefined();
  });

  it('wires an AWS_PROXY 2.0 integration, a $default route and an auto-deployed $default stage', async () => {
    const { api, apiId, account } = await httpApi();
    const integration = await api.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FUNCTION_ARN,
        PayloadFormatVersion: '2.0',
      }),
    );
    expect(integration).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: FUNCTION_ARN,
    });
    const route = await api.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: '$default',
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
    await expect(
      api.send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: '$default',
          Target: `integrations/${integration.IntegrationId}`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    await expect(
      api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default' })),
    ).rejects.toMatchObject({
      name: 'ConflictException',
    });
    account.advance(STAGE_SHOWN_MS);
    expect((await api.send(new GetStagesCommand({ ApiId: apiId }))).Items).toMatchObject([
      { StageName: '$default', AutoDeploy: true },
    ]);
    expect((await api.send(new GetRoutesCommand({ ApiId: apiId }))).Items).toMatchObject([
      { RouteKey: '$default' },
    ]);
    // An integration a route uses can't be deleted (the answer quoted in milliHQ/terraform-aws-next-js #247).
    await expect(
      api.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId })),
    ).rejects.toMatchObject({ name: 'ConflictException', message: expect.stringContaining(route.RouteId!) });
    await api.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    await api.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId }));
    expect((await api.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items).toEqual([]);
    const types = account.inventory().map((i) => i.type);
    expect(types).toEqual(expect.arrayContaining(['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage']));
  });

  it('does not show a stage made a moment ago: GetStage 404, GetStages without it, CreateApiMapping 400 (docs/aws-facts.md)', async () => {
    const { api, apiId, account } = await httpApi();
    await api.send(
      new CreateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
      }),
    );
    await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    await expect(
      api.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
    });
    expect((await api.send(new GetStagesCommand({ ApiId: apiId }))).Items).toEqual([]);
    const map = () =>
      api.send(
        new CreateApiMappingCommand({ DomainName: 'api.example.test', ApiId: apiId, Stage: '$default' }),
      );
    await expect(map()).rejects.toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid stage identifier specified',
      $metadata: { httpStatusCode: 400 },
    });
    // It exists all the same: its name is taken.
    await expect(
      api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    account.advance(STAGE_SHOWN_MS - 1);
    await expect(map()).rejects.toMatchObject({ name: 'BadRequestException' });
    account.advance(1);
    expect(await api.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).toMatchObject({
      StageName: '$default',
    });
    expect((await api.send(new GetStagesCommand({ ApiId: apiId }))).Items).toHaveLength(1);
    await expect(map()).resolves.toMatchObject({ Stage: '$default', ApiId: apiId });
  });

  it('updates a stage, a route, an integration and a domain name in place; unknown ids 404, bad targets 400', async () => {
    const { account, api, apiId } = await httpApi();
    const integration = (
      await api.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: FUNCTION_ARN,
          PayloadFormatVersion: '2.0',
        }),
      )
    ).IntegrationId!;
    const route = (
      await api.send(
        new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${integration}` }),
      )
    ).RouteId!;
    await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    // UpdateStage finds the stage the reads do not show yet: it is a change, not a read.
    expect(
      await api.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: false })),
    ).toMatchObject({ StageName: '$default', AutoDeploy: false });
    await expect(
      api.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'nope', AutoDeploy: true })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });

    expect(
      await api.send(
        new UpdateIntegrationCommand({
          ApiId: apiId,
          IntegrationId: integration,
          PayloadFormatVersion: '1.0',
        }),
      ),
    ).toMatchObject({
      IntegrationId: integration,
      PayloadFormatVersion: '1.0',
      IntegrationUri: FUNCTION_ARN,
    });
    await expect(
      api.send(
        new UpdateIntegrationCommand({
          ApiId: apiId,
          IntegrationId: integration,
          PayloadFormatVersion: '3.0',
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(
      api.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: 'nope000' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await api.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items).toMatchObject([
      { PayloadFormatVersion: '1.0' },
    ]);

    await expect(
      api.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route, Target: 'integrations/nope000' })),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(
      api.send(
        new UpdateRouteCommand({ ApiId: apiId, RouteId: 'nope000', Target: `integrations/${integration}` }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    expect(
      await api.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route, RouteKey: 'GET /x' })),
    ).toMatchObject({ RouteId: route, RouteKey: 'GET /x', Target: `integrations/${integration}` });

    await api.send(
      new CreateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
      }),
    );
    const updated = await api.send(
      new UpdateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: [
          { CertificateArn: `${CERT}2`, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
        ],
      }),
    );
    expect(updated.DomainNameConfigurations?.[0]).toMatchObject({
      CertificateArn: `${CERT}2`,
      SecurityPolicy: 'TLS_1_2',
    });
    account.advance(30_000); // UpdateDomainName: one call per 30 s
    await expect(
      api.send(new UpdateDomainNameCommand({ DomainName: 'x.example.test', DomainNameConfigurations: [{}] })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('keeps a domain UPDATING after an update, refusing another update meanwhile; deletes and maps it all the same (docs/aws-facts.md: API Gateway custom domain status)', async () => {
    const { api, apiId, account } = await httpApi();
    await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    const config = (cert: string) => [{ CertificateArn: cert, EndpointType: 'REGIONAL' as const }];
    const status = async () =>
      (await api.send(new GetDomainNameCommand({ DomainName: 'api.example.test' })))
        .DomainNameConfigurations?.[0]?.DomainNameStatus;
    const created = await api.send(
      new CreateDomainNameCommand({ DomainName: 'api.example.test', DomainNameConfigurations: config(CERT) }),
    );
    // A new regional domain is AVAILABLE in CreateDomainName's answer, as users see it.
    expect(created.DomainNameConfigurations?.[0]?.DomainNameStatus).toBe('AVAILABLE');
    const updated = await api.send(
      new UpdateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: config(`${CERT}2`),
      }),
    );
    expect(updated.DomainNameConfigurations?.[0]).toMatchObject({
      DomainNameStatus: 'UPDATING',
      CertificateArn: `${CERT}2`,
    });
    expect(await status()).toBe('UPDATING');
    // `lambdaflex --local sim resources` shows it too.
    expect(account.inventory().find((i) => i.type === 'AWS::ApiGatewayV2::DomainName')?.state).toBe(
      'UPDATING',
    );
    account.advance(30_000); // past UpdateDomainName's one call per 30 s, not past the update
    const refused = api.send(
      new UpdateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: config(`${CERT}3`),
      }),
    );
    await expect(refused).rejects.toMatchObject({
      name: 'ConflictException',
      message: 'There is already an update in progress',
      $metadata: { httpStatusCode: 409 },
    });
    // Refused, nothing changed: the certificate is the first update's.
    expect(
      (await api.send(new GetDomainNameCommand({ DomainName: 'api.example.test' })))
        .DomainNameConfigurations?.[0]?.CertificateArn,
    ).toBe(`${CERT}2`);
    // AWS documents no refusal of the mappings' calls while the domain updates.
    account.advance(STAGE_SHOWN_MS);
    await api.send(
      new CreateApiMappingCommand({ DomainName: 'api.example.test', ApiId: apiId, Stage: '$default' }),
    );
    account.advance(30_000); // 62 s after the update: AVAILABLE, and the next update goes through
    expect(await status()).toBe('AVAILABLE');
    await api.send(
      new UpdateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: config(`${CERT}3`),
      }),
    );
    // DeleteDomainName documents 404 and 429 only: a domain UPDATING is deleted.
    await api.send(new DeleteDomainNameCommand({ DomainName: 'api.example.test' }));
    await expect(status()).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('keeps a new domain UPDATING as long as set after its create, and refuses bad settings', async () => {
    const { api, account } = await httpApi();
    setDomainStatusConfig(account, { afterCreateMs: 5 * 60_000 });
    const created = await api.send(
      new CreateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
      }),
    );
    expect(created.DomainNameConfigurations?.[0]?.DomainNameStatus).toBe('UPDATING');
    account.advance(5 * 60_000 - 1);
    await expect(
      api.send(
        new UpdateDomainNameCommand({
          DomainName: 'api.example.test',
          DomainNameConfigurations: [{ CertificateArn: `${CERT}2`, EndpointType: 'REGIONAL' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    account.advance(1);
    expect(
      (await api.send(new GetDomainNameCommand({ DomainName: 'api.example.test' })))
        .DomainNameConfigurations?.[0]?.DomainNameStatus,
    ).toBe('AVAILABLE');
    expect(() => setDomainStatusConfig(account, { afterUpdateMs: -1 })).toThrow(
      'API Gateway domain status setting afterUpdateMs: must be a number of milliseconds ≥ 0, got -1',
    );
  });

  it('answers NotFoundException for unknown APIs and domain names', async () => {
    const { api } = await httpApi();
    await expect(api.send(new GetRoutesCommand({ ApiId: 'nope' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    await expect(api.send(new GetDomainNameCommand({ DomainName: 'x.example.test' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('maps a regional custom domain to a stage; the API can be deleted only once unmapped (cloud-nuke #370)', async () => {
    const { api, apiId, account } = await httpApi();
    await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    account.advance(STAGE_SHOWN_MS);
    const domain = await api.send(
      new CreateDomainNameCommand({
        DomainName: 'api.example.test',
        DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
        Tags: { 'lambdaflex:stack': 'demo' },
      }),
    );
    expect(domain.DomainNameConfigurations?.[0]).toMatchObject({
      ApiGatewayDomainName: expect.stringMatching(/^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/),
      HostedZoneId: 'Z1UJRXOUMOOFQ8',
      CertificateArn: CERT,
    });
    account.advance(30_000); // CreateDomainName: one call per 30 s
    await expect(
      api.send(new CreateDomainNameCommand({ DomainName: 'api.example.test' })),
    ).rejects.toMatchObject({
      name: 'ConflictException',
    });
    await expect(
      api.send(new CreateApiMappingCommand({ DomainName: 'api.example.test', ApiId: apiId, Stage: 'prod' })),
    ).rejects.toMatchObject({
      // As UpdateApiMapping answers it: a 400, not GetStage's 404.
      name: 'BadRequestException',
      message: 'Invalid stage identifier specified',
      $metadata: { httpStatusCode: 400 },
    });
    expect((await api.send(new GetApiMappingsCommand({ DomainName: 'api.example.test' }))).Items).toEqual([]);
    const mapping = await api.send(
      new CreateApiMappingCommand({ DomainName: 'api.example.test', ApiId: apiId, Stage: '$default' }),
    );
    await expect(
      api.send(
        new CreateApiMappingCommand({ DomainName: 'api.example.test', ApiId: apiId, Stage: '$default' }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    expect((await api.send(new GetApiMappingsCommand({ DomainName: 'api.example.test' }))).Items).toEqual([
      { ApiMappingId: mapping.ApiMappingId, ApiId: apiId, Stage: '$default', ApiMappingKey: '' },
    ]);
    account.advance(30_000);
    await expect(api.send(new DeleteApiCommand({ ApiId: apiId }))).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('Please remove all API mappings'),
    });
    await api.send(
      new DeleteApiMappingCommand({ DomainName: 'api.example.test', ApiMappingId: mapping.ApiMappingId }),
    );
    account.advance(30_000);
    await api.send(new DeleteApiCommand({ ApiId: apiId }));
    expect((await api.send(new GetApisCommand({}))).Items).toEqual([]);
  });

  describe('UpdateApiMapping', () => {
    const DOMAIN = 'api.example.test';

    /** Two APIs with a `$default` stage each (the second also `v2`), a domain, and the root mapping to the first. */
    async function mapped() {
      const sim = await httpApi();
      const { api, apiId, account } = sim;
      account.advance(3_000); // CreateApi: one call per 3 s
      const other = (await api.send(new CreateApiCommand({ Name: 'lf-demo-api-2', ProtocolType: 'HTTP' })))
        .ApiId!;
      await api.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
      await api.send(new CreateStageCommand({ ApiId: other, StageName: '$default', AutoDeploy: true }));
      await api.send(new CreateStageCommand({ ApiId: other, StageName: 'v2', AutoDeploy: true }));
      account.advance(STAGE_SHOWN_MS);
      await api.send(
        new CreateDomainNameCommand({
          DomainName: DOMAIN,
          DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }],
        }),
      );
      const root = await api.send(
        new CreateApiMappingCommand({ DomainName: DOMAIN, ApiId: apiId, Stage: '$default' }),
      );
      return { ...sim, other, mappingId: root.ApiMappingId! };
    }

    it('moves a mapping to another API and stage, keeping its id, and answers the mapping as it now is', async () => {
      const { api, other, mappingId } = await mapped();
      const moved = await api.send(
        new UpdateApiMappingCommand({
          DomainName: DOMAIN,
          ApiMappingId: mappingId,
          ApiId: other,
          Stage: 'v2',
        }),
      );
      expect(moved).toMatchObject({ ApiMappingId: mappingId, ApiId: other, Stage: 'v2', ApiMappingKey: '' });
      expect((await api.send(new GetApiMappingsCommand({ DomainName: DOMAIN }))).Items).toEqual([
        { ApiMappingId: mappingId, ApiId: other, Stage: 'v2', ApiMappingKey: '' },
      ]);
      // Stage and key are optional in the request: the stage left out is kept, the key given replaces it.
      await api.send(
        new UpdateApiMappingCommand({
          DomainName: DOMAIN,
          ApiMappingId: mappingId,
          ApiId: other,
          ApiMappingKey: 'v',
        }),
      );
      expect((await api.send(new GetApiMappingsCommand({ DomainName: DOMAIN }))).Items).toEqual([
        { ApiMappingId: mappingId, ApiId: other, Stage: 'v2', ApiMappingKey: 'v' },
      ]);
    });

    it('answers NotFoundException for an unknown mapping, domain or API, and changes nothing', async () => {
      const { api, apiId, other, mappingId } = await mapped();
      const update = (input: { DomainName: string; ApiMappingId: string; ApiId: string }) =>
        api.send(new UpdateApiMappingCommand({ ...input, Stage: '$default' }));
      await expect(
        update({ DomainName: DOMAIN, ApiMappingId: 'nope00', ApiId: other }),
      ).rejects.toMatchObject({
        name: 'NotFoundException',
        $metadata: { httpStatusCode: 404 },
      });
      await expect(
        update({ DomainName: 'x.example.test', ApiMappingId: mappingId, ApiId: other }),
      ).rejects.toMatchObject({ name: 'NotFoundException' });
      await expect(
        update({ DomainName: DOMAIN, ApiMappingId: mappingId, ApiId: 'nope' }),
      ).rejects.toMatchObject({
        name: 'NotFoundException',
      });
      expect((await api.send(new GetApiMappingsCommand({ DomainName: DOMAIN }))).Items).toEqual([
        { ApiMappingId: mappingId, ApiId: apiId, Stage: '$default', ApiMappingKey: '' },
      ]);
    });

    it('answers BadRequestException for a stage the API does not have (the stage kept when left out)', async () => {
      const { api, apiId, other, mappingId } = await mapped();
      await expect(
        api.send(
          new UpdateApiMappingCommand({
            DomainName: DOMAIN,
            ApiMappingId: mappingId,
            ApiId: apiId,
            Stage: 'v2',
          }),
        ),
      ).rejects.toMatchObject({
        name: 'BadRequestException',
        message: 'Invalid stage identifier specified',
        $metadata: { httpStatusCode: 400 },
      });
      await api.send(
        new UpdateApiMappingCommand({
          DomainName: DOMAIN,
          ApiMappingId: mappingId,
          ApiId: other,
          Stage: 'v2',
        }),
      );
      // Stage left out: the mapping's `v2` is kept, and the first API has none.
      await expect(
        api.send(new UpdateApiMappingCommand({ DomainName: DOMAIN, ApiMappingId: mappingId, ApiId: apiId })),
      ).rejects.toMatchObject({ name: 'BadRequestException' });
      expect((await api.send(new GetApiMappingsCommand({ DomainName: DOMAIN }))).Items).toEqual([
        { ApiMappingId: mappingId, ApiId: other, Stage: 'v2', ApiMappingKey: '' },
      ]);
    });

    it('answers ConflictException for a key another mapping of the domain holds; its own key is no conflict', async () => {
      const { api, apiId, other, mappingId } = await mapped();
      const second = await api.send(
        new CreateApiMappingCommand({ DomainName: DOMAIN, ApiId: other, Stage: 'v2', ApiMappingKey: 'v2' }),
      );
      await expect(
        api.send(
          new UpdateApiMappingCommand({
            DomainName: DOMAIN,
            ApiMappingId: second.ApiMappingId,
            ApiId: other,
            ApiMappingKey: '',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
      await api.send(
        new UpdateApiMappingCommand({
          DomainName: DOMAIN,
          ApiMappingId: mappingId,
          ApiId: apiId,
          ApiMappingKey: '',
        }),
      );
      const items = (await api.send(new GetApiMappingsCommand({ DomainName: DOMAIN }))).Items;
      expect(items).toEqual(
        expect.arrayContaining([
          { ApiMappingId: mappingId, ApiId: apiId, Stage: '$default', ApiMappingKey: '' },
          { ApiMappingId: second.ApiMappingId, ApiId: other, Stage: 'v2', ApiMappingKey: 'v2' },
        ]),
      );
      expect(items).toHaveLength(2);
    });
  });

  it('tags APIs and domain names by ARN (TagResource, GetTags)', async () => {
    const { api, apiId } = await httpApi();
    const arn = `arn:aws:apigateway:us-east-1::/apis/${apiId}`;
    await api.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'x' } }));
    expect((await api.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({
      'lambdaflex:stack': 'demo',
      team: 'x',
    });
    await expect(
      api.send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/nope' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
