/**
 * The region's zones as an account sees them, modelled on AWS ("AWS Availability Zones", "AZ IDs"):
 *
 * - Not every region has an `a`, `b`, `c`: Tokyo offers ap-northeast-1a, 1c and 1d (no 1b), N. California
 *   two zones named b and c; names are letters after the region, ids `<abbr>-az<n>`.
 * - Names map to ids per account: `us-east-1a` is one physical zone in one account and another elsewhere;
 *   the id (`use1-az4`) names the same zone everywhere. The simulator turns the mapping by a hash of the
 *   account id, so two accounts disagree as they do on AWS.
 * - Local Zones are listed too (zone type `local-zone`): those the account opted in to by default, the
 *   others only with `AllAvailabilityZones`; Availability Zones are always `opt-in-not-required`.
 * - A zone's state is `available` unless a test says otherwise (`setAvailabilityZoneState`).
 */
import type {
  AvailabilityZone,
  AvailabilityZoneState,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
} from '@aws-sdk/client-ec2';
import type { SimAccount } from '../../core/account';
import { matchesFilters } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';
import type { Ec2State } from './state';

export interface SimZone {
  name: string;
  id: string;
  type: 'availability-zone' | 'local-zone';
  optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  groupName: string;
}

interface LocalZone {
  name: string;
  id: string;
  groupName: string;
  optInStatus: 'opted-in' | 'not-opted-in';
}

interface RegionZones {
  /** The letters an account sees, in order. */
  letters: string[];
  /** The zones' ids (same physical zone in every account). */
  ids: string[];
  localZones?: LocalZone[];
}

function numberedIds(prefix: string, numbers: number[]): string[] {
  return numbers.map((n) => `${prefix}-az${n}`);
}

/** Regions whose zones differ from three zones `a`–`c`, from AWS's list of Availability Zones. */
const REGIONS: Record<string, RegionZones> = {
  'us-east-1': {
    letters: ['a', 'b', 'c', 'd', 'e', 'f'],
    ids: numberedIds('use1', [1, 2, 3, 4, 5, 6]),
    localZones: [
      {
        name: 'us-east-1-atl-1a',
        id: 'use1-atl1-az1',
        groupName: 'us-east-1-atl-1',
        optInStatus: 'opted-in',
      },
      {
        name: 'us-east-1-bos-1a',
        id: 'use1-bos1-az1',
        groupName: 'us-east-1-bos-1',
        optInStatus: 'not-opted-in',
      },
    ],
  },
  'us-west-1': { letters: ['b', 'c'], ids: numberedIds('usw1', [1, 3]) },
  'us-west-2': { letters: ['a', 'b', 'c', 'd'], ids: numberedIds('usw2', [1, 2, 3, 4]) },
  'ap-northeast-1': { letters: ['a', 'c', 'd'], ids: numberedIds('apne1', [1, 2, 4]) },
  'ap-northeast-2': { letters: ['a', 'b', 'c', 'd'], ids: numberedIds('apne2', [1, 2, 3, 4]) },
  'cn-north-1': { letters: ['a', 'b', 'd'], ids: numberedIds('cnn1', [1, 2, 4]) },
};

/** Compound directions keep two letters in AZ ids (`apne1`, `cnnw1`); the others one. */
const DIRECTION_LETTERS: Record<string, string> = {
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
};

/** `eu-west-1` → `euw1`, `ap-northeast-1` → `apne1`, `us-gov-west-1` → `usgw1`. */
function abbreviation(region: string): string {
  const parts = region.split('-');
  const number = parts.pop() ?? '';
  const [area = '', ...rest] = parts;
  const letters = rest.map((word) => DIRECTION_LETTERS[word] ?? word.charAt(0)).join('');
  return `${area}${letters}${number}`;
}

function regionZones(region: string): RegionZones {
  return REGIONS[region] ?? { letters: ['a', 'b', 'c'], ids: numberedIds(abbreviation(region), [1, 2, 3]) };
}

/** How far this account's names are turned against the ids: a stable hash of account and region. */
function accountShift(accountId: string, region: string, size: number): number {
  let hash = 0;
  for (const char of `${accountId}/${region}`) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_003;
  return hash % size;
}

