/**
 * What the HTTP API kinds share: the API's `extra` (its id and endpoints) that integrations, routes,
 * stages, mappings, the permission and the DNS record read; API Gateway's error codes; and the
 * ownership rule for resources API Gateway can't tag (integrations, routes): they are ours when they
 * live in an API that is ours.
 */
import { dnsSuffixOf } from '../../aws/partition';
import type { ErrorCodes, ObservedResource, ResourceContext } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const HTTP_API_KEY = RESOURCE_KEYS.httpApi;
/** The route and stage LambdaFlex uses: every request goes to the one integration, served at the root. */
export const DEFAULT_ROUTE_KEY = '$default';
export const DEFAULT_STAGE_NAME = '$default';

/** What dependents read from the HTTP API's `extra`. */
export interface HttpApiExtra {
  apiId: string;
  /** `https://<apiId>.execute-api.<region>.amazonaws.com`, as API Gateway reports it. */
  apiEndpoint: string;
  /** `<apiId>.execute-api.<region>.amazonaws.com`: the alias target when there is no custom domain. */
  regionalDomainName: string;
}

/** The API's id, or undefined while the API has not been observed (a finder then finds nothing under it). */
export function apiIdOf(refs: ResourceContext['refs']): string | undefined {
  return refs[HTTP_API_KEY]?.extra?.apiId;
}

export function requireApiId(refs: ResourceContext['refs'], forKind: string): string {
  const apiId = apiIdOf(refs);
  if (!apiId) throw new Error(`${forKind} needs ${HTTP_API_KEY}, which has not been observed or created yet`);
  return apiId;
}

export function regionalDomainName(apiId: string, region: string): string {
  return `${apiId}.execute-api.${region}.${dnsSuffixOf(region)}`;
}

/**
 * API Gateway v2's codes. NotFoundException also answers for a parent that is gone (the API of an
 * integration), which for a child means gone too. ConflictException (an integration still used by a route,
 * a name taken by a create that a dead pass made) clears on a later pass.
 */
export function apiGatewayErrors(extra: Partial<ErrorCodes> = {}): ErrorCodes {
  return {
    notFound: ['NotFoundException', ...(extra.notFound ?? [])],
    retryable: ['ConflictException', 'TooManyRequestsException', ...(extra.retryable ?? [])],
    terminal: ['BadRequestException', 'AccessDeniedException', ...(extra.terminal ?? [])],
    ...(extra.retryableWhen ? { retryableWhen: extra.retryableWhen } : {}),
  };
}

/** Untaggable children (integrations, routes) share the API's ownership: a foreign API makes them foreign. */
export function inheritedOwnership(
  refs: ResourceContext['refs'],
): Pick<ObservedResource, 'tags' | 'foreign'> {
  const api = refs[HTTP_API_KEY];
  return { tags: { ...(api?.tags ?? {}) }, foreign: api?.foreign ?? false };
}

/** Runs a paged API Gateway v2 list (NextToken) to the end. */
export async function allPages<T>(
  page: (nextToken: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const answer = await page(token);
    items.push(...(answer.Items ?? []));
    token = answer.NextToken;
  } while (token);
  return items;
}
