import {
  ALLOW_ALL_EGRESS,
  diffRules,
  groupReferences,
  permissionOf,
  rulesOf,
  tcpRule,
} from '../../../../reconciler/resources/ec2/security-group-rules';

describe('security group rules', () => {
  it('flattens permissions into one sorted rule per source', () => {
    expect(
      rulesOf([
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        },
        { IpProtocol: '6', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        {
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
          UserIdGroupPairs: [{ GroupId: 'sg-1', UserId: '123' }],
        },
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, PrefixListIds: [{ PrefixListId: 'pl-1' }] },
      ]),
    ).toEqual([
      'tcp:443-443 cidr6:::/0',
      'tcp:443-443 cidr:0.0.0.0/0',
      'tcp:5432-5432 prefix-list:pl-1',
      'tcp:80-80 cidr:0.0.0.0/0',
      'tcp:8080-8080 group:sg-1',
    ]);
  });

  it("reads AWS's default egress rule (protocol -1, no ports) as allow-all", () => {
    expect(rulesOf([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }])).toEqual([ALLOW_ALL_EGRESS]);
  });

  it('answers no rules for no permissions', () => {
    expect(rulesOf(undefined)).toEqual([]);
  });

  it.each([
    [
      tcpRule(80, 'cidr', '0.0.0.0/0'),
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ],
    [
      tcpRule(8080, 'group', 'sg-1'),
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: 'sg-1' }] },
    ],
    [ALLOW_ALL_EGRESS, { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    [
      'tcp:443-443 cidr6:::/0',
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ],
    [
      'udp:53-53 prefix-list:pl-1',
      { IpProtocol: 'udp', FromPort: 53, ToPort: 53, PrefixListIds: [{ PrefixListId: 'pl-1' }] },
    ],
  ])('turns %s back into its permission', (rule, permission) => {
    expect(permissionOf(rule)).toEqual(permission);
    expect(rulesOf([permission])).toEqual([rule]);
  });

  it('rejects an unreadable rule', () => {
    expect(() => permissionOf('tcp:80 cidr:0.0.0.0/0')).toThrow(RangeError);
    expect(() => permissionOf('tcp:80-80 dns:example.com')).toThrow(RangeError);
  });

  it('picks the rules that reference another group', () => {
    expect(groupReferences([tcpRule(80, 'cidr', '0.0.0.0/0'), tcpRule(8080, 'group', 'sg-1')])).toEqual([
      'tcp:8080-8080 group:sg-1',
    ]);
  });

  it('diffs current against wanted', () => {
    expect(diffRules(['a', 'b'], ['b', 'c'])).toEqual({ missing: ['c'], extra: ['a'] });
  });
});