/**
 * Every zone of the region as `account` sees it: the Availability Zones (names mapped to ids for this
 * account), then the Local Zones, opted in or not.
 */
export function zonesOf(account: Pick<SimAccount, 'region' | 'accountId'>): SimZone[] {
  const { region, accountId } = account;
  const { letters, ids, localZones = [] } = regionZones(region);
  const shift = accountShift(accountId, region, ids.length);
  const zones: SimZone[] = letters.map((letter, index) => ({
    name: `${region}${letter}`,
    id: ids[(index + shift) % ids.length]!,
    type: 'availability-zone',
    optInStatus: 'opt-in-not-required',
    groupName: region,
  }));
  for (const local of localZones) zones.push({ ...local, type: 'local-zone' });
  return zones;
}

/** Where CreateSubnet may put a subnet: the Availability Zones and the Local Zones opted in to. */
export function subnetZonesOf(account: Pick<SimAccount, 'region' | 'accountId'>): SimZone[] {
  return zonesOf(account).filter((zone) => zone.optInStatus !== 'not-opted-in');
}

/** A test's knob: the state DescribeAvailabilityZones reports for a zone (by id). */
export function setAvailabilityZoneState(
  account: SimAccount,
  zoneId: string,
  state: AvailabilityZoneState,
): void {
  const ec2 = account.stateOf<Ec2State>('ec2');
  ec2.zoneStates = { ...(ec2.zoneStates ?? {}), [zoneId]: state };
}

function stateOf(ctx: Ec2Context, zone: SimZone): AvailabilityZoneState {
  return ctx.state.zoneStates?.[zone.id] ?? 'available';
}

const ZONE_FILTERS = [
  'zone-name',
  'zone-id',
  'state',
  'region-name',
  'zone-type',
  'group-name',
  'opt-in-status',
];

export const describeAvailabilityZones = ec2Operation<
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult
>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    const region = ctx.account.region;
    const zones = zonesOf(ctx.account);
    for (const name of input.ZoneNames ?? []) {
      if (!zones.some((zone) => zone.name === name))
        ctx.fail('InvalidParameterValue', `Invalid availability zone: [${name}]`);
    }
    for (const id of input.ZoneIds ?? []) {
      if (!zones.some((zone) => zone.id === id))
        ctx.fail('InvalidParameterValue', `Invalid availability zone ID: [${id}]`);
    }
    for (const { Name } of input.Filters ?? []) {
      if (!Name || !ZONE_FILTERS.includes(Name))
        ctx.fail('InvalidParameterValue', `The filter '${Name}' is invalid`);
    }
    const output: AvailabilityZone[] = zones
      // Without AllAvailabilityZones, only what the account may use: no Local Zone it did not opt in to.
      .filter((zone) => input.AllAvailabilityZones === true || zone.optInStatus !== 'not-opted-in')
      .filter(
        (zone) =>
          (!input.ZoneNames?.length || input.ZoneNames.includes(zone.name)) &&
          (!input.ZoneIds?.length || input.ZoneIds.includes(zone.id)),
      )
      .filter((zone) => {
        const fields: Record<string, string> = {
          'zone-name': zone.name,
          'zone-id': zone.id,
          state: stateOf(ctx, zone),
          'region-name': region,
          'zone-type': zone.type,
          'group-name': zone.groupName,
          'opt-in-status': zone.optInStatus,
        };
        return matchesFilters({}, input.Filters, (name) => fields[name]);
      })
      .map((zone) => ({
        ZoneName: zone.name,
        ZoneId: zone.id,
        State: stateOf(ctx, zone),
        RegionName: region,
        ZoneType: zone.type,
        GroupName: zone.groupName,
        NetworkBorderGroup: zone.groupName,
        OptInStatus: zone.optInStatus,
        ...(zone.type === 'local-zone' ? { ParentZoneName: zones[0]?.name, ParentZoneId: zones[0]?.id } : {}),
        Messages: [],
      }));
    return { AvailabilityZones: output };
  },
});
