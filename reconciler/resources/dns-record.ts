/**
 * The weighted alias A records that share `dns.recordName` between the tiers: SetIdentifier `lambda`
 * (the HTTP API) and `fargate` (the ALB), in the spec's hosted zone. Wanted only with `dns`.
 *
 * - Alias targets: the custom domain's ApiGatewayDomainName and HostedZoneId when the spec has a certificate
 *   (api-domain.ts); otherwise the API's execute-api regional name with API Gateway's regional hosted zone
 *   for the region (note that API Gateway answers such requests only for its own host name, so a real
 *   deployment wants the certificate); for Fargate, the ALB's DNSName and CanonicalHostedZoneId.
 *   EvaluateTargetHealth is off: the traffic engine, not Route 53, decides where requests go.
 * - Weights are the traffic engine's decision, read through traffic-weights.ts (default lambda 100 /
 *   fargate 0), so that the plan's diff sees a new weight as an update.
 * - Records can't be tagged. Ownership is the record's name and our SetIdentifier in the spec's zone, and a
 *   record set without our SetIdentifier is never touched: every change names ours, and UPSERT of a
 *   weighted record never replaces a record with another SetIdentifier.
 * - A change is ready when Route 53 reports it INSYNC. The ChangeId is kept in `extra`; `find` asks GetChange
 *   about it when the engine hands back the record's previous observation in `refs` (a wait step does).
 * - Delete repeats the current record exactly (Route 53 wants the exact values), read again just before.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { DesiredState, Tier } from '../../spec';
import { errorCode } from '../aws/classify';
import { apiDomainExtra, wantsCustomDomain, API_DOMAIN_KEY } from './api-domain';
import { HTTP_API_KEY, httpApiExtra } from './api-gateway-support';
import { API_STAGE_KEY } from './api-stage';
import { loadBalancerExtra } from './load-balancer';
import { orUndefinedIfGone } from './not-found';
import { weightsFromRefs, weightsOf } from './traffic-weights';
import type { ErrorCodes, ObservedResource, ResourceContext, ResourceKind, TrafficWeights } from './types';

const TYPE = 'AWS::Route53::RecordSet';
const API_MAPPING_KEY = 'api-mapping';
const ALB_KEY = 'alb';

/**
 * Route 53 hosted zones of API Gateway's regional endpoints (AWS General Reference, "Amazon API Gateway
 * endpoints and quotas"), for alias records to an execute-api name.
 */
export const API_GATEWAY_REGIONAL_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-northeast-3': 'Z2YQB5RD63NC85',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'sa-east-1': 'ZCMLWB8V5SYIT',
};

/** What LambdaFlex reads of a Route 53 change: its id and PENDING or INSYNC. */
interface ChangeInfo {
  Id?: string;
  Status?: string;
}

const GONE_ZONE: ErrorCodes = { notFound: ['NoSuchHostedZone'], retryable: [], terminal: [] };

export const dnsRecordErrors: ErrorCodes = {
  notFound: [],
  // One change at a time per zone; also among the codes every kind retries.
  retryable: ['PriorRequestNotComplete'],
  // A conflicting non-weighted record, a zone that does not exist, a target in another partition.
  terminal: ['InvalidChangeBatch', 'NoSuchHostedZone', 'InvalidInput', 'UnknownApiGatewayZone'],
};

export interface AliasTarget {
  dnsName: string | undefined;
  hostedZoneId: string | undefined;
  evaluateTargetHealth: false;
}

/** The record as `desired` and `find` compare it: names lower case with the root dot, as Route 53 answers. */
export interface WeightedRecord extends Record<string, unknown> {
  name: string;
  type: 'A';
  setIdentifier: Tier;
  weight: number;
  aliasTarget: AliasTarget;
}

export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** `<apiId>.execute-api.<region>.amazonaws.com` (`.com.cn` in China) → the region. */
function regionOfExecuteApi(domain: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\.?$/.exec(domain)?.[1];
}

function lambdaAlias(spec: DesiredState, refs: ResourceContext['refs']): AliasTarget {
  if (wantsCustomDomain(spec)) {
    const domain = apiDomainExtra(refs[API_DOMAIN_KEY]);
    return {
      dnsName: domain?.apiGatewayDomainName ? fqdn(domain.apiGatewayDomainName) : undefined,
      hostedZoneId: domain?.hostedZoneId || undefined,
      evaluateTargetHealth: false,
    };
  }
  const regional = httpApiExtra(refs[HTTP_API_KEY])?.regionalDomainName;
  const region = regional ? regionOfExecuteApi(regional) : undefined;
  return {
    dnsName: regional ? fqdn(regional) : undefined,
    hostedZoneId: region ? API_GATEWAY_REGIONAL_ZONES[region] : undefined,
    evaluateTargetHealth: false,
  };
}

