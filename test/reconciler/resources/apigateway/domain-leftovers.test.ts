import {
  ApiGatewayV2Client,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  GetApiMappingsCommand,
  GetDomainNamesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ResourceGraph } from '../../../../reconciler/engine/graph';
import { plan } from '../../../../reconciler/engine/plan';
import { apiDomainLeftoversResource } from '../../../../reconciler/resources/apigateway/domain-leftovers';
import { awsError, NOW, testContext, testSpec } from '../fixtures';

const apigw = mockClient(ApiGatewayV2Client);
beforeEach(() => apigw.reset());

const tags = (stack: string, component = 'api-domain') => ({
  'lambdaflex:stack': stack,
  'lambdaflex:component': component,
  'lambdaflex:managed-by': 'lambdaflex',
});
const domain = (name: string, domainTags: Record<string, string>) => ({ DomainName: name, Tags: domainTags });

describe('apiDomainLeftoversResource', () => {
  it('finds the stack’s tagged domains other than the spec’s, across pages; the plan deletes them', async () => {
    apigw
      .on(GetDomainNamesCommand)
      .resolvesOnce({
        Items: [domain('api.example.com', tags('orders-api')), domain('old.example.com', tags('orders-api'))],
        NextToken: 'n1',
      })
      .resolvesOnce({
        Items: [
          domain('older.example.com', tags('orders-api')),
          domain('theirs.example.com', tags('billing-api')),
          domain('hand.example.com', {}),
          domain('copied.example.com', { 'lambdaflex:stack': 'orders-api' }),
        ],
      });
    const found = await apiDomainLeftoversResource.find(testContext());
    expect(apigw).toHaveReceivedNthCommandWith(2, GetDomainNamesCommand, { NextToken: 'n1' });
    expect(found).toMatchObject({
      key: 'api-domain-leftovers',
      foreign: false,
      attributes: { domainNames: ['old.example.com', 'older.example.com'] },
    });
    const steps = plan(
      testSpec(),
      'lambda',
      { resources: { 'api-domain-leftovers': found }, unknown: {} },
      NOW,
      ResourceGraph.partOf([apiDomainLeftoversResource]),
    ).steps;
    expect(steps.map((s) => s.id)).toEqual(['delete:api-domain-leftovers']);
  });

  it('takes the spec’s own name too once dns is gone', async () => {
    apigw.on(GetDomainNamesCommand).resolves({ Items: [domain('api.example.com', tags('orders-api'))] });
    expect(await apiDomainLeftoversResource.find(testContext())).toBeUndefined();
    const found = await apiDomainLeftoversResource.find(testContext({ spec: testSpec({ dns: undefined }) }));
    expect(found?.attributes).toEqual({ domainNames: ['api.example.com'] });
  });

  it('deletes each domain’s API mappings first, then the domain; a domain already gone is done', async () => {
    apigw
      .on(GetApiMappingsCommand, { DomainName: 'old.example.com' })
      .resolves({ Items: [{ ApiMappingId: 'm1', ApiId: 'abcde12345', Stage: '$default' }] })
      .on(GetApiMappingsCommand, { DomainName: 'gone.example.com' })
      .rejects(awsError('NotFoundException', 'Invalid domain name identifier specified', 404));
    apigw.on(DeleteApiMappingCommand).resolves({});
    apigw.on(DeleteDomainNameCommand).resolves({});
    const current = {
      key: 'api-domain-leftovers',
      type: 'AWS::ApiGatewayV2::DomainName',
      id: 'old.example.com',
      tags: {},
      attributes: {},
      ready: true,
      extra: { domainNames: ['old.example.com', 'gone.example.com'] },
    };
    await apiDomainLeftoversResource.delete(testContext(), current);
    const calls = apigw.calls().map((c) => c.args[0].constructor.name);
    expect(calls).toEqual([
      'GetApiMappingsCommand',
      'DeleteApiMappingCommand',
      'DeleteDomainNameCommand',
      'GetApiMappingsCommand',
    ]);
    expect(apigw).toHaveReceivedCommandWith(DeleteApiMappingCommand, {
      DomainName: 'old.example.com',
      ApiMappingId: 'm1',
    });
    expect(apigw).toHaveReceivedCommandWith(DeleteDomainNameCommand, { DomainName: 'old.example.com' });
  });

  it('is deleted before the API and the stage its mappings name', () => {
    expect(apiDomainLeftoversResource.dependsOn).toEqual(['http-api', 'api-stage']);
    expect(apiDomainLeftoversResource.neededBy(testSpec())).toBe(false);
  });
});
