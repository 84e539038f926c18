import {
  ApiGatewayV2Client,
  CreateIntegrationCommand,
  DeleteIntegrationCommand,
  GetIntegrationsCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { apiIntegrationResource } from '../../../../reconciler/resources/apigateway/integration';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { awsError, observed, testContext, testSpec, TEST_API_EXTRA } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lf-orders-api-function';
const API = observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345', {}, { extra: TEST_API_EXTRA });
const FUNCTION = observed(
  'lambda-function',
  'AWS::Lambda::Function',
  'lf-orders-api-function',
  {},
  { arn: FUNCTION_ARN },
);
const refs = { 'http-api': API, 'lambda-function': FUNCTION };

const integration = (id: string, uri: string, type: 'AWS_PROXY' | 'HTTP_PROXY' = 'AWS_PROXY') => ({
  IntegrationId: id,
  IntegrationType: type,
  IntegrationUri: uri,
  PayloadFormatVersion: '2.0',
});

const current = () =>
  observed(
    'api-integration',
    'AWS::ApiGatewayV2::Integration',
    'int0001',
    {},
    { extra: { apiId: 'abcde12345', integrationId: 'int0001' } },
  );

describe('apiIntegrationResource', () => {
  it('depends on the API and the function and wants a 2.0 Lambda proxy to the function ARN', () => {
    expect(apiIntegrationResource.dependsOn).toEqual(['http-api', 'lambda-function']);
    expect(apiIntegrationResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      integrationType: 'AWS_PROXY',
      integrationUri: FUNCTION_ARN,
      payloadFormatVersion: '2.0',
    });
  });

  describe('find', () => {
    it('finds nothing without an API', async () => {
      expect(await apiIntegrationResource.find(testContext())).toBeUndefined();
      expect(apigw).not.toHaveReceivedCommand(GetIntegrationsCommand);
    });

    it('returns undefined when the API is gone (NotFoundException)', async () => {
      apigw
        .on(GetIntegrationsCommand)
        .rejects(awsError('NotFoundException', 'Invalid API identifier specified', 404));
      expect(await apiIntegrationResource.find(testContext({ refs }))).toBeUndefined();
    });

    it('matches the proxy integration whose URI is our function, across pages', async () => {
      apigw
        .on(GetIntegrationsCommand)
        .resolvesOnce({
          Items: [
            integration('int0009', 'https://example.com', 'HTTP_PROXY'),
            integration('int0008', 'arn:aws:lambda:us-east-1:123456789012:function:lf-orders-api-function-x'),
          ],
          NextToken: 'p2',
        })
        .resolvesOnce({ Items: [integration('int0001', FUNCTION_ARN)] });
      const found = await apiIntegrationResource.find(testContext({ refs }));
      expect(apigw).toHaveReceivedCommandWith(GetIntegrationsCommand, { ApiId: 'abcde12345' });
      expect(apigw).toHaveReceivedNthCommandWith(2, GetIntegrationsCommand, {
        ApiId: 'abcde12345',
        NextToken: 'p2',
      });
      expect(found).toMatchObject({
        id: 'int0001',
        foreign: false,
        extra: { apiId: 'abcde12345', integrationId: 'int0001' },
      });
      expect(found?.attributes).toEqual(
        apiIntegrationResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
      );
    });

    it('finds it by the function name while the function is not observed', async () => {
      apigw.on(GetIntegrationsCommand).resolves({ Items: [integration('int0001', FUNCTION_ARN)] });
      expect((await apiIntegrationResource.find(testContext({ refs: { 'http-api': API } })))?.id).toBe(
        'int0001',
      );
    });

    it('inherits a foreign API', async () => {
      apigw.on(GetIntegrationsCommand).resolves({ Items: [integration('int0001', FUNCTION_ARN)] });
      const found = await apiIntegrationResource.find(
        testContext({ refs: { ...refs, 'http-api': { ...API, foreign: true } } }),
      );
      expect(found?.foreign).toBe(true);
    });
  });

  it('creates the integration with exact inputs', async () => {
    apigw.on(CreateIntegrationCommand).resolves(integration('int0001', FUNCTION_ARN));
    const created = await apiIntegrationResource.create(testContext({ refs }));
    expect(apigw).toHaveReceivedCommandWith(CreateIntegrationCommand, {
      ApiId: 'abcde12345',
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: FUNCTION_ARN,
      PayloadFormatVersion: '2.0',
    });
    expect(created.id).toBe('int0001');
  });

  it('points a drifted integration back at the function', async () => {
    apigw.on(UpdateIntegrationCommand).resolves(integration('int0001', FUNCTION_ARN));
    await apiIntegrationResource.update!(testContext({ refs }), current(), [
      { path: 'payloadFormatVersion', from: '1.0', to: '2.0' },
    ]);
    expect(apigw).toHaveReceivedCommandWith(UpdateIntegrationCommand, {
      ApiId: 'abcde12345',
      IntegrationId: 'int0001',
      IntegrationUri: FUNCTION_ARN,
      PayloadFormatVersion: '2.0',
    });
  });

  describe('delete', () => {
    it('deletes by API and integration id; gone is done', async () => {
      apigw
        .on(DeleteIntegrationCommand)
        .rejects(awsError('NotFoundException', 'Invalid Integration identifier specified', 404));
      await expect(apiIntegrationResource.delete(testContext(), current())).resolves.toBeUndefined();
      expect(apigw).toHaveReceivedCommandWith(DeleteIntegrationCommand, {
        ApiId: 'abcde12345',
        IntegrationId: 'int0001',
      });
    });

    it('lets a route still using it be retried', async () => {
      const inUse = awsError(
        'ConflictException',
        'Cannot delete Integration because it is referenced by the following Routes',
        409,
      );
      apigw.on(DeleteIntegrationCommand).rejects(inUse);
      await expect(apiIntegrationResource.delete(testContext(), current())).rejects.toBe(inUse);
      expect(classify(inUse, apiIntegrationResource.errors)).toBe('retryable');
    });

    it('refuses a foreign one', async () => {
      await expect(
        apiIntegrationResource.delete(testContext(), { ...current(), foreign: true }),
      ).rejects.toBeInstanceOf(ForeignResourceError);
    });
  });
});
