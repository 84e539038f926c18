/**
 * The stack's records at DNS names its spec no longer wants: `dns` removed, `dns.recordName` renamed,
 * `dns.hostedZoneId` moved. Records can't be tagged, so they are found from the names the stack remembers
 * writing at (written-dns-names.ts), and only where the name is still the stack's (dns-ownership.ts): its
 * ownership TXT names the stack, or (records written before the TXT registry) only LambdaFlex's weighted
 * records are there. One resource stands for them all; it is never wanted, so the plan deletes it: in each
 * zone one batch DELETEs the weighted records exactly as Route 53 holds them.
 *
 * Those records are the stack's traffic until their removal is INSYNC and the drain is over (safety rule
 * 2): a Fargate weight on one of them sends lookups to the ALB. So the traffic engine reads this kind as
 * it reads the two record kinds (traffic/records.ts), and the removal is a change like the pair's: its id
 * is kept (`Intent.pendingChanges`, asked about with GetChange) and the resource stays, PENDING, until
 * Route 53 has it INSYNC. While traffic drains the TXT stays, and goes once the drain is over
 * (leftover-changes.ts says why).
 *
 * The records at the spec's own name are the `dns-lambda` and `dns-fargate` kinds' (dns-record.ts).
 */
import { ChangeResourceRecordSetsCommand, type Change } from '@aws-sdk/client-route-53';
import type { DesiredState } from '../../../spec/types';
import { API_DOMAIN_LEFTOVERS_KEY } from '../apigateway/domain-leftovers';
import { HTTP_API_KEY } from '../apigateway/support';
import { API_DOMAIN_KEY } from '../apigateway/domain';
import { readyByState } from '../common/waiters';
import { dnsRecordErrors } from './dns-record-errors';
import { fqdn, OUR_SET_IDENTIFIERS } from './dns-ownership';
import { fargateShare, leftoverChanges, type LeftoverSets } from './leftover-changes';
import { ownerOf, readOwnership } from './read-ownership';
import { CHANGE_STATUS, changeStatus, NO_SUCH_CHANGE, notKnown, type ChangeInfo } from './record-observation';
import { RECORD_SET_TYPE } from './weighted-record';
import type {
  DeleteAnswer,
  ObservedResource,
  ObservedResources,
  ResourceContext,
  StackResource,
  Waiters,
} from '../types';
import { sameName, specName, withLongerTtl, type WrittenDnsName } from './written-dns-names';
import { RESOURCE_KEYS } from '../keys';

export const DNS_LEFTOVERS_KEY = RESOURCE_KEYS.dnsLeftovers;

/** One name's leftovers as Route 53 holds them: what a DELETE must repeat exactly. */
export interface DnsLeftover extends WrittenDnsName, LeftoverSets {}

/** The remembered names that are not the spec's. */
function retiredNames(ctx: ResourceContext): WrittenDnsName[] {
  const current = specName(ctx.spec);
  return ctx.intent.dnsNames.filter((name) => !current || !sameName(name, current));
}

/** What is left of the stack at one name; undefined when nothing (or the name is no longer the stack's). */
async function leftoverAt(ctx: ResourceContext, name: WrittenDnsName): Promise<DnsLeftover | undefined> {
  const read = await readOwnership(ctx, name.hostedZoneId, name.recordName, true);
  if (!read) return undefined;
  const { contents, ownership } = read;
  if (ownership.verdict === 'free' || ownership.verdict === 'foreign') return undefined;
  const records = contents.atName.filter(
    (set) => set.Type === 'A' && OUR_SET_IDENTIFIERS.includes(set.SetIdentifier ?? ''),
  );
  const ownerTxt = ownership.verdict === 'ours' ? ownership.txt : undefined;
  if (records.length === 0 && !ownerTxt) return undefined;
  return { ...name, records, ...(ownerTxt ? { ownerTxt } : {}) };
}

/** What `find` keeps in `extra` for `delete` and the traffic engine. */
export interface DnsLeftoversExtra {
  /** Each name's records as Route 53 holds them. */
  leftovers: DnsLeftover[];
  /** The changes of this kind Route 53 still has PENDING (one per zone), until they are INSYNC. */
  changeIds?: string[];
}

function leftoversOf(observed: ObservedResource<DnsLeftoversExtra> | undefined): DnsLeftover[] {
  return observed?.extra?.leftovers ?? [];
}

/**
 * Route 53 change statuses; a change still PENDING is a removal AWS has not finished: the plan waits for
 * it rather than deleting again.
 */
const WAITERS: Waiters = { ready: CHANGE_STATUS, gone: { pending: CHANGE_STATUS.pending } };

