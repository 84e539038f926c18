/**
 * The DNS record kind of one tier: the weighted alias A records that share `dns.recordName` between the
 * tiers, SetIdentifier `lambda` (the HTTP API) and `fargate` (the ALB), in the spec's hosted zone.
 * Wanted only with `dns`. This file holds the kind's verbs; what they build and read is beside it:
 *
 * - the record wanted, with its alias target (weighted-record.ts). Weights are the traffic engine's
 *   decision, read from the pass's intent (`Intent.weights`, default lambda 100 / fargate 0), so that
 *   the plan's diff sees a new weight as an update;
 * - whose the name is (safety rule 7: dns-ownership.ts decides, read-ownership.ts reads): records can't
 *   be tagged, so a TXT record beside the name says which stack owns it. A name held by another stack or
 *   by records LambdaFlex did not write is found as `foreign`, with what is in the way: the plan reports
 *   the conflict and nothing there is written;
 * - the batch (record-batch.ts): both records in one transactional batch, the TXT created with the first
 *   write at a free name, carried as a guard by every later one, deleted last with the last record;
 * - the observation (record-observation.ts): a change is ready when Route 53 reports it INSYNC. `find`
 *   asks GetChange about the kept ChangeId when the engine hands back the record's previous observation
 *   in `refs` (a wait step does), or when the last pass left it PENDING (`Intent.pendingChanges`). A
 *   record found with no change to ask about is as Route 53 serves it, but not known to be on every
 *   server: when the traffic engine needs a change it knows behind the weights (`Intent.rewriteWeights`,
 *   safety rule 2), the lambda record's step writes the pair again as held;
 * - the errors (dns-record-errors.ts).
 *
 * Delete repeats the current record exactly (Route 53 wants the exact values), read again just before.
 */
