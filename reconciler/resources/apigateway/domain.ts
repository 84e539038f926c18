/**
 * The regional custom domain name for `dns.recordName`, on `dns.certificateArn`. API Gateway can't serve
 * a custom domain without a certificate, so without one the kind is not wanted and the `lambda` record
 * points at the API's own execute-api endpoint instead (see dns-record.ts).
 *
 * `extra` carries what the alias record needs: API Gateway's regional domain name for it
 * (`d-….execute-api.<region>.amazonaws.com`) and the hosted zone of that name.
 */
import {
  CreateDomainNameCommand,
  DeleteDomainNameCommand,
  GetDomainNameCommand,
  UpdateDomainNameCommand,
  type DomainNameConfiguration,
} from '@aws-sdk/client-apigatewayv2';
import { isOwnedBy, nonceTags, ownershipTags, TAG_STACK, type DesiredState } from '../../../spec';
import { apiGatewayErrors } from './support';
import { DependencyNotThereError, sendOnceShown } from '../common/dependency-not-there';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource, StateWaiter, Waiters } from '../types';
import { RESOURCE_KEYS } from '../keys';

export const API_DOMAIN_KEY = RESOURCE_KEYS.apiDomain;
const KEY = API_DOMAIN_KEY;
const TYPE = 'AWS::ApiGatewayV2::DomainName';
/** Named explicitly so that AWS's default never shows up as drift. */
export const DOMAIN_SECURITY_POLICY = 'TLS_1_2';

export const apiDomainErrors = apiGatewayErrors();

/** What the mapping and the DNS record read from the domain's `extra`. */
export interface ApiDomainExtra {
  domainName: string;
  apiGatewayDomainName: string;
  hostedZoneId: string;
}

/** The custom domain is `dns.recordName` as API Gateway keeps it: lower case, without the root dot. */
export function customDomainName(spec: DesiredState): string | undefined {
  return spec.dns?.recordName.toLowerCase().replace(/\.$/, '');
}

export function wantsCustomDomain(spec: DesiredState): boolean {
  return !!spec.dns?.certificateArn;
}

function configuration(spec: DesiredState): DomainNameConfiguration {
  return {
    CertificateArn: spec.dns?.certificateArn,
    EndpointType: 'REGIONAL',
    SecurityPolicy: DOMAIN_SECURITY_POLICY,
  };
}

interface Domain {
  DomainName?: string;
  DomainNameConfigurations?: DomainNameConfiguration[];
  Tags?: Record<string, string>;
}

/**
 * API Gateway custom domain statuses (API Gateway v2 API reference, DomainNameConfiguration): the pending
 * ones don't serve. UPDATING counts as ready here, for what needs the domain to exist (its API mapping):
 * a domain the `lambda` record already aliases goes on serving while a certificate change is applied.
 * One it does not alias yet (just created) is not known to serve before AVAILABLE, so the record moves to
 * it only then (route53/domain-target.ts). An answer without a status is taken as serving.
 */
const DOMAIN_STATUS: StateWaiter = {
  pending: ['PENDING_CERTIFICATE_REIMPORT', 'PENDING_OWNERSHIP_VERIFICATION'],
  target: ['AVAILABLE', 'UPDATING'],
};
const WAITERS: Waiters = { ready: DOMAIN_STATUS };

function observe(domain: Domain, stack: string): ObservedResource<ApiDomainExtra> {
  const config = domain.DomainNameConfigurations?.[0] ?? {};
  const tags = { ...(domain.Tags ?? {}) };
  const status = config.DomainNameStatus;
  const extra: ApiDomainExtra = {
    domainName: domain.DomainName!,
    apiGatewayDomainName: config.ApiGatewayDomainName ?? '',
    hostedZoneId: config.HostedZoneId ?? '',
  };
  const ready = status === undefined || DOMAIN_STATUS.target.includes(status);
  return {
    key: KEY,
    type: TYPE,
    id: domain.DomainName!,
    state: status,
    tags,
    attributes: {
      domainName: domain.DomainName,
      endpointType: config.EndpointType,
      certificateArn: config.CertificateArn,
      securityPolicy: config.SecurityPolicy,
    },
    ready,
    notReadyReason: ready
      ? undefined
      : `custom domain ${status}: ${config.DomainNameStatusMessage ?? ''}`.trim(),
    foreign: !isOwnedBy(tags, stack),
    ...(isOwnedBy(tags, stack) ? {} : { conflict: whoseDomain(domain.DomainName!, tags) }),
    extra,
  };
}

