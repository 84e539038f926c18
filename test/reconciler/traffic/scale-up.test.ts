/**
 * The way up (safety rule 1, traffic/scale-up.ts) through decideTraffic: steps only onto a healthy
 * tier, a rollback when it turns unhealthy.
 */
import { decideTraffic, type ShiftState } from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';
import { input, STEP_MS, world, type World } from './world';

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
