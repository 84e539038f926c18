/**
 * Capacity before each step (traffic/capacity.ts) through decideTraffic: a step waits for the healthy
 * targets to carry it.
 */
import {
  CAPACITY_HEADROOM,
  decideTraffic,
  tasksForRate,
  type ShiftState,
} from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';
import { input, spec, STEP_MS, type World } from './world';

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
