/**
 * The table's system record: what `lambdaflex bootstrap` was told about the account that the stacks'
 * records must agree with, kept beside them under a key no stack can have (stack names start with a
 * letter). Today: the hosted zones the reconciler may write records in, and the record names there
 * (`bootstrap --hosted-zone`); `apply` refuses a spec naming another zone.
 *
 * Written by bootstrap (reconciler/bootstrap/system-record-kind.ts), read by the stores
 * (`getSystemRecord`), never listed as a stack.
 */
import type { HostedZoneGrant } from '../iam/scopes';

/** The system record's key: `#` is never in a stack name, so it can't clash with one. */
export const SYSTEM_RECORD_KEY = '#lambdaflex-system';

export interface SystemRecord {
  /** Hosted zones the reconciler may write records in, and the names it may write (`*.example.com`). */
  hostedZones: HostedZoneGrant[];
  /** The zones' domain names, for messages (`Z123 (example.com)`). */
  zoneNames: Record<string, string>;
}

export function isSystemKey(key: unknown): boolean {
  return typeof key === 'string' && key.startsWith('#');
}

/** The record as stored (an item of the table), or undefined when it is not one. */
export function toSystemRecord(item: Record<string, unknown> | undefined): SystemRecord | undefined {
  if (!item || item['stack'] !== SYSTEM_RECORD_KEY) return undefined;
  const zones = Array.isArray(item['hostedZones']) ? (item['hostedZones'] as HostedZoneGrant[]) : [];
  return {
    hostedZones: zones.map((z) => ({
      id: String(z.id),
      recordNames: [...(z.recordNames ?? [])].map(String),
    })),
    zoneNames: { ...((item['zoneNames'] as Record<string, string> | undefined) ?? {}) },
  };
}

/** Whether a record name (`api.example.com.` or without the dot) matches one of a zone's patterns. */
export function recordNameAllowed(name: string, patterns: readonly string[]): boolean {
  const normalised = name.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) =>
    new RegExp(
      `^${pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(normalised),
  );
}

/**
 * Why a spec's `dns` may not be applied here, or undefined when it may (or nothing is configured: a
 * table bootstrap never saw).
 */
export function dnsRefusal(
  dns: { hostedZoneId: string; recordName: string } | undefined,
  system: SystemRecord | undefined,
): string | undefined {
  if (!dns || !system) return undefined;
  const allowed = system.hostedZones
    .map((z) => `${z.id}${system.zoneNames[z.id] ? ` (${system.zoneNames[z.id]})` : ''}`)
    .join(', ');
  const zone = system.hostedZones.find((z) => z.id === dns.hostedZoneId);
  if (!zone) {
    return system.hostedZones.length === 0
      ? `dns.hostedZoneId: ${dns.hostedZoneId} is not a hosted zone the reconciler may write in: bootstrap was given none (lambdaflex bootstrap --hosted-zone ${dns.hostedZoneId})`
      : `dns.hostedZoneId: ${dns.hostedZoneId} is not a hosted zone the reconciler may write in; allowed: ${allowed} (lambdaflex bootstrap --hosted-zone ${dns.hostedZoneId} adds it)`;
  }
  if (!recordNameAllowed(dns.recordName, zone.recordNames)) {
    return `dns.recordName: ${dns.recordName} is not a name the reconciler may write in ${zone.id}; allowed: ${zone.recordNames.join(', ')}`;
  }
  return undefined;
}
