import {
  isRemembered,
  namesFromRecordIds,
  specName,
  withName,
} from '../../../../reconciler/resources/route53/written-dns-names';
import { testSpec } from '../fixtures';

const ZONE = 'Z0123456789ABCDEFGHIJ';

describe('written DNS names', () => {
  it('are fully qualified and lower case, each name once', () => {
    expect(specName(testSpec())).toEqual({ hostedZoneId: ZONE, recordName: 'api.example.com.' });
    const once = withName([], { hostedZoneId: ZONE, recordName: 'API.example.com.' });
    expect(withName(once, { hostedZoneId: ZONE, recordName: 'api.example.com' })).toHaveLength(1);
    expect(withName(once, { hostedZoneId: 'ZOTHER', recordName: 'api.example.com' })).toHaveLength(2);
    expect(specName(testSpec({ dns: undefined }))).toBeUndefined();
  });

  it('are remembered whatever the case or the root dot', () => {
    const names = [{ hostedZoneId: ZONE, recordName: 'old.example.com.' }];
    expect(isRemembered(names, { hostedZoneId: ZONE, recordName: 'OLD.example.com' })).toBe(true);
    expect(isRemembered([], names[0]!)).toBe(false);
  });

  it('come from a status written before they were remembered: its weighted records’ ids', () => {
    expect(
      namesFromRecordIds([
        `${ZONE}/api.example.com./A/lambda`,
        `${ZONE}/api.example.com./A/fargate`,
        'vpc-0abc',
        `${ZONE}/api.example.com.`,
      ]),
    ).toEqual([{ hostedZoneId: ZONE, recordName: 'api.example.com.' }]);
  });
});

describe('the TTL a name’s records were written with', () => {
  const dns = testSpec().dns!;
  const at = (ttlSeconds: number) => testSpec({ dns: { ...dns, ttlSeconds } });

  it('is kept only when longer than the alias records’ 60 s, the only TTL that lengthens the drain', () => {
    expect(specName(at(60))).toEqual({ hostedZoneId: ZONE, recordName: 'api.example.com.' });
    expect(specName(at(30))?.ttlSeconds).toBeUndefined();
    expect(specName(at(300))).toEqual({
      hostedZoneId: ZONE,
      recordName: 'api.example.com.',
      ttlSeconds: 300,
    });
  });

  it('a name remembered again keeps the longer of the two (resolvers may hold what either wrote)', () => {
    const first = withName([], specName(at(300))!);
    expect(withName(first, specName(at(60))!)).toEqual(first);
    expect(withName(first, specName(at(900))!)).toEqual([{ ...first[0], ttlSeconds: 900 }]);
    expect(withName([specName(at(60))!], specName(at(120))!)).toEqual([specName(at(120))]);
  });
});
