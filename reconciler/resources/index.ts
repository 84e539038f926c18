/**
 * Every resource kind of a stack, in creation order: the Lambda tier (present while the stack exists,
 * safety rule 4) first, then the Fargate tier, whose weighted record comes last so that it is the first
 * thing deleted when the tier goes; then the records an earlier spec wrote at other names (never wanted,
 * deleted before the API, domain or ALB they may still point at).
 */
import { dnsLeftoversKind } from './route53/dns-leftovers';
import { dnsRecordKind } from './route53/dns-record';
import { FARGATE_TIER_KINDS } from './tiers/fargate-tier';
import { LAMBDA_TIER_KINDS } from './tiers/lambda-tier';
import type { StackKind } from './types';

export const ALL_KINDS: readonly StackKind[] = [
  ...LAMBDA_TIER_KINDS,
  ...FARGATE_TIER_KINDS,
  dnsRecordKind('fargate'),
  dnsLeftoversKind,
];

export { FARGATE_TIER_KINDS, LAMBDA_TIER_KINDS };
export type { ResourceKind, StackKind, ObservedResource, ResourceContext } from './types';
