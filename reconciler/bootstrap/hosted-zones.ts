/**
 * `bootstrap --hosted-zone ID[=NAME,…]`: the hosted zones the reconciler may write records in, and the
 * record names there. Without names, every name below the zone's apex (`*.example.com`): the apex's own
 * records (NS, SOA, MX of the domain) are never the reconciler's. Each zone is looked up (bootstrap runs
 * with the operator's credentials) so that a typo fails here, not at the first DNS change.
 */
import { GetHostedZoneCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { HostedZoneGrant } from '../iam/scopes';

export interface ConfiguredZones {
  hostedZones: HostedZoneGrant[];
  zoneNames: Record<string, string>;
}

const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** Route 53's normalised names: lower case, no final dot; `*` and `?` as IAM's StringLike reads them. */
const NAME = /^[a-z0-9*?_.-]+$/;

/** `Z123` or `Z123=api.example.com,*.svc.example.com` → the zone and the names asked for. */
export function parseHostedZoneOption(value: string): { id: string; names?: string[] } {
  const [rawId, rawNames] = value.split('=', 2) as [string, string | undefined];
  const id = rawId.trim().replace(/^\/?hostedzone\//, '');
  if (!ZONE_ID.test(id)) {
    throw new Error(
      `--hosted-zone ${value}: "${id}" is not a hosted zone id (Z followed by letters and digits)`,
    );
  }
  if (rawNames === undefined) return { id };
  const names = rawNames
    .split(',')
    .map((n) => n.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
  const bad = names.find((n) => !NAME.test(n));
  if (names.length === 0 || bad !== undefined) {
    throw new Error(
      `--hosted-zone ${value}: record names are DNS names, * and ? allowed (got "${bad ?? ''}")`,
    );
  }
  return { id, names };
}

export async function resolveHostedZones(
  route53: Route53Client,
  options: string[],
): Promise<ConfiguredZones> {
  const hostedZones: HostedZoneGrant[] = [];
  const zoneNames: Record<string, string> = {};
  for (const option of options) {
    const { id, names } = parseHostedZoneOption(option);
    let zoneName: string;
    try {
      const answer = await route53.send(new GetHostedZoneCommand({ Id: id }));
      zoneName = (answer.HostedZone?.Name ?? '').toLowerCase().replace(/\.$/, '');
    } catch (error) {
      throw new Error(`--hosted-zone ${id}: ${(error as Error).message}`, { cause: error });
    }
    const outside = (names ?? []).find((n) => n !== zoneName && !n.endsWith(`.${zoneName}`));
    if (outside) throw new Error(`--hosted-zone ${option}: ${outside} is not a name in ${zoneName}`);
    const existing = hostedZones.find((z) => z.id === id);
    const recordNames = names ?? [`*.${zoneName}`];
    if (existing) existing.recordNames = [...new Set([...existing.recordNames, ...recordNames])];
    else hostedZones.push({ id, recordNames });
    zoneNames[id] = zoneName;
  }
  return { hostedZones, zoneNames };
}

/**
 * The zones as given, without looking them up (`--print-policy --account`, which calls no AWS): each must
 * name its records, since the default `*.<zone>` needs the zone's name from Route 53.
 */
export function hostedZonesAsGiven(options: string[]): ConfiguredZones {
  const hostedZones: HostedZoneGrant[] = [];
  for (const option of options) {
    const { id, names } = parseHostedZoneOption(option);
    if (!names) {
      throw new Error(
        `--hosted-zone ${option}: without AWS calls the zone's name is not known; give its record names (${id}=api.example.com)`,
      );
    }
    const existing = hostedZones.find((z) => z.id === id);
    if (existing) existing.recordNames = [...new Set([...existing.recordNames, ...names])];
    else hostedZones.push({ id, recordNames: names });
  }
  return { hostedZones, zoneNames: {} };
}
