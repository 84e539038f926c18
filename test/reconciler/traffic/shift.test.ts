/**
 * The traffic engine, pure: table tests of decideTraffic over hand-made observations (no AWS, no clock).
 */
import type { AwsTimeBounds } from '../../../reconciler/aws/aws-time';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import {
  CAPACITY_HEADROOM,
  DEREGISTRATION_DELAY_MS,
  DNS_KEYS,
  TARGET_TRACKING_HANDOVER_MS,
  decideTraffic,
  tasksForRate,
  type ShiftState,
  type TrafficInput,
} from '../../../reconciler/traffic/shift';
import type { DesiredState } from '../../../spec/types';
import { NOW, testSpec } from '../resources/fixtures';

const spec = testSpec({ mode: 'auto' });
const STEP_MS = spec.traffic.stepSeconds * 1000;
const DAY_MS = 24 * 3_600_000;
/** Only `tier` and `key` matter to the engine: whether a Fargate-tier resource exists. */
const kinds = [
  { key: 'alb', tier: 'fargate' },
  { key: 'service', tier: 'fargate' },
  { key: 'lambda-function', tier: 'lambda' },
] as unknown as readonly ManagedResource[];

function resource(key: string, extra: Partial<ObservedResource> = {}): ObservedResource {
  return { key, type: `Test::${key}`, id: `id-${key}`, tags: {}, attributes: {}, ready: true, ...extra };
}

interface World {
  alb?: 'active' | 'provisioning';
  healthy?: number;
  /** Route 53 weights of the two records; undefined: no record. */
  lambdaWeight?: number;
  fargateWeight?: number;
  /** A Route 53 change still PENDING. */
  pending?: boolean;
}

function world(w: World): Observation {
  const resources: Record<string, ObservedResource | undefined> = {
    'lambda-function': resource('lambda-function'),
  };
  if (w.alb) resources.alb = resource('alb', { state: w.alb, ready: w.alb === 'active' });
  if (w.healthy !== undefined)
    resources.service = resource('service', { extra: { healthyTargets: w.healthy } });
  const ready = !w.pending;
  if (w.lambdaWeight !== undefined)
    resources[DNS_KEYS.lambda] = resource(DNS_KEYS.lambda, { attributes: { weight: w.lambdaWeight }, ready });
  if (w.fargateWeight !== undefined)
    resources[DNS_KEYS.fargate] = resource(DNS_KEYS.fargate, {
      attributes: { weight: w.fargateWeight },
      ready,
    });
  return { resources, unknown: {} };
}

/** AWS's time as a pass's answers bound it when AWS answered at `at`: its Date header is exact to the second. */
function awsAt(at: number): AwsTimeBounds {
  return { earliest: at, latest: at + 1000 };
}

function input(
  target: TrafficInput['target'],
  w: World,
  previous?: ShiftState,
  extra: Partial<TrafficInput> = {},
): TrafficInput {
  return {
    spec,
    target,
    observation: world(w),
    kinds,
    ...(previous ? { previous } : {}),
    now: NOW,
    awsTime: awsAt(NOW),
    ...extra,
  };
}

