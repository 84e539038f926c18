import fc from 'fast-check';
import { parseCidr } from '../../../../spec/cidr';
import { subnetCidr } from '../../../../reconciler/resources/ec2/subnet-cidrs';

describe('subnetCidr', () => {
  it.each([
    ['10.42.0.0/16', 'a', '10.42.0.0/18'],
    ['10.42.0.0/16', 'b', '10.42.64.0/18'],
    ['172.16.8.0/22', 'a', '172.16.8.0/24'],
    ['172.16.8.0/22', 'b', '172.16.9.0/24'],
    ['192.168.7.0/24', 'a', '192.168.7.0/26'],
    ['192.168.7.0/24', 'b', '192.168.7.64/26'],
  ] as const)('carves %s subnet %s as %s', (vpc, zone, expected) => {
    expect(subnetCidr(vpc, zone)).toBe(expected);
  });

  it('rejects text that is not a CIDR', () => {
    expect(() => subnetCidr('10.42.0.0', 'a')).toThrow(RangeError);
  });

  it('rejects a VPC too small to hold two /28 or larger subnets', () => {
    expect(() => subnetCidr('10.0.0.0/27', 'a')).toThrow(/too small/);
  });

  it('gives two disjoint subnets inside the VPC for every allowed VPC CIDR', () => {
    const allowedVpc = fc
      .record({ address: fc.integer({ min: 0, max: 2 ** 24 - 1 }), prefix: fc.integer({ min: 16, max: 24 }) })
      .map(({ address, prefix }) => {
        // Inside 10.0.0.0/8, aligned to the prefix.
        const size = 2 ** (32 - prefix);
        const network = 10 * 2 ** 24 + Math.floor(address / size) * size;
        const text = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
        return { cidr: `${text}/${prefix}`, network, prefix };
      });
    fc.assert(
      fc.property(allowedVpc, ({ cidr, network, prefix }) => {
        const a = parseCidr(subnetCidr(cidr, 'a'))!;
        const b = parseCidr(subnetCidr(cidr, 'b'))!;
        const vpcEnd = network + 2 ** (32 - prefix);
        const size = 2 ** (32 - a.prefix);
        expect(a.prefix).toBe(prefix + 2);
        expect(b.prefix).toBe(prefix + 2);
        expect(a.address).toBe(network);
        expect(b.address).toBe(a.address + size);
        expect(b.address + size).toBeLessThanOrEqual(vpcEnd);
      }),
    );
  });
});