/** What is in the way when the custom domain name exists and is not this stack's: names are global per region. */
function whoseDomain(name: string, tags: Record<string, string>): string {
  const owner = tags[TAG_STACK];
  return owner
    ? `the custom domain name ${name} is taken by stack ${owner} (its ${TAG_STACK} tag)`
    : `the custom domain name ${name} exists without this stack's ${TAG_STACK} tag`;
}

function requireDomainName(spec: DesiredState): string {
  const name = customDomainName(spec);
  if (!name) throw new Error(`${KEY} needs dns.recordName in the spec`);
  return name;
}

async function find(ctx: ResourceContext): Promise<ObservedResource<ApiDomainExtra> | undefined> {
  const name = customDomainName(ctx.spec);
  // Without `dns` there is no name to look for; a domain left from an earlier spec is reported by status.
  if (!name) return undefined;
  const domain = await orUndefinedIfGone(
    () => ctx.clients.apigatewayv2.send(new GetDomainNameCommand({ DomainName: name })),
    apiDomainErrors,
  );
  return domain?.DomainName ? observe(domain, ctx.spec.stack) : undefined;
}

async function create(ctx: ResourceContext): Promise<ObservedResource<ApiDomainExtra>> {
  const tags = { ...ownershipTags(ctx.spec.stack, KEY), ...nonceTags(ctx.nonce) };
  const domain = await ctx.clients.apigatewayv2.send(
    new CreateDomainNameCommand({
      DomainName: requireDomainName(ctx.spec),
      DomainNameConfigurations: [configuration(ctx.spec)],
      Tags: tags,
    }),
  );
  if (!domain.DomainName) throw new Error(`CreateDomainName returned no domain name for ${KEY}`);
  return observe({ ...domain, Tags: tags }, ctx.spec.stack);
}

/**
 * "If the status is UPDATING, the domain cannot be modified further until the existing operation is
 * complete" (DomainNameConfiguration): UpdateDomainName then answers ConflictException "There is already an
 * update in progress" (docs/aws-facts.md, "API Gateway custom domain status"). A spec edited again while
 * the last change is applied is an ordinary edit, not a failure: the step waits for the domain, as for a
 * dependency not there, with no warning, and sends nothing that would be refused (each call spends
 * UpdateDomainName's one call per 30 s).
 */
const UPDATE_IN_PROGRESS = { code: 'ConflictException', message: /update in progress/i };

function stillUpdating(name: string, awsMessage?: string): string {
  const why = `${KEY} ${name} is UPDATING: API Gateway changes it no further until its last change is applied`;
  return awsMessage === undefined ? why : `${why} (${awsMessage})`;
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<ApiDomainExtra>,
): Promise<ObservedResource<ApiDomainExtra>> {
  assertOwned(current, 'updating');
  if (current.state === 'UPDATING') throw new DependencyNotThereError(KEY, stillUpdating(current.id));
  const domain = await sendOnceShown(
    KEY,
    UPDATE_IN_PROGRESS,
    (message) => stillUpdating(current.id, message),
    () =>
      ctx.clients.apigatewayv2.send(
        new UpdateDomainNameCommand({
          DomainName: current.id,
          DomainNameConfigurations: [configuration(ctx.spec)],
        }),
      ),
  );
  return domain.DomainName ? observe({ ...domain, Tags: current.tags }, ctx.spec.stack) : current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<ApiDomainExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  // Also removes its API mappings.
  await deleteIgnoringGone(
    () => ctx.clients.apigatewayv2.send(new DeleteDomainNameCommand({ DomainName: current.id })),
    apiDomainErrors,
  );
}

/**
 * @example
 * apiDomainResource.neededBy(spec); // true only with spec.dns.certificateArn
 */
export const apiDomainResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'apigatewayv2',
  steadyCheck: 'tagged',
  creates: 'name',
  tier: 'lambda',
  dependsOn: [],
  waiters: WAITERS,
  errors: apiDomainErrors,
  immutable: ['domainName', 'endpointType'],
  neededBy: wantsCustomDomain,
  desiredAttributes: (spec) => ({
    domainName: customDomainName(spec),
    endpointType: 'REGIONAL',
    certificateArn: spec.dns?.certificateArn,
    securityPolicy: DOMAIN_SECURITY_POLICY,
  }),
  find,
  create,
  update,
  delete: remove,
};
