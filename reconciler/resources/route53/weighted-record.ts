/**
 * One weighted alias A record as the kind wants it and as Route 53 takes it: SetIdentifier `lambda`
 * points at the HTTP API (its custom domain's ApiGatewayDomainName when the spec has a certificate,
 * otherwise the API's execute-api regional name in API Gateway's regional hosted zone), `fargate` at the
 * ALB. EvaluateTargetHealth is off: the traffic engine, not Route 53, decides where requests go. Pure.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { DesiredState, Tier } from '../../../spec';
import { API_GATEWAY_REGIONAL_ZONES } from '../../../aws-facts/api-gateway-zones';
import { wantsCustomDomain, API_DOMAIN_KEY } from '../apigateway/domain';
import { HTTP_API_KEY } from '../apigateway/support';
import { fqdn } from './dns-ownership';
import type { ResourceContext, TrafficWeights } from '../types';
import { RESOURCE_KEYS } from '../keys';

/** The CloudFormation-style type the record kinds report. */
export const RECORD_SET_TYPE = 'AWS::Route53::RecordSet';

export interface AliasTarget {
  dnsName: string | undefined;
  hostedZoneId: string | undefined;
  evaluateTargetHealth: false;
}

/** The record as `desiredAttributes` and `find` compare it: names lower case with the root dot, as Route 53 answers. */
export interface WeightedRecord extends Record<string, unknown> {
  name: string;
  type: 'A';
  setIdentifier: Tier;
  weight: number;
  aliasTarget: AliasTarget;
  /** Whether the name's ownership TXT names this stack; a remembered name without one gets it written. */
  ownershipRecord: 'present' | 'absent';
  /**
   * Wanted of the lambda record when the pass asks for the weights to be written again
   * (`Intent.rewriteWeights`); a record found never has it, so the plan writes the pair, and a record
   * written so says it.
   */
  rewritten?: true;
}

/** `<apiId>.execute-api.<region>.amazonaws.com` (`.com.cn` in China) → the region. */
function regionOfExecuteApi(domain: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\.?$/.exec(domain)?.[1];
}

function lambdaAlias(spec: DesiredState, refs: ResourceContext['refs']): AliasTarget {
  if (wantsCustomDomain(spec)) {
    const domain = refs[API_DOMAIN_KEY]?.extra;
    return {
      dnsName: domain?.apiGatewayDomainName ? fqdn(domain.apiGatewayDomainName) : undefined,
      hostedZoneId: domain?.hostedZoneId || undefined,
      evaluateTargetHealth: false,
    };
  }
  const regional = refs[HTTP_API_KEY]?.extra?.regionalDomainName;
  const region = regional ? regionOfExecuteApi(regional) : undefined;
  return {
    dnsName: regional ? fqdn(regional) : undefined,
    hostedZoneId: region ? API_GATEWAY_REGIONAL_ZONES[region] : undefined,
    evaluateTargetHealth: false,
  };
}

function fargateAlias(refs: ResourceContext['refs']): AliasTarget {
  // An ALB with the stack's name that is not the stack's is never a target of its record (safety rule 3).
  const alb = refs[RESOURCE_KEYS.loadBalancer]?.foreign ? undefined : refs[RESOURCE_KEYS.loadBalancer]?.extra;
  return {
    dnsName: alb?.dnsName ? fqdn(alb.dnsName) : undefined,
    hostedZoneId: alb?.canonicalHostedZoneId || undefined,
    evaluateTargetHealth: false,
  };
}

/**
 * The record for `tier` under the given weights; its alias target is undefined while the target is unknown.
 * Exported so that a traffic step can put both records in one transactional batch.
 */
export function weightedRecord(
  tier: Tier,
  spec: DesiredState,
  refs: ResourceContext['refs'],
  weights: TrafficWeights,
): WeightedRecord | undefined {
  if (!spec.dns) return undefined;
  return {
    name: fqdn(spec.dns.recordName),
    type: 'A',
    setIdentifier: tier,
    weight: weights[tier],
    aliasTarget: tier === 'lambda' ? lambdaAlias(spec, refs) : fargateAlias(refs),
    ownershipRecord: 'present',
  };
}

class UnknownAliasTargetError extends Error {
  override readonly name = 'UnknownApiGatewayZone';
  /** A client-side mistake for classify(): terminal until the spec (or region) changes. */
  readonly $fault = 'client';
}

/** Whether Route 53 can be given the record: its alias target is known. */
export function hasAliasTarget(record: WeightedRecord): boolean {
  return !!record.aliasTarget.dnsName && !!record.aliasTarget.hostedZoneId;
}

/** The record as Route 53 takes it; throws when the alias target is not known yet. */
export function toRecordSet(record: WeightedRecord): ResourceRecordSet {
  const { dnsName, hostedZoneId } = record.aliasTarget;
  if (!dnsName || !hostedZoneId) {
    throw new UnknownAliasTargetError(
      `the ${record.setIdentifier} record ${record.name} has no alias target yet (DNS name ${dnsName ?? 'unknown'}, ` +
        `hosted zone ${hostedZoneId ?? 'unknown: no API Gateway zone known for this region'})`,
    );
  }
  return {
    Name: record.name,
    Type: 'A',
    SetIdentifier: record.setIdentifier,
    Weight: record.weight,
    AliasTarget: { DNSName: dnsName, HostedZoneId: hostedZoneId, EvaluateTargetHealth: false },
  };
}

export function fromRecordSet(set: ResourceRecordSet, tier: Tier, owned: boolean): WeightedRecord {
  return {
    name: fqdn(set.Name ?? ''),
    type: 'A',
    setIdentifier: tier,
    weight: set.Weight ?? 0,
    aliasTarget: {
      dnsName: set.AliasTarget?.DNSName ? fqdn(set.AliasTarget.DNSName) : undefined,
      hostedZoneId: set.AliasTarget?.HostedZoneId,
      evaluateTargetHealth: false,
    },
    ownershipRecord: owned ? 'present' : 'absent',
  };
}

export function sameRecord(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return (
    (a.Weight ?? 0) === (b.Weight ?? 0) &&
    fqdn(a.AliasTarget?.DNSName ?? '') === fqdn(b.AliasTarget?.DNSName ?? '') &&
    a.AliasTarget?.HostedZoneId === b.AliasTarget?.HostedZoneId
  );
}
