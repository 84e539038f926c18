/** HTTP APIs and their integrations, routes and stages. */
import { paginate } from '../../core/pagination';
import type { Operation } from '../../core/service';
import {
  badRequest,
  conflict,
  findApi,
  maxResults,
  newApiGatewayId,
  notFound,
  shownStage,
  type Ctx,
} from './find';
import type { Apigatewayv2State, HttpApiRecord } from './state';
import { apiView, integrationView, routeView, stageView } from './view';

type Op = Operation<Apigatewayv2State>;

/** A route's target must name an integration of its API: `integrations/<id>`. */
function checkTarget(ctx: Ctx, api: HttpApiRecord, target: unknown): void {
  const integrationId = /^integrations\/(.+)$/.exec(String(target))?.[1];
  if (!integrationId || !api.integrations[integrationId]) badRequest(ctx, `Invalid target ${String(target)}`);
}

const createApi: Op = {
  mutating: true,
  // docs/aws-facts.md: API Gateway control plane, CreateRestApi 1 per 3 s; applied to CreateApi.
  bucket: 'createApi',
  required: ['Name', 'ProtocolType'],
  handle: (input, ctx) => {
    if (input.ProtocolType !== 'HTTP' && input.ProtocolType !== 'WEBSOCKET') {
      badRequest(ctx, `Invalid protocol type: ${String(input.ProtocolType)}`);
    }
    const api: HttpApiRecord = {
      id: newApiGatewayId(ctx, 10),
      name: String(input.Name),
      protocolType: input.ProtocolType,
      ...(input.Description === undefined ? {} : { description: String(input.Description) }),
      createdAt: ctx.now,
      tags: { ...(input.Tags ?? {}) },
      integrations: {},
      routes: {},
      stages: {},
    };
    ctx.state.apis[api.id] = api;
    return apiView(ctx.account, api);
  },
};

