import {
  ApiGatewayV2Client,
  CreateApiCommand,
  DeleteApiCommand,
  GetApisCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { httpApiExtra } from '../../../../reconciler/resources/apigateway/api-gateway-support';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { httpApiKind } from '../../../../reconciler/resources/apigateway/http-api';
import { awsError, observed, testContext, testSpec } from '../fixtures';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const NAME = 'lf-orders-api-api';
const OWN_TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'http-api',
  'lambdaflex:managed-by': 'lambdaflex',
};

function api(apiId: string, tags: Record<string, string> = OWN_TAGS) {
  return {
    ApiId: apiId,
    Name: NAME,
    ProtocolType: 'HTTP' as const,
    RouteSelectionExpression: '$request.method $request.path',
    ApiEndpoint: `https://${apiId}.execute-api.us-east-1.amazonaws.com`,
    Tags: tags,
  };
}

describe('httpApiKind', () => {
  it('wants an HTTP API named after the stack, with no dependencies', () => {
    expect(httpApiKind).toMatchObject({
      key: 'http-api',
      tier: 'lambda',
      service: 'apigatewayv2',
      dependsOn: [],
    });
    expect(httpApiKind.desired(testSpec(), {})).toEqual({ name: NAME, protocolType: 'HTTP' });
  });

  describe('find', () => {
    it('returns undefined when no API carries our tags, even one with our name', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('other00001', {}), api('other00002', { team: 'x' })] });
      expect(await httpApiKind.find(testContext())).toBeUndefined();
    });

    it('picks ours among same-named APIs, across pages, and reports its endpoints', async () => {
      apigw
        .on(GetApisCommand)
        .resolvesOnce({ Items: [api('other00001', {})], NextToken: 'page-2' })
        .resolvesOnce({ Items: [api('abcde12345')] });
      const found = await httpApiKind.find(testContext());
      expect(apigw).toHaveReceivedNthCommandWith(2, GetApisCommand, { NextToken: 'page-2' });
      expect(found).toMatchObject({
        id: 'abcde12345',
        arn: 'arn:aws:apigateway:us-east-1::/apis/abcde12345',
        foreign: false,
        attributes: { name: NAME, protocolType: 'HTTP' },
      });
      expect(httpApiExtra(found)).toEqual({
        apiId: 'abcde12345',
        apiEndpoint: 'https://abcde12345.execute-api.us-east-1.amazonaws.com',
        regionalDomainName: 'abcde12345.execute-api.us-east-1.amazonaws.com',
      });
    });

    it('ignores another component of the same stack and another stack', async () => {
      apigw.on(GetApisCommand).resolves({
        Items: [
          api('x000000001', { ...OWN_TAGS, 'lambdaflex:component': 'alb' }),
          api('x000000002', { ...OWN_TAGS, 'lambdaflex:stack': 'billing' }),
        ],
      });
      expect(await httpApiKind.find(testContext())).toBeUndefined();
    });

    it('settles on the lowest id when there are duplicates and reports the others', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('zzzzz00002'), api('aaaaa00001')] });
      const found = await httpApiKind.find(testContext());
      expect(found?.id).toBe('aaaaa00001');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['zzzzz00002']);
    });
  });

  describe('create', () => {
    it('creates an HTTP API with the derived name and ownership tags', async () => {
      apigw.on(CreateApiCommand).resolves({ ...api('abcde12345'), Tags: undefined });
      const created = await httpApiKind.create(testContext({ region: 'eu-west-1' }));
      expect(apigw).toHaveReceivedCommandWith(CreateApiCommand, {
        Name: NAME,
        ProtocolType: 'HTTP',
        Tags: OWN_TAGS,
      });
      expect(created).toMatchObject({ id: 'abcde12345', foreign: false, tags: OWN_TAGS });
      expect(httpApiExtra(created)?.regionalDomainName).toBe(
        'abcde12345.execute-api.eu-west-1.amazonaws.com',
      );
    });

    it('carries the journaled nonce among the tags given at creation', async () => {
      apigw.on(CreateApiCommand).resolves({ ...api('abcde12345'), Tags: undefined });
      const created = await httpApiKind.create({ ...testContext(), nonce: 'feed0001' });
      expect(apigw).toHaveReceivedCommandWith(CreateApiCommand, {
        Tags: { ...OWN_TAGS, 'lambdaflex:nonce': 'feed0001' },
      });
      expect(created.tags['lambdaflex:nonce']).toBe('feed0001');
    });
  });

  describe('update and delete', () => {
    const current = () => observed('http-api', 'AWS::ApiGatewayV2::Api', 'abcde12345');

    it('renames the API back', async () => {
      apigw.on(UpdateApiCommand).resolves(api('abcde12345'));
      await httpApiKind.update!(testContext(), current(), [{ path: 'name', from: 'renamed', to: NAME }]);
      expect(apigw).toHaveReceivedCommandWith(UpdateApiCommand, { ApiId: 'abcde12345', Name: NAME });
    });

    it('deletes by id and treats NotFoundException as done', async () => {
      apigw
        .on(DeleteApiCommand)
        .rejects(awsError('NotFoundException', 'Invalid API identifier specified', 404));
      await expect(httpApiKind.delete(testContext(), current())).resolves.toBeUndefined();
      expect(apigw).toHaveReceivedCommandWith(DeleteApiCommand, { ApiId: 'abcde12345' });
    });

    it('refuses a foreign API', async () => {
      await expect(httpApiKind.delete(testContext(), { ...current(), foreign: true })).rejects.toBeInstanceOf(
        ForeignResourceError,
      );
      expect(apigw).not.toHaveReceivedCommand(DeleteApiCommand);
    });
  });

  it('classifies API Gateway errors', () => {
    expect(classify(awsError('NotFoundException', 'gone', 404), httpApiKind.errors)).toBe('notFound');
    expect(classify(awsError('TooManyRequestsException', 'slow down', 429), httpApiKind.errors)).toBe(
      'retryable',
    );
    expect(classify(awsError('BadRequestException', 'bad'), httpApiKind.errors)).toBe('terminal');
  });
});
