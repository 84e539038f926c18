/**
 * The two public subnets' CIDRs, carved from the VPC CIDR by a fixed rule so that every pass (and every
 * reconciler) computes the same blocks: split the VPC block into four blocks of prefix + 2 and give the
 * first to subnet a and the second to subnet b. The other half stays free for later use.
 *
 * Prefix + 2 and not + 1 keeps room without costing anything that matters: the spec allows /16 to /24
 * (spec/cidr.ts), so the smallest subnet is a /26: 64 addresses, 59 usable after AWS's five reserved ones,
 * above the /27 with 8 free addresses an ALB needs per subnet.
 *
 * @example
 * subnetCidr('10.42.0.0/16', 'b'); // '10.42.64.0/18'
 * subnetCidr('192.168.7.0/24', 'a'); // '192.168.7.0/26'
 */
import { parseCidr } from '../../../spec/cidr';

export type SubnetZone = 'a' | 'b';

/** How many bits the subnets' prefix adds to the VPC's. */
export const SUBNET_PREFIX_EXTRA_BITS = 2;

const ZONE_INDEX: Record<SubnetZone, number> = { a: 0, b: 1 };

function formatIpv4(address: number): string {
  // Division, not bit shifts: JavaScript's bit operators work on signed 32-bit integers.
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

export function subnetCidr(vpcCidr: string, zone: SubnetZone): string {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new RangeError(`not an IPv4 CIDR: ${vpcCidr}`);
  const prefix = vpc.prefix + SUBNET_PREFIX_EXTRA_BITS;
  if (prefix > 28)
    throw new RangeError(`${vpcCidr} is too small for two subnets (AWS's smallest subnet is /28)`);
  const blockSize = 2 ** (32 - prefix);
  const base = Math.floor(vpc.address / 2 ** (32 - vpc.prefix)) * 2 ** (32 - vpc.prefix);
  return `${formatIpv4(base + ZONE_INDEX[zone] * blockSize)}/${prefix}`;
}