describe('decideTraffic: scaling up (safety rule 1)', () => {
  it.each<[string, World, ShiftState | undefined, number, string, RegExp]>([
    ['no ALB yet', {}, undefined, 0, 'ScalingUp', /building the Fargate tier: no ALB/],
    [
      'ALB still provisioning',
      { alb: 'provisioning', healthy: 1 },
      undefined,
      0,
      'ScalingUp',
      /ALB provisioning/,
    ],
    ['no healthy target', { alb: 'active', healthy: 0 }, undefined, 0, 'ScalingUp', /0 of 1 targets healthy/],
    [
      'healthy: the first step',
      { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 },
      undefined,
      10,
      'ScalingUp',
      /shifting Fargate from 0 % to 10 %/,
    ],
    [
      'a step not yet in sync in Route 53',
      { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 },
      { fargateWeight: 10 },
      10,
      'ScalingUp',
      /waiting for Route 53 to have Fargate at 10 %/,
    ],
    [
      'a step in sync but not held stepSeconds yet',
      { alb: 'active', healthy: 1, lambdaWeight: 90, fargateWeight: 10 },
      { fargateWeight: 10, inEffectSince: NOW - STEP_MS + 1 },
      10,
      'ScalingUp',
      /holding Fargate at 10 % for 60 s/,
    ],
    [
      'a step held stepSeconds: the next one',
      { alb: 'active', healthy: 1, lambdaWeight: 90, fargateWeight: 10 },
      { fargateWeight: 10, inEffectSince: NOW - STEP_MS },
      50,
      'ScalingUp',
      /from 10 % to 50 %/,
    ],
    [
      'all on Fargate',
      { alb: 'active', healthy: 1, lambdaWeight: 0, fargateWeight: 100 },
      { fargateWeight: 100, inEffectSince: NOW - 5 * STEP_MS },
      100,
      'Fargate',
      /serving from Fargate/,
    ],
  ])('%s', (_, w, previous, fargate, phase, reason) => {
    const decision = decideTraffic(input('fargate', w, previous));
    expect(decision.weights).toEqual({ lambda: 100 - fargate, fargate });
    expect(decision.phase).toBe(phase);
    expect(decision.reason).toMatch(reason);
    expect(decision.planTier).toBe('fargate');
    expect(decision.rollback).toBeUndefined();
  });

  it.each<[string, World, ShiftState | undefined, string | undefined]>([
    [
      'the first step',
      { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 },
      undefined,
      'Route 53 to have Fargate at 10 %',
    ],
    [
      'a step not in sync',
      { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0, pending: true },
      { fargateWeight: 10 },
      'Route 53 to have Fargate at 10 %',
    ],
    [
      'a step being held',
      { alb: 'active', healthy: 1, lambdaWeight: 90, fargateWeight: 10 },
      { fargateWeight: 10, inEffectSince: NOW - STEP_MS + 1 },
      'Fargate held at 10 % for 60 s before the next step',
    ],
    // Nothing is met yet: the reason is what is awaited.
    ['no healthy target', { alb: 'active', healthy: 0 }, undefined, undefined],
  ])('says what a scale-up still awaits, not the health it already has: %s', (_, w, previous, awaiting) => {
    const decision = decideTraffic(input('fargate', w, previous));
    expect(decision.awaiting).toBe(awaiting);
    // The reason keeps the whole story, the health met included.
    if (awaiting) expect(decision.reason).toMatch(/^ALB active, 1 target healthy \(≥ 1\); /);
  });

  it('rolls traffic back to Lambda at once when targets turn unhealthy while Fargate serves', () => {
    const decision = decideTraffic(
      input(
        'fargate',
        { alb: 'active', healthy: 0, lambdaWeight: 0, fargateWeight: 100 },
        { fargateWeight: 100, inEffectSince: NOW - STEP_MS },
      ),
    );
    expect(decision.weights).toEqual({ lambda: 100, fargate: 0 });
    expect(decision.rollback).toBe('0 of 1 targets healthy');
    expect(decision.reason).toMatch(/^rolled back to Lambda/);
  });

  it('rolls traffic back when the active ALB at the stack’s name is not the stack’s, however healthy its targets', () => {
    const serving: World = { alb: 'active', healthy: 2, lambdaWeight: 0, fargateWeight: 100 };
    const observation = world(serving);
    observation.resources.alb = { ...observation.resources.alb!, foreign: true };
    const decision = decideTraffic({
      ...input('fargate', serving, { fargateWeight: 100, inEffectSince: NOW - STEP_MS }),
      observation,
    });
    expect(decision.weights).toEqual({ lambda: 100, fargate: 0 });
    expect(decision.rollback).toBe("the ALB at the stack's name (id-alb) is not the stack's");
  });
});

