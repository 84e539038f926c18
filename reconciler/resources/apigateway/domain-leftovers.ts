/**
 * The stack's custom domain names that its spec no longer wants: `dns` removed, or `dns.recordName`
 * renamed (a domain name can't be renamed: the new one is created by domain.ts and this one goes).
 * Domains are tagged, so they are found by the stack's ownership tags among the account's domain names;
 * but tags can be copied, and another installation's stack of the same name (another team's table) tags
 * its domains alike: a tagged domain is the stack's only when the stack wrote its DNS records at that name
 * (`bookkeeping.dnsNames`, remembered before the first write) or recorded it as its custom domain
 * (docs/ownership.md, safety rule 3). Anything else is left alone.
 * One resource stands for them all; it is never wanted, so the plan deletes it, before the API it maps to:
 * each domain's API mappings first, then the domain (API Gateway refuses to delete an API that a mapping
 * still names: "Please remove all API mappings for the API from your custom domain names").
 *
 * The domain of the spec's own name, wanted or not, is the `api-domain` kind's.
 */
import {
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  GetApiMappingsCommand,
  GetDomainNamesCommand,
  type DomainName,
} from '@aws-sdk/client-apigatewayv2';
import { isOwnedBy, TAG_COMPONENT } from '../../../spec';
import { allPages, apiGatewayErrors, HTTP_API_KEY } from './support';
import { API_DOMAIN_KEY, customDomainName } from './domain';
import { API_STAGE_KEY } from './stage';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';
import { fqdn } from '../route53/dns-ownership';

export const API_DOMAIN_LEFTOVERS_KEY = RESOURCE_KEYS.apiDomainLeftovers;
const TYPE = 'AWS::ApiGatewayV2::DomainName';
const errors = apiGatewayErrors();

function isLeftover(domain: DomainName, ctx: ResourceContext): boolean {
  const tags = domain.Tags ?? {};
  return (
    !!domain.DomainName &&
    isOwnedBy(tags, ctx.spec.stack) &&
    tags[TAG_COMPONENT] === API_DOMAIN_KEY &&
    domain.DomainName !== customDomainName(ctx.spec) &&
    isProvenTheStacks(domain.DomainName, tags, ctx)
  );
}

/**
 * The stack's own records prove a domain name its: it wrote DNS records at the name (the custom domain is
 * `dns.recordName`), or it recorded the domain as the one in use. Without ownership records (a unit test
 * of the kind alone) the tags are taken at their word.
 */
function isProvenTheStacks(name: string, tags: Record<string, string>, ctx: ResourceContext): boolean {
  if (!ctx.ownership) return true;
  if (ctx.ownership.isRecorded(API_DOMAIN_KEY, name, tags)) return true;
  return ctx.intent.dnsNames.some((written) => written.recordName === fqdn(name));
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiDomainLeftoversExtra> | undefined> {
  const all = await allPages((token) =>
    ctx.clients.apigatewayv2.send(new GetDomainNamesCommand({ NextToken: token })),
  );
  const names = all
    .filter((d) => isLeftover(d, ctx))
    .map((d) => d.DomainName!)
    .sort();
  if (names.length === 0) return undefined;
  return {
    key: API_DOMAIN_LEFTOVERS_KEY,
    type: TYPE,
    id: names.join(','),
    tags: {},
    attributes: { domainNames: names },
    ready: true,
    foreign: false,
    extra: { domainNames: names } satisfies ApiDomainLeftoversExtra,
  };
}

/** What `find` keeps in `extra` for `delete`: the domain names to remove. */
export interface ApiDomainLeftoversExtra {
  domainNames: string[];
}

async function remove(
  ctx: ResourceContext,
  current: ObservedResource<ApiDomainLeftoversExtra>,
): Promise<void> {
  const names = current.extra?.domainNames ?? [];
  for (const domainName of names) {
    const mappings = await orUndefinedIfGone(
      () =>
        allPages((token) =>
          ctx.clients.apigatewayv2.send(
            new GetApiMappingsCommand({ DomainName: domainName, NextToken: token }),
          ),
        ),
      errors,
    );
    // No domain any more: nothing to delete.
    if (mappings === undefined) continue;
    for (const mapping of mappings) {
      if (!mapping.ApiMappingId) continue;
      await deleteIgnoringGone(
        () =>
          ctx.clients.apigatewayv2.send(
            new DeleteApiMappingCommand({ DomainName: domainName, ApiMappingId: mapping.ApiMappingId }),
          ),
        errors,
      );
    }
    await deleteIgnoringGone(
      () => ctx.clients.apigatewayv2.send(new DeleteDomainNameCommand({ DomainName: domainName })),
      errors,
    );
  }
}

/**
 * @example
 * // spec renamed from api.example.com to api2.example.com:
 * await apiDomainLeftoversResource.find(ctx); // { attributes: { domainNames: ['api.example.com'] }, … }
 */
export const apiDomainLeftoversResource: StackResource<typeof API_DOMAIN_LEFTOVERS_KEY> = {
  key: API_DOMAIN_LEFTOVERS_KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'tagged',
  tier: 'lambda',
  // Deleted before the API and stage its mappings name.
  dependsOn: [HTTP_API_KEY, API_STAGE_KEY],
  errors,
  neededBy: () => false,
  desiredAttributes: () => ({}),
  find,
  create: () => Promise.reject(new Error(`${API_DOMAIN_LEFTOVERS_KEY} is never created`)),
  delete: remove,
};
