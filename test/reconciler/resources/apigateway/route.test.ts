import {
  ApiGatewayV2Client,
  CreateRouteCommand,
  DeleteRouteCommand,
  GetRoutesCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import { apiRouteResource } from '../../../../reconciler/resources/apigateway/route';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { awsError, observed, testContext, testSpec, TEST_API_EXTRA } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const API = observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345', {}, { extra: TEST_API_EXTRA });
const INTEGRATION = observed('api-integration', 'AWS::ApiGatewayV2::Integration', 'int0001');
const refs = { 'http-api': API, 'api-integration': INTEGRATION };
const current = () =>
  observed('api-route', 'AWS::ApiGatewayV2::Route', 'rte0001', {}, { extra: { apiId: 'abcde12345' } });

describe('apiRouteResource', () => {
  it('wants the $default route targeting the integration', () => {
    expect(apiRouteResource.dependsOn).toEqual(['http-api', 'api-integration']);
    expect(apiRouteResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({
      routeKey: '$default',
      target: 'integrations/int0001',
    });
  });

  describe('find', () => {
    it('returns undefined without an API, or when the API is gone', async () => {
      expect(await apiRouteResource.find(testContext())).toBeUndefined();
      apigw
        .on(GetRoutesCommand)
        .rejects(awsError('NotFoundException', 'Invalid API identifier specified', 404));
      expect(await apiRouteResource.find(testContext({ refs }))).toBeUndefined();
    });

    it('finds the $default route and sees a stale target as drift', async () => {
      apigw.on(GetRoutesCommand).resolves({
        Items: [
          { RouteId: 'rte0009', RouteKey: 'GET /other', Target: 'integrations/int0009' },
          { RouteId: 'rte0001', RouteKey: '$default', Target: 'integrations/int0000' },
        ],
      });
      const found = await apiRouteResource.find(testContext({ refs }));
      expect(apigw).toHaveReceivedCommandWith(GetRoutesCommand, { ApiId: 'abcde12345' });
      expect(found).toMatchObject({ id: 'rte0001', foreign: false });
      expect(
        diffAttributes(
          apiRouteResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT),
          found!.attributes,
        ),
      ).toEqual([{ path: 'target', from: 'integrations/int0000', to: 'integrations/int0001' }]);
    });
  });

  it('creates the $default route with its target', async () => {
    apigw
      .on(CreateRouteCommand)
      .resolves({ RouteId: 'rte0001', RouteKey: '$default', Target: 'integrations/int0001' });
    const created = await apiRouteResource.create(testContext({ refs }));
    expect(apigw).toHaveReceivedCommandWith(CreateRouteCommand, {
      ApiId: 'abcde12345',
      RouteKey: '$default',
      Target: 'integrations/int0001',
    });
    expect(created.attributes).toEqual(apiRouteResource.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
  });

  it('retargets the route on update', async () => {
    apigw
      .on(UpdateRouteCommand)
      .resolves({ RouteId: 'rte0001', RouteKey: '$default', Target: 'integrations/int0001' });
    await apiRouteResource.update!(testContext({ refs }), current(), [
      { path: 'target', from: 'x', to: 'y' },
    ]);
    expect(apigw).toHaveReceivedCommandWith(UpdateRouteCommand, {
      ApiId: 'abcde12345',
      RouteId: 'rte0001',
      Target: 'integrations/int0001',
    });
  });

  it('deletes idempotently and refuses a foreign route', async () => {
    apigw
      .on(DeleteRouteCommand)
      .rejects(awsError('NotFoundException', 'Invalid Route identifier specified', 404));
    await expect(apiRouteResource.delete(testContext(), current())).resolves.toBeUndefined();
    expect(apigw).toHaveReceivedCommandWith(DeleteRouteCommand, { ApiId: 'abcde12345', RouteId: 'rte0001' });
    await expect(
      apiRouteResource.delete(testContext(), { ...current(), foreign: true }),
    ).rejects.toBeInstanceOf(ForeignResourceError);
  });
});
