/**
 * The plan's scope while traffic drains, for the records left at a name the spec dropped (dns-leftovers):
 * their removal is planned (the move back to Lambda there), the ownership TXT kept after it is not, unless
 * the pass writes it again to wait on (route53/leftover-changes.ts).
 */
import { passIntent, planScope } from '../../../reconciler/pass/plan';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { DEFAULT_INTENT } from '../../../reconciler/resources/intent';
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { DnsLeftoversExtra } from '../../../reconciler/resources/route53/dns-leftovers';
import type { TrafficDecision } from '../../../reconciler/traffic/shift';

function leftovers(records: number, state: 'PENDING' | 'INSYNC'): ObservedResource<DnsLeftoversExtra> {
  return {
    key: 'dns-leftovers',
    type: 'AWS::Route53::RecordSet',
    id: 'Z0LD/old.example.com.',
    tags: {},
    attributes: { names: ['old.example.com.'] },
    state,
    ready: state === 'INSYNC',
    extra: {
      leftovers: [
        {
          hostedZoneId: 'Z0LD',
          recordName: 'old.example.com.',
          records: Array.from({ length: records }, () => ({ Name: 'old.example.com.', Type: 'A' })),
        },
      ],
    },
  };
}

const inScope = (
  left: ObservedResource<DnsLeftoversExtra>,
  planResources: TrafficDecision['planResources'],
  rewrite = false,
) =>
  planScope(ALL_RESOURCES, planResources, { resources: { 'dns-leftovers': left }, unknown: {} }, rewrite)
    .topological()
    .some((k) => k.key === 'dns-leftovers');

describe('planScope and the leftovers while traffic drains', () => {
  it('plans their records’ removal and a wait on it, not the TXT kept after, unless it is written again', () => {
    expect(inScope(leftovers(2, 'INSYNC'), 'lambda-tier-and-records')).toBe(true);
    expect(inScope(leftovers(0, 'PENDING'), 'lambda-tier-and-records')).toBe(true);
    expect(inScope(leftovers(0, 'INSYNC'), 'lambda-tier-and-records')).toBe(false);
    expect(inScope(leftovers(0, 'INSYNC'), 'lambda-tier-and-records', true)).toBe(true);
    // Once the drain is over, the TXT goes.
    expect(inScope(leftovers(0, 'INSYNC'), 'all')).toBe(true);
  });

  it('tells the kinds that traffic drains', () => {
    const traffic = (planResources: TrafficDecision['planResources']) =>
      ({ planResources, weights: { lambda: 100, fargate: 0 } }) as TrafficDecision;
    const decided = (planResources: TrafficDecision['planResources']) =>
      passIntent(
        DEFAULT_INTENT,
        { decision: { tier: 'lambda', reason: 'pinned' }, traffic: traffic(planResources) },
        { zones: {} },
      );
    expect(decided('lambda-tier-and-records').drainingRecords).toBe(true);
    expect(decided('all').drainingRecords).toBeUndefined();
  });
});
