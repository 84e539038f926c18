/**
 * The Lambda tier's API Gateway HTTP API. API Gateway does not make names unique (several APIs may be
 * called `lf-<stack>-api`) and has no look-up by tag, so the finder asks for the API by the id the stack
 * recorded (GetApi: one call, whatever the account holds). It lists every API of the account (GetApis,
 * paged, 25 an answer) only when it must: no id is recorded (a new stack, or one from before ownership was
 * recorded), a create is journaled and not seen yet (its answer lost: the API may exist under its nonce,
 * beside the recorded one), the stack's inventory (the Tagging API, listed before a full observation)
 * shows another API with the stack's tags, or the recorded id is gone (NotFoundException: deleted behind
 * the stack's back, and a duplicate the stack made may be left). From a listing it keeps the APIs carrying this
 * stack's ownership tags, the one the stack recorded first; the others are reported in `duplicates`.
 *
 * The API at the recorded id must still carry the stack's tags (and the nonce recorded with it): one
 * that does not is reported foreign (a Conflict), never used, changed or deleted. CreateApi has no client
 * token: the engine journals an intent and the API carries its nonce among the tags given at creation
 * (docs/ownership.md).
 */
import {
  CreateApiCommand,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  UpdateApiCommand,
  type Api as SdkApi,
} from '@aws-sdk/client-apigatewayv2';
import { TAG_COMPONENT, TAG_NONCE, isOwnedBy, names, nonceTags, ownershipTags } from '../../../spec';
import { classify } from '../../aws/classify';
import { arnOf } from '../../aws/partition';
import { HTTP_API_KEY, allPages, apiGatewayErrors, regionalDomainName, type HttpApiExtra } from './support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';

/** The fields LambdaFlex reads, common to GetApis items and the Create/UpdateApi answers. */
type Api = Partial<Pick<SdkApi, 'ApiId' | 'ApiEndpoint' | 'Name' | 'ProtocolType' | 'Tags'>>;

const KEY = HTTP_API_KEY;
const TYPE = 'AWS::ApiGatewayV2::Api';

export const httpApiErrors = apiGatewayErrors();

function apiArn(region: string, apiId: string): string {
  return arnOf(region, 'apigateway', `/apis/${apiId}`);
}

function observe(api: Api, region: string, stack: string): ObservedResource<HttpApiExtra> {
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
    foreign: !isOurs(api, stack),
    extra,
  };
}

function isOurs(api: Api, stack: string): boolean {
  const tags = api.Tags ?? {};
  return isOwnedBy(tags, stack) && tags[TAG_COMPONENT] === KEY;
}

/** The API at `apiId`, or undefined when API Gateway says it is gone. */
async function getApi(ctx: ResourceContext, apiId: string): Promise<Api | undefined> {
  try {
    return await ctx.clients.apigatewayv2.send(new GetApiCommand({ ApiId: apiId }));
  } catch (error) {
    if (classify(error, httpApiErrors) === 'notFound') return undefined;
    throw error;
  }
}

/** Every API of the account carrying this stack's tags: the recorded one first, then by id. */
async function listOurs(ctx: ResourceContext): Promise<ObservedResource<HttpApiExtra> | undefined> {
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

/** The ids of the APIs in the stack's inventory (`arn:aws:apigateway:<region>::/apis/<id>`). */
function listedApiIds(inventory: readonly string[] = []): string[] {
  return inventory.flatMap((arn) => /^arn:[^:]+:apigateway:[^:]*::\/apis\/([^/]+)$/.exec(arn)?.[1] ?? []);
}

async function find(ctx: ResourceContext): Promise<ObservedResource<HttpApiExtra> | undefined> {
  const recorded = ctx.ownership?.recorded(KEY);
  if (!recorded || ctx.ownership?.awaits(KEY)) return listOurs(ctx);
  // Another API tagged with the stack (a copy of our tags, or one the stack made and lost): list, so that
  // it is judged (reported or deleted) too.
  if (listedApiIds(ctx.inventory).some((id) => id !== recorded.id)) return listOurs(ctx);
  const api = await getApi(ctx, recorded.id);
  if (!api?.ApiId) return listOurs(ctx);
  const found = observe(api, ctx.region, ctx.spec.stack);
  // Ids are not reused, so another nonce means our tags were copied onto an API that is not ours.
  const nonce = api.Tags?.[TAG_NONCE];
  return recorded.nonce !== undefined && nonce !== recorded.nonce ? { ...found, foreign: true } : found;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<HttpApiExtra>> {
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

async function update(
  ctx: ResourceContext,
  current: ObservedResource<HttpApiExtra>,
): Promise<ObservedResource<HttpApiExtra>> {
  assertOwned(current, 'updating');
  // Only the name can drift (renamed by hand); the protocol is immutable.
  const api = await ctx.clients.apigatewayv2.send(
    new UpdateApiCommand({ ApiId: current.id, Name: names(ctx.spec.stack).api }),
  );
  return api.ApiId ? observe({ ...api, Tags: current.tags }, ctx.region, ctx.spec.stack) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<HttpApiExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  // Also removes the API's integrations, routes and stages.
  await deleteIgnoringGone(
    () => ctx.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: current.id })),
    httpApiErrors,
  );
}

/**
 * @example
 * const api = await httpApiResource.find(ctx);
 * api?.extra?.regionalDomainName; // 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'
 */
export const httpApiResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'tagged',
  creates: 'nonce',
  // API ids are random, never given to another API.
  idsNeverReused: true,
  // GetApis lists an API as soon as CreateApi answers; a minute covers a slow answer all the same.
  visibleWithinMs: 60_000,
  tier: 'lambda',
  dependsOn: [],
  errors: httpApiErrors,
  immutable: ['protocolType'],
  neededBy: () => true,
  desiredAttributes: (spec) => ({ name: names(spec.stack).api, protocolType: 'HTTP' }),
  find,
  create,
  update,
  delete: remove,
};
