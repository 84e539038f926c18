/**
 * Who owns a DNS name: LambdaFlex's TXT registry, after external-dns's (its "TXT registry", docs/ownership.md).
 * Route 53 records can't be tagged, so beside each name it writes LambdaFlex keeps one TXT record that names
 * the stack, and reads it before every change:
 *
 * - Name: external-dns's TXT registry configured with the prefix `lambdaflex-%{record_type}.`, i.e. the
 *   record type and a dot before the record's name: `lambdaflex-a.api.example.com` for the A records of
 *   `api.example.com`. A label of its own, so the TXT is always inside the record's zone (the apex too) and
 *   never collides with the name's own TXT or CNAME records.
 * - Value: external-dns's heritage format, one quoted character string of sorted `key=value` labels:
 *   `"heritage=lambdaflex,lambdaflex/region=us-east-1,lambdaflex/stack=orders-api"`. Zones are global and
 *   stacks are regional, so the owner is the stack AND its region.
 *
 * A name is this stack's when that TXT names it. A name whose TXT names another stack, whose TXT is not
 * LambdaFlex's, or that held A, AAAA or CNAME records without any TXT (someone's `www`) is foreign: nothing
 * there is created, changed or deleted (safety rule 7). The one exception is a name the stack remembers
 * writing (its bookkeeping) that holds only LambdaFlex's weighted records: records written before the
 * registry existed, whose TXT is then added.
 *
 * Pure: no SDK calls here; dns-record.ts and dns-leftovers.ts read Route 53 and act on the verdict.
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';

/** external-dns's `heritage` value names the tool that wrote a registry record. */
export const HERITAGE = 'lambdaflex';
export const OWNER_TXT_PREFIX = 'lambdaflex-';
/** The TXT's own TTL: it is read by LambdaFlex through the API, never by resolvers in a hurry. */
export const OWNER_TXT_TTL_SECONDS = 300;
/** The set identifiers of LambdaFlex's weighted records, one per tier. */
export const OUR_SET_IDENTIFIERS: readonly string[] = ['lambda', 'fargate'];
/** Record types that make a name "taken": what resolves it to a host, and what a weighted A clashes with. */
const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

export interface DnsOwner {
  stack: string;
  region: string;
}

