import {
  ApiGatewayV2Client,
  CreateApiMappingCommand,
  DeleteApiMappingCommand,
  GetApiMappingsCommand,
  UpdateApiMappingCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { apiMappingResource } from '../../../../reconciler/resources/apigateway/mapping';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { awsError, observed, testContext, testSpec, TEST_API_EXTRA } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const DOMAIN = observed('api-domain', 'AWS::ApiGatewayV2::DomainName', 'api.example.com');
const API = observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345', {}, { extra: TEST_API_EXTRA });
const STAGE = observed('api-stage', 'AWS::ApiGatewayV2::Stage', 'abcde12345/$default');
const refs = { 'api-domain': DOMAIN, 'http-api': API, 'api-stage': STAGE };
const current = () =>
  observed(
    'api-mapping',
    'AWS::ApiGatewayV2::ApiMapping',
    'map001',
    {},
    { extra: { domainName: 'api.example.com' } },
  );

describe('apiMappingResource', () => {
  it('maps the API $default stage at the root, wanted with the custom domain', () => {
    expect(apiMappingResource.dependsOn).toEqual(['api-domain', 'http-api', 'api-stage']);
    expect(apiMappingResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      apiId: 'abcde12345',
      stage: '$default',
      apiMappingKey: '',
    });
    expect(apiMappingResource.neededBy(testSpec({ dns: undefined }))).toBe(false);
  });

  describe('find', () => {
    it('returns undefined without the domain, and when the domain is gone', async () => {
      expect(await apiMappingResource.find(testContext())).toBeUndefined();
      apigw.on(GetApiMappingsCommand).rejects(awsError('NotFoundException', 'gone', 404));
      expect(await apiMappingResource.find(testContext({ refs }))).toBeUndefined();
    });

    it('finds the root mapping and sees another API as drift', async () => {
      apigw.on(GetApiMappingsCommand).resolves({
        Items: [
          { ApiMappingId: 'map009', ApiId: 'other00001', Stage: 'v1', ApiMappingKey: 'v1' },
          { ApiMappingId: 'map001', ApiId: 'old0000001', Stage: '$default', ApiMappingKey: '' },
        ],
      });
      const found = await apiMappingResource.find(testContext({ refs }));
      expect(apigw).toHaveReceivedCommandWith(GetApiMappingsCommand, { DomainName: 'api.example.com' });
      expect(found).toMatchObject({ id: 'map001', foreign: false });
      expect(
        diffAttributes(
          apiMappingResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
          found!.attributes,
        ).map((c) => c.path),
      ).toEqual(['apiId']);
    });
  });

  it('creates the mapping to the $default stage', async () => {
    apigw
      .on(CreateApiMappingCommand)
      .resolves({ ApiMappingId: 'map001', ApiId: 'abcde12345', Stage: '$default' });
    const created = await apiMappingResource.create(testContext({ refs }));
    expect(apigw).toHaveReceivedCommandWith(CreateApiMappingCommand, {
      DomainName: 'api.example.com',
      ApiId: 'abcde12345',
      Stage: '$default',
    });
    expect(created.attributes).toEqual(
      apiMappingResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
    );
  });

  it('waits for a stage API Gateway does not show yet, but stops on any other bad request', () => {
    // CreateApiMapping right after CreateStage: 400 "Invalid stage identifier specified" until API Gateway
    // shows the stage; the stage is ours and always `$default`, so no spec change could be what it waits for.
    const notShownYet = awsError('BadRequestException', 'Invalid stage identifier specified', 400);
    expect(classify(notShownYet, apiMappingResource.errors)).toBe('retryable');
    expect(
      classify(awsError('BadRequestException', 'Invalid domain name', 400), apiMappingResource.errors),
    ).toBe('terminal');
    expect(
      classify(
        awsError('NotFoundException', 'Invalid API identifier specified', 404),
        apiMappingResource.errors,
      ),
    ).toBe('notFound');
  });

  it('waits without failing while API Gateway does not show the stage: create and update', async () => {
    // A wait expected on every first apply with a custom domain (the stage is made in the same pass) is
    // progress, not a warning: the step waits for the stage, as for a dependency not there.
    const notShownYet = awsError('BadRequestException', 'Invalid stage identifier specified', 400);
    apigw.on(CreateApiMappingCommand).rejects(notShownYet);
    apigw.on(UpdateApiMappingCommand).rejects(notShownYet);
    const waits = { name: 'DependencyNotThere', dependency: 'api-stage' };
    await expect(apiMappingResource.create(testContext({ refs }))).rejects.toMatchObject(waits);
    await expect(
      apiMappingResource.update!(testContext({ refs }), current(), [
        { path: 'apiId', from: 'x', to: 'abcde12345' },
      ]),
    ).rejects.toMatchObject(waits);
    // Any other bad request is what it was.
    apigw.on(CreateApiMappingCommand).rejects(awsError('BadRequestException', 'Invalid domain name', 400));
    await expect(apiMappingResource.create(testContext({ refs }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
  });

  it('points the mapping at our API on update', async () => {
    apigw
      .on(UpdateApiMappingCommand)
      .resolves({ ApiMappingId: 'map001', ApiId: 'abcde12345', Stage: '$default' });
    const updated = await apiMappingResource.update!(testContext({ refs }), current(), [
      { path: 'apiId', from: 'x', to: 'abcde12345' },
    ]);
    // Exactly these fields: no ApiMappingKey sent, so the mapping keeps its own (the root's '').
    expect(apigw.commandCalls(UpdateApiMappingCommand).map((call) => call.args[0].input)).toEqual([
      { ApiMappingId: 'map001', DomainName: 'api.example.com', ApiId: 'abcde12345', Stage: '$default' },
    ]);
    expect(updated).toMatchObject({
      id: 'map001',
      attributes: { apiId: 'abcde12345', stage: '$default', apiMappingKey: '' },
      extra: { domainName: 'api.example.com' },
    });
  });

  it('deletes idempotently and refuses a foreign mapping', async () => {
    apigw.on(DeleteApiMappingCommand).rejects(awsError('NotFoundException', 'gone', 404));
    await expect(apiMappingResource.delete(testContext(), current())).resolves.toBeUndefined();
    expect(apigw).toHaveReceivedCommandWith(DeleteApiMappingCommand, {
      ApiMappingId: 'map001',
      DomainName: 'api.example.com',
    });
    await expect(
      apiMappingResource.delete(testContext(), { ...current(), foreign: true }),
    ).rejects.toBeInstanceOf(ForeignResourceError);
  });
});
