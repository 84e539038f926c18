/**
 * How API Gateway v2 resources look in answers, and their ARNs (`arn:<partition>:apigateway:<region>::/apis/<id>`,
 * no account field).
 */
import type { SimAccount } from '../../core/account';
import type {
  ApiMappingRecord,
  DomainNameRecord,
  HttpApiRecord,
  IntegrationRecord,
  RouteRecord,
  StageRecord,
} from './state';

export function apiArn(account: SimAccount, apiId: string): string {
  return account.arn('apigateway', `/apis/${apiId}`, { account: false });
}

export function stageArn(account: SimAccount, apiId: string, stage: string): string {
  return `${apiArn(account, apiId)}/stages/${stage}`;
}

export function domainNameArn(account: SimAccount, name: string): string {
  return account.arn('apigateway', `/domainnames/${name}`, { account: false });
}

export function apiView(account: SimAccount, api: HttpApiRecord): Record<string, unknown> {
  return {
    ApiId: api.id,
    Name: api.name,
    ProtocolType: api.protocolType,
    ApiEndpoint: `https://${api.id}.execute-api.${account.region}.${account.dnsSuffix}`,
    ApiKeySelectionExpression: '$request.header.x-api-key',
    RouteSelectionExpression: '$request.method $request.path',
    CreatedDate: new Date(api.createdAt),
    DisableExecuteApiEndpoint: false,
    ...(api.description === undefined ? {} : { Description: api.description }),
    Tags: { ...api.tags },
  };
}

export function integrationView(i: IntegrationRecord): Record<string, unknown> {
  return {
    IntegrationId: i.id,
    IntegrationType: i.type,
    ...(i.uri === undefined ? {} : { IntegrationUri: i.uri }),
    ...(i.method === undefined ? {} : { IntegrationMethod: i.method }),
    PayloadFormatVersion: i.payloadFormatVersion,
    ConnectionType: 'INTERNET',
    TimeoutInMillis: i.timeoutMs,
  };
}

export function routeView(r: RouteRecord): Record<string, unknown> {
  return {
    RouteId: r.id,
    RouteKey: r.routeKey,
    ...(r.target === undefined ? {} : { Target: r.target }),
    AuthorizationType: 'NONE',
    ApiKeyRequired: false,
  };
}

export function stageView(s: StageRecord): Record<string, unknown> {
  return {
    StageName: s.name,
    AutoDeploy: s.autoDeploy,
    CreatedDate: new Date(s.createdAt),
    LastUpdatedDate: new Date(s.updatedAt),
    DefaultRouteSettings: { DetailedMetricsEnabled: false },
    RouteSettings: {},
    StageVariables: {},
    Tags: { ...s.tags },
  };
}

export function domainNameView(d: DomainNameRecord, status: string): Record<string, unknown> {
  return {
    DomainName: d.name,
    ApiMappingSelectionExpression: '$request.basepath',
    DomainNameConfigurations: [
      {
        ApiGatewayDomainName: d.apiGatewayDomainName,
        ...(d.certificateArn === undefined ? {} : { CertificateArn: d.certificateArn }),
        DomainNameStatus: status,
        EndpointType: d.endpointType,
        HostedZoneId: d.hostedZoneId,
        SecurityPolicy: d.securityPolicy,
      },
    ],
    Tags: { ...d.tags },
  };
}

export function mappingView(m: ApiMappingRecord): Record<string, unknown> {
  return { ApiMappingId: m.id, ApiId: m.apiId, Stage: m.stage, ApiMappingKey: m.key };
}
