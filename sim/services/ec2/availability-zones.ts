/**
 * The region's Availability Zones: us-east-1 has six (a–f), other regions are modelled with three.
 * Zone ids follow AWS's pattern (`use1-az1`); the name → id mapping differs per real account.
 */
import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
} from '@aws-sdk/client-ec2';
import { matchesFilters } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';

export function availabilityZonesOf(region: string): { name: string; id: string }[] {
  const letters = region === 'us-east-1' ? ['a', 'b', 'c', 'd', 'e', 'f'] : ['a', 'b', 'c'];
  const [area = '', direction = '', number = ''] = region.split('-');
  const abbreviation = `${area}${direction.charAt(0)}${number}`;
  return letters.map((letter, index) => ({
    name: `${region}${letter}`,
    id: `${abbreviation}-az${index + 1}`,
  }));
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
    const zones = availabilityZonesOf(region);
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
    const selected = zones.filter(
      (zone) =>
        (!input.ZoneNames?.length || input.ZoneNames.includes(zone.name)) &&
        (!input.ZoneIds?.length || input.ZoneIds.includes(zone.id)),
    );
    const output: AvailabilityZone[] = selected
      .filter((zone) => {
        const fields: Record<string, string> = {
          'zone-name': zone.name,
          'zone-id': zone.id,
          state: 'available',
          'region-name': region,
          'zone-type': 'availability-zone',
          'group-name': region,
          'opt-in-status': 'opt-in-not-required',
        };
        return matchesFilters({}, input.Filters, (name) => fields[name]);
      })
      .map((zone) => ({
        ZoneName: zone.name,
        ZoneId: zone.id,
        State: 'available',
        RegionName: region,
        ZoneType: 'availability-zone',
        GroupName: region,
        NetworkBorderGroup: region,
        OptInStatus: 'opt-in-not-required',
        Messages: [],
      }));
    return { AvailabilityZones: output };
  },
});
