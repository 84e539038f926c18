/**
 * The weighted alias A records that share `dns.recordName` between the tiers: SetIdentifier `lambda`
 * (the HTTP API) and `fargate` (the ALB), in the spec's hosted zone. Wanted only with `dns`.
 *
 * - Alias targets: the custom domain's ApiGatewayDomainName and HostedZoneId when the spec has a certificate
 *   (apigateway/domain.ts); otherwise the API's execute-api regional name with API Gateway's regional hosted zone
 *   for the region (note that API Gateway answers such requests only for its own host name, so a real
 *   deployment wants the certificate); for Fargate, the ALB's DNSName and CanonicalHostedZoneId.
 *   EvaluateTargetHealth is off: the traffic engine, not Route 53, decides where requests go.
 * - Weights are the traffic engine's decision, read from the pass's intent (`Intent.weights`, default
 *   lambda 100 / fargate 0), so that the plan's diff sees a new weight as an update.
 * - Ownership (safety rule 7, dns-ownership.ts): records can't be tagged, so a TXT record beside the name
 *   says which stack owns it. The first write at a free name creates that TXT in the same batch as the
 *   records; every later write carries it as a guard (DELETE + CREATE of its exact value), so that a batch
 *   commits only while the name is still ours; the last record's delete removes it in the same batch, last.
 *   A name held by another stack or by records LambdaFlex did not write is found as `foreign`, with what is
 *   in the way: the plan reports the conflict and nothing there is written.
 * - A change is ready when Route 53 reports it INSYNC. The ChangeId is kept in `extra`; `find` asks GetChange
 *   about it when the engine hands back the record's previous observation in `refs` (a wait step does),
 *   or when the last pass left it PENDING (`Intent.pendingChanges`). A record found with no change to ask
 *   about is as Route 53 serves it, but not known to be on every server: when the traffic engine needs a
 *   change it knows behind the weights (`Intent.rewriteWeights`, safety rule 2), the lambda record's
 *   step writes the pair again as held.
 * - Delete repeats the current record exactly (Route 53 wants the exact values), read again just before.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { DesiredState, Tier } from '../../../spec';
import { errorCode } from '../../aws/classify';
import { wantsCustomDomain, API_DOMAIN_KEY } from '../apigateway/domain';
import { HTTP_API_KEY } from '../apigateway/support';
import { API_STAGE_KEY } from '../apigateway/stage';
import {
  fqdn,
  guardChanges,
  OUR_SET_IDENTIFIERS,
  ownerTxtRecordSet,
  ownershipOf,
  type DnsOwner,
  type Ownership,
} from './dns-ownership';
import { orUndefinedIfGone } from '../common/not-found';
import { readName, type NameContents } from './name-contents';
import type {
  DependencyStrength,
  ErrorCodes,
  ObservedResource,
  ResourceContext,
  StackResource,
  StateWaiter,
  TrafficWeights,
  Waiters,
} from '../types';
import { readyByState } from '../common/waiters';
import { isRemembered, writtenName } from './written-dns-names';
import { RESOURCE_KEYS } from '../keys';
import type { Intent } from '../intent';

export { fqdn } from './dns-ownership';

const TYPE = 'AWS::Route53::RecordSet';
const API_MAPPING_KEY = RESOURCE_KEYS.apiMapping;
const ALB_KEY = RESOURCE_KEYS.loadBalancer;

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

/** Thrown when the name stopped being this stack's between the plan and the write: the next pass reports it. */
export class DnsNameTakenError extends Error {
  override readonly name = 'DnsNameTaken';
  /** An AWS-like client answer for classify(); retryable, so that the next pass observes the conflict. */
  readonly $fault = 'client';
  constructor(verb: string, key: string, inTheWay: string) {
    super(`${verb} ${TYPE} (${key}): ${inTheWay}`);
  }
}

