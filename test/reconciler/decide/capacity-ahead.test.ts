import fc from 'fast-check';
import {
  LEVEL_NOISE_MARGIN,
  TASK_READY_MINUTES,
  tasksAhead,
  trackedTasks,
} from '../../../reconciler/decide/capacity-ahead';
import { fitTrend } from '../../../reconciler/decide/trend';

const FARGATE = { minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 };

function ahead(rates: readonly number[], minutesSinceNewest = 3, fargate = FARGATE) {
  const trend = fitTrend(rates.map((rps, minute) => ({ minute, rps })));
  return tasksAhead({ trend, recent: rates, minutesSinceNewest, fargate });
}

describe('trackedTasks', () => {
  it('is what target tracking settles on: ceil(rps / per task), within the bounds', () => {
    expect(trackedTasks(0, FARGATE)).toBe(1);
    expect(trackedTasks(100, FARGATE)).toBe(1);
    expect(trackedTasks(100.5, FARGATE)).toBe(2);
    expect(trackedTasks(5000, FARGATE)).toBe(10);
  });
});

describe('tasksAhead', () => {
  it('asks for the tasks of the rate expected when a task started now serves, while the rate rises', () => {
    // 4 rps a minute, clean: 190 at the newest minute, 3 minutes old; a task serves 2 minutes from now.
    const rates = Array.from({ length: 15 }, (_, i) => 134 + 4 * i);
    expect(ahead(rates)).toEqual({
      tasks: 3,
      expectedRps: 190 + 4 * (3 + TASK_READY_MINUTES),
      aheadOfTracking: true,
      horizonMinutes: 5,
      reason: 'rising 4.0 rps/min: 3 tasks for 210 rps in 5 min',
    });
  });

  it('asks for nothing on a steady rate, noisy or not, whose noise stays within one task count', () => {
    expect(ahead(Array(15).fill(150))).toBeUndefined();
    const noisy = [150, 146, 155, 149, 152, 144, 157, 150, 148, 153, 151, 147, 156, 149, 150];
    expect(ahead(noisy)).toBeUndefined();
  });

  it('keeps a level whose noise straddles a task boundary on the task above it', () => {
    // 202 ± a few: a quiet minute below 200 would let target tracking drop to 2 tasks.
    const level = [203, 198, 207, 201, 196, 205, 202, 199, 206, 200, 204, 197, 203, 201, 199];
    const decision = ahead(level)!;
    expect(decision.tasks).toBe(3);
    expect(decision.aheadOfTracking).toBe(true);
    expect(decision.reason).toMatch(/^a level of 201 rps ± \d+: 3 tasks/);
    // The same noise a task count lower does not straddle 200.
    expect(ahead(level.map((r) => r - 50))).toBeUndefined();
  });

  it('lets go of a level the moment the newest minute has fallen away from it (a burst’s end)', () => {
    const plateau = [203, 198, 207, 201, 196, 205, 202, 199, 206, 200, 204, 197, 203, 201, 3];
    expect(ahead(plateau)).toBeUndefined();
  });

  it('holds the level through a noisy dip: one quiet minute is not the level', () => {
    const dip = [203, 198, 207, 201, 196, 205, 202, 199, 206, 200, 204, 197, 203, 201, 185];
    expect(ahead(dip)?.tasks).toBe(3);
  });

  it('does not extrapolate a jump: a flash crowd is left to target tracking', () => {
    // A line through it would ask, 5 minutes on, for far more than the 4 tasks the burst needs.
    const jump = [3, 3.1, 2.9, 3, 3.2, 3, 2.8, 3, 3.1, 3, 380, 390, 375, 385, 380];
    expect(ahead(jump)).toBeUndefined();
  });

  it('sees a steep rise that began a few minutes ago in the short line, before it bends the quarter hour’s', () => {
    // 57 ± 1 for ten minutes, then 12 rps a minute: at 93 now, more than a task takes when it would serve.
    const knee = [57, 56, 58, 57, 56, 57, 58, 56, 57, 58, 57, 69, 81, 93];
    const trend = fitTrend(knee.map((rps, minute) => ({ minute, rps })));
    const shortTrend = fitTrend(knee.slice(-5).map((rps, i) => ({ minute: knee.length - 5 + i, rps })));
    const decision = tasksAhead({ trend, shortTrend, recent: knee, minutesSinceNewest: 3, fargate: FARGATE });
    expect(decision).toMatchObject({ tasks: 2, aheadOfTracking: true });
    expect(decision!.reason).toMatch(/^rising 9\.4 rps\/min: 2 tasks/);
    // The quarter hour's line alone sees a gentler rise (its flat minutes hold it down).
    const longOnly = tasksAhead({ trend, recent: knee, minutesSinceNewest: 3, fargate: FARGATE });
    expect(longOnly?.expectedRps ?? 0).toBeLessThan(decision!.expectedRps - 40);
  });

  it('does not read a jump in the last five minutes as a steep rise (a flash crowd’s first minutes)', () => {
    const jump = [2, 2.1, 1.9, 2, 2.2, 2, 1.8, 2, 2.1, 2, 2, 108, 127, 128];
    const trend = fitTrend(jump.map((rps, minute) => ({ minute, rps })));
    const shortTrend = fitTrend(jump.slice(-5).map((rps, i) => ({ minute: jump.length - 5 + i, rps })));
    const decision = tasksAhead({ trend, shortTrend, recent: jump, minutesSinceNewest: 3, fargate: FARGATE });
    expect(decision?.reason ?? '').not.toMatch(/^rising/);
  });

  it('stays within minTasks..maxTasks and is undefined at or below minTasks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (rates, minTasks, extra, since) => {
          const fargate = { minTasks, maxTasks: minTasks + extra, targetRequestsPerTask: 100 };
          const decision = ahead(rates, since, fargate);
          if (decision === undefined) return;
          expect(decision.tasks).toBeGreaterThan(minTasks);
          expect(decision.tasks).toBeLessThanOrEqual(fargate.maxTasks);
          expect(decision.tasks).toBe(trackedTasks(decision.expectedRps, fargate));
        },
      ),
    );
  });

  it('never asks for more than a rate that is not rising and does not straddle a boundary needs (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 900, noNaN: true }), fc.integer({ min: 1, max: 15 }), (rps, n) => {
        // A constant rate: no slope, no noise, no straddle. Target tracking's tasks are enough.
        expect(ahead(Array(n).fill(rps))).toBeUndefined();
      }),
    );
    expect(LEVEL_NOISE_MARGIN).toBeGreaterThan(0);
  });
});
