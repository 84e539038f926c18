import {
  ApiGatewayV2Client,
  CreateApiCommand,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { ForeignResourceError } from '../../../../reconciler/resources/common/foreign-guard';
import { httpApiResource } from '../../../../reconciler/resources/apigateway/http-api';
import type { OwnershipView } from '../../../../reconciler/resources/types';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

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

describe('httpApiResource', () => {
  it('wants an HTTP API named after the stack, with no dependencies', () => {
    expect(httpApiResource).toMatchObject({
      key: 'http-api',
      tier: 'lambda',
      service: 'apigatewayv2',
      dependsOn: [],
    });
    expect(httpApiResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT)).toEqual({
      name: NAME,
      protocolType: 'HTTP',
    });
  });

  describe('find', () => {
    it('returns undefined when no API carries our tags, even one with our name', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('other00001', {}), api('other00002', { team: 'x' })] });
      expect(await httpApiResource.find(testContext())).toBeUndefined();
    });

    it('picks ours among same-named APIs, across pages, and reports its endpoints', async () => {
      apigw
        .on(GetApisCommand)
        .resolvesOnce({ Items: [api('other00001', {})], NextToken: 'page-2' })
        .resolvesOnce({ Items: [api('abcde12345')] });
      const found = await httpApiResource.find(testContext());
      expect(apigw).toHaveReceivedNthCommandWith(2, GetApisCommand, { NextToken: 'page-2' });
      expect(found).toMatchObject({
        id: 'abcde12345',
        arn: 'arn:aws:apigateway:us-east-1::/apis/abcde12345',
        foreign: false,
        attributes: { name: NAME, protocolType: 'HTTP' },
      });
      expect(found?.extra).toEqual({
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
      expect(await httpApiResource.find(testContext())).toBeUndefined();
    });

    it('settles on the lowest id when there are duplicates and reports the others', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('zzzzz00002'), api('aaaaa00001')] });
      const found = await httpApiResource.find(testContext());
      expect(found?.id).toBe('aaaaa00001');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['zzzzz00002']);
    });
  });

  describe('find by the recorded id', () => {
    /** The stack's ownership records: `id` in use for the API (with its nonce), creates still awaited. */
    function ownership(id: string, options: { nonce?: string; awaits?: boolean } = {}): OwnershipView {
      return {
        isRecorded: (key, apiId) => key === 'http-api' && apiId === id,
        recorded: (key) =>
          key === 'http-api' ? { id, ...(options.nonce ? { nonce: options.nonce } : {}) } : undefined,
        awaits: () => options.awaits ?? false,
      };
    }
    const withNonce = (nonce: string) => ({ ...OWN_TAGS, 'lambdaflex:nonce': nonce });

    it('asks for the recorded API alone, without listing the account', async () => {
      apigw.on(GetApiCommand).resolves(api('abcde12345', withNonce('n1')));
      const found = await httpApiResource.find({
        ...testContext(),
        ownership: ownership('abcde12345', { nonce: 'n1' }),
      });
      expect(apigw).toHaveReceivedCommandTimes(GetApiCommand, 1);
      expect(apigw).toHaveReceivedCommandWith(GetApiCommand, { ApiId: 'abcde12345' });
      expect(apigw).not.toHaveReceivedCommand(GetApisCommand);
      expect(found).toMatchObject({ id: 'abcde12345', foreign: false });
      expect(found?.duplicates).toBeUndefined();
      expect(found?.extra?.regionalDomainName).toBe('abcde12345.execute-api.us-east-1.amazonaws.com');
    });

    it('lists the account when the recorded API is gone, and finds another of ours there', async () => {
      apigw.on(GetApiCommand).rejects(awsError('NotFoundException', 'Invalid API identifier specified', 404));
      apigw.on(GetApisCommand).resolves({ Items: [api('other00001', {}), api('bbbbb00002')] });
      const found = await httpApiResource.find({ ...testContext(), ownership: ownership('abcde12345') });
      expect(apigw).toHaveReceivedCommandWith(GetApiCommand, { ApiId: 'abcde12345' });
      expect(apigw).toHaveReceivedCommandTimes(GetApisCommand, 1);
      expect(found?.id).toBe('bbbbb00002');
    });

    it('lists the account while a create is awaited (its API may exist beside the recorded one)', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('abcde12345'), api('ccccc00003', withNonce('n2'))] });
      const found = await httpApiResource.find({
        ...testContext(),
        ownership: ownership('abcde12345', { awaits: true }),
      });
      expect(apigw).not.toHaveReceivedCommand(GetApiCommand);
      expect(found?.id).toBe('abcde12345');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['ccccc00003']);
    });

    it('lists the account when the stack’s inventory shows another API with its tags', async () => {
      apigw.on(GetApisCommand).resolves({ Items: [api('abcde12345'), api('copy000001')] });
      const inventory = [
        'arn:aws:apigateway:us-east-1::/apis/abcde12345',
        'arn:aws:apigateway:us-east-1::/apis/copy000001',
        'arn:aws:apigateway:us-east-1::/domainnames/api.example.com',
      ];
      const found = await httpApiResource.find({
        ...testContext(),
        ownership: ownership('abcde12345'),
        inventory,
      });
      expect(apigw).not.toHaveReceivedCommand(GetApiCommand);
      expect(found?.id).toBe('abcde12345');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['copy000001']);
    });

    it('asks by id when the inventory lists only the recorded API and other kinds', async () => {
      apigw.on(GetApiCommand).resolves(api('abcde12345'));
      const inventory = [
        'arn:aws:apigateway:us-east-1::/apis/abcde12345',
        'arn:aws:apigateway:us-east-1::/domainnames/api.example.com',
        'arn:aws:lambda:us-east-1:123456789012:function:lf-orders-api-fn',
      ];
      await httpApiResource.find({ ...testContext(), ownership: ownership('abcde12345'), inventory });
      expect(apigw).toHaveReceivedCommandTimes(GetApiCommand, 1);
      expect(apigw).not.toHaveReceivedCommand(GetApisCommand);
    });

    it('reports the API at the recorded id as foreign when it no longer carries the stack’s tags', async () => {
      apigw.on(GetApiCommand).resolves(api('abcde12345', { team: 'payments' }));
      const found = await httpApiResource.find({ ...testContext(), ownership: ownership('abcde12345') });
      expect(found).toMatchObject({ id: 'abcde12345', foreign: true });
      expect(apigw).not.toHaveReceivedCommand(GetApisCommand);
    });

    it('reports it as foreign when it carries a nonce other than the one recorded with it', async () => {
      apigw.on(GetApiCommand).resolves(api('abcde12345', withNonce('someone-elses')));
      const found = await httpApiResource.find({
        ...testContext(),
        ownership: ownership('abcde12345', { nonce: 'n1' }),
      });
      expect(found).toMatchObject({ id: 'abcde12345', foreign: true });
    });

    it('lets a throttled look-up fail instead of taking the API for gone', async () => {
      apigw.on(GetApiCommand).rejects(awsError('TooManyRequestsException', 'Too Many Requests', 429));
      await expect(
        httpApiResource.find({ ...testContext(), ownership: ownership('abcde12345') }),
      ).rejects.toMatchObject({ name: 'TooManyRequestsException' });
      expect(apigw).not.toHaveReceivedCommand(GetApisCommand);
    });
  });

  describe('create', () => {
    it('creates an HTTP API with the derived name and ownership tags', async () => {
      apigw.on(CreateApiCommand).resolves({ ...api('abcde12345'), Tags: undefined });
      const created = await httpApiResource.create(testContext({ region: 'eu-west-1' }));
      expect(apigw).toHaveReceivedCommandWith(CreateApiCommand, {
        Name: NAME,
        ProtocolType: 'HTTP',
        Tags: OWN_TAGS,
      });
      expect(created).toMatchObject({ id: 'abcde12345', foreign: false, tags: OWN_TAGS });
      expect(created?.extra?.regionalDomainName).toBe('abcde12345.execute-api.eu-west-1.amazonaws.com');
    });

    it('carries the journaled nonce among the tags given at creation', async () => {
      apigw.on(CreateApiCommand).resolves({ ...api('abcde12345'), Tags: undefined });
      const created = await httpApiResource.create({ ...testContext(), nonce: 'feed0001' });
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
      await httpApiResource.update!(testContext(), current(), [{ path: 'name', from: 'renamed', to: NAME }]);
      expect(apigw).toHaveReceivedCommandWith(UpdateApiCommand, { ApiId: 'abcde12345', Name: NAME });
    });

    it('deletes by id and treats NotFoundException as done', async () => {
      apigw
        .on(DeleteApiCommand)
        .rejects(awsError('NotFoundException', 'Invalid API identifier specified', 404));
      await expect(httpApiResource.delete(testContext(), current())).resolves.toBeUndefined();
      expect(apigw).toHaveReceivedCommandWith(DeleteApiCommand, { ApiId: 'abcde12345' });
    });

    it('refuses a foreign API', async () => {
      await expect(
        httpApiResource.delete(testContext(), { ...current(), foreign: true }),
      ).rejects.toBeInstanceOf(ForeignResourceError);
      expect(apigw).not.toHaveReceivedCommand(DeleteApiCommand);
    });
  });

  it('classifies API Gateway errors', () => {
    expect(classify(awsError('NotFoundException', 'gone', 404), httpApiResource.errors)).toBe('notFound');
    expect(classify(awsError('TooManyRequestsException', 'slow down', 429), httpApiResource.errors)).toBe(
      'retryable',
    );
    expect(classify(awsError('BadRequestException', 'bad'), httpApiResource.errors)).toBe('terminal');
  });
});
