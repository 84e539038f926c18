/**
 * The reconciler's Route 53 grant covers the ownership TXT record it writes beside each record name
 * (docs/ownership.md): with the names bootstrap was given, `lambdaflex-a.<name>` too, and no other.
 */
import { policyContext, reconcilerPolicySet } from './installation';
import { evaluate, type PolicySet } from './simulate';

function reconcilerWith(recordNames: string[]): PolicySet {
  return reconcilerPolicySet(policyContext([{ id: 'ZOURS', recordNames }]));
}

/** A batch as dns-record.ts sends it: the guard (TXT) and the weighted record. */
function batch(names: string[]) {
  return {
    action: 'route53:ChangeResourceRecordSets',
    resource: 'arn:aws:route53:::hostedzone/ZOURS',
    context: {
      'route53:ChangeResourceRecordSetsRecordTypes': ['TXT', 'A'],
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
      'route53:ChangeResourceRecordSetsActions': ['DELETE', 'CREATE', 'UPSERT'],
    },
  };
}

describe('the Route 53 grant and the ownership TXT', () => {
  it.each<[string, string[], string[], 'Allowed' | 'ImplicitlyDenied']>([
    [
      'a named record and its TXT',
      ['api.example.com'],
      ['lambdaflex-a.api.example.com', 'api.example.com'],
      'Allowed',
    ],
    [
      'another name’s TXT',
      ['api.example.com'],
      ['lambdaflex-a.www.example.com', 'api.example.com'],
      'ImplicitlyDenied',
    ],
    [
      'a wildcard grant covers the TXT of every name below it',
      ['*.example.com'],
      ['lambdaflex-a.shop.example.com', 'shop.example.com'],
      'Allowed',
    ],
  ])('%s', async (_name, granted, written, expected) => {
    const result = await evaluate(reconcilerWith(granted), batch(written));
    expect(result.result).toBe(expected);
  });
});
