/**
 * When the `lambda` record may alias the API Gateway custom domain: a domain the record already aliases
 * serves, UPDATING or not (a certificate rotated: the configuration before the change serves while it is
 * applied, so the stack is not stalled for it); one it does not alias yet is moved to only once it is
 * AVAILABLE. AWS calls DomainNameStatus "the status of the domain name migration", promises no time for
 * a new domain to serve, and its own procedure for a new endpoint points DNS at it only once it is
 * provisioned (docs/aws-facts.md, "API Gateway custom domain status"). Sent there earlier, clients would
 * reach a name API Gateway may not answer yet.
 *
 * Until then the record keeps the target Route 53 holds (the weights still move: a rollback is never
 * held behind the domain), and a record not there yet waits for the domain (weight 0 excepted: it sends
 * no lookups there while another record of the pair has weight).
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { API_DOMAIN_KEY, wantsCustomDomain } from '../apigateway/domain';
import { DependencyNotThereError } from '../common/dependency-not-there';
import type { ResourceContext } from '../types';
import { fqdn } from './dns-ownership';
import type { WeightedRecord } from './weighted-record';

/** The domain statuses in which it is known to serve a name it was not serving before. */
const SERVES_NEW: readonly (string | undefined)[] = ['AVAILABLE', undefined];

/**
 * The `lambda` record as this pass may write it, given the record Route 53 holds (`held`); throws
 * DependencyNotThereError (the step waits, with no warning) when it can be written nowhere yet.
 * `othersWeigh`: another record of the pair carries weight, so a `lambda` weight of 0 sends no lookups.
 */
export function lambdaRecordToWrite(
  ctx: ResourceContext,
  wanted: WeightedRecord,
  held: ResourceRecordSet | undefined,
  othersWeigh: boolean,
): { record: WeightedRecord; heldBack: boolean } {
  const domain = ctx.refs[API_DOMAIN_KEY];
  if (!wantsCustomDomain(ctx.spec) || !domain || SERVES_NEW.includes(domain.state)) {
    return { record: wanted, heldBack: false };
  }
  const alias = held?.AliasTarget;
  const target = wanted.aliasTarget.dnsName;
  if (target && alias?.DNSName && fqdn(alias.DNSName) === fqdn(target)) {
    return { record: wanted, heldBack: false };
  }
  if (alias?.DNSName && alias.HostedZoneId) {
    // The lambda record never evaluates target health (weighted-record.ts).
    const aliasTarget = {
      dnsName: alias.DNSName,
      hostedZoneId: alias.HostedZoneId,
      evaluateTargetHealth: false as const,
    };
    return { record: { ...wanted, aliasTarget }, heldBack: true };
  }
  if (wanted.weight === 0 && othersWeigh) return { record: wanted, heldBack: false };
  throw new DependencyNotThereError(API_DOMAIN_KEY, notServingYet(domain.id, domain.state));
}

/** Why the record waits for the domain, in words. */
export function notServingYet(name: string, state: string | undefined): string {
  return `custom domain ${name} is ${state}: the lambda record moves to it once it is AVAILABLE (a new domain is not known to serve before)`;
}