describe('decideTraffic: capacity before each step', () => {
  const at50: World = { alb: 'active', healthy: 1, lambdaWeight: 50, fargateWeight: 50 };
  const held50: ShiftState = { fargateWeight: 50, inEffectSince: NOW - STEP_MS };

  it.each<[string, World, ShiftState | undefined, number | undefined, number, RegExp]>([
    ['unknown rate: steps go on as before', at50, held50, undefined, 100, /from 50 % to 100 %/],
    [
      '1 healthy target (100 rps) for 100 % of 150 rps: holds at 50 %',
      at50,
      held50,
      150,
      50,
      /holding Fargate at 50 % before 100 %: 1 healthy targets carry 100 rps < 150.0 rps/,
    ],
    [
      '2 healthy targets for 100 % of 150 rps: goes on',
      { ...at50, healthy: 2 },
      held50,
      150,
      100,
      /to 100 %/,
    ],
    ['1 healthy target for 100 % of 90 rps: goes on', at50, held50, 90, 100, /to 100 %/],
    [
      'the first step waits too: 1 target for 10 % of 1,500 rps',
      { alb: 'active', healthy: 1, lambdaWeight: 100, fargateWeight: 0 },
      undefined,
      1500,
      0,
      /holding Fargate at 0 % before 10 %: 1 healthy targets carry 100 rps < 150.0 rps/,
    ],
    [
      'every task the spec allows is healthy: goes on even short of the rate',
      { ...at50, healthy: 10 },
      held50,
      5000,
      100,
      /to 100 %/,
    ],
  ])('%s', (_, w, previous, requestRate, fargate, reason) => {
    const decision = decideTraffic(
      input('fargate', w, previous, requestRate === undefined ? {} : { requestRate }),
    );
    expect(decision.weights.fargate).toBe(fargate);
    expect(decision.reason).toMatch(reason);
  });

  it('keeps the step held while waiting, so that it goes on as soon as the targets are healthy', () => {
    const waiting = decideTraffic(input('fargate', at50, held50, { requestRate: 150 }));
    expect(waiting.shift).toEqual(held50);
    const ready = decideTraffic(
      input('fargate', { ...at50, healthy: 2 }, waiting.shift, { requestRate: 150 }),
    );
    expect(ready.weights.fargate).toBe(100);
  });

  it('asks for the tasks of the whole rate (with headroom) while scaling up, and only with a rate', () => {
    expect(decideTraffic(input('fargate', at50, held50, { requestRate: 150 })).fargateMinTasks).toBe(2);
    expect(decideTraffic(input('fargate', {}, undefined, { requestRate: 185 })).fargateMinTasks).toBe(3);
    expect(decideTraffic(input('fargate', at50, held50)).fargateMinTasks).toBeUndefined();
    expect(
      decideTraffic(input('lambda', { alb: 'active', healthy: 1 }, undefined, { requestRate: 150 }))
        .fargateMinTasks,
    ).toBeUndefined();
  });

  it.each<[number, number]>([
    [0, 1],
    [50, 1],
    [90, 1],
    [91, 2],
    [150, 2],
    [100_000, 10],
  ])('tasksForRate(%s rps) = %s (within minTasks..maxTasks, with headroom)', (rps, tasks) => {
    expect(CAPACITY_HEADROOM).toBeGreaterThan(1);
    expect(tasksForRate(spec, rps)).toBe(tasks);
  });

  it('never shifts to an unhealthy or missing ALB, whatever the rate', () => {
    for (const w of [
      {},
      { alb: 'provisioning' as const, healthy: 5 },
      { alb: 'active' as const, healthy: 0 },
    ]) {
      const decision = decideTraffic(input('fargate', w, held50, { requestRate: 10 }));
      expect(decision.weights.fargate).toBe(0);
    }
  });
});

