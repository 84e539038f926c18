/**
 * The name that is not the stack's (safety rule 7: its ownership TXT names someone else, or records
 * LambdaFlex did not write are there). The stack writes nothing there, but what it wrote before the name
 * changed hands may still route lookups to its ALB: a weighted `fargate` set still pointing at it keeps
 * the Fargate tier (safety rule 2), and a name the stack remembers writing may be propagating a change of
 * its own that nothing tells the end of. Only a name with nothing of the stack's lets the drain start
 * without a change of its own to wait on.
 */
import type { Observation } from '../engine/types';
import { loadBalancerResource } from '../resources/elbv2/load-balancer';
import { extraOf } from '../resources/extra';
import { RESOURCE_KEYS } from '../resources/keys';
import { DNS_KEYS, LEFTOVERS_KEY } from './decision';

/** The key of one of the two weighted records. */
type DnsKey = (typeof DNS_KEYS)[keyof typeof DNS_KEYS];

/** What the record kind found at a name that is not the stack's (route53/record-observation.ts). */
function foreignRecordExtra(observation: Observation, key: DnsKey) {
  return observation.resources[key]?.foreign ? extraOf(observation.resources, { key }) : undefined;
}

/**
 * A foreign record at a name the stack remembers writing: a change of the stack's there may still be
 * propagating (the name handed to another stack after it), and nothing tells when it is INSYNC.
 */
export function stackWroteThere(observation: Observation, key: DnsKey): boolean {
  return foreignRecordExtra(observation, key)?.wroteThere === true;
}

/** What the traffic engine reads of a record set Route 53 holds (the record kind's `extra.recordSet`). */
interface HeldRecordSet {
  Weight?: number;
  AliasTarget?: { DNSName?: string };
}

/** An alias target's DNS name as compared: lower case, without the root dot. */
const hostName = (name: string | undefined) => name?.toLowerCase().replace(/\.$/, '');

/**
 * Why a weighted record the stack can no longer write may still send lookups to its ALB, or undefined.
 * Its ownership TXT taken over by someone else (safety rule 7), the name's `fargate` set the stack wrote
 * reads as foreign and carries none of the stack's weight; but while it points at the stack's ALB with
 * a weight, resolvers send requests there, and deleting the Fargate tier would drop them (safety rule 2).
 * The ALB not observed: it may be the one pointed at.
 */
export function strandedOnFargate(observation: Observation): string | undefined {
  const set = foreignFargateSet(observation);
  if (!set || (set.Weight ?? 0) === 0 || !mayAliasStackAlb(observation, set)) return undefined;
  const record = observation.resources[DNS_KEYS.fargate]!;
  return `${record.conflict ?? `${record.id} is not the stack's`}, and its fargate record still sends lookups to the stack's ALB (weight ${set.Weight})`;
}

/** The `fargate` set at the name when the name is not the stack's (the record kind keeps what it found). */
function foreignFargateSet(observation: Observation): HeldRecordSet | undefined {
  return foreignRecordExtra(observation, DNS_KEYS.fargate)?.recordSet;
}

/** Whether a record set may point at the stack's ALB: it does, or the ALB was not observed. */
function mayAliasStackAlb(observation: Observation, set: HeldRecordSet): boolean {
  if (RESOURCE_KEYS.loadBalancer in observation.unknown) return true;
  const alb = observation.resources[RESOURCE_KEYS.loadBalancer];
  const albName =
    alb && !alb.foreign ? extraOf(observation.resources, loadBalancerResource)?.dnsName : undefined;
  return albName !== undefined && hostName(albName) === hostName(set.AliasTarget?.DNSName);
}

/**
 * Whether the name is someone else's and nothing there can be a record of the stack's: its records read
 * as foreign (or are absent), and no set at the name points at the stack's ALB. Then no change of the
 * stack's can have moved traffic there, and none can be written (safety rule 7): the drain needs no change
 * of its own to start from. (A stack of another installation, or region, that wants a name another stack
 * holds: it never wrote there, and asking it to write the records again would hold its delete forever.)
 */
export function nothingOfOursAtTheName(observation: Observation): boolean {
  // Records of ours left at a name the spec dropped are the stack's to drain, by a change of its own.
  const leftovers = observation.resources[LEFTOVERS_KEY];
  if (leftovers && !leftovers.foreign) return false;
  const records = Object.values(DNS_KEYS).map((key) => observation.resources[key]);
  if (!records.some((record) => record?.foreign) || records.some((record) => record && !record.foreign))
    return false;
  // A name the stack remembers writing: its records there may have been re-pointed or handed to another
  // stack by a change still propagating, while Route 53's answers name the stack's ALB; no change of its
  // own says when they stopped, so the drain may not start on what the zone holds now.
  if (Object.values(DNS_KEYS).some((key) => stackWroteThere(observation, key))) return false;
  const set = foreignFargateSet(observation);
  return set === undefined || !mayAliasStackAlb(observation, set);
}
