/** IPv4 CIDR arithmetic for VPC and subnet ranges (integers, not bit operators: those are signed in JS). */
export interface Ipv4Block {
  /** First address of the block as an unsigned 32-bit integer. */
  start: number;
  prefix: number;
  size: number;
}

function ipToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The block, or undefined when `text` is not `a.b.c.d/n` with no bits set after the prefix. */
export function parseIpv4Block(text: string | undefined): Ipv4Block | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text ?? '');
  if (!match) return undefined;
  const start = ipToNumber(match[1]);
  const prefix = Number(match[2]);
  if (start === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (start % size !== 0) return undefined;
  return { start, prefix, size };
}

/** Syntax only: security group rules accept any address inside the block. */
export function isIpv4Cidr(text: string | undefined): boolean {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text ?? '');
  return !!match && ipToNumber(match[1]) !== undefined && Number(match[2]) <= 32;
}

export function isIpv6Cidr(text: string | undefined): boolean {
  return /^[0-9a-fA-F:]+\/\d{1,3}$/.test(text ?? '') && (text ?? '').includes(':');
}

export function blockContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.start >= outer.start && inner.start + inner.size <= outer.start + outer.size;
}

export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size;
}
