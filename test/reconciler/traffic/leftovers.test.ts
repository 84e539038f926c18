/**
 * decideTraffic with records left at a name the spec no longer wants (`dns` removed or moved: the
 * `dns-leftovers` kind): they are the stack's traffic until their removal is INSYNC and the wait is over
 * (safety rule 2), and a failed look-up of them is not "no records" (safety rule 6).
 */
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { DnsLeftoversExtra } from '../../../reconciler/resources/route53/dns-leftovers';
import { decideTraffic, type ShiftState, type TrafficInput } from '../../../reconciler/traffic/shift';
import { DEREGISTRATION_DELAY_MS } from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';
import { input, STEP_MS, type World, withLeftovers } from './world';

const healthy: World = { alb: 'active', healthy: 1 };
const WAIT_MS = 2 * 60_000 + DEREGISTRATION_DELAY_MS;

/** The leftovers as their kind reports them: the largest Fargate share, and whether a removal is PENDING. */
function leftovers(fargatePercent: number, pending = false): ObservedResource<DnsLeftoversExtra> {
  return {
    key: 'dns-leftovers',
    type: 'AWS::Route53::RecordSet',
    id: 'Z0LD/old.example.com.',
    tags: {},
    attributes: { names: ['old.example.com.'], fargatePercent },
    state: pending ? 'PENDING' : 'INSYNC',
    ready: !pending,
    extra: { leftovers: [{ hostedZoneId: 'Z0LD', recordName: 'old.example.com.', records: [] }] },
  };
}

/** The engine's input on the way to `target` (Lambda unless said), without dns, with the leftovers. */
function down(
  left: ObservedResource<DnsLeftoversExtra> | 'unknown' | undefined,
  previous?: ShiftState,
  extra: Partial<TrafficInput> = {},
  w: World = healthy,
  target: TrafficInput['target'] = 'lambda',
): TrafficInput {
  const base = input(target, w, previous, extra);
  return withLeftovers(base, left);
}

describe('decideTraffic with records left at a name the spec dropped', () => {
  const serving: ShiftState = { fargateWeight: 100, inEffectSince: NOW - STEP_MS };

  it('counts a Fargate weight there: not weightless, traffic moved back (their removal) before anything else', () => {
    const decision = decideTraffic(down(leftovers(100), serving));
    expect(decision).toMatchObject({
      weightless: false,
      planTier: 'fargate',
      planResources: 'lambda-tier-and-records',
      phase: 'ScalingDown',
      observed: { lambda: 0, fargate: 100 },
      shift: { fargateWeight: 0 },
      rewriteWeights: true,
    });
    expect(decision.reason).toBe('moving traffic back to Lambda (Fargate has 100 %)');
    expect(decision.shift.knownChange).toBeUndefined();
  });

  it('waits for their removal to be INSYNC, then for the whole drain, before the Fargate tier goes', () => {
    const vouched: ShiftState = { fargateWeight: 0, knownChange: true };
    const pending = decideTraffic(down(leftovers(0, true), vouched));
    expect(pending).toMatchObject({ planResources: 'lambda-tier-and-records', weightless: false });
    expect(pending.reason).toBe('moving traffic back to Lambda (Fargate has 0 %, Route 53 change pending)');
    expect(pending.shift.drain).toBeUndefined();

    // In sync: only the name's ownership TXT is left; the wait starts.
    const started = decideTraffic(down(leftovers(0), vouched));
    expect(started).toMatchObject({
      planResources: 'lambda-tier-and-records',
      shift: { fargateWeight: 0, knownChange: true, drain: { since: NOW + 1000, localSince: NOW } },
    });
    const almost = decideTraffic(
      down(leftovers(0), started.shift, {
        now: NOW + WAIT_MS,
        awsTime: { earliest: NOW + WAIT_MS, latest: NOW + WAIT_MS + 1000 },
      }),
    );
    expect(almost.planResources).toBe('lambda-tier-and-records');
    const over = NOW + WAIT_MS + 1000;
    const waited = decideTraffic(
      down(leftovers(0), started.shift, { now: over, awsTime: { earliest: over, latest: over + 1000 } }),
    );
    expect(waited).toMatchObject({
      planTier: 'lambda',
      planResources: 'all',
      shift: { drain: { waited: true } },
    });
    expect(waited.reason).toBe('traffic drained from Fargate; deleting the Fargate tier');
  });

  it('writes a change to wait on when their removal is in sync by a change whose id was lost (a crash)', () => {
    const decision = decideTraffic(down(leftovers(0), { fargateWeight: 0 }));
    expect(decision).toMatchObject({ planResources: 'lambda-tier-and-records', rewriteWeights: true });
    expect(decision.reason).toBe(
      'moving traffic back to Lambda (Fargate has 0 % by a change not known: writing the records again to wait on one)',
    );
  });

  it('does not read a throttled look-up of them as none (safety rule 6): nothing of the Fargate tier goes', () => {
    const decision = decideTraffic(down('unknown', serving));
    expect(decision).toMatchObject({
      weightless: false,
      planTier: 'fargate',
      planResources: 'lambda-tier-and-records',
    });
    expect(decision.reason).toMatch(/^holding traffic at Fargate 100 %: could not observe dns-leftovers/);
    // Also on a delete of the stack.
    const deleting = decideTraffic(down('unknown', serving, {}, healthy, 'none'));
    expect(deleting).toMatchObject({ planTier: 'fargate', phase: 'Deleting' });
  });

  it('once a pass found none, keeps the verdict through a later failed look-up (the absence was observed)', () => {
    const none = decideTraffic(down(undefined, serving));
    expect(none).toMatchObject({ weightless: true, planResources: 'all', shift: { weightless: true } });
    expect(decideTraffic(down('unknown', none.shift)).weightless).toBe(true);
  });

  it('on the way up, only deletes them: without dns the tier serves once healthy, no weight is shifted', () => {
    const decision = decideTraffic(down(leftovers(10, true), { fargateWeight: 10 }, {}, healthy, 'fargate'));
    expect(decision).toMatchObject({ phase: 'Fargate', planResources: 'all', weights: { fargate: 100 } });
    // The verdict still says a record of ours routes traffic until they are gone.
    expect(decision.weightless).toBe(false);
  });

  it('with dns at a new name, counts the larger Fargate share of the two names', () => {
    const base = input('lambda', { ...healthy, lambdaWeight: 100 }, serving);
    const decision = decideTraffic({
      ...base,
      observation: {
        ...base.observation,
        resources: { ...base.observation.resources, 'dns-leftovers': leftovers(50) },
      },
    });
    expect(decision.observed).toEqual({ lambda: 50, fargate: 50 });
    expect(decision.reason).toBe('moving traffic back to Lambda (Fargate has 50 %)');
  });
});