import {
  ChangeResourceRecordSetsCommand,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { Tier } from '../../../spec';
import { API_DOMAIN_KEY } from '../apigateway/domain';
import { HTTP_API_KEY } from '../apigateway/support';
import { API_STAGE_KEY } from '../apigateway/stage';
import { fqdn, ownerTxtRecordSet } from './dns-ownership';
import type { DependencyStrength, ObservedResource, ResourceContext, StackResource } from '../types';
import { isRemembered, writtenName } from './written-dns-names';
import { RESOURCE_KEYS } from '../keys';
import type { Intent } from '../intent';
import { AlbNotReadyError, DnsNameTakenError, dnsRecordErrors, isAlreadyDeleted } from './dns-record-errors';
import { DependencyNotThereError } from '../common/dependency-not-there';
import { deleteChanges, ownershipChanges, otherOurSets, ourSet, pairChanges } from './record-batch';
import {
  changeStatus,
  foreignName,
  observedRecord,
  orphanOwnership,
  WAITERS,
  type DnsRecordExtra,
} from './record-observation';
import { ownerOf, readOwnership } from './read-ownership';
import { hasAliasTarget, RECORD_SET_TYPE, toRecordSet, weightedRecord } from './weighted-record';
import { lambdaRecordToWrite, notServingYet } from './domain-target';

export type { DnsRecordExtra } from './record-observation';

const API_MAPPING_KEY = RESOURCE_KEYS.apiMapping;
const ALB_KEY = RESOURCE_KEYS.loadBalancer;

/** Whether the stack's bookkeeping says it wrote records at the name (resources/intent.ts, `dnsNames`). */
function rememberedAt(ctx: ResourceContext, zoneId: string, recordName: string): boolean {
  return isRemembered(ctx.intent.dnsNames, writtenName(zoneId, recordName));
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

/** The keys of the two weighted records. */
type DnsKey = typeof RESOURCE_KEYS.dnsLambda | typeof RESOURCE_KEYS.dnsFargate;

/**
 * The DNS record kind of one tier.
 *
 * @example
 * dnsRecordResource('lambda').desiredAttributes(spec, refs, withIntent({ weights: { lambda: 90, fargate: 10 } })).weight; // 90
 */
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
    const read = await readOwnership(ctx, zoneId, name, rememberedAt(ctx, zoneId, name));
    if (!read) throw new DnsNameTakenError('writing', key, `hosted zone ${zoneId} is gone`);
    const { contents, ownership } = read;
    if (ownership.verdict === 'foreign') throw new DnsNameTakenError('writing', key, ownership.inTheWay);
    const held = ourSet(contents, tier);
    // The lambda record moves to a custom domain only once it serves (domain-target.ts), whichever step
    // writes it.
    const lambdaWanted = tier === 'lambda' ? own : sibling;
    const othersWeigh = weights.fargate > 0;
    const lambda = lambdaWanted
      ? lambdaRecordToWrite(ctx, lambdaWanted, ourSet(contents, 'lambda'), othersWeigh)
      : undefined;
    const ownToWrite = tier === 'lambda' && lambda ? lambda.record : own;
    const siblingToWrite = tier === 'fargate' && lambda ? lambda.record : sibling;
    // What stands for this record after the batch: as written, or as held (at weight 0 if removed).
    // A record already removed (by the other step's batch, just before) carries nothing, as wanted; one
    // that never was can't be made without its ALB: it waits for the pass that made it.
    const last = held ?? current?.extra?.recordSet;
    const ownSet = tier === 'lambda' && lambda ? toRecordSet(lambda.record) : set;
    const after: ResourceRecordSet | undefined = ownSet ?? (last ? { ...last, Weight: 0 } : undefined);
    if (!after) {
      // An ALB at the stack's name that is not the stack's is never a target (safety rule 3); the ALB's
      // own step reports it as in the way.
      const why = alb?.foreign
        ? `the ALB at its name, ${alb.id}, is not the stack's; the record is made once the stack's is`
        : 'its ALB is not made yet; the record is, once it is';
      throw new DependencyNotThereError(ALB_KEY, why);
    }
    // Asked to write the weights again (the change that put them there is not known:
    // traffic/known-change.ts, `vouchedDown`), the lambda record's step sends the pair as held, so that a
    // change is always made.
    const rewrite = tier === 'lambda' && ctx.intent.rewriteWeights === true;
    const pair = [ownToWrite, ...(siblingToWrite ? [siblingToWrite] : [])];
    const records = pairChanges(pair, contents, albActive, rewrite);
    const ownerTxt = ownership.verdict === 'ours' ? ownership.txt : ownerTxtRecordSet(name, ownerOf(ctx));
    if (records.length === 0 && lambda?.heldBack) {
      // Nothing to write but the move to the domain: the step waits for it.
      throw new DependencyNotThereError(
        API_DOMAIN_KEY,
        notServingYet(ctx.refs[API_DOMAIN_KEY]!.id, ctx.refs[API_DOMAIN_KEY]!.state),
      );
    }
    if (records.length === 0 && ownership.verdict === 'ours') {
      return observedRecord(key, tier, zoneId, held ?? after, undefined, ownerTxt);
    }
    const changes = [...ownershipChanges(name, ownerOf(ctx), ownership), ...records];
    const info = await submit(
      ctx,
      zoneId,
      `LambdaFlex ${ctx.spec.stack}: weights lambda ${weights.lambda}, fargate ${weights.fargate}` +
        (rewrite ? ' (written again)' : ''),
      changes,
    );
    const written = observedRecord(key, tier, zoneId, after, info, ownerTxt);
    return rewrite ? { ...written, attributes: { ...written.attributes, rewritten: true } } : written;
  }

  const kind: StackResource<DnsKey> = {
    key,
    type: RECORD_SET_TYPE,
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
      const read = await readOwnership(ctx, zoneId, name, rememberedAt(ctx, zoneId, name));
      if (!read) return undefined;
      const { contents, ownership } = read;
      if (ownership.verdict === 'foreign')
        return foreignName(key, zoneId, name, ownership, ourSet(contents, tier));
      const ownerTxt = ownership.verdict === 'ours' ? ownership.txt : undefined;
      const set = ourSet(contents, tier);
      if (!set) {
        const orphan = ownerTxt && tier === 'lambda' && otherOurSets(contents, tier).length === 0;
        return orphan ? orphanOwnership(key, zoneId, name, ownerTxt) : undefined;
      }
      const changeId = ctx.refs[key]?.extra?.changeId ?? ctx.intent.pendingChanges[key];
      const change = changeId ? await changeStatus(ctx, changeId) : undefined;
      return observedRecord(key, tier, zoneId, set, change, ownerTxt);
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
      const read = await readOwnership(ctx, zoneId, name, rememberedAt(ctx, zoneId, name));
      if (!read) return;
      const { contents, ownership } = read;
      if (ownership.verdict === 'foreign') throw new DnsNameTakenError('deleting', key, ownership.inTheWay);
      const changes = deleteChanges(contents, tier, ownership);
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