/** The leftovers as the engine and the traffic engine read them, with the kind's changes still PENDING. */
function observedLeftovers(
  leftovers: DnsLeftover[],
  pending: readonly ChangeInfo[],
  rewritten = false,
): ObservedResource<DnsLeftoversExtra> {
  const changeIds = pending.flatMap((change) => (change.Id ? [change.Id] : []));
  const unknown = pending.find((change) => change.Status === NO_SUCH_CHANGE);
  const state = unknown ? NO_SUCH_CHANGE : changeIds.length > 0 ? 'PENDING' : 'INSYNC';
  const names = leftovers.map((l) => fqdn(l.recordName));
  return {
    key: DNS_LEFTOVERS_KEY,
    type: RECORD_SET_TYPE,
    id: leftovers.map((l) => `${l.hostedZoneId}/${fqdn(l.recordName)}`).join(',') || changeIds.join(','),
    state,
    tags: {},
    attributes: {
      names,
      // The largest share of any name's lookups still sent to the Fargate tier (traffic/records.ts).
      fargatePercent: Math.max(0, ...leftovers.map((l) => fargateShare(l.records))),
      // The longest TTL they were written with, beyond the alias's 60 s (traffic/drain-clock.ts).
      ...longestTtl(leftovers),
      ...(rewritten ? { rewritten: true } : {}),
    },
    ...readyByState(WAITERS, state, `Route 53 change ${changeIds.join(', ')} is`),
    ...(unknown ? { notReadyReason: notKnown(unknown.Id) } : {}),
    foreign: false,
    extra: { leftovers, ...(changeIds.length > 0 ? { changeIds } : {}) },
  };
}

function longestTtl(leftovers: readonly DnsLeftover[]): { ttlSeconds?: number } {
  const ttls = leftovers.flatMap((l) => (l.ttlSeconds === undefined ? [] : [l.ttlSeconds]));
  return ttls.length > 0 ? { ttlSeconds: Math.max(...ttls) } : {};
}

/** The kind's changes the last pass left PENDING (`pendingChanges` keeps them as one comma-joined id). */
function keptChangeIds(ctx: ResourceContext): string[] {
  const kept = ctx.refs[DNS_LEFTOVERS_KEY]?.extra?.changeIds;
  if (kept) return kept;
  return ctx.intent.pendingChanges[DNS_LEFTOVERS_KEY]?.split(',').filter((id) => id !== '') ?? [];
}

async function find(ctx: ResourceContext): Promise<ObservedResource<DnsLeftoversExtra> | undefined> {
  const pending: ChangeInfo[] = [];
  for (const id of keptChangeIds(ctx)) {
    const change = await changeStatus(ctx, id);
    if (CHANGE_STATUS.pending.includes(change.Status ?? '')) pending.push(change);
  }
  const leftovers: DnsLeftover[] = [];
  for (const name of retiredNames(ctx)) {
    const left = await leftoverAt(ctx, name);
    // While a removal of ours is PENDING, a name it emptied is still the stack's business: resolvers may
    // still be answered its records, and what is found from the name (a custom domain) waits for it.
    if (left || pending.length > 0) leftovers.push(left ?? { ...name, records: [] });
  }
  if (leftovers.length === 0 && pending.length === 0) return undefined;
  return observedLeftovers(leftovers, pending);
}

/**
 * Per zone, one transactional batch (leftover-changes.ts says what goes in it). Answers what is left: the
 * names that keep their TXT while traffic drains, and the changes sent, PENDING until Route 53 has them
 * INSYNC (their ids kept for the next pass, and for the drain: traffic/known-change.ts).
 */
async function remove(
  ctx: ResourceContext,
  current: ObservedResource<DnsLeftoversExtra>,
): Promise<DeleteAnswer<DnsLeftoversExtra>> {
  const removal = {
    draining: ctx.intent.drainingRecords === true,
    rewrite: ctx.intent.rewriteWeights === true,
    ...(ctx.spec.dns ? { rewrittenZone: ctx.spec.dns.hostedZoneId } : {}),
  };
  const byZone = new Map<string, Change[]>();
  const kept: DnsLeftover[] = [];
  for (const observed of leftoversOf(current)) {
    // Read again: DELETE must repeat the values exactly, and the name must still be ours.
    const left = await leftoverAt(ctx, observed);
    if (!left) continue;
    const { changes, keptTxt } = leftoverChanges(left, ownerOf(ctx), removal);
    if (keptTxt || changes.length > 0)
      kept.push({ ...observed, records: [], ...(keptTxt ? { ownerTxt: keptTxt } : {}) });
    if (changes.length > 0)
      byZone.set(left.hostedZoneId, [...(byZone.get(left.hostedZoneId) ?? []), ...changes]);
  }
  const sent: ChangeInfo[] = [];
  for (const [zoneId, changes] of byZone) {
    // Each name's changes in their order (its TXT deleted last, after its records); Route 53 applies the
    // batch all or nothing.
    const answer = await ctx.clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Comment: `LambdaFlex ${ctx.spec.stack}: records no longer wanted`, Changes: changes },
      }),
    );
    sent.push(answer.ChangeInfo ?? {});
  }
  const pending = sent.filter((change) => CHANGE_STATUS.pending.includes(change.Status ?? ''));
  // A name emptied by a change already INSYNC is done with; one whose TXT stays, or whose change is
  // PENDING, is still left.
  const left = kept.filter((l) => l.ownerTxt !== undefined || pending.length > 0);
  if (left.length === 0 && pending.length === 0) return { left: undefined };
  // Asked for a change to wait on, every name has one: its own, or its zone's record's (`rewrittenZone`).
  const rewritten =
    sent.length > 0 || (removal.rewrite && left.every((l) => l.hostedZoneId === removal.rewrittenZone));
  return { left: observedLeftovers(left, pending, rewritten) };
}

