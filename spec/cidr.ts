/**
 * IPv4 CIDR checks for the stack's VPC: a valid block, in a private (RFC 1918) range, with a prefix
 * from /16 (the largest VPC AWS allows) to /24 (small enough to still split in two usable subnets).
 */

export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 24;

export interface Cidr {
  /** The address as an unsigned 32-bit integer. */
  address: number;
  prefix: number;
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(text: string): Cidr | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const address = ipToInt(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return undefined;
  return { address, prefix };
}

/** Network address of `address` under `prefix` (integer arithmetic: JS bit operators are signed). */
function network(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) * size;
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && network(inner.address, outer.prefix) === outer.address;
}

/** The reason `text` is not an acceptable VPC CIDR, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr)
    return 'must be an IPv4 CIDR such as 10.42.0.0/16 (four numbers from 0 to 255, a prefix from 0 to 32)';
  const base = network(cidr.address, cidr.prefix);
  if (base !== cidr.address) {
    return `must have no bits set after the /${cidr.prefix} prefix (did you mean ${intToIp(base)}/${cidr.prefix}?)`;
  }
  if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX) {
    return `must have a prefix from /${MIN_PREFIX} to /${MAX_PREFIX}`;
  }
  const isPrivate = PRIVATE_RANGES.some((range) => contains(parseCidr(range) as Cidr, cidr));
  if (!isPrivate) return `must be inside a private range (${PRIVATE_RANGES.join(', ')})`;
  return undefined;
}
