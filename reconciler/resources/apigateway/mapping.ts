/**
 * The API mapping that serves our HTTP API's `$default` stage at the root of the custom domain (empty
 * mapping key). Mappings can't be tagged: the root mapping of our domain is ours. Wanted exactly when the
 * custom domain is.
 */
import {
  CreateApiMappingCommand,
  DeleteApiMappingCommand,
  GetApiMappingsCommand,
  UpdateApiMappingCommand,
  type ApiMapping,
} from '@aws-sdk/client-apigatewayv2';
import {
  DEFAULT_STAGE_NAME,
  HTTP_API_KEY,
  allPages,
  apiGatewayErrors,
  apiIdOf,
  requireApiId,
} from './support';
import { API_DOMAIN_KEY, wantsCustomDomain } from './domain';
import { API_STAGE_KEY } from './stage';
import { requireRef } from '../common/dependency-refs';
import { sendOnceShown } from '../common/dependency-not-there';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.apiMapping;

/** What the mapping's verbs keep in `extra`: the custom domain it lives under. */
export interface ApiMappingExtra {
  domainName: string;
}
const TYPE = 'AWS::ApiGatewayV2::ApiMapping';

/**
 * A create or update right after CreateStage may be answered 400 "Invalid stage identifier specified"
 * while API Gateway does not show the new stage yet (docs/aws-facts.md). Not terminal: the stage is the
 * stack's own `$default`, made before the mapping, so no spec change is what it waits for; a stage gone
 * meanwhile is made again by a later pass.
 */
const STAGE_NOT_SHOWN = { code: 'BadRequestException', message: /Invalid stage identifier/i };
export const apiMappingErrors = apiGatewayErrors({ retryableWhen: [STAGE_NOT_SHOWN] });

/**
 * Sends a create or update of the mapping: the stage not shown yet, expected on every first apply with a
 * custom domain (the stage is made in the same pass), is waited for as a dependency not there.
 */
const sendNamingStage = <T>(send: () => Promise<T>): Promise<T> =>
  sendOnceShown(
    API_STAGE_KEY,
    STAGE_NOT_SHOWN,
    (message) => `${API_STAGE_KEY} ${DEFAULT_STAGE_NAME} is not shown by API Gateway yet (${message})`,
    send,
  );

type Mapping = Partial<Pick<ApiMapping, 'ApiMappingId' | 'ApiId' | 'Stage' | 'ApiMappingKey'>>;

function observe(
  mapping: Mapping,
  domainName: string,
  ctx: ResourceContext,
): ObservedResource<ApiMappingExtra> {
  const domain = ctx.refs[API_DOMAIN_KEY];
  return {
    key: KEY,
    type: TYPE,
    id: mapping.ApiMappingId!,
    tags: { ...(domain?.tags ?? {}) },
    foreign: domain?.foreign ?? false,
    attributes: { apiId: mapping.ApiId, stage: mapping.Stage, apiMappingKey: mapping.ApiMappingKey ?? '' },
    ready: true,
    extra: { domainName },
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiMappingExtra> | undefined> {
  const domainName = ctx.refs[API_DOMAIN_KEY]?.id;
  if (!domainName) return undefined;
  const mappings = await orUndefinedIfGone(
    () =>
      allPages((token) =>
        ctx.clients.apigatewayv2.send(
          new GetApiMappingsCommand({ DomainName: domainName, NextToken: token }),
        ),
      ),
    apiMappingErrors,
  );
  const root = mappings?.find((mapping) => !mapping.ApiMappingKey);
  return root?.ApiMappingId ? observe(root, domainName, ctx) : undefined;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<ApiMappingExtra>> {
  const domainName = requireRef(ctx.refs, API_DOMAIN_KEY, KEY).id;
  const mapping = await sendNamingStage(() =>
    ctx.clients.apigatewayv2.send(
      new CreateApiMappingCommand({
        DomainName: domainName,
        ApiId: requireApiId(ctx.refs, KEY),
        Stage: DEFAULT_STAGE_NAME,
      }),
    ),
  );
  if (!mapping.ApiMappingId) throw new Error(`CreateApiMapping returned no mapping for ${KEY}`);
  return observe(mapping, domainName, ctx);
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<ApiMappingExtra>,
): Promise<ObservedResource<ApiMappingExtra>> {
  assertOwned(current, 'updating');
  const domainName = requireRef(ctx.refs, API_DOMAIN_KEY, KEY).id;
  const mapping = await sendNamingStage(() =>
    ctx.clients.apigatewayv2.send(
      new UpdateApiMappingCommand({
        ApiMappingId: current.id,
        DomainName: domainName,
        ApiId: requireApiId(ctx.refs, KEY),
        Stage: DEFAULT_STAGE_NAME,
      }),
    ),
  );
  return mapping.ApiMappingId ? observe(mapping, domainName, ctx) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<ApiMappingExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  const domainName = current.extra?.domainName ?? ctx.refs[API_DOMAIN_KEY]?.id;
  // No domain, no mapping: DeleteDomainName removed it with the domain.
  if (!domainName) return;
  await deleteIgnoringGone(
    () =>
      ctx.clients.apigatewayv2.send(
        new DeleteApiMappingCommand({ ApiMappingId: current.id, DomainName: domainName }),
      ),
    apiMappingErrors,
  );
}

/**
 * @example
 * apiMappingResource.desiredAttributes(spec, refs); // { apiId: 'abcde12345', stage: '$default', apiMappingKey: '' }
 */
export const apiMappingResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'untagged',
  tier: 'lambda',
  dependsOn: [API_DOMAIN_KEY, HTTP_API_KEY, API_STAGE_KEY],
  // DeleteApi is refused while a custom domain maps the API ("Please remove all API mappings").
  holds: { [HTTP_API_KEY]: 'apiId' },
  errors: apiMappingErrors,
  immutable: ['apiMappingKey'],
  neededBy: wantsCustomDomain,
  desiredAttributes: (_spec, refs) => ({
    apiId: apiIdOf(refs),
    stage: DEFAULT_STAGE_NAME,
    apiMappingKey: '',
  }),
  find,
  create,
  update,
  delete: remove,
};
