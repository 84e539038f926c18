/**
 * Every resource kind of a stack, in creation order: the Lambda tier (present while the stack exists,
 * safety rule 4) first, then the Fargate tier, whose weighted record comes last so that it is the first
 * thing deleted when the tier goes; then the records an earlier spec wrote at other names (never wanted,
 * deleted before the API, domain or ALB they may still point at).
 */
import { dnsLeftoversResource } from './route53/dns-leftovers';
import { dnsRecordResource } from './route53/dns-record';
import { FARGATE_TIER_RESOURCES } from './tiers/fargate-tier';
import { LAMBDA_TIER_RESOURCES } from './tiers/lambda-tier';
import type { StackResource } from './types';

export const ALL_RESOURCES: readonly StackResource[] = [
  ...LAMBDA_TIER_RESOURCES,
  ...FARGATE_TIER_RESOURCES,
  dnsRecordResource('fargate'),
  dnsLeftoversResource,
];

export { FARGATE_TIER_RESOURCES, LAMBDA_TIER_RESOURCES };
export type { ManagedResource, StackResource, ObservedResource, ResourceContext } from './types';
