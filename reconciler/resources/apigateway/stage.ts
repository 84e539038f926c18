/**
 * The HTTP API's `$default` stage with auto-deploy: served at the API's root, and every change to routes
 * or integrations is live without a CreateDeployment call (which API Gateway limits to one per 5 s).
 * Stages can be tagged, so ownership is checked on the stage's own tags.
 */
import {
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  UpdateStageCommand,
  type GetStageResponse,
} from '@aws-sdk/client-apigatewayv2';
import { isOwnedBy, ownershipTags } from '../../../spec';
import { arnOf } from '../../aws/partition';
import { DEFAULT_STAGE_NAME, HTTP_API_KEY, apiGatewayErrors, apiIdOf, requireApiId } from './support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const API_STAGE_KEY = RESOURCE_KEYS.apiStage;
const KEY = API_STAGE_KEY;

/** What the stage's verbs keep in `extra`: the API it lives in, and its name. */
export interface ApiStageExtra {
  apiId: string;
  stageName?: string;
}
const TYPE = 'AWS::ApiGatewayV2::Stage';

export const apiStageErrors = apiGatewayErrors();

type Stage = Pick<GetStageResponse, 'StageName' | 'AutoDeploy' | 'Tags'>;

function observe(stage: Stage, apiId: string, ctx: ResourceContext): ObservedResource<ApiStageExtra> {
  const tags = { ...(stage.Tags ?? {}) };
  return {
    key: KEY,
    type: TYPE,
    id: `${apiId}/${stage.StageName}`,
    arn: arnOf(ctx.region, 'apigateway', `/apis/${apiId}/stages/${stage.StageName}`),
    tags,
    attributes: { stageName: stage.StageName, autoDeploy: stage.AutoDeploy ?? false },
    ready: true,
    foreign: !isOwnedBy(tags, ctx.spec.stack),
    extra: { apiId, stageName: stage.StageName },
  };
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiStageExtra> | undefined> {
  const apiId = apiIdOf(ctx.refs);
  if (!apiId) return undefined;
  const stage = await orUndefinedIfGone(
    () => ctx.clients.apigatewayv2.send(new GetStageCommand({ ApiId: apiId, StageName: DEFAULT_STAGE_NAME })),
    apiStageErrors,
  );
  return stage?.StageName ? observe(stage, apiId, ctx) : undefined;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<ApiStageExtra>> {
  const apiId = requireApiId(ctx.refs, KEY);
  const tags = { ...ownershipTags(ctx.spec.stack, KEY) };
  const stage = await ctx.clients.apigatewayv2.send(
    new CreateStageCommand({ ApiId: apiId, StageName: DEFAULT_STAGE_NAME, AutoDeploy: true, Tags: tags }),
  );
  return observe({ ...stage, StageName: stage.StageName ?? DEFAULT_STAGE_NAME, Tags: tags }, apiId, ctx);
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<ApiStageExtra>,
): Promise<ObservedResource<ApiStageExtra>> {
  assertOwned(current, 'updating');
  const apiId = requireApiId(ctx.refs, KEY);
  const stage = await ctx.clients.apigatewayv2.send(
    new UpdateStageCommand({ ApiId: apiId, StageName: DEFAULT_STAGE_NAME, AutoDeploy: true }),
  );
  return observe(
    { ...stage, StageName: stage.StageName ?? DEFAULT_STAGE_NAME, Tags: current.tags },
    apiId,
    ctx,
  );
}

async function remove(ctx: ResourceContext, current: ObservedResource<ApiStageExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  const apiId = current.extra?.apiId ?? apiIdOf(ctx.refs);
  if (!apiId) return;
  await deleteIgnoringGone(
    () =>
      ctx.clients.apigatewayv2.send(new DeleteStageCommand({ ApiId: apiId, StageName: DEFAULT_STAGE_NAME })),
    apiStageErrors,
  );
}

/**
 * @example
 * apiStageResource.desiredAttributes(spec, refs); // { stageName: '$default', autoDeploy: true }
 */
export const apiStageResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'tagged',
  tier: 'lambda',
  dependsOn: [HTTP_API_KEY],
  errors: apiStageErrors,
  immutable: ['stageName'],
  neededBy: () => true,
  desiredAttributes: () => ({ stageName: DEFAULT_STAGE_NAME, autoDeploy: true }),
  find,
  create,
  update,
  delete: remove,
};
