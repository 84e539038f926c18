/**
 * The HTTP API's `$default` route: every method and path goes to the Lambda integration. Routes can't be
 * tagged; the `$default` route of our API is ours. It also depends on `http-api` (not only on the
 * integration) so that it can be found and deleted even when the integration is already gone.
 */
import {
  CreateRouteCommand,
  DeleteRouteCommand,
  GetRoutesCommand,
  UpdateRouteCommand,
  type Route as SdkRoute,
} from '@aws-sdk/client-apigatewayv2';
import {
  DEFAULT_ROUTE_KEY,
  HTTP_API_KEY,
  allPages,
  apiGatewayErrors,
  apiIdOf,
  inheritedOwnership,
  requireApiId,
} from './support';
import { API_INTEGRATION_KEY } from './integration';
import { requireRef } from '../common/dependency-refs';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

type Route = Partial<Pick<SdkRoute, 'RouteId' | 'RouteKey' | 'Target'>>;

const KEY = RESOURCE_KEYS.apiRoute;

/** What the route's verbs keep in `extra`: the API it lives in. */
export interface ApiRouteExtra {
  apiId: string;
}
const TYPE = 'AWS::ApiGatewayV2::Route';

export const apiRouteErrors = apiGatewayErrors();

function targetOf(refs: ResourceContext['refs']): string | undefined {
  const integration = refs[API_INTEGRATION_KEY];
  return integration ? `integrations/${integration.id}` : undefined;
}

function requireTarget(refs: ResourceContext['refs']): string {
  return `integrations/${requireRef(refs, API_INTEGRATION_KEY, KEY).id}`;
}

function observe(route: Route, apiId: string, ctx: ResourceContext): ObservedResource<ApiRouteExtra> {
  return {
    key: KEY,
    type: TYPE,
    id: route.RouteId!,
    ...inheritedOwnership(ctx.refs),
    attributes: { routeKey: route.RouteKey, target: route.Target },
    ready: true,
    extra: { apiId },
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiRouteExtra> | undefined> {
  const apiId = apiIdOf(ctx.refs);
  if (!apiId) return undefined;
  const routes = await orUndefinedIfGone(
    () =>
      allPages((token) =>
        ctx.clients.apigatewayv2.send(new GetRoutesCommand({ ApiId: apiId, NextToken: token })),
      ),
    apiRouteErrors,
  );
  const route = routes?.find((candidate) => candidate.RouteKey === DEFAULT_ROUTE_KEY);
  return route?.RouteId ? observe(route, apiId, ctx) : undefined;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<ApiRouteExtra>> {
  const apiId = requireApiId(ctx.refs, KEY);
  const route = await ctx.clients.apigatewayv2.send(
    new CreateRouteCommand({ ApiId: apiId, RouteKey: DEFAULT_ROUTE_KEY, Target: requireTarget(ctx.refs) }),
  );
  if (!route.RouteId) throw new Error(`CreateRoute returned no route for ${KEY}`);
  return observe(route, apiId, ctx);
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<ApiRouteExtra>,
): Promise<ObservedResource<ApiRouteExtra>> {
  assertOwned(current, 'updating');
  const apiId = requireApiId(ctx.refs, KEY);
  const route = await ctx.clients.apigatewayv2.send(
    new UpdateRouteCommand({ ApiId: apiId, RouteId: current.id, Target: requireTarget(ctx.refs) }),
  );
  return route.RouteId ? observe(route, apiId, ctx) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<ApiRouteExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  const apiId = current.extra?.apiId ?? apiIdOf(ctx.refs);
  if (!apiId) return;
  await deleteIgnoringGone(
    () => ctx.clients.apigatewayv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: current.id })),
    apiRouteErrors,
  );
}

/**
 * @example
 * apiRouteResource.desiredAttributes(spec, refs); // { routeKey: '$default', target: 'integrations/abc1234' }
 */
export const apiRouteResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'untagged',
  tier: 'lambda',
  dependsOn: [HTTP_API_KEY, API_INTEGRATION_KEY],
  errors: apiRouteErrors,
  immutable: ['routeKey'],
  neededBy: () => true,
  desiredAttributes: (_spec, refs) => ({ routeKey: DEFAULT_ROUTE_KEY, target: targetOf(refs) }),
  find,
  create,
  update,
  delete: remove,
};
