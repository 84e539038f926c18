import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import {
  dnsOrderKey,
  guardChanges,
  ownerTxtName,
  ownerTxtRecordSet,
  ownerTxtValue,
  ownershipOf,
  parseOwnerTxt,
} from '../../../../reconciler/resources/route53/dns-ownership';
import { txtValueProblem } from '../../../../aws-sim/services/route53/txt-values';

const OWNER = { stack: 'orders-api', region: 'us-east-1' };
const NAME = 'api.example.com.';

const weighted = (id: string): ResourceRecordSet => ({
  Name: NAME,
  Type: 'A',
  SetIdentifier: id,
  Weight: 1,
  AliasTarget: { DNSName: 'x.', HostedZoneId: 'Z1', EvaluateTargetHealth: false },
});
const txt = (value: string): ResourceRecordSet => ({
  Name: ownerTxtName(NAME),
  Type: 'TXT',
  TTL: 300,
  ResourceRecords: [{ Value: value }],
});

describe('the TXT registry', () => {
  it('names the TXT like external-dns with the prefix `lambdaflex-%{record_type}.`, inside the zone even at the apex', () => {
    expect(ownerTxtName('API.Example.com')).toBe('lambdaflex-a.api.example.com.');
    expect(ownerTxtName('example.com.')).toBe('lambdaflex-a.example.com.');
    expect(ownerTxtName('api.example.com', 'AAAA')).toBe('lambdaflex-aaaa.api.example.com.');
  });

  it('writes a heritage value with sorted labels, quoted as Route 53 wants TXT values', () => {
    const value = ownerTxtValue(OWNER);
    expect(value).toBe('"heritage=lambdaflex,lambdaflex/region=us-east-1,lambdaflex/stack=orders-api"');
    expect(txtValueProblem(value)).toBeUndefined();
    expect(parseOwnerTxt(value)).toEqual({ region: 'us-east-1', stack: 'orders-api' });
    expect(ownerTxtRecordSet('api.example.com', OWNER)).toEqual(txt(value));
  });

  it('reads only LambdaFlex heritage values as registry records', () => {
    expect(parseOwnerTxt('"heritage=external-dns,external-dns/owner=default"')).toBeUndefined();
    expect(parseOwnerTxt('"v=spf1 -all"')).toBeUndefined();
    expect(parseOwnerTxt('"heritage=lambdaflex,lambdaflex/stack=a"')).toEqual({ stack: 'a' });
  });

  it('guards a batch with a DELETE and CREATE of the exact TXT', () => {
    const set = txt(ownerTxtValue(OWNER));
    expect(guardChanges(set)).toEqual([
      { Action: 'DELETE', ResourceRecordSet: set },
      { Action: 'CREATE', ResourceRecordSet: set },
    ]);
  });

  it('orders names as Route 53 lists them: labels reversed', () => {
    expect(dnsOrderKey('www.api.example.com')).toBe('com.example.api.www');
    expect(dnsOrderKey('api-2.example.com') < dnsOrderKey(ownerTxtName(NAME))).toBe(true);
  });
});

describe('ownershipOf', () => {
  const input = (over: Partial<Parameters<typeof ownershipOf>[0]>) => ({
    recordName: NAME,
    atName: [],
    txt: undefined,
    owner: OWNER,
    remembered: false,
    ...over,
  });

  it('ours when the TXT names this stack in this region', () => {
    const set = txt(ownerTxtValue(OWNER));
    expect(ownershipOf(input({ txt: set, atName: [weighted('lambda')] }))).toEqual({
      verdict: 'ours',
      txt: set,
    });
  });

  it('free when nothing resolves the name and no TXT is there (a TXT or MX of the name does not count)', () => {
    const spf: ResourceRecordSet = {
      Name: NAME,
      Type: 'TXT',
      TTL: 300,
      ResourceRecords: [{ Value: '"v=spf1"' }],
    };
    expect(ownershipOf(input({ atName: [spf] }))).toEqual({ verdict: 'free' });
  });

  it.each<[string, Partial<Parameters<typeof ownershipOf>[0]>, RegExp]>([
    [
      'another stack',
      { txt: txt(ownerTxtValue({ stack: 'billing-api', region: 'us-east-1' })) },
      /owned by stack billing-api \(us-east-1\)/,
    ],
    [
      'the same stack name in another region',
      { txt: txt(ownerTxtValue({ stack: 'orders-api', region: 'eu-west-1' })) },
      /owned by stack orders-api \(eu-west-1\)/,
    ],
    [
      'a TXT that is not LambdaFlex’s at the registry name',
      { txt: txt('"heritage=external-dns,external-dns/owner=x"') },
      /not a LambdaFlex ownership TXT/,
    ],
    [
      'someone’s CNAME',
      { atName: [{ Name: NAME, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.' }] }] },
      /held CNAME records without a LambdaFlex ownership TXT/,
    ],
    [
      'weighted records without a TXT that the stack does not remember',
      { atName: [weighted('lambda')] },
      /held A \(set identifier 'lambda'\) records without/,
    ],
    [
      'a remembered name that also holds someone else’s record',
      { atName: [weighted('lambda'), weighted('blue')], remembered: true },
      /set identifier 'blue'/,
    ],
  ])('foreign: %s', (_name, over, message) => {
    const verdict = ownershipOf(input(over));
    expect(verdict.verdict).toBe('foreign');
    expect(verdict.verdict === 'foreign' && verdict.inTheWay).toMatch(message);
    // Whether the stack wrote there is the bookkeeping's word, whoever holds the name now.
    expect(verdict).toMatchObject({ wroteThere: over.remembered === true });
  });

  it('foreign, and written there by the stack: a name it remembers that another stack took over', () => {
    const taken = {
      txt: txt(ownerTxtValue({ stack: 'billing-api', region: 'us-east-1' })),
      remembered: true,
    };
    expect(ownershipOf(input(taken))).toMatchObject({ verdict: 'foreign', wroteThere: true });
  });

  it('remembered: only LambdaFlex’s weighted records, written by this stack before the TXT registry', () => {
    expect(
      ownershipOf(input({ atName: [weighted('lambda'), weighted('fargate')], remembered: true })),
    ).toEqual({
      verdict: 'remembered',
    });
  });
});
