/** Custom domain names (regional) and the API mappings that connect them to an API's stage. */
import { paginate } from '../../core/pagination';
import type { Operation } from '../../core/service';
import {
  badRequest,
  conflict,
  findApi,
  findDomainName,
  maxResults,
  newApiGatewayId,
  notFound,
  shownStage,
  type Ctx,
} from './find';
import {
  REGIONAL_ENDPOINT_ZONES,
  type Apigatewayv2State,
  type DomainNameRecord,
  type HttpApiRecord,
} from './state';
import { assertNotUpdating, domainStatus, domainStatusConfigOf, startUpdating } from './domain-status';
import { domainNameView, mappingView } from './view';

type Op = Operation<Apigatewayv2State>;

/**
 * A mapping (made, or `self` changed) to `stage` of `api` under `key`, as CreateApiMapping and
 * UpdateApiMapping check it. AWS documents only the error codes (400, 404, 409, 429). The answer reported
 * for a mapping to a stage the API lacks, or made right after the stage before API Gateway shows it, is
 * BadRequestException (400) "Invalid stage identifier specified" (AWS CDK and SAM users report it), not
 * the 404 GetStage gives; NotFoundException is for the domain name or the API. A stage made less than the
 * consistency delay ago is not shown yet (find.ts, shownStage). A key another mapping of the domain has
 * is ConflictException.
 */
function checkMapping(
  ctx: Ctx,
  domain: DomainNameRecord,
  api: HttpApiRecord,
  stage: string,
  key: string,
  self?: string,
): void {
  if (!shownStage(ctx, api, stage)) badRequest(ctx, 'Invalid stage identifier specified');
  if (Object.values(domain.mappings).some((m) => m.id !== self && m.key === key)) {
    conflict(ctx, `ApiMapping key '${key}' already exists for this domain name`);
  }
}

export const domainOperations: Record<string, Op> = {
  CreateDomainName: {
    mutating: true,
    // docs/aws-facts.md: API Gateway control plane, 1 per 30 s per account, each action apart.
    bucket: 'domainName',
    required: ['DomainName'],
    handle: (input, ctx) => {
      const name = String(input.DomainName).toLowerCase();
      if (ctx.state.domainNames[name]) conflict(ctx, 'The domain name you provided already exists.');
      const config = (input.DomainNameConfigurations ?? [])[0] ?? {};
      const endpointType = String(config.EndpointType ?? 'REGIONAL');
      if (endpointType !== 'REGIONAL') badRequest(ctx, 'HTTP APIs support only REGIONAL custom domain names');
      // Certificate ARNs are accepted as given: the simulator has no ACM.
      const domain: DomainNameRecord = {
        name,
        ...(config.CertificateArn === undefined ? {} : { certificateArn: String(config.CertificateArn) }),
        endpointType,
        securityPolicy: String(config.SecurityPolicy ?? 'TLS_1_2'),
        apiGatewayDomainName: `d-${ctx.account.newId('', 10)}.execute-api.${ctx.account.region}.${ctx.account.dnsSuffix}`,
        hostedZoneId: REGIONAL_ENDPOINT_ZONES[ctx.account.region] ?? REGIONAL_ENDPOINT_ZONES['us-east-1']!,
        createdAt: ctx.now,
        tags: { ...(input.Tags ?? {}) },
        mappings: {},
      };
      startUpdating(domain, ctx.now, domainStatusConfigOf(ctx.state).afterCreateMs);
      ctx.state.domainNames[name] = domain;
      return domainNameView(domain, domainStatus(domain, ctx.now));
    },
  },
  GetDomainName: {
    mutating: false,
    required: ['DomainName'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      return domainNameView(domain, domainStatus(domain, ctx.now));
    },
  },
  GetDomainNames: {
    mutating: false,
    handle: (input, ctx) => {
      const all = Object.values(ctx.state.domainNames).sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(all, input.NextToken, maxResults(input), 25);
      return {
        Items: page.items.map((d) => domainNameView(d, domainStatus(d, ctx.now))),
        NextToken: page.nextToken,
      };
    },
  },
  UpdateDomainName: {
    mutating: true,
    // docs/aws-facts.md: API Gateway control plane, 1 per 30 s per account, each action apart.
    bucket: 'domainName',
    required: ['DomainName'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      const config = (input.DomainNameConfigurations ?? [])[0] ?? {};
      const endpointType = String(config.EndpointType ?? domain.endpointType);
      if (endpointType !== 'REGIONAL') badRequest(ctx, 'HTTP APIs support only REGIONAL custom domain names');
      // "If the status is UPDATING, the domain cannot be modified further" (domain-status.ts).
      assertNotUpdating(ctx, domain);
      Object.assign(domain, {
        endpointType,
        ...(config.CertificateArn === undefined ? {} : { certificateArn: String(config.CertificateArn) }),
        ...(config.SecurityPolicy === undefined ? {} : { securityPolicy: String(config.SecurityPolicy) }),
      });
      startUpdating(domain, ctx.now, domainStatusConfigOf(ctx.state).afterUpdateMs);
      return domainNameView(domain, domainStatus(domain, ctx.now));
    },
  },
  DeleteDomainName: {
    mutating: true,
    // docs/aws-facts.md: API Gateway control plane, 1 per 30 s per account, each action apart.
    bucket: 'domainName',
    required: ['DomainName'],
    handle: (input, ctx) => {
      // Deleting a custom domain name removes its API mappings with it. Not refused while UPDATING: AWS
      // documents no ConflictException for it (domain-status.ts).
      delete ctx.state.domainNames[findDomainName(ctx, input.DomainName).name];
    },
  },
  CreateApiMapping: {
    mutating: true,
    required: ['DomainName', 'ApiId', 'Stage'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      const api = findApi(ctx, input.ApiId);
      const stage = String(input.Stage);
      const key = String(input.ApiMappingKey ?? '');
      checkMapping(ctx, domain, api, stage, key);
      const mapping = { id: newApiGatewayId(ctx, 6), apiId: api.id, stage, key };
      domain.mappings[mapping.id] = mapping;
      return mappingView(mapping);
    },
  },
  UpdateApiMapping: {
    mutating: true,
    required: ['DomainName', 'ApiMappingId', 'ApiId'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      const mapping = domain.mappings[String(input.ApiMappingId)];
      if (!mapping) notFound(ctx, 'Invalid API mapping identifier specified');
      const api = findApi(ctx, input.ApiId);
      // Stage and ApiMappingKey are optional: left out, the mapping keeps its own (the API reference's
      // request syntax). The stage must exist on the API the mapping now names.
      const stage = input.Stage === undefined ? mapping.stage : String(input.Stage);
      const key = input.ApiMappingKey === undefined ? mapping.key : String(input.ApiMappingKey);
      checkMapping(ctx, domain, api, stage, key, mapping.id);
      // Checked before written: a refused update changes nothing.
      Object.assign(mapping, { apiId: api.id, stage, key });
      return mappingView(mapping);
    },
  },
  GetApiMappings: {
    mutating: false,
    required: ['DomainName'],
    handle: (input, ctx) => {
      const page = paginate(
        Object.values(findDomainName(ctx, input.DomainName).mappings),
        input.NextToken,
        maxResults(input),
        25,
      );
      return { Items: page.items.map(mappingView), NextToken: page.nextToken };
    },
  },
  DeleteApiMapping: {
    mutating: true,
    required: ['DomainName', 'ApiMappingId'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      if (!domain.mappings[String(input.ApiMappingId)])
        notFound(ctx, 'Invalid API mapping identifier specified');
      delete domain.mappings[String(input.ApiMappingId)];
    },
  },
};
