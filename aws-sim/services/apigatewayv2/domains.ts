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
} from './find';
import { REGIONAL_ENDPOINT_ZONES, type Apigatewayv2State, type DomainNameRecord } from './state';
import { domainNameView, mappingView } from './view';

type Op = Operation<Apigatewayv2State>;

export const domainOperations: Record<string, Op> = {
  CreateDomainName: {
    mutating: true,
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
      ctx.state.domainNames[name] = domain;
      return domainNameView(domain);
    },
  },
  GetDomainName: {
    mutating: false,
    required: ['DomainName'],
    handle: (input, ctx) => domainNameView(findDomainName(ctx, input.DomainName)),
  },
  GetDomainNames: {
    mutating: false,
    handle: (input, ctx) => {
      const all = Object.values(ctx.state.domainNames).sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(all, input.NextToken, maxResults(input), 25);
      return { Items: page.items.map(domainNameView), NextToken: page.nextToken };
    },
  },
  UpdateDomainName: {
    mutating: true,
    required: ['DomainName'],
    handle: (input, ctx) => {
      const domain = findDomainName(ctx, input.DomainName);
      const config = (input.DomainNameConfigurations ?? [])[0] ?? {};
      const endpointType = String(config.EndpointType ?? domain.endpointType);
      if (endpointType !== 'REGIONAL') badRequest(ctx, 'HTTP APIs support only REGIONAL custom domain names');
      Object.assign(domain, {
        endpointType,
        ...(config.CertificateArn === undefined ? {} : { certificateArn: String(config.CertificateArn) }),
        ...(config.SecurityPolicy === undefined ? {} : { securityPolicy: String(config.SecurityPolicy) }),
      });
      return domainNameView(domain);
    },
  },
  DeleteDomainName: {
    mutating: true,
    required: ['DomainName'],
    handle: (input, ctx) => {
      // Deleting a custom domain name removes its API mappings with it.
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
      // AWS documents only the error codes (400, 404, 409, 429). The answer reported for a mapping made to a
      // stage the API lacks, or made right after the stage before API Gateway shows it, is
      // BadRequestException (400) "Invalid stage identifier specified" (AWS CDK and SAM users report it),
      // as UpdateApiMapping answers; NotFoundException is for the domain name or the API. A stage made
      // less than the consistency delay ago is not shown yet (find.ts, shownStage).
      if (!shownStage(ctx, api, stage)) badRequest(ctx, 'Invalid stage identifier specified');
      const key = String(input.ApiMappingKey ?? '');
      if (Object.values(domain.mappings).some((m) => m.key === key)) {
        conflict(ctx, `ApiMapping key '${key}' already exists for this domain name`);
      }
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
      // request syntax). The stage must exist on the API the mapping now names. AWS documents only the
      // error codes; the answer reported for a mapping to a stage not there is BadRequestException (400)
      // "Invalid stage identifier specified" (as users of the AWS CDK report it), not the 404 GetStage gives.
      const stage = input.Stage === undefined ? mapping.stage : String(input.Stage);
      if (!shownStage(ctx, api, stage)) badRequest(ctx, 'Invalid stage identifier specified');
      const key = input.ApiMappingKey === undefined ? mapping.key : String(input.ApiMappingKey);
      if (Object.values(domain.mappings).some((m) => m.id !== mapping.id && m.key === key)) {
        conflict(ctx, `ApiMapping key '${key}' already exists for this domain name`);
      }
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
