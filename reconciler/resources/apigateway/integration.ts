/**
 * The HTTP API's Lambda proxy integration (AWS_PROXY, payload format 2.0) to the stack's function.
 * Integrations can't be tagged: the one that is ours is the AWS_PROXY integration, in our API, whose URI
 * is our function's ARN (matched by the function's deterministic name, so it is found even while the
 * function itself is not observed, e.g. when the stack is being deleted).
 */
import {
  CreateIntegrationCommand,
  DeleteIntegrationCommand,
  GetIntegrationsCommand,
  UpdateIntegrationCommand,
  type Integration,
} from '@aws-sdk/client-apigatewayv2';
import { names } from '../../../spec';
import {
  HTTP_API_KEY,
  allPages,
  apiGatewayErrors,
  apiIdOf,
  inheritedOwnership,
  requireApiId,
} from './support';
import { requireArn } from '../common/dependency-refs';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const API_INTEGRATION_KEY = RESOURCE_KEYS.apiIntegration;
const KEY = API_INTEGRATION_KEY;
const TYPE = 'AWS::ApiGatewayV2::Integration';
const FUNCTION_KEY = RESOURCE_KEYS.lambdaFunction;
export const PAYLOAD_FORMAT_VERSION = '2.0';

export const apiIntegrationErrors = apiGatewayErrors();

/** What the route reads from the integration's `extra`. */
export interface ApiIntegrationExtra {
  apiId: string;
  integrationId: string;
}

/** True for a Lambda function ARN naming `functionName` (with or without a qualifier). */
function invokesFunction(uri: string | undefined, functionName: string): boolean {
  if (!uri) return false;
  const at = uri.indexOf(':function:');
  if (at < 0) return false;
  return uri.slice(at + ':function:'.length).split(':')[0] === functionName;
}

function observe(
  integration: Integration,
  apiId: string,
  ctx: ResourceContext,
): ObservedResource<ApiIntegrationExtra> {
  const extra: ApiIntegrationExtra = { apiId, integrationId: integration.IntegrationId! };
  return {
    key: KEY,
    type: TYPE,
    id: integration.IntegrationId!,
    ...inheritedOwnership(ctx.refs),
    attributes: {
      integrationType: integration.IntegrationType,
      integrationUri: integration.IntegrationUri,
      payloadFormatVersion: integration.PayloadFormatVersion,
    },
    ready: true,
    extra,
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiIntegrationExtra> | undefined> {
  const apiId = apiIdOf(ctx.refs);
  if (!apiId) return undefined;
  const functionName = names(ctx.spec.stack).lambdaFunction;
  const integrations = await orUndefinedIfGone(
    () =>
      allPages((token) =>
        ctx.clients.apigatewayv2.send(new GetIntegrationsCommand({ ApiId: apiId, NextToken: token })),
      ),
    apiIntegrationErrors,
  );
  const ours = integrations?.find(
    (integration) =>
      integration.IntegrationType === 'AWS_PROXY' &&
      invokesFunction(integration.IntegrationUri, functionName),
  );
  return ours?.IntegrationId ? observe(ours, apiId, ctx) : undefined;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<ApiIntegrationExtra>> {
  const apiId = requireApiId(ctx.refs, KEY);
  const integration = await ctx.clients.apigatewayv2.send(
    new CreateIntegrationCommand({
      ApiId: apiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: requireArn(ctx.refs, FUNCTION_KEY, KEY),
      PayloadFormatVersion: PAYLOAD_FORMAT_VERSION,
    }),
  );
  if (!integration.IntegrationId) throw new Error(`CreateIntegration returned no integration for ${KEY}`);
  return observe(integration, apiId, ctx);
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<ApiIntegrationExtra>,
): Promise<ObservedResource<ApiIntegrationExtra>> {
  assertOwned(current, 'updating');
  const apiId = requireApiId(ctx.refs, KEY);
  const integration = await ctx.clients.apigatewayv2.send(
    new UpdateIntegrationCommand({
      ApiId: apiId,
      IntegrationId: current.id,
      IntegrationUri: requireArn(ctx.refs, FUNCTION_KEY, KEY),
      PayloadFormatVersion: PAYLOAD_FORMAT_VERSION,
    }),
  );
  return integration.IntegrationId ? observe(integration, apiId, ctx) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<ApiIntegrationExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  const apiId = current.extra?.apiId ?? apiIdOf(ctx.refs);
  // No API, no integration: DeleteApi removed it with the API.
  if (!apiId) return;
  // ConflictException while the route still targets it: retryable, the route goes first.
  await deleteIgnoringGone(
    () =>
      ctx.clients.apigatewayv2.send(
        new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: current.id }),
      ),
    apiIntegrationErrors,
  );
}

/**
 * @example
 * apiIntegrationResource.desiredAttributes(spec, refs);
 * // { integrationType: 'AWS_PROXY', integrationUri: '<function ARN>', payloadFormatVersion: '2.0' }
 */
export const apiIntegrationResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'untagged',
  tier: 'lambda',
  dependsOn: [HTTP_API_KEY, FUNCTION_KEY],
  errors: apiIntegrationErrors,
  immutable: ['integrationType'],
  neededBy: () => true,
  desiredAttributes: (_spec, refs) => ({
    integrationType: 'AWS_PROXY',
    integrationUri: refs[FUNCTION_KEY]?.arn,
    payloadFormatVersion: PAYLOAD_FORMAT_VERSION,
  }),
  find,
  create,
  update,
  delete: remove,
};
