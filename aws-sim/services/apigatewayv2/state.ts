/** State of the simulated API Gateway v2 (HTTP APIs): APIs with their parts, and custom domain names. */
import type { TagMap } from '../../core/tags';

export interface IntegrationRecord {
  id: string;
  type: string;
  uri?: string;
  method?: string;
  payloadFormatVersion: string;
  timeoutMs: number;
}

export interface RouteRecord {
  id: string;
  routeKey: string;
  target?: string;
}

export interface StageRecord {
  name: string;
  autoDeploy: boolean;
  createdAt: number;
  updatedAt: number;
  tags: TagMap;
}

export interface HttpApiRecord {
  id: string;
  name: string;
  protocolType: 'HTTP' | 'WEBSOCKET';
  description?: string;
  createdAt: number;
  tags: TagMap;
  integrations: Record<string, IntegrationRecord>;
  routes: Record<string, RouteRecord>;
  stages: Record<string, StageRecord>;
}

export interface ApiMappingRecord {
  id: string;
  apiId: string;
  stage: string;
  key: string;
}

export interface DomainNameRecord {
  name: string;
  certificateArn?: string;
  endpointType: string;
  securityPolicy: string;
  /** The regional endpoint a Route 53 alias record points at: `d-xxxxxxxxxx.execute-api.<region>.amazonaws.com`. */
  apiGatewayDomainName: string;
  hostedZoneId: string;
  createdAt: number;
  tags: TagMap;
  mappings: Record<string, ApiMappingRecord>;
}

export interface Apigatewayv2State {
  apis: Record<string, HttpApiRecord>;
  domainNames: Record<string, DomainNameRecord>;
}

/** Hosted zone of API Gateway's regional endpoints in us-east-1 (API Gateway endpoints and quotas). */
export const REGIONAL_ENDPOINT_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
};
