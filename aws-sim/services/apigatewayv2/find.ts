/** Look-ups that answer NotFoundException as API Gateway does. */
import type { OperationContext } from '../../core/service';
import type { Apigatewayv2State, DomainNameRecord, HttpApiRecord } from './state';

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
