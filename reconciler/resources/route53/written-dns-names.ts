/**
 * The DNS names a stack has written records at, kept in its bookkeeping: Route 53 records can't be tagged,
 * so what the stack wrote can't be found again by tag, only remembered. A name is remembered before the
 * first write there and forgotten once nothing of the stack's is left at it, so that records are removed
 * when `dns` goes from the spec, when `dns.recordName` or `dns.hostedZoneId` changes, and on delete.
 *
 * Finders read the remembered names from the pass's intent (`Intent.dnsNames`, resources/intent.ts).
 */
import type { DesiredState } from '../../../spec/types';
import { LOAD_BALANCER_ALIAS_TTL_SECONDS } from '../../../aws-facts/route53-alias-ttl';
import { fqdn } from './dns-ownership';

export interface WrittenDnsName {
  hostedZoneId: string;
  /** Fully qualified, lower case, with the root dot. */
  recordName: string;
  /**
   * The longest `dns.ttlSeconds` a spec asked for at the name, when longer than the alias records' 60 s
   * (the only TTL that lengthens the drain, traffic/drain-clock.ts): once the spec drops the name, its
   * records still drain with the TTL they were written with. Absent: 60 s.
   */
  ttlSeconds?: number;
}

export function writtenName(hostedZoneId: string, recordName: string): WrittenDnsName {
  return { hostedZoneId, recordName: fqdn(recordName) };
}

export function sameName(a: WrittenDnsName, b: WrittenDnsName): boolean {
  return a.hostedZoneId === b.hostedZoneId && fqdn(a.recordName) === fqdn(b.recordName);
}

/** The name the spec wants records at, if any, with its TTL when that lengthens the drain. */
export function specName(spec: DesiredState): WrittenDnsName | undefined {
  if (!spec.dns) return undefined;
  const name = writtenName(spec.dns.hostedZoneId, spec.dns.recordName);
  const ttl = spec.dns.ttlSeconds;
  return ttl > LOAD_BALANCER_ALIAS_TTL_SECONDS ? { ...name, ttlSeconds: ttl } : name;
}

/** `names` with `name` added (once), a remembered one keeping the longer of the two TTLs. */
export function withName(names: readonly WrittenDnsName[], name: WrittenDnsName): WrittenDnsName[] {
  if (!names.some((n) => sameName(n, name))) return [...names, name];
  return names.map((n) => (sameName(n, name) ? withLongerTtl(n, name.ttlSeconds) : n));
}

/** `name` with the longer of its TTL and `ttlSeconds` (resolvers may hold what either wrote). */
export function withLongerTtl(name: WrittenDnsName, ttlSeconds: number | undefined): WrittenDnsName {
  if (ttlSeconds === undefined || (name.ttlSeconds ?? 0) >= ttlSeconds) return name;
  return { ...name, ttlSeconds };
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
