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
  /**
   * Until when (epoch ms) the domain is `UPDATING`: its last create or update is still being applied
   * (domain-status.ts). Absent: `AVAILABLE`.
   */
  updatingUntil?: number;
}

/**
 * How long a custom domain name stays `UPDATING` (domain-status.ts, docs/aws-facts.md "API Gateway custom
 * domain status"). AWS gives no figure for either; settings, not facts.
 */
export interface DomainStatusConfig {
  /** After CreateDomainName. 0 by default: users see a new regional domain `AVAILABLE` in the answer. */
  afterCreateMs: number;
  /**
   * After UpdateDomainName. 60 s by default: the one figure AWS gives for a domain's configuration
   * change ("It may take up to 60 seconds to complete a migration" between endpoint types).
   */
  afterUpdateMs: number;
}

export const DEFAULT_DOMAIN_STATUS_CONFIG: DomainStatusConfig = { afterCreateMs: 0, afterUpdateMs: 60_000 };

export interface Apigatewayv2State {
  apis: Record<string, HttpApiRecord>;
  domainNames: Record<string, DomainNameRecord>;
  /** Absent in a state saved before it was kept: the defaults. */
  domainStatus?: DomainStatusConfig;
}

/** Hosted zone of API Gateway's regional endpoints in us-east-1 (API Gateway endpoints and quotas). */
export const REGIONAL_ENDPOINT_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
};
