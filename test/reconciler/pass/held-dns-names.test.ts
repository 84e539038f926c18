/**
 * The DNS names a stack holds or will still act on (reconciler/pass/load.ts `heldDnsNames`), which its pass
 * checks against the system record and which a bootstrap must not take away unasked
 * (cli/commands/bootstrap-stacks.ts): the acted-on spec's `dns` (a deletion's is the spec it was last
 * reconciled with), the names it remembers writing records at that this spec no longer wants, and, with no
 * spec to act on, every name it remembers. Pure: records built in code, no store.
 */
import {
  actedOnSpec,
  heldDnsNameRefusal,
  heldDnsNames,
  loadStack,
  refusedDns,
} from '../../../reconciler/pass/load';
import { emptyBookkeeping, type ReconciledSpec } from '../../../reconciler/state/bookkeeping';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { StackRecord } from '../../../reconciler/state/types';
import { writtenName } from '../../../reconciler/resources/route53/written-dns-names';
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';
import { testSpec } from '../engine/fake-kinds';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const OTHER_ZONE = 'Z9876543210ZYXWVUTSRQ';
const dns = {
  hostedZoneId: ZONE,
  recordName: 'orders.example.com',
  ttlSeconds: 60,
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
};

function validated(spec: DesiredState): DesiredState {
  const result = validateSpec(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const withDns = validated(testSpec({ dns }));
const withoutDns = validated(testSpec());

function record(overrides: Partial<StackRecord> = {}, bookkeeping = {}): StackRecord {
  return {
    stack: 'orders-api',
    spec: withDns,
    generation: 4,
    version: 9,
    events: [],
    bookkeeping: { ...emptyBookkeeping(), ...bookkeeping },
    ...overrides,
  } as StackRecord;
}

const remembered = (recordName: string, zone = ZONE) => ({ dnsNames: [writtenName(zone, recordName)] });
const kept = (spec: DesiredState): { reconciledSpec: ReconciledSpec } => ({
  reconciledSpec: { generation: 3, spec },
});

/** The zone kept, for another name only: the stack's name is no longer given. */
const narrowed: SystemRecord = {
  hostedZones: [{ id: ZONE, recordNames: ['other.example.com'] }],
  zoneNames: { [ZONE]: 'example.com' },
};
const granted: SystemRecord = {
  hostedZones: [{ id: ZONE, recordNames: ['*.example.com'] }],
  zoneNames: { [ZONE]: 'example.com' },
};

describe('the DNS names a stack holds', () => {
  it("is the spec's dns for a live stack whose records are there", () => {
    expect(heldDnsNames(record({}, remembered('orders.example.com')))).toEqual([
      { hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'wanted' },
    ]);
  });

  it('is the name of the spec it was last reconciled with for a stack being deleted, whatever its spec says since', () => {
    const deleting = record(
      { spec: withoutDns, deletionRequestedAt: 1_700_000_000_000 },
      { ...kept(withDns), ...remembered('orders.example.com') },
    );
    expect(actedOnSpec(deleting)).toEqual(withDns);
    expect(heldDnsNames(deleting)).toEqual([
      { hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'wanted' },
    ]);
  });

  it('is the old name, left, for a spec that dropped dns while its records are still there', () => {
    expect(heldDnsNames(record({ spec: withoutDns }, remembered('orders.example.com')))).toEqual([
      { hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'left' },
    ]);
  });

  it('is both names for a spec moved to another name and zone, the new one first', () => {
    const moved = validated(
      testSpec({ dns: { ...dns, hostedZoneId: OTHER_ZONE, recordName: 'new.example.org' } }),
    );
    expect(heldDnsNames(record({ spec: moved }, remembered('orders.example.com')))).toEqual([
      { hostedZoneId: OTHER_ZONE, recordName: 'new.example.org', held: 'wanted' },
      { hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'left' },
    ]);
  });

  it("reads the names of a status from before they were remembered (its weighted records' ids)", () => {
    const legacy = record({
      spec: withoutDns,
      status: {
        resources: { 'dns-fargate': { id: `${ZONE}/orders.example.com./A/fargate` } },
      } as unknown as StackRecord['status'],
    });
    expect(heldDnsNames(legacy)).toEqual([
      { hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'left' },
    ]);
  });

  it('is every name remembered for a stack with no spec to act on (invalid, or an unreadable deletion mark)', () => {
    const expected = [{ hostedZoneId: ZONE, recordName: 'orders.example.com', held: 'written' }];
    const invalid = record({ spec: { stack: 'orders-api' } }, remembered('orders.example.com'));
    expect(actedOnSpec(invalid)).toBeUndefined();
    expect(heldDnsNames(invalid)).toEqual(expected);
    const unreadable = record({ unreadableDeletionMark: 'soon' }, remembered('orders.example.com'));
    expect(heldDnsNames(unreadable)).toEqual(expected);
  });

  it('is nothing for a stack without dns that remembers no name', () => {
    expect(heldDnsNames(record({ spec: withoutDns }))).toEqual([]);
  });
});

describe('why the system record refuses a name the stack holds', () => {
  const name = (held: 'wanted' | 'left' | 'written') =>
    ({ hostedZoneId: ZONE, recordName: 'orders.example.com', held }) as const;

  it('is nothing when the name is granted, or when bootstrap restricts nothing', () => {
    for (const held of ['wanted', 'left', 'written'] as const) {
      expect(heldDnsNameRefusal(name(held), granted)).toBeUndefined();
      expect(heldDnsNameRefusal(name(held), undefined)).toBeUndefined();
    }
  });

  it("names the field and the rule for the spec's name, as the pass does", () => {
    expect(heldDnsNameRefusal(name('wanted'), narrowed)).toBe(
      `dns.recordName: orders.example.com is not a name the reconciler may write in ${ZONE}; allowed: other.example.com ` +
        `(\`lambdaflex bootstrap --hosted-zone ${ZONE}='other.example.com,orders.example.com'\` adds it)`,
    );
  });

  it('names the records left at a name the spec no longer wants, and the zone', () => {
    expect(heldDnsNameRefusal(name('left'), narrowed, (rest) => `lambdaflex --local ${rest}`)).toBe(
      `dns: the records the stack wrote at orders.example.com in ${ZONE}, which its spec no longer wants, can't be removed: ` +
        `orders.example.com is not a name the reconciler may write in ${ZONE}; allowed: other.example.com ` +
        `(\`lambdaflex --local bootstrap --hosted-zone ${ZONE}='other.example.com,orders.example.com'\` adds it)`,
    );
  });

  it('names the records of a stack with no spec to act on', () => {
    expect(heldDnsNameRefusal({ ...name('written'), hostedZoneId: OTHER_ZONE }, narrowed)).toMatch(
      new RegExp(
        `^dns: the records the stack wrote at orders\\.example\\.com in ${OTHER_ZONE} can't be removed or written again once a spec of it is acted on: ${OTHER_ZONE} is not a hosted zone the reconciler may write in; allowed: ${ZONE} \\(example\\.com\\)`,
      ),
    );
  });

  it("is the pass's own refusal (refusedDns) for the first name held, and loadStack holds the stack for it", async () => {
    const left = record({ spec: withoutDns }, remembered('orders.example.com'));
    const [held] = heldDnsNames(left);
    const pass = refusedDns(withoutDns, narrowed, undefined, left);
    expect(pass).toBeDefined();
    expect(pass!.startsWith(heldDnsNameRefusal(held!, narrowed)!)).toBe(true);

    const deleting = record(
      { spec: withoutDns, deletionRequestedAt: 1_700_000_000_000 },
      { ...kept(withDns), ...remembered('orders.example.com') },
    );
    const store = { get: (stack: string) => Promise.resolve(stack === 'orders-api' ? deleting : undefined) };
    const loaded = await loadStack(store, 'orders-api', () => Promise.resolve(narrowed));
    expect(loaded.kind).toBe('invalid');
    const [deletingName] = heldDnsNames(deleting);
    expect(loaded.kind === 'invalid' && loaded.message).toContain(
      heldDnsNameRefusal(deletingName!, narrowed)!.replace(/^dns\.recordName: /, ''),
    );
  });
});
