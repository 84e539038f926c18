/** Hosted zones: the one every new account holds, and how they look in API answers. */
import type { SimAccount } from '../../core/account';
import { fqdn } from './names';
import type { HostedZone, Route53State } from './state';

export const DEFAULT_ZONE_NAME = 'example.test';

/** Hosted zone ids are `Z` and 13 to 21 upper-case letters and digits. */
export function newZoneId(account: SimAccount): string {
  return account.newId('Z', 20).toUpperCase();
}

/** Change ids look like `C2682N5HXP0BZ4`. */
export function newChangeId(account: SimAccount): string {
  return account.newId('C', 20).toUpperCase();
}

export function createZone(account: SimAccount, name: string, callerReference: string): HostedZone {
  const id = newZoneId(account);
  const zoneName = fqdn(name);
  const nameServers = [1, 2, 3, 4].map((n) => `ns-${n}.awsdns-sim.test.`);
  return {
    id,
    name: zoneName,
    callerReference,
    createdAt: account.now(),
    // Route 53 creates the apex NS and SOA records with every public zone (CreateHostedZone API reference).
    records: [
      { Name: zoneName, Type: 'NS', TTL: 172800, ResourceRecords: nameServers.map((Value) => ({ Value })) },
      {
        Name: zoneName,
        Type: 'SOA',
        TTL: 900,
        ResourceRecords: [
          { Value: `${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` },
        ],
      },
    ],
    answers: {},
  };
}

/**
 * Adds a public hosted zone to the account (there is no CreateHostedZone in the simulator: LambdaFlex
 * never creates zones). Returns the zone id.
 */
export function addHostedZone(account: SimAccount, name: string): string {
  const zone = createZone(account, name, `lambdaflex-sim-${name}`);
  account.stateOf<Route53State>('route53').zones[zone.id] = zone;
  return zone.id;
}

export function zoneSummary(zone: HostedZone): Record<string, unknown> {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { PrivateZone: false },
    ResourceRecordSetCount: zone.records.length,
  };
}

/** Zones in the order ListHostedZonesByName uses: by reversed-label name, then id. */
export function zonesByName(state: Route53State): HostedZone[] {
  const key = (z: HostedZone) => z.name.replace(/\.$/, '').split('.').reverse().join('.');
  return Object.values(state.zones).sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

/** The zone whose name is the longest suffix of `name` (where a record of that name would live). */
export function zoneForName(state: Route53State, name: string): HostedZone | undefined {
  const wanted = fqdn(name);
  return Object.values(state.zones)
    .filter((z) => wanted === z.name || wanted.endsWith(`.${z.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}
