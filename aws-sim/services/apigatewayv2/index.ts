/**
 * Simulated API Gateway v2 (HTTP APIs): APIs, AWS_PROXY integrations, routes, stages, regional custom
 * domain names and API mappings, with API Gateway's control-plane rate limits.
 */
import { readWriteBuckets } from '../../core/rate-limits';
import type { InventoryItem, SimService } from '../../core/service';
import { apiOperations } from './apis';
import { domainStatus } from './domain-status';
import { domainOperations } from './domains';
import type { Apigatewayv2State } from './state';
import { tagOperations } from './tags';
import { apiArn, domainNameArn, stageArn } from './view';
import {
  API_GATEWAY_CREATE_API,
  API_GATEWAY_DELETE_API,
  API_GATEWAY_DOMAIN_NAME,
  API_RATE_LIMITS,
} from '../../../aws-facts/api-rate-limits';

export type { Apigatewayv2State, HttpApiRecord, DomainNameRecord, ApiMappingRecord } from './state';
export { REGIONAL_ENDPOINT_ZONES, DEFAULT_DOMAIN_STATUS_CONFIG, type DomainStatusConfig } from './state';
export { setDomainStatusConfig } from './domain-status';

export const apigatewayv2Service: SimService<Apigatewayv2State> = {
  name: 'apigatewayv2',
  freshAnswers: true,
  validationErrorCode: 'BadRequestException',
  throttlingErrorCode: 'TooManyRequestsException',
  buckets: {
    // AWS's published rates (aws-facts/api-rate-limits.ts): CreateApi and DeleteApi fixed, no burst
    // beyond one call, and each of the domain name's create, update and delete one per 30 s; the other
    // control-plane calls the account-wide 10 a second, burst 40, one bucket for reads and changes
    // together ("total operations").
    createApi: API_GATEWAY_CREATE_API,
    deleteApi: API_GATEWAY_DELETE_API,
    domainName: { ...API_GATEWAY_DOMAIN_NAME, scope: 'operation' },
    ...readWriteBuckets(API_RATE_LIMITS.apigatewayv2),
  },
  operations: { ...apiOperations, ...domainOperations, ...tagOperations },
  initialState: () => ({ apis: {}, domainNames: {} }),
  inventory: (state, account): InventoryItem[] => [
    ...Object.values(state.apis).flatMap((api) => [
      {
        type: 'AWS::ApiGatewayV2::Api',
        id: api.id,
        name: api.name,
        arn: apiArn(account, api.id),
        tags: { ...api.tags },
      },
      ...Object.values(api.integrations).map((i) => ({
        type: 'AWS::ApiGatewayV2::Integration',
        id: `${api.id}|${i.id}`,
        tags: {},
      })),
      ...Object.values(api.routes).map((r) => ({
        type: 'AWS::ApiGatewayV2::Route',
        id: `${api.id}|${r.id}`,
        name: r.routeKey,
        tags: {},
      })),
      ...Object.values(api.stages).map((s) => ({
        type: 'AWS::ApiGatewayV2::Stage',
        id: `${api.id}|${s.name}`,
        name: s.name,
        arn: stageArn(account, api.id, s.name),
        tags: { ...s.tags },
      })),
    ]),
    ...Object.values(state.domainNames).flatMap((d) => [
      {
        type: 'AWS::ApiGatewayV2::DomainName',
        id: d.name,
        name: d.name,
        state: domainStatus(d, account.now()),
        arn: domainNameArn(account, d.name),
        tags: { ...d.tags },
      },
      ...Object.values(d.mappings).map((m) => ({
        type: 'AWS::ApiGatewayV2::ApiMapping',
        id: `${d.name}|${m.id}`,
        tags: {},
      })),
    ]),
  ],
};