function fargateAlias(refs: ResourceContext['refs']): AliasTarget {
  const alb = loadBalancerExtra(refs[ALB_KEY]);
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
  };
}

class UnknownAliasTargetError extends Error {
  override readonly name = 'UnknownApiGatewayZone';
  /** A client-side mistake for classify(): terminal until the spec (or region) changes. */
  readonly $fault = 'client';
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

function fromRecordSet(set: ResourceRecordSet, tier: Tier): WeightedRecord {
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
  };
}

/** Our record set in the zone, read page by page from its name (weighted sets share name and type). */
async function readRecordSet(
  route53: Route53Client,
  zoneId: string,
  name: string,
  tier: Tier,
): Promise<ResourceRecordSet | undefined> {
  let identifier: string | undefined;
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: name,
        StartRecordType: 'A',
        StartRecordIdentifier: identifier,
      }),
    );
    const sets = page.ResourceRecordSets ?? [];
    const ours = sets.find(
      (set) => fqdn(set.Name ?? '') === name && set.Type === 'A' && set.SetIdentifier === tier,
    );
    if (ours) return ours;
    // Sets come sorted by name then type: once past ours, or at the end, there is nothing more to see.
    const pastOurs = sets.some((set) => fqdn(set.Name ?? '') !== name || set.Type !== 'A');
    const more = page.IsTruncated && fqdn(page.NextRecordName ?? '') === name && page.NextRecordType === 'A';
    if (pastOurs || !more || !page.NextRecordIdentifier) return undefined;
    identifier = page.NextRecordIdentifier;
  }
}

interface DnsRecordExtra {
  hostedZoneId: string;
  /** The last change this kind made, until Route 53 reports it INSYNC. */
  changeId?: string;
  changeStatus?: string;
  /** The record set exactly as Route 53 holds it, for a DELETE that must repeat it. */
  recordSet: ResourceRecordSet;
}

function observe(
  key: string,
  tier: Tier,
  zoneId: string,
  set: ResourceRecordSet,
  change: ChangeInfo | undefined,
): ObservedResource {
  const record = fromRecordSet(set, tier);
  const pending = change?.Status === 'PENDING';
  const extra: DnsRecordExtra = {
    hostedZoneId: zoneId,
    ...(pending ? { changeId: change.Id, changeStatus: change.Status } : {}),
    recordSet: set,
  };
  return {
    key,
    type: TYPE,
    id: `${zoneId}/${record.name}/A/${tier}`,
    state: change?.Status ?? 'INSYNC',
    tags: {},
    attributes: record,
    ready: !pending,
    notReadyReason: pending ? `Route 53 change ${change.Id} is PENDING` : undefined,
    foreign: false,
    extra: extra as unknown as Record<string, unknown>,
  };
}

/** A change's status; a change Route 53 no longer knows (they expire) is long in sync. */
async function changeStatus(route53: Route53Client, changeId: string): Promise<ChangeInfo> {
  try {
    const answer = await route53.send(new GetChangeCommand({ Id: changeId }));
    return answer.ChangeInfo ?? { Id: changeId, Status: 'INSYNC' };
  } catch (error) {
    if (errorCode(error) === 'NoSuchChange') return { Id: changeId, Status: 'INSYNC' };
    throw error;
  }
}

async function submit(
  ctx: ResourceContext,
  zoneId: string,
  action: 'UPSERT' | 'DELETE',
  set: ResourceRecordSet,
): Promise<ChangeInfo | undefined> {
  const answer = await ctx.clients.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Comment: `LambdaFlex ${ctx.spec.stack}: ${action} ${set.SetIdentifier} weight ${set.Weight}`,
        Changes: [{ Action: action, ResourceRecordSet: set }],
      },
    }),
  );
  return answer.ChangeInfo;
}

function sameRecord(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return (
    (a.Weight ?? 0) === (b.Weight ?? 0) &&
    fqdn(a.AliasTarget?.DNSName ?? '') === fqdn(b.AliasTarget?.DNSName ?? '') &&
    a.AliasTarget?.HostedZoneId === b.AliasTarget?.HostedZoneId
  );
}

/** Route 53's answer to a DELETE of a record that is not there (any more). */
function isAlreadyDeleted(error: unknown): boolean {
  const message = (error as { message?: unknown }).message;
  return (
    errorCode(error) === 'InvalidChangeBatch' && typeof message === 'string' && /was not found/.test(message)
  );
}

/**
 * The DNS record kind of one tier.
 *
 * @example
 * dnsRecordKind('lambda').desired(spec, withTrafficWeights(refs, { lambda: 90, fargate: 10 })).weight; // 90
 */