/**
 * Whether only the ownership TXTs are left, kept while traffic drains, with nothing of this kind PENDING:
 * nothing to do until the drain is over, unless the pass must write a change to wait on (pass/plan.ts
 * leaves it out of a draining plan then).
 */
export function onlyOwnershipLeft(observed: ObservedResource | undefined): boolean {
  const extra = observed?.extra as DnsLeftoversExtra | undefined;
  return (
    observed !== undefined && observed.ready && (extra?.leftovers ?? []).every((l) => l.records.length === 0)
  );
}

/**
 * @example
 * // spec renamed from api.example.com to api2.example.com; the stack remembers both names:
 * await dnsLeftoversResource.find(ctx); // { attributes: { names: ['api.example.com.'], fargatePercent: 0 }, … } → delete:dns-leftovers
 */
export const dnsLeftoversResource: StackResource<typeof DNS_LEFTOVERS_KEY> = {
  key: DNS_LEFTOVERS_KEY,
  type: RECORD_SET_TYPE,
  service: 'route53',
  // Found each pass; without remembered names other than the spec's, nor a change to ask about, no call.
  steadyCheck: 'live',
  tier: 'lambda',
  // Deleted before what the old records may still point at (the API, a custom domain, the ALB), so that no
  // record is left aliasing a deleted target.
  dependsOn: [HTTP_API_KEY, API_DOMAIN_KEY, API_DOMAIN_LEFTOVERS_KEY, RESOURCE_KEYS.loadBalancer],
  errors: dnsRecordErrors,
  waiters: WAITERS,
  neededBy: () => false,
  desiredAttributes: () => ({}),
  find,
  create: () => Promise.reject(new Error(`${DNS_LEFTOVERS_KEY} is never created`)),
  delete: remove,
};

/**
 * The names to remember after a pass: every name that still holds something of the stack's, and the spec's
 * name once the stack's records are there. Names whose look-up failed are kept (unknown is not absent).
 */
export function namesToRemember(input: {
  before: readonly WrittenDnsName[];
  spec: DesiredState;
  resources: Readonly<ObservedResources>;
  unknown: Readonly<Record<string, string>>;
  recordKeys: readonly string[];
}): WrittenDnsName[] {
  const current = specName(input.spec);
  const leftoversUnknown = DNS_LEFTOVERS_KEY in input.unknown || API_DOMAIN_LEFTOVERS_KEY in input.unknown;
  const left = leftoversOf(input.resources[DNS_LEFTOVERS_KEY]);
  // The name proves the custom domain left there the stack's (apigateway/domain-leftovers.ts): it is kept
  // until that domain is gone too, which the old name's drain can hold after its records went.
  const domains = (input.resources[API_DOMAIN_LEFTOVERS_KEY]?.extra as { domainNames?: string[] } | undefined)
    ?.domainNames;
  const domainLeft = (name: WrittenDnsName) => (domains ?? []).some((d) => fqdn(d) === fqdn(name.recordName));
  const kept = input.before.filter(
    (name) =>
      (current && sameName(name, current)) ||
      leftoversUnknown ||
      left.some((l) => sameName(l, name)) ||
      domainLeft(name),
  );
  const oursAtCurrent = input.recordKeys.some((key) => {
    const record = input.resources[key];
    return record !== undefined && !record.foreign;
  });
  if (current && oursAtCurrent && !kept.some((name) => sameName(name, current))) kept.push(current);
  // The spec's TTL raised since its records were written: the longer one is what resolvers may hold.
  return kept.map((name) =>
    current && sameName(name, current) ? withLongerTtl(name, current.ttlSeconds) : name,
  );
}
