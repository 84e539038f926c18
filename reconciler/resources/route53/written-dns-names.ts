/**
 * The DNS names a stack has written records at, kept in its bookkeeping: Route 53 records can't be tagged,
 * so what the stack wrote can't be found again by tag, only remembered. A name is remembered before the
 * first write there and forgotten once nothing of the stack's is left at it, so that records are removed
 * when `dns` goes from the spec, when `dns.recordName` or `dns.hostedZoneId` changes, and on delete.
 *
 * Finders read the remembered names from the pass's intent (`Intent.dnsNames`, resources/intent.ts).
 */
import type { DesiredState } from '../../../spec/types';
import { fqdn } from './dns-ownership';

export interface WrittenDnsName {
  hostedZoneId: string;
  /** Fully qualified, lower case, with the root dot. */
  recordName: string;
}

export function writtenName(hostedZoneId: string, recordName: string): WrittenDnsName {
  return { hostedZoneId, recordName: fqdn(recordName) };
}

export function sameName(a: WrittenDnsName, b: WrittenDnsName): boolean {
  return a.hostedZoneId === b.hostedZoneId && fqdn(a.recordName) === fqdn(b.recordName);
}

/** The name the spec wants records at, if any. */
export function specName(spec: DesiredState): WrittenDnsName | undefined {
  return spec.dns ? writtenName(spec.dns.hostedZoneId, spec.dns.recordName) : undefined;
}

/** `names` with `name` added (once). */
export function withName(names: readonly WrittenDnsName[], name: WrittenDnsName): WrittenDnsName[] {
  return names.some((n) => sameName(n, name)) ? [...names] : [...names, name];
}

/** Whether the stack remembers writing records at `name`. */
export function isRemembered(remembered: readonly WrittenDnsName[], name: WrittenDnsName): boolean {
  return remembered.some((n) => sameName(n, name));
}

/**
 * Names from a status written before the names were remembered: its weighted records' ids,
 * `<zone>/<name>/A/<tier>`. Such records were written by this stack and carry no ownership TXT yet.
 */
export function namesFromRecordIds(ids: readonly string[]): WrittenDnsName[] {
  let names: WrittenDnsName[] = [];
  for (const id of ids) {
    const match = /^(Z[A-Z0-9]+)\/(.+)\/A\/(lambda|fargate)$/.exec(id);
    if (match) names = withName(names, writtenName(match[1]!, match[2]!));
  }
  return names;
}