export function dnsRecordKind(tier: Tier): ResourceKind {
  const key = `dns-${tier}`;

  function upsertInput(ctx: ResourceContext): { zoneId: string; set: ResourceRecordSet } {
    const record = weightedRecord(tier, ctx.spec, ctx.refs, weightsOf(ctx));
    if (!record || !ctx.spec.dns) throw new Error(`${key} needs dns in the spec`);
    return { zoneId: ctx.spec.dns.hostedZoneId, set: toRecordSet(record) };
  }

  /**
   * Writes this record and, when it exists or is due, the other tier's, in ONE transactional batch, so
   * that resolvers never see a half-moved pair of weights (e.g. lambda 50 with fargate still 10). What
   * Route 53 already holds is read first and left out, so the sibling's own step finds nothing to do.
   */
  async function upsert(ctx: ResourceContext): Promise<ObservedResource> {
    const { zoneId, set } = upsertInput(ctx);
    const weights = weightsOf(ctx);
    const siblingTier: Tier = tier === 'lambda' ? 'fargate' : 'lambda';
    const siblingDue = siblingTier === 'lambda' || !!ctx.refs[`dns-${siblingTier}`] || weights.fargate > 0;
    const sibling = siblingDue ? weightedRecord(siblingTier, ctx.spec, ctx.refs, weights) : undefined;
    const wanted = [
      set,
      ...(sibling?.aliasTarget.dnsName && sibling.aliasTarget.hostedZoneId ? [toRecordSet(sibling)] : []),
    ];
    const name = fqdn(ctx.spec.dns!.recordName);
    const changes: ResourceRecordSet[] = [];
    for (const want of wanted) {
      const held = await readRecordSet(ctx.clients.route53, zoneId, name, want.SetIdentifier as Tier);
      if (!held || !sameRecord(held, want)) changes.push(want);
    }
    if (changes.length === 0) return observe(key, tier, zoneId, set, undefined);
    const answer = await ctx.clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: `LambdaFlex ${ctx.spec.stack}: weights lambda ${weights.lambda}, fargate ${weights.fargate}`,
          Changes: changes.map((change) => ({ Action: 'UPSERT', ResourceRecordSet: change })),
        },
      }),
    );
    return observe(key, tier, zoneId, set, answer.ChangeInfo);
  }

  const kind: ResourceKind = {
    key,
    type: TYPE,
    service: 'route53',
    steadyCheck: 'live',
    tier,
    // The fargate record after the lambda one: both are written in one batch, and Route 53 takes one change
    // per zone at a time (PriorRequestNotComplete), so the two steps must not run at once.
    dependsOn:
      tier === 'lambda'
        ? [HTTP_API_KEY, API_STAGE_KEY, API_DOMAIN_KEY, API_MAPPING_KEY]
        : [ALB_KEY, 'dns-lambda'],
    errors: dnsRecordErrors,
    immutable: ['name', 'type', 'setIdentifier'],

    wanted: (spec) => !!spec.dns,

    desired: (spec, refs) => weightedRecord(tier, spec, refs, weightsFromRefs(refs)) ?? {},

    async find(ctx) {
      const dns = ctx.spec.dns;
      if (!dns) return undefined;
      const zoneId = dns.hostedZoneId;
      // A zone that is gone holds no record of ours.
      const set = await orUndefinedIfGone(
        () => readRecordSet(ctx.clients.route53, zoneId, fqdn(dns.recordName), tier),
        GONE_ZONE,
      );
      if (!set) return undefined;
      const previous = ctx.refs[key]?.extra as DnsRecordExtra | undefined;
      const change = previous?.changeId
        ? await changeStatus(ctx.clients.route53, previous.changeId)
        : undefined;
      return observe(key, tier, zoneId, set, change);
    },

    // UPSERT makes create and update one idempotent call.
    create: upsert,
    update: (ctx) => upsert(ctx),

    async delete(ctx, current) {
      const extra = current.extra as DnsRecordExtra | undefined;
      const zoneId = extra?.hostedZoneId ?? ctx.spec.dns?.hostedZoneId;
      const name = extra?.recordSet.Name ?? ctx.spec.dns?.recordName;
      if (!zoneId || !name) return;
      // DELETE must repeat the record exactly: read it again, the weight may have moved since `current`.
      const set = await orUndefinedIfGone(
        () => readRecordSet(ctx.clients.route53, zoneId, fqdn(name), tier),
        GONE_ZONE,
      );
      if (!set) return;
      try {
        await submit(ctx, zoneId, 'DELETE', set);
      } catch (error) {
        if (!isAlreadyDeleted(error)) throw error;
      }
    },
  };
  return kind;
}