export const dnsRecordErrors: ErrorCodes = {
  notFound: [],
  // Route 53 still processing a prior change on the zone (ours or another stack's): the SDK retries it
  // at once, the engine with backoff.
  retryable: ['PriorRequestNotComplete', 'DnsNameTaken', 'AlbNotReady'],
  // A conflicting non-weighted record, a zone that does not exist, a target in another partition.
  terminal: ['InvalidChangeBatch', 'NoSuchHostedZone', 'InvalidInput', 'UnknownApiGatewayZone'],
  // Someone changed the name between our read and our write (a CREATE that now exists, a guard whose TXT
  // changed, a DELETE of what is gone): the next pass reads again and decides.
  retryableWhen: [
    {
      code: 'InvalidChangeBatch',
      message: /but it already exists|do not match the current values|was not found/,
    },
  ],
};

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
  const alb = refs[ALB_KEY]?.foreign ? undefined : refs[ALB_KEY]?.extra;
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

/**
 * The fargate record can't be written as asked: it would route traffic to an ALB not seen active in this
 * pass, or be made without an ALB to point at (its look-up or create failed). Retried, never guessed.
 */
class AlbNotReadyError extends Error {
  override readonly name = 'AlbNotReady';
  readonly $fault = 'client';
}

/** Whether Route 53 can be given the record: its alias target is known. */
function hasAliasTarget(record: WeightedRecord): boolean {
  return !!record.aliasTarget.dnsName && !!record.aliasTarget.hostedZoneId;
}

/**
 * What a batch of the pair does to one record, from what Route 53 holds (`held`): CREATE where nothing
 * was read (so that a record that appeared since fails the batch), UPSERT what differs, nothing where it
 * is right.
 *
 * A record without a known target (the fargate one while its ALB is not known: the first pass after the
 * ALB vanished reads it as unknown, not gone) can't be rewritten, and Route 53 does not promise to take an
 * alias to a load balancer that is gone; a DELETE needs only the values held. So when it must carry
 * nothing and still carries traffic, it is removed in the same batch as the other weight, whichever step
 * writes it: two batches would leave its share on a dead name for a Route 53 change. It is made again, at
 * weight 0, once the ALB is known.
 *
 * A fargate weight above 0 is written only while the ALB is seen active (`albActive`, safety rule 1): the
 * lambda record's step, which the plan does not hold behind the ALB (it stays within its tier), leaves
 * it to the fargate record's own step, which the plan holds until the ALB is ready.
 */
function pairChange(
  record: WeightedRecord,
  held: ResourceRecordSet | undefined,
  albActive: boolean,
): Change | undefined {
  if (record.setIdentifier === 'fargate' && record.weight > 0 && !albActive) return undefined;
  if (hasAliasTarget(record)) {
    const want = toRecordSet(record);
    if (!held) return { Action: 'CREATE', ResourceRecordSet: want };
    return sameRecord(held, want) ? undefined : { Action: 'UPSERT', ResourceRecordSet: want };
  }
  if (record.weight === 0 && held && (held.Weight ?? 0) > 0)
    return { Action: 'DELETE', ResourceRecordSet: held };
  return undefined;
}

/**
 * A record Route 53 already holds as wanted, written again (`Intent.rewriteWeights`): the same UPSERT, so
 * that a change whose id this pass keeps stands behind its values. Not a record without a known target,
 * which can't be written (`pairChange`).
 */
