/**
 * The traffic engine, pure, through decideTraffic: a failed look-up is not an absence
 * (traffic/unobserved.ts), a name that is not the stack's (traffic/foreign-name.ts), the drain's wait on
 * two clocks (traffic/drain-clock.ts), the change behind Fargate 0 (traffic/known-change.ts) and a tier
 * found gone.
 */
import type { AwsTimeBounds } from '../../../reconciler/aws/aws-time';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource } from '../../../reconciler/resources/types';
import {
  DEREGISTRATION_DELAY_MS,
  DNS_KEYS,
  TARGET_TRACKING_HANDOVER_MS,
  decideTraffic,
  tasksForRate,
  type ShiftState,
} from '../../../reconciler/traffic/shift';
import type { DesiredState } from '../../../spec/types';
import { NOW } from '../resources/fixtures';
import { DAY_MS, input, resource, spec, STEP_MS, world, type World } from './world';

describe('decideTraffic when a look-up failed (unknown is not absent)', () => {
  const serving: World = { alb: 'active', healthy: 2, lambdaWeight: 0, fargateWeight: 100 };
  const onFargate: ShiftState = { fargateWeight: 100, inEffectSince: NOW - STEP_MS };
  const unknown = (w: World, keys: string[]): Observation => {
    const observation = world(w);
    for (const key of keys) {
      delete observation.resources[key];
      observation.unknown[key] = `finding ${key}: Throttling`;
    }
    return observation;
  };

  it.each(['alb', 'service', DNS_KEYS.fargate])('does not roll back when %s could not be observed', (key) => {
    const decision = decideTraffic({
      ...input('fargate', serving, onFargate),
      observation: unknown(serving, [key]),
    });
    expect(decision.weights).toEqual({ lambda: 0, fargate: 100 });
    expect(decision.rollback).toBeUndefined();
    expect(decision.reason).toContain(`could not observe ${key}`);
  });

  // The ALB deleted behind the stack's back mid-shift: its listeners went with it, so its target group's
  // targets are unused (none healthy). What was observed is enough to know Fargate can't serve.
  const atTen: World = { alb: 'active', healthy: 0, lambdaWeight: 90, fargateWeight: 10 };
  const tenInEffect: ShiftState = { fargateWeight: 10, inEffectSince: NOW - 5_000 };

  it.each([0, 1])(
    'rolls back at once when the ALB could not be observed but its service and target group were, with %i healthy targets of 2',
    (healthy) => {
      const twoTasks = { ...spec, fargate: { ...spec.fargate, minTasks: 2 } };
      const decision = decideTraffic({
        ...input('fargate', { ...atTen, healthy }, tenInEffect),
        spec: twoTasks,
        observation: unknown({ ...atTen, healthy }, ['alb']),
      });
      expect(decision).toMatchObject({
        weights: { lambda: 100, fargate: 0 },
        shift: { fargateWeight: 0 },
        phase: 'ScalingUp',
        planResources: 'all',
      });
      expect(decision.rollback).toBe(`${healthy} of 2 targets healthy (the ALB could not be observed)`);
      expect(decision.reason).toBe(`rolled back to Lambda: ${decision.rollback}`);
    },
  );

  it.each([['service'], ['tg'], ['service', 'tg']])(
    'holds traffic when the ALB and %s could not be observed: too few healthy targets is not known then',
    (...keys) => {
      const decision = decideTraffic({
        ...input('fargate', atTen, tenInEffect),
        observation: unknown(atTen, ['alb', ...keys]),
      });
      expect(decision.weights).toEqual({ lambda: 90, fargate: 10 });
      expect(decision.rollback).toBeUndefined();
      expect(decision.reason).toContain('could not observe alb');
    },
  );

  const drained: World = { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 };
  const waitMs = 2 * 60_000 + DEREGISTRATION_DELAY_MS;

  describe('a fargate record at a name the stack no longer owns', () => {
    const albName = 'lf-orders-alb-1.us-east-1.elb.amazonaws.com';
    const strandedWorld = (target: string, weight: number, albObserved = true): Observation => {
      const observation = world({ alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 });
      const resources = observation.resources as Record<string, ObservedResource>;
      resources.alb = { ...resources.alb!, extra: { dnsName: albName } };
      resources[DNS_KEYS.fargate] = resource(DNS_KEYS.fargate, {
        foreign: true,
        conflict: 'api.example.test. is owned by stack someone-else',
        extra: { recordSet: { Weight: weight, AliasTarget: { DNSName: `${target}.` } } },
      });
      if (!albObserved) {
        delete observation.resources.alb;
        observation.unknown.alb = 'Throttling';
      }
      return observation;
    };
    const decide = (observation: Observation) =>
      decideTraffic({ ...input('lambda', drained, { fargateWeight: 0 }), observation });

    it.each([
      ['points at the stack’s ALB with a weight', strandedWorld(albName.toUpperCase(), 100)],
      ['has a weight and the ALB could not be observed', strandedWorld(albName, 100, false)],
    ])('keeps the Fargate tier while it %s', (_how, observation) => {
      const decision = decide(observation);
      expect(decision.planResources).toBe('lambda-tier-and-records');
      expect(decision.shift.drain).toBeUndefined();
      expect(decision.reason).toMatch(/^keeping the Fargate tier: .*owned by stack someone-else/);
    });

    it.each([
      ['points elsewhere', strandedWorld('other-alb.us-east-1.elb.amazonaws.com', 100)],
      ['carries no weight', strandedWorld(albName, 0)],
    ])('does not hold the drain when it %s', (_how, observation) => {
      expect(decide(observation).reason).not.toMatch(/keeping the Fargate tier/);
    });
  });

  describe('records at a name another stack holds now', () => {
    /** Both records read foreign, neither pointing at the stack's ALB; `wroteThere` as the record kind found it. */
    const takenWorld = (wroteThere: boolean): Observation => {
      const observation = world({ alb: 'active', healthy: 1 });
      const resources = observation.resources as Record<string, ObservedResource>;
      for (const key of Object.values(DNS_KEYS))
        resources[key] = resource(key, {
          foreign: true,
          conflict: 'api.example.test. is owned by stack someone-else',
          extra: wroteThere ? { wroteThere: true } : {},
        });
      return observation;
    };
    const decide = (observation: Observation, previous: ShiftState) =>
      decideTraffic({ ...input('lambda', drained, previous), observation });

    it('starts the drain when the stack never wrote there: no change of its own can be behind the answers', () => {
      const decision = decide(takenWorld(false), { fargateWeight: 0 });
      expect(decision.shift.drain).toBeDefined();
      expect(decision.rewriteWeights).toBeUndefined();
    });

    it('does not start it when the stack wrote there: a change of its own may still be propagating', () => {
      const unknown = decide(takenWorld(true), { fargateWeight: 0 });
      expect(unknown.shift.drain).toBeUndefined();
      expect(unknown.rewriteWeights).toBe(true);
      // Not even behind a known change: such a record is never in sync.
      const known = decide(takenWorld(true), { fargateWeight: 0, knownChange: true });
      expect(known.shift.drain).toBeUndefined();
      expect(known.reason).toContain('Route 53 change pending');
    });
  });

  describe('the wait, in AWS’s time', () => {
    const inSync: World = { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 };
    const bounds = (earliest: number, latest: number): AwsTimeBounds => ({ earliest, latest });

    it('starts at the latest AWS’s time can be, and ends once the earliest it can be is past that by the wait', () => {
      const first = decideTraffic(
        input(
          'lambda',
          inSync,
          { fargateWeight: 0, knownChange: true },
          { awsTime: bounds(NOW, NOW + 1500) },
        ),
      );
      const drain = { since: NOW + 1500, localSince: NOW };
      expect(first.shift).toEqual({ fargateWeight: 0, knownChange: true, drain });
      expect(first.planResources).toBe('lambda-tier-and-records');
      expect(first.reason).toContain(`waiting ${Math.ceil((waitMs + 1500) / 1000)} s more`);

      // The reconciler's clock is past the wait throughout: AWS's time decides.
      const later = { now: NOW + 2 * waitMs };
      const since = NOW + 1500;
      const almost = bounds(since + waitMs - 1, since + waitMs + 5000);
      const early = decideTraffic(input('lambda', inSync, first.shift, { awsTime: almost, ...later }));
      expect(early).toMatchObject({ planResources: 'lambda-tier-and-records', shift: first.shift });

      const over = bounds(since + waitMs, since + waitMs + 1000);
      const done = decideTraffic(input('lambda', inSync, first.shift, { awsTime: over, ...later }));
      expect(done).toMatchObject({ planResources: 'all', planTier: 'lambda', phase: 'ScalingDown' });
      expect(done.shift).toEqual({ fargateWeight: 0, knownChange: true, drain: { ...drain, waited: true } });
    });

    it('must be over on the reconciler’s clock too: answers from a cache that hides their age do not end it', () => {
      const drain = { since: NOW, localSince: NOW };
      const previous: ShiftState = { fargateWeight: 0, knownChange: true, drain };
      // AWS's time, as the answers tell it, says the wait is long over; the reconciler's clock has moved a second.
      const stale = bounds(NOW + 10 * waitMs, NOW + 10 * waitMs);
      const held = decideTraffic(input('lambda', inSync, previous, { awsTime: stale, now: NOW + 1000 }));
      expect(held).toMatchObject({ planResources: 'lambda-tier-and-records', shift: previous });
      expect(held.reason).toContain(`waiting ${Math.ceil((waitMs - 1000) / 1000)} s more`);
      const over = decideTraffic(input('lambda', inSync, previous, { awsTime: stale, now: NOW + waitMs }));
      expect(over).toMatchObject({ planResources: 'all', shift: { drain: { ...drain, waited: true } } });
    });

    it.each([
      [10, 60],
      [30, 60],
      [60, 60],
      [300, 300],
    ])(
      'with dns.ttlSeconds %i counts a TTL of %i s: the alias records’ answers are held the load balancer’s 60 s',
      (ttlSeconds, heldSeconds) => {
        const withTtl = { ...spec, dns: { ...spec.dns!, ttlSeconds } };
        const wait = 2 * heldSeconds * 1000 + DEREGISTRATION_DELAY_MS;
        const since = NOW;
        const previous: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since } };
        const at = (earliest: number) =>
          decideTraffic({
            ...input('lambda', inSync, previous, { awsTime: bounds(earliest, earliest) }),
            spec: withTtl,
          });
        expect(at(since + wait - 1).planResources).toBe('lambda-tier-and-records');
        expect(at(since + wait).planResources).toBe('all');
      },
    );

    it('is not shortened by the reconciler’s clock jumping a day ahead mid-drain', () => {
      const draining: ShiftState = {
        fargateWeight: 0,
        knownChange: true,
        drain: { since: NOW - waitMs + 1, localSince: NOW - waitMs + 1 },
      };
      const jumped = decideTraffic(input('lambda', inSync, draining, { now: NOW + DAY_MS }));
      expect(jumped).toMatchObject({ planResources: 'lambda-tier-and-records', shift: draining });
    });

    it('is lengthened, never shortened, by the reconciler’s clock stepping back a day mid-drain', () => {
      const draining: ShiftState = {
        fargateWeight: 0,
        knownChange: true,
        drain: { since: NOW - waitMs, localSince: NOW - waitMs },
      };
      expect(decideTraffic(input('lambda', inSync, draining)).planResources).toBe('all');
      const stepped = decideTraffic(input('lambda', inSync, draining, { now: NOW - DAY_MS }));
      // Its start on our clock is moved to the stepped-back now: one whole wait more, not a day more.
      const rebased = { ...draining, drain: { since: NOW - waitMs, localSince: NOW - DAY_MS } };
      expect(stepped).toMatchObject({ planResources: 'lambda-tier-and-records', shift: rebased });
      const at = (now: number) => decideTraffic(input('lambda', inSync, rebased, { now })).planResources;
      expect(at(NOW - DAY_MS + waitMs - 1)).toBe('lambda-tier-and-records');
      expect(at(NOW - DAY_MS + waitMs)).toBe('all');
    });

    it('a drain kept before the reconciler’s clock was kept with it is measured on AWS’s time alone', () => {
      const older: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - waitMs } };
      expect(decideTraffic(input('lambda', inSync, older, { now: NOW - DAY_MS })).planResources).toBe('all');
    });

    it('neither starts nor ends without AWS’s time, and goes on deleting once the wait was over', () => {
      const none = { awsTime: undefined };
      const unstarted = decideTraffic(input('lambda', inSync, { fargateWeight: 0, knownChange: true }, none));
      expect(unstarted).toMatchObject({
        planResources: 'lambda-tier-and-records',
        shift: { fargateWeight: 0, knownChange: true },
      });
      expect(unstarted.shift.drain).toBeUndefined();
      expect(unstarted.reason).toContain('no AWS answer dated this pass');

      const long: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - 10 * waitMs } };
      const unmeasured = decideTraffic(input('lambda', inSync, long, none));
      expect(unmeasured).toMatchObject({ planResources: 'lambda-tier-and-records', shift: long });

      const waited: ShiftState = {
        fargateWeight: 0,
        knownChange: true,
        drain: { since: NOW - waitMs, waited: true },
      };
      const goesOn = decideTraffic(input('none', { ...inSync, pending: true }, waited, none));
      expect(goesOn).toMatchObject({ planResources: 'all', planTier: 'none', shift: waited });
    });

    it('waits again from the start after a drain recorded on the reconciler’s clock by an earlier version', () => {
      // That version kept no word of the change behind Fargate 0 either: the records are written again.
      const earlier = { fargateWeight: 0, drainedSince: NOW - 10 * waitMs } as ShiftState;
      const decision = decideTraffic(input('lambda', inSync, earlier));
      expect(decision).toMatchObject({ planResources: 'lambda-tier-and-records', rewriteWeights: true });
      expect(decision.shift).toEqual({ fargateWeight: 0 });
    });
  });

  describe('the change behind Fargate 0 not known (its id lost in a crash, or its answer never came)', () => {
    const atZero: World = { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 };
    const rewrites = {
      planTier: 'fargate',
      planResources: 'lambda-tier-and-records',
      weights: { lambda: 100, fargate: 0 },
      rewriteWeights: true,
      shift: { fargateWeight: 0 },
    };

    it.each<[string, ShiftState | undefined]>([
      ['the pass that moved traffic died before keeping anything', { fargateWeight: 100, inEffectSince: 0 }],
      ['mid-shift', { fargateWeight: 50, inEffectSince: NOW - 1000 }],
      ['the last pass asked for 0 and its write was not answered', { fargateWeight: 0 }],
      ['a drain begun by a version that did not keep the marker', { fargateWeight: 0, drain: { since: 0 } }],
      ['no shift on record', undefined],
    ])(
      'records found at Fargate 0 and in sync are written again, and no drain starts (%s)',
      (_when, previous) => {
        for (const target of ['lambda', 'none'] as const) {
          const decision = decideTraffic(input(target, atZero, previous));
          expect(decision).toMatchObject(rewrites);
          expect(decision.shift).toEqual({ fargateWeight: 0 });
          expect(decision.reason).toContain('by a change not known');
        }
      },
    );

    it('the same on a second worker whose clock is a day ahead', () => {
      const previous: ShiftState = { fargateWeight: 100, inEffectSince: 0 };
      const ahead = { now: NOW + DAY_MS, awsTime: { earliest: NOW, latest: NOW + 1000 } };
      expect(decideTraffic(input('lambda', atZero, previous, ahead))).toMatchObject(rewrites);
    });

    it('writes them on top of a change of ours still PENDING, which is not the one that moved them', () => {
      // The pending change the last pass kept (the shift's 100 %) was taken before the lost one.
      const decision = decideTraffic(
        input('lambda', { ...atZero, pending: true }, { fargateWeight: 100, inEffectSince: 0 }),
      );
      expect(decision).toMatchObject({ ...rewrites, reason: expect.stringContaining('change pending') });
    });

    it('once its rewrite is known: waits for it to be INSYNC, then starts the drain; nothing is written again', () => {
      const known: ShiftState = { fargateWeight: 0, knownChange: true };
      const pending = decideTraffic(input('lambda', { ...atZero, pending: true }, known));
      expect(pending).toMatchObject({ planResources: 'lambda-tier-and-records', shift: known });
      expect(pending.rewriteWeights).toBeUndefined();
      const inSync = decideTraffic(input('lambda', atZero, known));
      expect(inSync.rewriteWeights).toBeUndefined();
      expect(inSync.shift).toEqual({
        fargateWeight: 0,
        knownChange: true,
        drain: { since: NOW + 1000, localSince: NOW },
      });
    });

    it('records found back on Fargate after a known change: the write that moves them is known only once answered', () => {
      const known: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1000 } };
      const decision = decideTraffic(
        input('lambda', { ...atZero, lambdaWeight: 50, fargateWeight: 50 }, known),
      );
      expect(decision).toMatchObject(rewrites);
    });
  });

  it.each<[string, ShiftState]>([
    ['before the drain started', { fargateWeight: 0 }],
    ['while the drain is waited out', { fargateWeight: 0, drain: { since: NOW - waitMs + 1 } }],
    ['before traffic moved back', { fargateWeight: 50 }],
  ])('does not start deleting the Fargate tier while a record could not be observed, %s', (_when, shift) => {
    const decision = decideTraffic({
      ...input('lambda', drained, shift),
      observation: unknown(drained, [DNS_KEYS.fargate]),
    });
    expect(decision).toMatchObject({
      planResources: 'lambda-tier-and-records',
      planTier: 'fargate',
      phase: 'ScalingDown',
    });
    expect(decision.shift).toEqual(shift);
  });

  it.each(['lambda', 'none'] as const)(
    'goes on deleting the Fargate tier (target %s) once drained, whatever could not be observed',
    (target) => {
      const long: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - waitMs } };
      for (const keys of [[DNS_KEYS.fargate], ['alb', 'service'], [DNS_KEYS.lambda, 'alb']]) {
        const decision = decideTraffic({
          ...input(target, drained, long),
          observation: unknown(drained, keys),
        });
        expect({ keys, decision }).toMatchObject({
          keys,
          decision: { planResources: 'all', planTier: target, shift: long, weights: { fargate: 0 } },
        });
      }
    },
  );

  it('goes on deleting once drained while Route 53 applies the change of a record it deleted', () => {
    const long: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - waitMs } };
    const decision = decideTraffic(input('none', { ...drained, pending: true }, long));
    expect(decision).toMatchObject({ planResources: 'all', planTier: 'none', shift: long });
  });

  it('drains again if a record shows Fargate traffic after the drain', () => {
    const long: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - waitMs } };
    const decision = decideTraffic(input('none', { ...drained, lambdaWeight: 50, fargateWeight: 50 }, long));
    expect(decision).toMatchObject({ planResources: 'lambda-tier-and-records', weights: { fargate: 0 } });
  });

  it.each(['lambda', 'none'] as const)(
    'does not read a Fargate-tier resource that could not be observed as gone (target %s)',
    (target) => {
      // The ALB alone is left and its look-up was throttled: the tier may still exist, so its drain goes on
      // where it was instead of calling it gone (which would forget when the drain began).
      const draining: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1_000 } };
      const decision = decideTraffic({
        ...input(target, { lambdaWeight: 100, fargateWeight: 0 }, draining),
        observation: unknown({ lambdaWeight: 100, fargateWeight: 0 }, ['alb']),
      });
      expect(decision).toMatchObject({
        planResources: 'lambda-tier-and-records',
        planTier: 'fargate',
        shift: draining,
      });
    },
  );

  describe.each(['lambda', 'none'] as const)('a Fargate tier found gone (target %s)', (target) => {
    const withoutDns: DesiredState = { ...spec, dns: undefined };
    const inSync: World = { lambdaWeight: 100, fargateWeight: 0 };
    it.each<[string, DesiredState, ShiftState, World]>([
      [
        'without dns, once a pass found no record of ours',
        withoutDns,
        { fargateWeight: 0, weightless: true },
        {},
      ],
      [
        'with dns, once the drain was waited out',
        spec,
        { fargateWeight: 0, drain: { since: 0, waited: true } },
        inSync,
      ],
    ])(
      'is not sent back to draining by a later failed look-up (%s): on a delete that would re-create the Lambda tier',
      (_when, theSpec, shift, records) => {
        const gone = decideTraffic({ ...input(target, records, shift), spec: theSpec });
        expect(gone).toMatchObject({ planResources: 'all', planTier: target });
        // The ALB's look-up fails, and with it the records' (their alias needs it): the tier "may exist".
        const failed = unknown(records, ['alb', DNS_KEYS.lambda, DNS_KEYS.fargate]);
        const later = decideTraffic({
          ...input(target, records, gone.shift, { awsTime: undefined }),
          spec: theSpec,
          observation: failed,
        });
        expect(later).toMatchObject({ planResources: 'all', planTier: target, weights: { fargate: 0 } });
      },
    );
  });

  it('gives the spec’s minTasks back to target tracking a while after all traffic is on Fargate', () => {
    const justArrived = decideTraffic(input('fargate', serving, onFargate, { requestRate: 500 }));
    expect(justArrived.phase).toBe('Fargate');
    expect(justArrived.fargateMinTasks).toBe(tasksForRate(spec, 500));
    const longAgo: ShiftState = { fargateWeight: 100, inEffectSince: NOW - TARGET_TRACKING_HANDOVER_MS };
    const later = decideTraffic(input('fargate', serving, longAgo, { requestRate: 500 }));
    expect(later.phase).toBe('Fargate');
    expect(later.fargateMinTasks).toBeUndefined();
  });
});
