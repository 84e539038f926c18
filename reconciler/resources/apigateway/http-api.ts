/**
 * The Lambda tier's API Gateway HTTP API. API Gateway does not make names unique (several APIs may be
 * called `lf-<stack>-api`), so the finder lists every API (GetApis, paged) and keeps the one carrying this
 * stack's ownership tags; an API with our name but not our tags is simply not ours and is never reported.
 * Several tagged APIs (a create whose answer was lost, or a copy of our tags) are reported in `duplicates`,
 * the one the stack recorded first. CreateApi has no client token: the engine journals an intent and the
 * API carries its nonce among the tags given at creation (docs/ownership.md).
 */
import {
  CreateApiCommand,
  DeleteApiCommand,
  GetApisCommand,
  UpdateApiCommand,
  type Api as SdkApi,
} from '@aws-sdk/client-apigatewayv2';
import { TAG_COMPONENT, isOwnedBy, names, nonceTags, ownershipTags } from '../../../spec';
import { arnOf } from '../../aws/partition';
import {
  HTTP_API_KEY,
  allPages,
  apiGatewayErrors,
  regionalDomainName,
  type HttpApiExtra,
} from './api-gateway-support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, ResourceKind } from '../types';

/** The fields LambdaFlex reads, common to GetApis items and the Create/UpdateApi answers. */
type Api = Partial<Pick<SdkApi, 'ApiId' | 'ApiEndpoint' | 'Name' | 'ProtocolType' | 'Tags'>>;

const KEY = HTTP_API_KEY;
const TYPE = 'AWS::ApiGatewayV2::Api';

export const httpApiErrors = apiGatewayErrors();

function apiArn(region: string, apiId: string): string {
  return arnOf(region, 'apigateway', `/apis/${apiId}`);
}

function observe(api: Api, region: string, stack: string): ObservedResource {
  const apiId = api.ApiId!;
  const tags = { ...(api.Tags ?? {}) };
  const extra: HttpApiExtra = {
    apiId,
    apiEndpoint: api.ApiEndpoint ?? `https://${regionalDomainName(apiId, region)}`,
    regionalDomainName: regionalDomainName(apiId, region),
  };
  return {
    key: KEY,
    type: TYPE,
    id: apiId,
    arn: apiArn(region, apiId),
    tags,
    attributes: { name: api.Name, protocolType: api.ProtocolType },
    ready: true,
    foreign: !isOwnedBy(tags, stack),
    extra: extra as unknown as Record<string, unknown>,
  };
}

function isOurs(api: Api, stack: string): boolean {
  const tags = api.Tags ?? {};
  return isOwnedBy(tags, stack) && tags[TAG_COMPONENT] === KEY;
}

async function find(ctx: ResourceContext): Promise<ObservedResource | undefined> {
  const apis = await allPages((token) =>
    ctx.clients.apigatewayv2.send(new GetApisCommand({ NextToken: token })),
  );
  const recorded = (api: Api) => ctx.ownership?.isRecorded(KEY, api.ApiId!, api.Tags ?? {}) ?? false;
  // The recorded API first, then the lowest id, so that every pass settles on the same API.
  const ours = apis
    .filter((api) => api.ApiId && isOurs(api, ctx.spec.stack))
    .sort((a, b) => Number(recorded(b)) - Number(recorded(a)) || (a.ApiId! < b.ApiId! ? -1 : 1));
  const [first, ...others] = ours;
  if (!first) return undefined;
  const found = observe(first, ctx.region, ctx.spec.stack);
  if (others.length === 0) return found;
  return { ...found, duplicates: others.map((api) => observe(api, ctx.region, ctx.spec.stack)) };
}

async function create(ctx: ResourceContext): Promise<ObservedResource> {
  const tags = { ...ownershipTags(ctx.spec.stack, KEY), ...nonceTags(ctx.nonce) };
  const api = await ctx.clients.apigatewayv2.send(
    new CreateApiCommand({
      Name: names(ctx.spec.stack).api,
      ProtocolType: 'HTTP',
      Description: `LambdaFlex ${ctx.spec.stack}: the Lambda tier's API`,
      Tags: tags,
    }),
  );
  if (!api.ApiId) throw new Error(`CreateApi returned no API for ${KEY}`);
  ctx.answered?.(api.ApiId);
  return observe({ ...api, Tags: tags }, ctx.region, ctx.spec.stack);
}

async function update(ctx: ResourceContext, current: ObservedResource): Promise<ObservedResource> {
  assertOwned(current, 'updating');
  // Only the name can drift (renamed by hand); the protocol is immutable.
  const api = await ctx.clients.apigatewayv2.send(
    new UpdateApiCommand({ ApiId: current.id, Name: names(ctx.spec.stack).api }),
  );
  return api.ApiId ? observe({ ...api, Tags: current.tags }, ctx.region, ctx.spec.stack) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource): Promise<void> {
  assertOwned(current, 'deleting');
  // Also removes the API's integrations, routes and stages.
  await deleteIgnoringGone(
    () => ctx.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: current.id })),
    httpApiErrors,
  );
}

/**
 * @example
 * const api = await httpApiKind.find(ctx);
 * httpApiExtra(api)?.regionalDomainName; // 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'
 */
export const httpApiKind: ResourceKind = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'tagged',
  creates: 'nonce',
  // GetApis lists an API as soon as CreateApi answers; a minute covers a slow answer all the same.
  visibleWithinMs: 60_000,
  tier: 'lambda',
  dependsOn: [],
  errors: httpApiErrors,
  immutable: ['protocolType'],
  wanted: () => true,
  desired: (spec) => ({ name: names(spec.stack).api, protocolType: 'HTTP' }),
  find,
  create,
  update,
  delete: remove,
};
