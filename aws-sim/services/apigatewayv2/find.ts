/** Look-ups that answer NotFoundException as API Gateway does. */
import type { OperationContext } from '../../core/service';
import type { Apigatewayv2State, DomainNameRecord, HttpApiRecord, StageRecord } from './state';

export type Ctx = OperationContext<Apigatewayv2State>;

export function notFound(ctx: Ctx, message: string): never {
  return ctx.fail('NotFoundException', message, { httpStatusCode: 404 });
}

export function conflict(ctx: Ctx, message: string): never {
  return ctx.fail('ConflictException', message, { httpStatusCode: 409 });
}

export function badRequest(ctx: Ctx, message: string): never {
  return ctx.fail('BadRequestException', message, { httpStatusCode: 400 });
}

export function findApi(ctx: Ctx, apiId: unknown): HttpApiRecord {
  const api = ctx.state.apis[String(apiId)];
  return api ?? notFound(ctx, 'Invalid API identifier specified');
}

export function findDomainName(ctx: Ctx, name: unknown): DomainNameRecord {
  const domain = ctx.state.domainNames[String(name).toLowerCase()];
  return domain ?? notFound(ctx, 'Invalid domain name identifier specified');
}

/** API Gateway ids: 10 lower-case characters for APIs, 7 for integrations and routes, 6 for mappings. */
export function newApiGatewayId(ctx: Ctx, length: number): string {
  return ctx.account.newId('', length);
}

export function maxResults(input: Record<string, unknown>): number | undefined {
  return input.MaxResults === undefined ? undefined : Number(input.MaxResults);
}

/**
 * The stage `name` of `api` as API Gateway shows it, or undefined. A stage made less than the account's
 * consistency delay ago (`SimAccount.isVisible`, the model EC2's reads follow) is not shown yet: users
 * report CreateApiMapping answering "Invalid stage identifier specified" for a stage made a moment
 * before (docs/aws-facts.md, "API mapping to a stage"), and AWS promises no read-after-create for API
 * Gateway. It exists all the same: CreateStage of its name is refused (ConflictException), and the
 * calls that change or delete it find it, as EC2's mutating calls find what its Describe calls do not.
 */
export function shownStage(ctx: Ctx, api: HttpApiRecord, name: unknown): StageRecord | undefined {
  const stage = api.stages[String(name)];
  return stage && ctx.account.isVisible(stage.createdAt) ? stage : undefined;
}
