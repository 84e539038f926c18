/**
 * The stack's records at DNS names its spec no longer wants: `dns` removed, `dns.recordName` renamed,
 * `dns.hostedZoneId` moved. Records can't be tagged, so they are found from the names the stack remembers
 * writing at (written-dns-names.ts), and only where the name is still the stack's (dns-ownership.ts): its
 * ownership TXT names the stack, or (records written before the TXT registry) only LambdaFlex's weighted
 * records are there. One resource stands for them all; it is never wanted, so the plan deletes it: in each
 * zone one batch DELETEs the weighted records exactly as Route 53 holds them and the TXT last.
 *
 * The records at the spec's own name are the `dns-lambda` and `dns-fargate` kinds' (dns-record.ts).
 */
import {
  ChangeResourceRecordSetsCommand,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { DesiredState } from '../../../spec/types';
import { API_DOMAIN_LEFTOVERS_KEY } from '../apigateway/domain-leftovers';
import { HTTP_API_KEY } from '../apigateway/support';
import { API_DOMAIN_KEY } from '../apigateway/domain';
import { dnsRecordErrors } from './dns-record-errors';
import { fqdn, OUR_SET_IDENTIFIERS } from './dns-ownership';
import { readOwnership } from './read-ownership';
import { RECORD_SET_TYPE } from './weighted-record';
import type { ObservedResource, ObservedResources, ResourceContext, StackResource } from '../types';
import { sameName, specName, type WrittenDnsName } from './written-dns-names';
import { RESOURCE_KEYS } from '../keys';

export const DNS_LEFTOVERS_KEY = RESOURCE_KEYS.dnsLeftovers;

/** One name's leftovers as Route 53 holds them: what a DELETE must repeat exactly. */
export interface DnsLeftover extends WrittenDnsName {
  records: ResourceRecordSet[];
  /** The ownership TXT naming the stack; absent for records written before the TXT registry. */
  ownerTxt?: ResourceRecordSet;
}

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

/** What `find` keeps in `extra` for `delete`: each name's records as Route 53 holds them. */
export interface DnsLeftoversExtra {
  leftovers: DnsLeftover[];
}

function leftoversOf(observed: ObservedResource<DnsLeftoversExtra> | undefined): DnsLeftover[] {
  return observed?.extra?.leftovers ?? [];
}

async function find(ctx: ResourceContext): Promise<ObservedResource<DnsLeftoversExtra> | undefined> {
  const leftovers: DnsLeftover[] = [];
  for (const name of retiredNames(ctx)) {
    const left = await leftoverAt(ctx, name);
    if (left) leftovers.push(left);
  }
  if (leftovers.length === 0) return undefined;
  const names = leftovers.map((l) => fqdn(l.recordName));
  return {
    key: DNS_LEFTOVERS_KEY,
    type: RECORD_SET_TYPE,
    id: leftovers.map((l) => `${l.hostedZoneId}/${fqdn(l.recordName)}`).join(','),
    tags: {},
    attributes: { names },
    ready: true,
    foreign: false,
    extra: { leftovers } satisfies DnsLeftoversExtra,
  };
}

/** Per zone, one transactional batch: every weighted record, then each name's TXT. */
async function remove(ctx: ResourceContext, current: ObservedResource<DnsLeftoversExtra>): Promise<void> {
  const byZone = new Map<string, Change[]>();
  for (const observed of leftoversOf(current)) {
    // Read again: DELETE must repeat the values exactly, and the name must still be ours.
    const left = await leftoverAt(ctx, observed);
    if (!left) continue;
    const changes = byZone.get(left.hostedZoneId) ?? [];
    changes.push(...left.records.map((set): Change => ({ Action: 'DELETE', ResourceRecordSet: set })));
    if (left.ownerTxt) changes.push({ Action: 'DELETE', ResourceRecordSet: left.ownerTxt });
    byZone.set(left.hostedZoneId, changes);
  }
  for (const [zoneId, changes] of byZone) {
    // The TXTs last, after every weighted record of the batch.
    const ordered = [
      ...changes.filter((c) => c.ResourceRecordSet?.Type !== 'TXT'),
      ...changes.filter((c) => c.ResourceRecordSet?.Type === 'TXT'),
    ];
    await ctx.clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Comment: `LambdaFlex ${ctx.spec.stack}: records no longer wanted`, Changes: ordered },
      }),
    );
  }
}

/**
 * @example
 * // spec renamed from api.example.com to api2.example.com; the stack remembers both names:
 * await dnsLeftoversResource.find(ctx); // { attributes: { names: ['api.example.com.'] }, … } → delete:dns-leftovers
 */
export const dnsLeftoversResource: StackResource<typeof DNS_LEFTOVERS_KEY> = {
  key: DNS_LEFTOVERS_KEY,
  type: RECORD_SET_TYPE,
  service: 'route53',
  // Found each pass; without remembered names other than the spec's it makes no call.
  steadyCheck: 'live',
  tier: 'lambda',
  // Deleted before what the old records may still point at (the API, a custom domain, the ALB), so that no
  // record is left aliasing a deleted target.
  dependsOn: [HTTP_API_KEY, API_DOMAIN_KEY, API_DOMAIN_LEFTOVERS_KEY, RESOURCE_KEYS.loadBalancer],
  errors: dnsRecordErrors,
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
  const leftoversUnknown = DNS_LEFTOVERS_KEY in input.unknown;
  const left = leftoversOf(input.resources[DNS_LEFTOVERS_KEY]);
  const kept = input.before.filter(
    (name) => (current && sameName(name, current)) || leftoversUnknown || left.some((l) => sameName(l, name)),
  );
  const oursAtCurrent = input.recordKeys.some((key) => {
    const record = input.resources[key];
    return record !== undefined && !record.foreign;
  });
  if (current && oursAtCurrent && !kept.some((name) => sameName(name, current))) kept.push(current);
  return kept;
}