function sameAgain(record: WeightedRecord, held: ResourceRecordSet | undefined): Change | undefined {
  if (!held || !hasAliasTarget(record)) return undefined;
  const want = toRecordSet(record);
  return sameRecord(held, want) ? { Action: 'UPSERT', ResourceRecordSet: want } : undefined;
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

function fromRecordSet(set: ResourceRecordSet, tier: Tier, owned: boolean): WeightedRecord {
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

/** One of our weighted sets at the name. */
function ourSet(contents: NameContents, tier: string): ResourceRecordSet | undefined {
  return contents.atName.find((set) => set.Type === 'A' && set.SetIdentifier === tier);
}

/** Our weighted sets at the name other than `tier`'s. */
function otherOurSets(contents: NameContents, tier: string): ResourceRecordSet[] {
  return contents.atName.filter(
    (set) =>
      set.Type === 'A' && set.SetIdentifier !== tier && OUR_SET_IDENTIFIERS.includes(set.SetIdentifier ?? ''),
  );
}

/** What the engine reads from a record's `extra` (the change still PENDING, for the next pass). */

export interface DnsRecordExtra {
  hostedZoneId: string;
  /** The last change this kind made, until Route 53 reports it INSYNC. */
  changeId?: string;
  changeStatus?: string;
  /** The record set exactly as Route 53 holds it, for a DELETE that must repeat it; absent for an orphan TXT. */
  recordSet?: ResourceRecordSet;
  /** The name's ownership TXT as Route 53 holds it, when it names this stack. */
  ownerTxt?: ResourceRecordSet;
  /**
   * On a foreign name: the stack remembers writing records there. Its own change may have moved them, or
   * someone else's may still be propagating: the name's Route 53 answers may still name the stack's ALB.
   */
  remembered?: true;
}

/** Route 53 change statuses (Route 53 API reference, ChangeInfo.Status). */
const CHANGE_STATUS: StateWaiter = { pending: ['PENDING'], target: ['INSYNC'] };
const WAITERS: Waiters = { ready: CHANGE_STATUS };

function observe(
  key: string,
  tier: Tier,
  zoneId: string,
  set: ResourceRecordSet,
  change: ChangeInfo | undefined,
  ownerTxt: ResourceRecordSet | undefined,
): ObservedResource<DnsRecordExtra> {
  const record = fromRecordSet(set, tier, !!ownerTxt);
  // No change to ask about (none made, or its id forgotten): the record is as Route 53 serves it.
  const state = change?.Status ?? 'INSYNC';
  const pending = change !== undefined && CHANGE_STATUS.pending.includes(state);
  const extra: DnsRecordExtra = {
    hostedZoneId: zoneId,
    ...(pending ? { changeId: change.Id, changeStatus: change.Status } : {}),
    recordSet: set,
    ...(ownerTxt ? { ownerTxt } : {}),
  };
  return {
    key,
    type: TYPE,
    id: `${zoneId}/${record.name}/A/${tier}`,
    state,
    tags: {},
    attributes: record,
    ...readyByState(WAITERS, state, `Route 53 change ${change?.Id} is`),
    foreign: false,
    extra,
  };
}

/**
 * The name is someone else's: reported, never written (safety rule 7). The set of this tier's identifier
 * held there, if any, is kept in `extra`: written by the stack before its ownership TXT was taken over,
 * it may still send lookups to the stack's ALB, which then may not go (safety rule 2, traffic/shift.ts).
 */
function foreignName(
  key: string,
  zoneId: string,
  name: string,
  inTheWay: string,
  held: ResourceRecordSet | undefined,
  remembered: boolean,
): ObservedResource<DnsRecordExtra> {
  return {
    key,
    type: TYPE,
    id: `${zoneId}/${name}`,
    tags: {},
    attributes: {},
    ready: true,
    foreign: true,
    conflict: inTheWay,
    extra: {
      hostedZoneId: zoneId,
      ...(held ? { recordSet: held } : {}),
      ...(remembered ? { remembered: true as const } : {}),
    },
  };
}

/**
 * Our ownership TXT left without any of our records (they were deleted by hand): the `lambda` record stands
 * for it, so that a wanted record is written again under it and an unwanted one takes the TXT with it.
 */
function orphanOwnership(
  key: string,
  zoneId: string,
  name: string,
  txt: ResourceRecordSet,
): ObservedResource<DnsRecordExtra> {
  const extra: DnsRecordExtra = { hostedZoneId: zoneId, ownerTxt: txt };
  return {
    key,
    type: TYPE,
    id: `${zoneId}/${name}/A/lambda`,
    state: 'MISSING',
    tags: {},
    attributes: { name, type: 'A', setIdentifier: 'lambda', ownershipRecord: 'present' },
    ready: true,
    foreign: false,
    extra,
  };
}

/** A change's status; a change Route 53 no longer knows (they expire) is long in sync. */
async function changeStatus(ctx: ResourceContext, changeId: string): Promise<ChangeInfo> {
  try {
    const answer = await ctx.clients.route53.send(new GetChangeCommand({ Id: changeId }));
    return answer.ChangeInfo ?? { Id: changeId, Status: 'INSYNC' };
  } catch (error) {
    if (errorCode(error) === 'NoSuchChange') return { Id: changeId, Status: 'INSYNC' };
    throw error;
  }
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

function ownerOf(ctx: ResourceContext): DnsOwner {
  return { stack: ctx.spec.stack, region: ctx.region };
}

/** What Route 53 holds at the spec's name and whose it is; undefined when the zone is gone. */
async function readOwnership(
  ctx: ResourceContext,
  zoneId: string,
  recordName: string,
): Promise<{ contents: NameContents; ownership: Ownership } | undefined> {
  const contents = await orUndefinedIfGone(
    () => readName(ctx.clients.route53, zoneId, recordName),
    GONE_ZONE,
  );
  if (!contents) return undefined;
  const ownership = ownershipOf({
    recordName,
    atName: contents.atName,
    txt: contents.txt,
    owner: ownerOf(ctx),
    remembered: isRemembered(ctx.intent.dnsNames, writtenName(zoneId, recordName)),
  });
  return { contents, ownership };
}

/** The changes that claim or guard the name in a batch (free/remembered: create the TXT; ours: guard it). */
function ownershipChanges(ctx: ResourceContext, recordName: string, ownership: Ownership): Change[] {
  if (ownership.verdict === 'ours') return guardChanges(ownership.txt);
  return [{ Action: 'CREATE', ResourceRecordSet: ownerTxtRecordSet(recordName, ownerOf(ctx)) }];
}

async function submit(ctx: ResourceContext, zoneId: string, comment: string, changes: Change[]) {
  const answer = await ctx.clients.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: comment, Changes: changes },
    }),
  );
  return answer.ChangeInfo;
}

