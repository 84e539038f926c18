/**
 * decideTraffic without dns: no record, so no weight to move; the tier serves once healthy and goes
 * at once (traffic/scale-up.ts, traffic/drain.ts).
 */
import { DNS_KEYS, decideTraffic, type ShiftState } from '../../../reconciler/traffic/shift';
import type { DesiredState } from '../../../spec/types';
import { NOW } from '../resources/fixtures';
import { input, spec, STEP_MS, world, type World } from './world';

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
    for (const [target, phase, going] of [
      ['lambda', 'ScalingDown', 'the Fargate tier'],
      ['none', 'Deleting', 'both tiers'],
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
      // A delete removes the Lambda tier with it: the reason says both go, not the Fargate tier alone.
      expect(decision.reason).toBe(`no custom domain, so no traffic to drain; deleting ${going}`);
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
      expect(later.reason).toBe(
        `no custom domain, so no traffic to drain; deleting ${target === 'none' ? 'both tiers' : 'the Fargate tier'}`,
      );
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