describe('decideTraffic: scaling down (safety rule 2)', () => {
  const fargateUp: World = { alb: 'active', healthy: 1 };

  it('serves from Lambda and plans everything when no Fargate tier exists', () => {
    const decision = decideTraffic(input('lambda', { lambdaWeight: 100 }));
    expect(decision).toMatchObject({
      phase: 'Lambda',
      planResources: 'all',
      weights: { lambda: 100, fargate: 0 },
    });
  });

  it.each<[string, World, ShiftState | undefined, number, string, string, RegExp]>([
    [
      'Fargate still has traffic: back to Lambda first, records only',
      { ...fargateUp, lambdaWeight: 0, fargateWeight: 100 },
      { fargateWeight: 100 },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /moving traffic back to Lambda \(Fargate has 100 %\)/,
    ],
    [
      'Route 53 change pending',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0, pending: true },
      { fargateWeight: 0 },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /Route 53 change pending/,
    ],
    [
      'in sync, within TTL × 2 + deregistration delay',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
      { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1000 } },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /waiting \d+ s more \(TTL × 2 \+ deregistration delay, in AWS's time\)/,
    ],
    [
      'drained: the Fargate tier may go',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
      { fargateWeight: 0, knownChange: true, drain: { since: NOW - 2 * 60_000 - DEREGISTRATION_DELAY_MS } },
      NOW,
      'all',
      'lambda',
      /traffic drained from Fargate; deleting the Fargate tier/,
    ],
  ])('%s', (_, w, previous, now, planResources, planTier, reason) => {
    const decision = decideTraffic({ ...input('lambda', w, previous), now });
    expect(decision.weights).toEqual({ lambda: 100, fargate: 0 });
    expect(decision.phase).toBe('ScalingDown');
    expect(decision.planResources).toBe(planResources);
    expect(decision.planTier).toBe(planTier);
    expect(decision.reason).toMatch(reason);
  });

  it('says what the drain still awaits, without the traffic already back on Lambda and in sync', () => {
    const decision = decideTraffic(
      input(
        'lambda',
        { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
        { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1000 } },
      ),
    );
    expect(decision.reason).toMatch(/^traffic on Lambda and in sync; waiting \d+ s more/);
    expect(decision.awaiting).toMatch(
      /^\d+ s more of the drain \(TTL × 2 \+ deregistration delay, in AWS's time\) before deleting the Fargate tier$/,
    );
  });

  it('is phase Deleting, not ScalingDown, when the stack is being deleted', () => {
    const decision = decideTraffic(input('none', { ...fargateUp, lambdaWeight: 0, fargateWeight: 100 }));
    expect(decision.phase).toBe('Deleting');
    expect(decision.weights.fargate).toBe(0);
  });
});