/**
 * How a record's step needs its dependencies (resources/types.ts, DependencyStrength). The ALB holds the
 * fargate record's step only while the pass routes traffic to Fargate (safety rule 1: a weight on Fargate
 * only once the ALB is active, which the traffic engine decides and this makes the plan keep too); when
 * the Fargate weight is 0, a batch that takes traffic off an ALB still provisioning, or being made again,
 * goes as soon as the ALB's step has answered, with the DNS name it gave. The lambda record only orders
 * the fargate one: the two steps must not run at once, and neither needs the other ready.
 */
function recordDependencyStrength(dependency: string, intent: Intent): DependencyStrength {
  if (dependency === ALB_KEY) return intent.weights.fargate > 0 ? 'ready' : 'order';
  if (dependency === RESOURCE_KEYS.dnsLambda) return 'order';
  return 'ready';
}

/**
 * The DNS record kind of one tier.
 *
 * @example
 * dnsRecordResource('lambda').desiredAttributes(spec, refs, withIntent({ weights: { lambda: 90, fargate: 10 } })).weight; // 90
 */
/** The keys of the two weighted records. */
type DnsKey = typeof RESOURCE_KEYS.dnsLambda | typeof RESOURCE_KEYS.dnsFargate;

export function dnsRecordResource(tier: Tier): StackResource<DnsKey> {
  const key = tier === 'lambda' ? RESOURCE_KEYS.dnsLambda : RESOURCE_KEYS.dnsFargate;

  /**
   * Writes this record and, when it exists or is due, the other tier's, in ONE transactional batch, so
   * that resolvers never see a half-moved pair of weights (e.g. lambda 50 with fargate still 10). What
   * Route 53 already holds is read first and left out, so the sibling's own step finds nothing to do. The
   * batch claims the name (a new ownership TXT) or carries the TXT as its guard. Each record of the pair
   * is written by `pairChange`, whichever step writes the batch.
   */
  async function upsert(
    ctx: ResourceContext,
    current?: ObservedResource<DnsRecordExtra>,
  ): Promise<ObservedResource<DnsRecordExtra>> {
    const dns = ctx.spec.dns;
    const weights = ctx.intent.weights;
    const own = weightedRecord(tier, ctx.spec, ctx.refs, weights);
    if (!own || !dns) throw new Error(`${key} needs dns in the spec`);
    const zoneId = dns.hostedZoneId;
    const name = own.name;
    // The lambda record always has a target: one that can't be named is a terminal error (toRecordSet).
    // The fargate record's step may run before its ALB is known or active when it takes traffic away
    // (its dependency on the ALB only orders it then, `recordDependencyStrength`), never to route traffic.
    const alb = ctx.refs[ALB_KEY];
    const albActive = alb?.ready === true && !alb.foreign;
    if (tier === 'fargate' && own.weight > 0 && !albActive) {
      throw new AlbNotReadyError(`weight ${own.weight} needs its ALB active, which it is not in this pass`);
    }
    const set = tier === 'lambda' || hasAliasTarget(own) ? toRecordSet(own) : undefined;
    const siblingTier: Tier = tier === 'lambda' ? 'fargate' : 'lambda';
    const siblingDue = siblingTier === 'lambda' || !!ctx.refs[`dns-${siblingTier}`] || weights.fargate > 0;
    const sibling = siblingDue ? weightedRecord(siblingTier, ctx.spec, ctx.refs, weights) : undefined;
    const read = await readOwnership(ctx, zoneId, name);
    if (!read) throw new DnsNameTakenError('writing', key, `hosted zone ${zoneId} is gone`);
    const { contents, ownership } = read;
    if (ownership.verdict === 'foreign') throw new DnsNameTakenError('writing', key, ownership.inTheWay);
    const held = ourSet(contents, tier);
    // What stands for this record after the batch: as written, or as held (at weight 0 if removed).
    // A record already removed (by the other step's batch, just before) carries nothing, as wanted; one
    // that never was can't be made without its ALB.
    const last = held ?? current?.extra?.recordSet;
    const after: ResourceRecordSet | undefined = set ?? (last ? { ...last, Weight: 0 } : undefined);
    if (!after) throw new AlbNotReadyError('its ALB is not known in this pass');
    // Asked to write the weights again (the change that put them there is not known: traffic/shift.ts,
    // `vouchedDown`), the lambda record's step sends the pair as held, so that a change is always made.
    const rewrite = tier === 'lambda' && ctx.intent.rewriteWeights === true;
    const records = [own, ...(sibling ? [sibling] : [])].flatMap((record) => {
      const heldSet = ourSet(contents, record.setIdentifier);
      const change =
        pairChange(record, heldSet, albActive) ?? (rewrite ? sameAgain(record, heldSet) : undefined);
      return change ? [change] : [];
    });
    const ownerTxt = ownership.verdict === 'ours' ? ownership.txt : ownerTxtRecordSet(name, ownerOf(ctx));
    if (records.length === 0 && ownership.verdict === 'ours') {
      return observe(key, tier, zoneId, held ?? after, undefined, ownerTxt);
    }
    const changes = [...ownershipChanges(ctx, name, ownership), ...records];
    const info = await submit(
      ctx,
      zoneId,
      `LambdaFlex ${ctx.spec.stack}: weights lambda ${weights.lambda}, fargate ${weights.fargate}` +
        (rewrite ? ' (written again)' : ''),
      changes,
    );
    const written = observe(key, tier, zoneId, after, info, ownerTxt);
    return rewrite ? { ...written, attributes: { ...written.attributes, rewritten: true } } : written;
  }

  const kind: StackResource<DnsKey> = {
    key,
    type: TYPE,
    service: 'route53',
    steadyCheck: 'live',
    tier,
    // The fargate record after the ALB (its alias target is the ALB's DNS name) and after the lambda
    // record: both are written in one batch, and Route 53 refuses a zone's change while it still processes
    // the last (PriorRequestNotComplete), so the two steps must not run at once. The lambda record stays
    // within its tier (safety rule 4): when it writes the pair before the ALB is known, `pairChange` copes.
    dependsOn:
      tier === 'lambda'
        ? [HTTP_API_KEY, API_STAGE_KEY, API_DOMAIN_KEY, API_MAPPING_KEY]
        : [ALB_KEY, RESOURCE_KEYS.dnsLambda],
    dependencyStrength: recordDependencyStrength,
    errors: dnsRecordErrors,
    immutable: ['name', 'type', 'setIdentifier'],
    waiters: WAITERS,

    neededBy: (spec) => !!spec.dns,

    desiredAttributes: (spec, refs, intent) => {
      const record = weightedRecord(tier, spec, refs, intent.weights);
      if (!record) return {};
      return tier === 'lambda' && intent.rewriteWeights ? { ...record, rewritten: true } : record;
    },

    async find(ctx) {
      const dns = ctx.spec.dns;
      if (!dns) return undefined;
      const zoneId = dns.hostedZoneId;
      const name = fqdn(dns.recordName);
      // A zone that is gone holds no record of ours.
      const read = await readOwnership(ctx, zoneId, name);
      if (!read) return undefined;
      const { contents, ownership } = read;
      if (ownership.verdict === 'foreign')
        return foreignName(
          key,
          zoneId,
          name,
          ownership.inTheWay,
          ourSet(contents, tier),
          isRemembered(ctx.intent.dnsNames, writtenName(zoneId, name)),
        );
      const ownerTxt = ownership.verdict === 'ours' ? ownership.txt : undefined;
      const set = ourSet(contents, tier);
      if (!set) {
        const orphan = ownerTxt && tier === 'lambda' && otherOurSets(contents, tier).length === 0;
        return orphan ? orphanOwnership(key, zoneId, name, ownerTxt) : undefined;
      }
      const changeId = ctx.refs[key]?.extra?.changeId ?? ctx.intent.pendingChanges[key];
      const change = changeId ? await changeStatus(ctx, changeId) : undefined;
      return observe(key, tier, zoneId, set, change, ownerTxt);
    },

    // Create and update are one idempotent write: claim or guard the name, then CREATE or UPSERT.
    create: (ctx) => upsert(ctx),
    update: (ctx, current) => upsert(ctx, current),

    async delete(ctx, current) {
      const extra = current.extra;
      const zoneId = extra?.hostedZoneId ?? ctx.spec.dns?.hostedZoneId;
      const name = (current.attributes.name as string | undefined) ?? ctx.spec.dns?.recordName;
      if (!zoneId || !name) return;
      // DELETE must repeat the records exactly: read them again, the weight may have moved since `current`.
      const read = await readOwnership(ctx, zoneId, name);
      if (!read) return;
      const { contents, ownership } = read;
      if (ownership.verdict === 'foreign') throw new DnsNameTakenError('deleting', key, ownership.inTheWay);
      const set = ourSet(contents, tier);
      const changes: Change[] = set ? [{ Action: 'DELETE', ResourceRecordSet: set }] : [];
      if (ownership.verdict === 'ours') {
        // The last of our records takes the TXT with it, last in the batch; otherwise the TXT guards it.
        const last = otherOurSets(contents, tier).length === 0;
        if (last) changes.push({ Action: 'DELETE', ResourceRecordSet: ownership.txt });
        else if (changes.length > 0) changes.unshift(...guardChanges(ownership.txt));
      }
      if (changes.length === 0) return;
      try {
        await submit(ctx, zoneId, `LambdaFlex ${ctx.spec.stack}: DELETE ${tier} record`, changes);
      } catch (error) {
        if (!isAlreadyDeleted(error)) throw error;
      }
    },
  };
  return kind;
}
