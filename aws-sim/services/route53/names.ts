/** DNS name helpers: Route 53 keeps names fully qualified, in lower case, with the trailing dot. */

export function fqdn(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** Whether `name` lies in the zone `zoneName` (both fully qualified). */
export function isInZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** Strips the `/hostedzone/` or `/change/` prefix that the SDK's id normalizer would strip. */
export function bareId(id: string): string {
  return id.replace(/^\/(hostedzone|change|delegationset)\//, '');
}

/**
 * Route 53 lists record sets in DNS order: labels compared from the right (`com.example.www`), then
 * type, then set identifier (ListResourceRecordSets API reference).
 */
export function recordOrderKey(name: string, type: string, setIdentifier = ''): string {
  const reversed = name.replace(/\.$/, '').split('.').reverse().join('.');
  return `${reversed}\u0000${type}\u0000${setIdentifier}`;
}

export function recordKey(name: string, type: string, setIdentifier?: string): string {
  return `${name}|${type}|${setIdentifier ?? ''}`;
}

/** The name AWS error messages use for a record set. */
export function describeRecord(name: string, type: string, setIdentifier?: string): string {
  const id = setIdentifier === undefined ? '' : `, set-identifier='${setIdentifier}'`;
  return `[name='${name}', type='${type}'${id}]`;
}