export const apiOperations: Record<string, Op> = {
  CreateApi: createApi,
  GetApi: {
    mutating: false,
    required: ['ApiId'],
    handle: (input, ctx) => apiView(ctx.account, findApi(ctx, input.ApiId)),
  },
  GetApis: {
    mutating: false,
    handle: (input, ctx) => {
      const all = Object.values(ctx.state.apis).sort(
        (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
      );
      const page = paginate(all, input.NextToken, maxResults(input), 25);
      return { Items: page.items.map((api) => apiView(ctx.account, api)), NextToken: page.nextToken };
    },
  },
  UpdateApi: {
    mutating: true,
    required: ['ApiId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      if (input.Name !== undefined) api.name = String(input.Name);
      if (input.Description !== undefined) api.description = String(input.Description);
      return apiView(ctx.account, api);
    },
  },
  DeleteApi: {
    mutating: true,
    // docs/aws-facts.md: DeleteRestApi 1 per 30 s; applied to DeleteApi.
    bucket: 'deleteApi',
    required: ['ApiId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const mapped = Object.values(ctx.state.domainNames).some((d) =>
        Object.values(d.mappings).some((m) => m.apiId === api.id),
      );
      if (mapped) {
        // cloud-nuke #370 quotes AWS's answer word for word.
        badRequest(
          ctx,
          `Deleting API ${api.id} failed. Please remove all API mappings for the API from your custom domain names.`,
        );
      }
      delete ctx.state.apis[api.id];
    },
  },
  CreateIntegration: {
    mutating: true,
    required: ['ApiId', 'IntegrationType'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      if (input.IntegrationType === 'AWS_PROXY' && api.protocolType === 'HTTP') {
        if (input.PayloadFormatVersion !== '1.0' && input.PayloadFormatVersion !== '2.0') {
          badRequest(ctx, 'PayloadFormatVersion must be 1.0 or 2.0 for AWS_PROXY integrations of HTTP APIs');
        }
        if (!input.IntegrationUri) badRequest(ctx, 'IntegrationUri is required for AWS_PROXY integrations');
      }
      const integration = {
        id: newApiGatewayId(ctx, 7),
        type: String(input.IntegrationType),
        ...(input.IntegrationUri === undefined ? {} : { uri: String(input.IntegrationUri) }),
        ...(input.IntegrationMethod === undefined ? {} : { method: String(input.IntegrationMethod) }),
        payloadFormatVersion: String(input.PayloadFormatVersion ?? '1.0'),
        timeoutMs: Number(input.TimeoutInMillis ?? 30_000),
      };
      api.integrations[integration.id] = integration;
      return integrationView(integration);
    },
  },
  UpdateIntegration: {
    mutating: true,
    required: ['ApiId', 'IntegrationId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const integration = api.integrations[String(input.IntegrationId)];
      if (!integration) notFound(ctx, 'Invalid Integration identifier specified');
      const type = String(input.IntegrationType ?? integration.type);
      const payload = String(input.PayloadFormatVersion ?? integration.payloadFormatVersion);
      if (type === 'AWS_PROXY' && api.protocolType === 'HTTP' && payload !== '1.0' && payload !== '2.0') {
        badRequest(ctx, 'PayloadFormatVersion must be 1.0 or 2.0 for AWS_PROXY integrations of HTTP APIs');
      }
      Object.assign(integration, {
        type,
        payloadFormatVersion: payload,
        ...(input.IntegrationUri === undefined ? {} : { uri: String(input.IntegrationUri) }),
        ...(input.IntegrationMethod === undefined ? {} : { method: String(input.IntegrationMethod) }),
        ...(input.TimeoutInMillis === undefined ? {} : { timeoutMs: Number(input.TimeoutInMillis) }),
      });
      return integrationView(integration);
    },
  },
  GetIntegrations: {
    mutating: false,
    required: ['ApiId'],
    handle: (input, ctx) => {
      const page = paginate(
        Object.values(findApi(ctx, input.ApiId).integrations),
        input.NextToken,
        maxResults(input),
        25,
      );
      return { Items: page.items.map(integrationView), NextToken: page.nextToken };
    },
  },
  DeleteIntegration: {
    mutating: true,
    required: ['ApiId', 'IntegrationId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const id = String(input.IntegrationId);
      if (!api.integrations[id]) notFound(ctx, 'Invalid Integration identifier specified');
      const users = Object.values(api.routes).filter((r) => r.target === `integrations/${id}`);
      if (users.length > 0) {
        // The message AWS gives (milliHQ/terraform-aws-next-js #247).
        conflict(
          ctx,
          `Cannot delete Integration because it is referenced by the following Routes with Ids: [${users.map((r) => r.id).join(', ')}]`,
        );
      }
      delete api.integrations[id];
    },
  },
  CreateRoute: {
    mutating: true,
    required: ['ApiId', 'RouteKey'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const routeKey = String(input.RouteKey);
      if (Object.values(api.routes).some((r) => r.routeKey === routeKey)) {
        conflict(ctx, `Unable to create Route: a Route with RouteKey '${routeKey}' already exists`);
      }
      if (input.Target !== undefined) checkTarget(ctx, api, input.Target);
      const route = {
        id: newApiGatewayId(ctx, 7),
        routeKey,
        ...(input.Target === undefined ? {} : { target: String(input.Target) }),
      };
      api.routes[route.id] = route;
      return routeView(route);
    },
  },
  UpdateRoute: {
    mutating: true,
    required: ['ApiId', 'RouteId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const route = api.routes[String(input.RouteId)];
      if (!route) notFound(ctx, 'Invalid Route identifier specified');
      // Checked before written, as CreateRoute checks them: a refused update changes nothing.
      const routeKey = input.RouteKey === undefined ? route.routeKey : String(input.RouteKey);
      if (Object.values(api.routes).some((r) => r.id !== route.id && r.routeKey === routeKey)) {
        conflict(ctx, `Unable to update Route: a Route with RouteKey '${routeKey}' already exists`);
      }
      if (input.Target !== undefined) checkTarget(ctx, api, input.Target);
      route.routeKey = routeKey;
      if (input.Target !== undefined) route.target = String(input.Target);
      return routeView(route);
    },
  },
  GetRoutes: {
    mutating: false,
    required: ['ApiId'],
    handle: (input, ctx) => {
      const page = paginate(
        Object.values(findApi(ctx, input.ApiId).routes),
        input.NextToken,
        maxResults(input),
        25,
      );
      return { Items: page.items.map(routeView), NextToken: page.nextToken };
    },
  },
  DeleteRoute: {
    mutating: true,
    required: ['ApiId', 'RouteId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      if (!api.routes[String(input.RouteId)]) notFound(ctx, 'Invalid Route identifier specified');
      delete api.routes[String(input.RouteId)];
    },
  },
  CreateStage: {
    mutating: true,
    required: ['ApiId', 'StageName'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const name = String(input.StageName);
      if (api.stages[name]) conflict(ctx, `Stage already exists: ${name}`);
      const stage = {
        name,
        autoDeploy: Boolean(input.AutoDeploy),
        createdAt: ctx.now,
        updatedAt: ctx.now,
        tags: { ...(input.Tags ?? {}) },
      };
      api.stages[name] = stage;
      return stageView(stage);
    },
  },
  GetStages: {
    mutating: false,
    required: ['ApiId'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      const page = paginate(
        Object.values(api.stages).filter((stage) => shownStage(ctx, api, stage.name)),
        input.NextToken,
        maxResults(input),
        25,
      );
      return { Items: page.items.map(stageView), NextToken: page.nextToken };
    },
  },
  GetStage: {
    mutating: false,
    required: ['ApiId', 'StageName'],
    handle: (input, ctx) => {
      const stage = shownStage(ctx, findApi(ctx, input.ApiId), input.StageName);
      return stage ? stageView(stage) : notFound(ctx, 'Invalid stage identifier specified');
    },
  },
  UpdateStage: {
    mutating: true,
    required: ['ApiId', 'StageName'],
    handle: (input, ctx) => {
      // A mutating call: it finds a stage the reads do not show yet (find.ts, shownStage).
      const stage = findApi(ctx, input.ApiId).stages[String(input.StageName)];
      if (!stage) notFound(ctx, 'Invalid stage identifier specified');
      if (input.AutoDeploy !== undefined) stage.autoDeploy = Boolean(input.AutoDeploy);
      stage.updatedAt = ctx.now;
      return stageView(stage);
    },
  },
  DeleteStage: {
    mutating: true,
    required: ['ApiId', 'StageName'],
    handle: (input, ctx) => {
      const api = findApi(ctx, input.ApiId);
      if (!api.stages[String(input.StageName)]) notFound(ctx, 'Invalid stage identifier specified');
      delete api.stages[String(input.StageName)];
    },
  },
};