/** Lower case, with the root dot, as Route 53 answers names. */
export function fqdn(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** `api.example.com` → `lambdaflex-a.api.example.com.` */
export function ownerTxtName(recordName: string, recordType = 'A'): string {
  return `${OWNER_TXT_PREFIX}${recordType.toLowerCase()}.${fqdn(recordName)}`;
}

/** The TXT value naming `owner`, quoted as Route 53 wants TXT values. */
export function ownerTxtValue(owner: DnsOwner): string {
  const labels: Record<string, string> = { region: owner.region, stack: owner.stack };
  const tokens = Object.keys(labels)
    .sort()
    .map((key) => `${HERITAGE}/${key}=${labels[key]}`);
  return `"${[`heritage=${HERITAGE}`, ...tokens].join(',')}"`;
}

/** The labels of a LambdaFlex registry value, or undefined when the value is not one (no heritage). */
export function parseOwnerTxt(value: string): Record<string, string> | undefined {
  const text = value.trim().replace(/^"/, '').replace(/"$/, '');
  const labels: Record<string, string> = {};
  let heritage: string | undefined;
  for (const token of text.split(',')) {
    const at = token.indexOf('=');
    if (at < 0) continue;
    const key = token.slice(0, at).trim();
    const val = token.slice(at + 1).trim();
    if (key === 'heritage') heritage = val;
    else if (key.startsWith(`${HERITAGE}/`)) labels[key.slice(HERITAGE.length + 1)] = val;
  }
  return heritage === HERITAGE ? labels : undefined;
}

/** The ownership TXT record set LambdaFlex writes for `owner` beside `recordName`. */
export function ownerTxtRecordSet(recordName: string, owner: DnsOwner): ResourceRecordSet {
  return {
    Name: ownerTxtName(recordName),
    Type: 'TXT',
    TTL: OWNER_TXT_TTL_SECONDS,
    ResourceRecords: [{ Value: ownerTxtValue(owner) }],
  };
}

function describeOwner(labels: Record<string, string>): string {
  return `stack ${labels.stack ?? '(unnamed)'}${labels.region ? ` (${labels.region})` : ''}`;
}

/** `A (weighted 'lambda')`, `CNAME`, … for messages. */
export function describeSet(set: ResourceRecordSet): string {
  const routing = set.SetIdentifier === undefined ? '' : ` (set identifier '${set.SetIdentifier}')`;
  return `${set.Type}${routing}`;
}

export type Ownership =
  /** The TXT names this stack: its records there may be written and deleted. */
  | { verdict: 'ours'; txt: ResourceRecordSet }
  /** No TXT and nothing at the name: the first write creates the TXT with the records. */
  | { verdict: 'free' }
  /** No TXT, but the stack remembers writing the weighted records there: the next write adds the TXT. */
  | { verdict: 'remembered' }
  | ForeignOwnership;

/**
 * Another stack's, or someone else's: `inTheWay` says what, for the Conflict condition. `wroteThere`:
 * the stack remembers writing records at the name all the same (the name changed hands after, or its
 * records were joined by someone else's): a change of its own there may still be propagating, so
 * Route 53's answers may still name its ALB (the traffic engine waits on it, traffic/foreign-name.ts).
 */
export interface ForeignOwnership {
  verdict: 'foreign';
  inTheWay: string;
  wroteThere: boolean;
}

export interface OwnershipInput {
  recordName: string;
  /** Every record set named exactly `recordName` (any type). */
  atName: readonly ResourceRecordSet[];
  /** The record set at `ownerTxtName(recordName)`, if any (any type). */
  txt: ResourceRecordSet | undefined;
  owner: DnsOwner;
  /** Whether the stack's bookkeeping says it wrote records at this name. */
  remembered: boolean;
}

/**
 * Safety rule 7 as a verdict.
 *
 * @example
 * ownershipOf({ recordName: 'www.example.com', atName: [simpleA], txt: undefined, owner, remembered: false });
 * // { verdict: 'foreign', wroteThere: false, inTheWay: 'www.example.com. held A records without a LambdaFlex ownership TXT …' }
 */
export function ownershipOf(input: OwnershipInput): Ownership {
  const name = fqdn(input.recordName);
  const txtName = ownerTxtName(name);
  const { txt } = input;
  if (txt) {
    const values = (txt.ResourceRecords ?? []).map((r) => r.Value ?? '');
    const labels = txt.Type === 'TXT' && values.length === 1 ? parseOwnerTxt(values[0]!) : undefined;
    if (!labels) {
      return {
        verdict: 'foreign',
        wroteThere: input.remembered,
        inTheWay: `${txtName} holds a ${describeSet(txt)} record that is not a LambdaFlex ownership TXT`,
      };
    }
    if (labels.stack === input.owner.stack && labels.region === input.owner.region) {
      return { verdict: 'ours', txt };
    }
    return {
      verdict: 'foreign',
      wroteThere: input.remembered,
      inTheWay: `${name} is owned by ${describeOwner(labels)}: its ownership TXT ${txtName} names it`,
    };
  }
  const taken = input.atName.filter((set) => ADDRESS_TYPES.has(set.Type ?? ''));
  if (taken.length === 0) return { verdict: 'free' };
  const onlyOurs = taken.every(
    (set) => set.Type === 'A' && OUR_SET_IDENTIFIERS.includes(set.SetIdentifier ?? ''),
  );
  if (input.remembered && onlyOurs) return { verdict: 'remembered' };
  return {
    verdict: 'foreign',
    wroteThere: input.remembered,
    inTheWay: `${name} held ${taken.map(describeSet).join(', ')} records without a LambdaFlex ownership TXT (${txtName}): they were not written by this stack`,
  };
}

/**
 * The changes that make a batch commit only while the TXT still names this stack: DELETE it with its exact
 * value, then CREATE it again. Route 53 applies a batch all or nothing and a DELETE must match the current
 * values, so if the TXT changed since it was read, nothing in the batch happens (InvalidChangeBatch).
 */
export function guardChanges(txt: ResourceRecordSet): Change[] {
  return [
    { Action: 'DELETE', ResourceRecordSet: txt },
    { Action: 'CREATE', ResourceRecordSet: txt },
  ];
}

/**
 * The key Route 53 sorts record sets by: the name with its labels reversed (`com.example.www`), as the
 * ListResourceRecordSets API reference describes it.
 */
export function dnsOrderKey(name: string): string {
  return fqdn(name).replace(/\.$/, '').split('.').reverse().join('.');
}
