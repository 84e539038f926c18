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