describe('decideTraffic without dns (no record, so no weight to move)', () => {
  const noDns: DesiredState = { ...spec, dns: undefined };
  const healthy: World = { alb: 'active', healthy: 1 };

  it('serves from Fargate from the first pass that finds the tier healthy: no step is held', () => {
    const first = decideTraffic({ ...input('fargate', healthy), spec: noDns });
    expect(first).toMatchObject({
      phase: 'Fargate',
      planResources: 'all',
      weights: { lambda: 0, fargate: 100 },
      observed: { lambda: 0, fargate: 100 },
      shift: { fargateWeight: 100, inEffectSince: NOW },
      weightless: true,
    });
    expect(first.reason).toMatch(/^serving from Fargate: ALB active, 1 target healthy \(≥ 1\)/);
    // Later passes keep the time it began serving (target tracking's handover counts from it).
    const later = decideTraffic({
      ...input('fargate', healthy, first.shift, { now: NOW + STEP_MS }),
      spec: noDns,
    });
    expect(later).toMatchObject({ phase: 'Fargate', shift: { fargateWeight: 100, inEffectSince: NOW } });
  });

  it('still waits for the ALB and minTasks healthy targets (safety rule 1)', () => {
    const building = decideTraffic({ ...input('fargate', { alb: 'active', healthy: 0 }), spec: noDns });
    expect(building).toMatchObject({ phase: 'ScalingUp', weights: { lambda: 100, fargate: 0 } });
    expect(building.reason).toMatch(/^building the Fargate tier: 0 of 1 targets healthy/);
  });

  it('says the tier that served is unhealthy, claims no rollback, and keeps saying so until it recovers', () => {
    const serving: ShiftState = { fargateWeight: 100, inEffectSince: NOW - STEP_MS };
    const sick = decideTraffic({ ...input('fargate', { alb: 'active', healthy: 0 }, serving), spec: noDns });
    expect(sick).toMatchObject({
      phase: 'ScalingUp',
      planResources: 'all',
      planTier: 'fargate',
      weights: { lambda: 100, fargate: 0 },
      observed: { lambda: 100, fargate: 0 },
      shift: { fargateWeight: 0, unhealthySince: NOW },
      unhealthy: { why: '0 of 1 targets healthy', since: NOW },
    });
    expect(sick.rollback).toBeUndefined();
    expect(sick.reason).toBe(
      "the Fargate tier is unhealthy (0 of 1 targets healthy); no custom domain, so nothing to move back: clients should call the API's URL until its targets are healthy again",
    );
    // A later pass keeps the time it turned unhealthy (the event is logged once, at the turn).
    const later = decideTraffic({
      ...input('fargate', { alb: 'active', healthy: 0 }, sick.shift, { now: NOW + STEP_MS }),
      spec: noDns,
    });
    expect(later).toMatchObject({ unhealthy: { since: NOW }, shift: { unhealthySince: NOW } });
    expect(later.reason).toBe(sick.reason);
    const healthyAgain = decideTraffic({
      ...input('fargate', healthy, later.shift, { now: NOW + 2 * STEP_MS }),
      spec: noDns,
    });
    expect(healthyAgain).toMatchObject({
      phase: 'Fargate',
      shift: { fargateWeight: 100, inEffectSince: NOW + 2 * STEP_MS },
    });
    expect(healthyAgain.unhealthy).toBeUndefined();
    expect(healthyAgain.shift.unhealthySince).toBeUndefined();
  });

  it('deletes the Fargate tier at once on the way down: there is no traffic to drain', () => {
    for (const [target, phase] of [
      ['lambda', 'ScalingDown'],
      ['none', 'Deleting'],
    ] as const) {
      const decision = decideTraffic({
        ...input(target, healthy, { fargateWeight: 100, inEffectSince: NOW - STEP_MS }),
        spec: noDns,
      });
      expect(decision).toMatchObject({
        phase,
        planResources: 'all',
        planTier: target,
        weights: { lambda: 100, fargate: 0 },
        observed: { lambda: 100, fargate: 0 },
        weightless: true,
      });
      expect(decision.reason).toBe('no custom domain, so no traffic to drain; deleting the Fargate tier');
    }
  });

  it('drains as with dns while a record of ours is left from a spec that had dns', () => {
    const decision = decideTraffic({
      ...input('lambda', { ...healthy, lambdaWeight: 0, fargateWeight: 100 }, { fargateWeight: 100 }),
      spec: noDns,
    });
    // The verdict the status publishes and auto mode reads: a weight of ours still routes traffic.
    expect(decision).toMatchObject({
      phase: 'ScalingDown',
      planResources: 'lambda-tier-and-records',
      weightless: false,
    });
  });

  it.each(['lambda', 'none'] as const)(
    'goes on deleting the Fargate tier (target %s) once a pass found no record of ours, whatever could not be looked up later',
    (target) => {
      // A record of ours cannot appear for a spec without dns: what a pass saw absent stays absent, and a
      // throttled look-up must not send a half-done delete back to draining (it would never converge).
      const first = decideTraffic({ ...input(target, healthy, { fargateWeight: 100 }), spec: noDns });
      const observation = world(healthy);
      delete observation.resources[DNS_KEYS.fargate];
      observation.unknown[DNS_KEYS.fargate] = 'ThrottlingException';
      const later = decideTraffic({
        ...input(target, healthy, first.shift, { now: NOW + 15_000 }),
        observation,
        spec: noDns,
      });
      expect(later).toMatchObject({
        planResources: 'all',
        planTier: target,
        weights: { lambda: 100, fargate: 0 },
        weightless: true,
      });
      expect(later.reason).toBe('no custom domain, so no traffic to drain; deleting the Fargate tier');
    },
  );

  it('drains as with dns while a record could not be looked up (unknown is not absent)', () => {
    const observation = world(healthy);
    observation.unknown[DNS_KEYS.fargate] = 'ThrottlingException';
    const decision = decideTraffic({
      ...input('lambda', healthy, { fargateWeight: 100 }),
      observation,
      spec: noDns,
    });
    expect(decision).toMatchObject({ phase: 'ScalingDown', planResources: 'lambda-tier-and-records' });
  });
});

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
