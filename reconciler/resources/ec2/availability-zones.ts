/**
 * The Availability Zones of a stack's two subnets. They are not assumed (`<region>a` and `b` do not exist
 * everywhere: Tokyo has no ap-northeast-1b), but chosen once from DescribeAvailabilityZones among the zones
 * that are `available`, need no opt-in (no Local or Wavelength Zone) and offer Fargate, and recorded by
 * zone id in the stack's bookkeeping: an id names the same physical zone in every account, while a name
 * (`us-east-1a`) maps to a different zone per account. Recorded, they never move, even when the Fargate
 * tier is deleted and built again months later.
 *
 * The choice reaches the subnets' `desiredAttributes` and `create` as the pass's intent (`Intent.zones`,
 * resources/intent.ts).
 *
 * @example
 * chooseZones({}, ['apne1-az1', 'apne1-az2', 'apne1-az4']); // { zones: { a: 'apne1-az1', b: 'apne1-az2' }, missing: [] }
 */
import { DescribeAvailabilityZonesCommand, type AvailabilityZone, type EC2Client } from '@aws-sdk/client-ec2';
import { awsMessage, classify } from '../../aws/classify';
import type { Observation } from '../../engine/types';
import type { SubnetZone } from './subnet-cidrs';
import type { Intent } from '../intent';
import { RESOURCE_KEYS } from '../keys';
import type { ResourceKey } from '../keys';

/** Zone id of each subnet letter, as recorded or chosen. */
export type ZoneIds = Partial<Record<SubnetZone, string>>;

const LETTERS: readonly SubnetZone[] = ['a', 'b'];
const SUBNET_KEY_OF_ZONE: Record<SubnetZone, ResourceKey> = {
  a: RESOURCE_KEYS.subnetA,
  b: RESOURCE_KEYS.subnetB,
};

/**
 * Regions where Linux tasks on Fargate run only in some zones, by zone id (Amazon ECS Developer Guide,
 * "Supported Regions for Amazon ECS on AWS Fargate"). Every zone of the other regions offers Fargate.
 */
export const FARGATE_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2', 'apne1-az4'],
  'cn-north-1': ['cnn1-az1', 'cnn1-az2'],
};

function offersFargate(region: string, zoneId: string): boolean {
  const only = FARGATE_ZONE_IDS[region];
  return !only || only.includes(zoneId);
}

/** The ids of the zones a subnet of the Fargate tier may go in, sorted so that every pass picks alike. */
export function eligibleZoneIds(zones: readonly AvailabilityZone[], region: string): string[] {
  return zones
    .filter(
      (zone) =>
        zone.State === 'available' &&
        zone.OptInStatus === 'opt-in-not-required' &&
        (zone.ZoneType ?? 'availability-zone') === 'availability-zone' &&
        zone.ZoneId !== undefined &&
        offersFargate(region, zone.ZoneId),
    )
    .map((zone) => zone.ZoneId!)
    .sort();
}

/**
 * Pure: the zones the subnets go in. Letters already known keep their zone; each missing one takes the
 * first eligible zone no other letter has. `missing` lists the letters left without one.
 */
export function chooseZones(
  known: ZoneIds,
  eligible: readonly string[],
  letters: readonly SubnetZone[] = LETTERS,
): { zones: ZoneIds; missing: SubnetZone[] } {
  const zones: ZoneIds = { ...known };
  const missing: SubnetZone[] = [];
  for (const letter of letters) {
    if (zones[letter]) continue;
    const taken = new Set(Object.values(zones));
    const free = eligible.find((id) => !taken.has(id));
    if (free) zones[letter] = free;
    else missing.push(letter);
  }
  return { zones, missing };
}

/** The code of NoEligibleZoneError, which the subnets list as terminal. */
export const NO_ELIGIBLE_ZONE = 'NoEligibleAvailabilityZone';

/** Thrown by a subnet's create when no zone could be chosen for it: terminal until the account changes. */
export class NoEligibleZoneError extends Error {
  override readonly name = NO_ELIGIBLE_ZONE;
}

export interface ZoneResolution {
  zones: ZoneIds;
  /** Why the subnets without a zone have none: the answer lacked zones (terminal) or failed (unknown). */
  shortOf?: string;
  unknown?: string;
}

/** Why a subnet has no zone, for the error its create throws. */
export function noZoneReason(intent: Pick<Intent, 'zonesShortOf'>): string {
  return intent.zonesShortOf ?? 'no Availability Zone was chosen for it';
}

export interface ZoneInput {
  ec2: EC2Client;
  region: string;
  /** What the stack's bookkeeping holds. */
  recorded: ZoneIds | undefined;
  /** Whether the plan may create a subnet (the Fargate tier is wanted): only then is a choice worth a call. */
  needed: boolean;
}

/**
 * The subnets' zones for the pass's intent (and to record), with why a subnet has none. Recorded zones win; a subnet that exists keeps the zone it is in (a pass that died before recording); the zones
 * still missing are chosen from one DescribeAvailabilityZones call. When that call fails, the subnets not
 * yet there are marked as not observable (safety rule 6: unknown is not absent) and nothing is created.
 */
export async function resolveAvailabilityZones(
  observation: Observation,
  input: ZoneInput,
): Promise<Pick<ZoneResolution, 'zones' | 'shortOf'>> {
  const known: ZoneIds = {};
  const present = new Set<SubnetZone>();
  for (const letter of LETTERS) {
    const subnet = observation.resources[SUBNET_KEY_OF_ZONE[letter]];
    if (!subnet) continue;
    present.add(letter);
    const zoneId = subnet.attributes.zoneId;
    if (typeof zoneId === 'string') known[letter] = zoneId;
  }
  Object.assign(known, input.recorded ?? {});
  const resolution = await resolve(known, present, input);
  if (resolution.unknown) {
    for (const letter of LETTERS) {
      if (!resolution.zones[letter] && !present.has(letter))
        observation.unknown[SUBNET_KEY_OF_ZONE[letter]] = resolution.unknown;
    }
  }
  return { zones: resolution.zones, ...(resolution.shortOf ? { shortOf: resolution.shortOf } : {}) };
}

async function resolve(known: ZoneIds, present: Set<SubnetZone>, input: ZoneInput): Promise<ZoneResolution> {
  // A subnet that exists with its zone unknown (an older observation) is left as it is, not chosen for.
  const wanted = LETTERS.filter((letter) => !known[letter] && !present.has(letter));
  if (wanted.length === 0 || !input.needed) return { zones: known };
  let zones: AvailabilityZone[];
  try {
    const answer = await input.ec2.send(new DescribeAvailabilityZonesCommand({}));
    zones = answer.AvailabilityZones ?? [];
  } catch (error) {
    if (classify(error) === 'fatal') throw error;
    return { zones: known, unknown: `choosing Availability Zones: ${awsMessage(error)}` };
  }
  const eligible = eligibleZoneIds(zones, input.region);
  const { zones: chosen, missing } = chooseZones(known, eligible, wanted);
  if (missing.length === 0) return { zones: chosen };
  return {
    zones: chosen,
    shortOf:
      'the Fargate tier needs two Availability Zones that are available, need no opt-in and offer Fargate; ' +
      `${input.region} has ${eligible.length} (${eligible.join(', ') || 'none'})`,
  };
}
