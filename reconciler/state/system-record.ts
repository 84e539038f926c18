/**
 * The table's system record: what `lambdaflex bootstrap` was told about the account that the stacks'
 * records must agree with, kept beside them under a key no stack can have (stack names start with a
 * letter). Today: the hosted zones the reconciler may write records in, and the record names there
 * (`bootstrap --hosted-zone`); `apply` refuses a spec naming another zone. And the ceilings on what one
 * stack's spec may take of the region's shared capacity (state/ceilings.ts): its reserved Lambda
 * concurrency (`bootstrap --max-reserved-concurrency`) and its Fargate vCPUs (`--max-fargate-vcpus`).
 *
 * Written by bootstrap (reconciler/bootstrap/system-record-kind.ts), read by the stores
 * (`getSystemRecord`), never listed as a stack.
 */
import type { HostedZoneGrant } from '../iam/scopes';
import { allCeilings, CEILINGS, fargateVcpus, storedCeiling, type CeilingHolder } from './ceilings';

export { fargateVcpus };

/** The system record's key: `#` is never in a stack name, so it can't clash with one. */
export const SYSTEM_RECORD_KEY = '#lambdaflex-system';

export interface SystemRecord {
  /** Hosted zones the reconciler may write records in, and the names it may write (`*.example.com`). */
  hostedZones: HostedZoneGrant[];
  /** The zones' domain names, for messages (`Z123 (example.com)`). */
  zoneNames: Record<string, string>;
  /**
   * The most one stack's `lambda.reservedConcurrency` may be (`bootstrap --max-reserved-concurrency`).
   * Each ceiling is absent from a record from before it existed (or edited by hand), and from records
   * built in code: state/ceilings.ts `ceilingOf` reads it, with the default.
   */
  maxReservedConcurrency?: number;
  /**
   * The most vCPUs one stack's Fargate tier may run at its largest, a rollout included (twice
   * `fargate.maxTasks`) × the vCPUs of `fargate.cpu` (`bootstrap --max-fargate-vcpus`).
   */
  maxFargateVcpus?: number;
}

/**
 * The reserved-concurrency ceiling when the operator gave none: a tenth of the 1,000 concurrent executions
 * a region's account has by default (state/ceilings.ts; docs/security.md, "Lambda concurrency").
 */
export const DEFAULT_MAX_RESERVED_CONCURRENCY = CEILINGS.reservedConcurrency.defaultValue;

/** The Fargate vCPUs ceiling when the operator gave none (state/ceilings.ts; docs/security.md, "Fargate vCPUs"). */
export const DEFAULT_MAX_FARGATE_VCPUS = CEILINGS.fargateVcpus.defaultValue;

/** The ceilings an item stores as the option gives them; one stored otherwise (a hand edit) is left out. */
function storedCeilings(item: Record<string, unknown>): CeilingHolder {
  const held: CeilingHolder = {};
  for (const ceiling of allCeilings()) {
    const value = storedCeiling(ceiling, item[ceiling.attribute]);
    if (value !== undefined) held[ceiling.attribute] = value;
  }
  return held;
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
    // A record from before a ceiling existed has none (a hand edit neither): it reads as the default.
    ...storedCeilings(item),
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
 * The `--hosted-zone` options of a bootstrap that keeps every zone and name already given and adds
 * `zone` (with `recordName` when the zone is given already). Bootstrap replaces the list with the zones
 * it is given: a command naming only the new zone would take the others away from their stacks.
 */
function bootstrapAdding(system: SystemRecord, zone: string, recordName: string): string {
  const grants = system.hostedZones.map((z) => ({ ...z, recordNames: [...z.recordNames] }));
  const kept = grants.find((z) => z.id === zone);
  if (kept) kept.recordNames.push(recordName.toLowerCase().replace(/\.$/, ''));
  const options = grants.map((z) => {
    const name = system.zoneNames[z.id];
    const byDefault = name !== undefined && z.recordNames.length === 1 && z.recordNames[0] === `*.${name}`;
    return byDefault ? `--hosted-zone ${z.id}` : `--hosted-zone ${z.id}='${z.recordNames.join(',')}'`;
  });
  if (!kept) options.push(`--hosted-zone ${zone}`);
  return `bootstrap ${options.join(' ')}`;
}

/**
 * Why a spec's `dns` may not be applied here, or undefined when it may (or nothing is configured: a
 * table bootstrap never saw). The message ends with the bootstrap that would allow it; `command` renders
 * it with the caller's global options (`lambdaflex --local …`).
 */
export function dnsRefusal(
  dns: { hostedZoneId: string; recordName: string } | undefined,
  system: SystemRecord | undefined,
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string | undefined {
  if (!dns || !system) return undefined;
  const allowed = system.hostedZones
    .map((z) => `${z.id}${system.zoneNames[z.id] ? ` (${system.zoneNames[z.id]})` : ''}`)
    .join(', ');
  const zone = system.hostedZones.find((z) => z.id === dns.hostedZoneId);
  const fix = `\`${command(bootstrapAdding(system, dns.hostedZoneId, dns.recordName))}\` adds it`;
  if (!zone) {
    return system.hostedZones.length === 0
      ? `dns.hostedZoneId: ${dns.hostedZoneId} is not a hosted zone the reconciler may write in: bootstrap was given none (${fix})`
      : `dns.hostedZoneId: ${dns.hostedZoneId} is not a hosted zone the reconciler may write in; allowed: ${allowed} (${fix})`;
  }
  if (!recordNameAllowed(dns.recordName, zone.recordNames)) {
    return `dns.recordName: ${dns.recordName} is not a name the reconciler may write in ${zone.id}; allowed: ${zone.recordNames.join(', ')} (${fix})`;
  }
  return undefined;
}
