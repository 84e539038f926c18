import fc from 'fast-check';
import {
  LEVEL_MINUTES,
  LEVEL_NOISE_MARGIN,
  MIN_BACKTESTS,
  NOISE_MARGIN,
  STEP_RISE,
  firstStep,
  TASK_READY_MINUTES,
  horizonNoise,
  jumpsIn,
  levelNoise,
  predictionFactor,
  tasksAhead,
  trackedTasks,
} from '../../../reconciler/decide/capacity-ahead';
import { JUMP_FACTOR, fitTrend } from '../../../reconciler/decide/trend';

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

  it('keeps a task for a level that wanders: its forecast error five minutes on, measured, widens the band', () => {
    // A walk of ±3 rps a minute around 90 (a random-walk trace's hours near a task boundary). Minute to
    // minute it looks like ±4 of noise, and 84 + 3 × 4 stays under 100; but over the last 45 minutes
    // the level five minutes on strayed ±6 from the level before: it can reach 100 before a task
    // taken away now could be given back.
    const walk = [
      90, 93, 90, 93, 96, 99, 96, 93, 90, 87, 90, 87, 84, 87, 90, 93, 96, 93, 90, 87, 84, 81, 84, 87, 90, 87,
      90, 93, 96, 99, 96, 93, 90, 87, 84, 81, 84, 81, 84, 87, 90, 87, 84, 81, 84,
    ];
    const history = walk.map((rps, minute) => ({ minute, rps }));
    const trend = fitTrend(history.slice(-15));
    const recent = walk.slice(-15);
    // The quarter hour alone does not see it.
    expect(tasksAhead({ trend, recent, minutesSinceNewest: 3, fargate: FARGATE })).toBeUndefined();
    const decision = tasksAhead({ trend, recent, history, minutesSinceNewest: 3, fargate: FARGATE });
    expect(decision).toMatchObject({ tasks: 2, aheadOfTracking: true });
    expect(decision!.reason).toMatch(/^a level of 85 rps ± 6: 2 tasks/);
  });

  it('keeps the band of a walk that moves faster than its minute-to-minute noise shows', () => {
    // 45 minutes of a random walk (random-walk-24, minutes 409–453): ±2 rps from one minute to the
    // next, but the level five minutes on strayed ±7: more than three times the first, as a walk
    // does (about √5 times its noise), and not a burst. 83 + 3 × 2 stays under 100; the walk reached
    // 103 six minutes later, on the one task target tracking had left.
    const walk = [
      67.54, 69.12, 71.95, 70.41, 68.5, 67.07, 61.9, 62.02, 62.09, 65.15, 58.66, 62.54, 64.14, 62.07, 60.4,
      60.33, 62.15, 63.83, 69.23, 70.82, 71.01, 72.38, 73.15, 69.5, 76.07, 83.45, 89.37, 80.63, 77.08, 80.69,
      78.17, 75.63, 74.16, 78.92, 78.25, 77.91, 78.01, 79.94, 81.37, 78.16, 81.37, 84.86, 81.96, 82.94, 83.24,
    ];
    const history = walk.map((rps, minute) => ({ minute, rps }));
    const trend = fitTrend(history.slice(-15))!;
    const drift = horizonNoise(history, 5)!;
    expect(drift).toBeGreaterThan(JUMP_FACTOR * levelNoise(trend));
    const recent = walk.slice(-15);
    const decision = tasksAhead({ trend, recent, history, minutesSinceNewest: 3, fargate: FARGATE });
    expect(decision).toMatchObject({ tasks: 2, aheadOfTracking: true });
    expect(decision!.expectedRps).toBeCloseTo(
      recent.slice(-LEVEL_MINUTES).reduce((a, b) => a + b, 0) / LEVEL_MINUTES + LEVEL_NOISE_MARGIN * drift,
      6,
    );
  });

  it('widens the band to the drift the stack learned over the hours when this hour measured less', () => {
    // A walk's quiet stretch: ±3 around 85, its last 45 minutes strayed ±4 five minutes on, and 85 + 3 × 4
    // stays under 100. The hours before strayed 7 % of the level (±6): the walk can reach 100 again.
    const quiet = [
      84, 87, 85, 82, 86, 88, 85, 83, 86, 84, 87, 85, 82, 84, 86, 88, 85, 83, 86, 84, 85, 87, 84, 82, 85, 86,
      84, 87, 85, 83, 86, 84, 85, 87, 84, 86, 83, 85, 87, 84, 86, 85, 83, 86, 85,
    ];
    const history = quiet.map((rps, minute) => ({ minute, rps }));
    const trend = fitTrend(history.slice(-15));
    const recent = quiet.slice(-15);
    const input = { trend, recent, history, minutesSinceNewest: 3, fargate: FARGATE };
    expect(tasksAhead(input)).toBeUndefined();
    const decision = tasksAhead({ ...input, learnedDrift: 0.07 });
    expect(decision).toMatchObject({ tasks: 2, aheadOfTracking: true });
    const level = recent.slice(-LEVEL_MINUTES).reduce((a, b) => a + b, 0) / LEVEL_MINUTES;
    expect(decision!.expectedRps).toBeCloseTo(level + LEVEL_NOISE_MARGIN * 0.07 * level, 6);
    // A learned drift below this hour's asks for nothing more.
    expect(tasksAhead({ ...input, learnedDrift: 0.01 })).toBeUndefined();
  });

  it('reads a window with a burst’s edge in it as a jump, a walk’s minutes as none', () => {
    const at = (rates: readonly number[]) => rates.map((rps, minute) => ({ minute, rps }));
    const walk = [80, 82, 81, 84, 86, 85, 88, 87, 90, 89, 92, 90, 88, 91, 93];
    expect(jumpsIn(at(walk))).toBe(false);
    expect(jumpsIn(at([...walk.map((r) => r / 30), ...walk]))).toBe(true);
    // Gaps in the minutes are not changes.
    expect(jumpsIn([...at(walk.slice(0, 5)), { minute: 20, rps: 300 }, { minute: 21, rps: 302 }])).toBe(
      false,
    );
  });

  it('does not read a burst in the last 45 minutes as a level that wanders', () => {
    // 15 minutes of 384 rps, then 15 quiet minutes at 2.3 ± 0.1 (flash-crowd-3): the level's forecast
    // error over the window measures the burst's edges, not the quiet level's noise.
    const quiet = [2.3, 2.4, 2.2, 2.2, 2.3, 2.4, 2.1, 2.3, 2.2, 2.3, 2.4, 2.4, 2.2, 2.4, 2.3];
    const burst = quiet.map((q) => 384 + (q - 2.3) * 190); // ±19 rps: 5 % noise
    const rates = [...quiet.slice(0, 5), ...burst, ...quiet];
    const history = rates.map((rps, minute) => ({ minute, rps }));
    expect(horizonNoise(history, 5)!).toBeGreaterThan(10);
    const trend = fitTrend(history.slice(-15));
    const recent = rates.slice(-15);
    expect(tasksAhead({ trend, recent, history, minutesSinceNewest: 3, fargate: FARGATE })).toBeUndefined();
  });

  it('measures the level’s forecast error as the noise itself on a steady level, and not the slope of a ramp', () => {
    const noise = [3, -2, 4, -1, 0, -3, 2, 1, -4, 2, -2, 3, 0, -1, 1, -3, 4, -2, 2, 0];
    const steady = noise.map((n, minute) => ({ minute, rps: 150 + n }));
    const ramp = noise.map((n, minute) => ({ minute, rps: 150 + 10 * minute + n }));
    const σ = horizonNoise(steady, 5)!;
    expect(σ).toBeGreaterThan(1);
    expect(σ).toBeLessThan(5);
    // The ramp's errors are all about 10 × (5 + 2) too high: a bias, not a spread.
    expect(horizonNoise(ramp, 5)!).toBeCloseTo(σ, 6);
    // Too few forecasts say nothing.
    expect(horizonNoise(steady.slice(0, MIN_BACKTESTS + LEVEL_MINUTES - 1), 5)).toBeUndefined();
  });

  it('widens the rise’s margin to the line’s prediction interval: a noisy slope may be read low', () => {
    // Minutes of a ramp of 14.7 rps a minute with 4 % noise (beyond-lambda-3): the quarter hour's line
    // reads 8.2 rps a minute. The minutes after it were 2011, 1862, 2046: 21 tasks, not 20.
    const rates = [
      1658.0, 1680.8, 1725.0, 1749.8, 1611.3, 1759.8, 1778.3, 1688.3, 1858.8, 1802.9, 1772.3, 1762.7, 1784.5,
      1769.3, 1766.1,
    ];
    const points = rates.map((rps, minute) => ({ minute, rps }));
    const trend = fitTrend(points)!;
    const shortTrend = fitTrend(points.slice(-5));
    const fargate = { ...FARGATE, maxTasks: 40 };
    const decision = tasksAhead({ trend, shortTrend, recent: rates, minutesSinceNewest: 3, fargate })!;
    expect(decision.tasks).toBe(21);
    const factor = predictionFactor(trend, 5);
    // √(1 + 1/15 + (5 + 7)² / 280)
    expect(factor).toBeCloseTo(Math.sqrt(1 + 1 / 15 + 144 / 280), 9);
    expect(decision.expectedRps).toBeCloseTo(
      trend.level + 5 * trend.slope + NOISE_MARGIN * trend.noise * factor,
      6,
    );
  });

  it('meets the first minute of a rise from a level with the tasks the rise will need (beyond-lambda-2)', () => {
    // 57 ± 2 on one task, then 68: the first minute of a ramp of 11 rps a minute. The next minutes were
    // 83, 91, 99 and 118, the last before a line through the ramp could stand out of the noise.
    const rates = [
      58.29, 57.77, 57.49, 57.83, 57.23, 57.65, 55.22, 52.14, 59.92, 57.95, 58.03, 61.18, 56.13, 57.08, 68.08,
    ];
    const history = rates.map((rps, i) => ({ minute: 76 + i, rps }));
    const trend = fitTrend(history);
    const shortTrend = fitTrend(history.slice(-5));
    const input = { trend, shortTrend, recent: rates, minutesSinceNewest: 3, fargate: FARGATE };
    expect(tasksAhead(input)).toBeUndefined();
    const decision = tasksAhead({ ...input, history })!;
    expect(decision.tasks).toBe(2);
    expect(decision.reason).toMatch(
      /^the newest minute 10\.0 rps above the level, as if a rise began: 2 tasks/,
    );
    // newest + its rise over the level of the five minutes before, for each minute until a task started
    // now serves, + the noise margin
    const rise = 68.08 - (57.95 + 58.03 + 61.18 + 56.13 + 57.08) / 5;
    const noiseBefore = levelNoise(fitTrend(history.slice(0, -1))!);
    expect(decision.expectedRps).toBeCloseTo(68.08 + rise * 5 + NOISE_MARGIN * noiseBefore, 6);
  });

  it('reads no rise into a noisy minute, a flash crowd’s jump or a minute on a rise the lines already see', () => {
    const level = [58, 57, 59, 58, 57, 58, 59, 57, 58, 57, 59, 58, 57, 58];
    const at = (rates: number[]) => rates.map((rps, minute) => ({ minute, rps }));
    const σ1 = fitTrend(at(level))!.minuteNoise;
    // A minute within STEP_RISE noises of the level before it.
    const small = [...level, 58 + (STEP_RISE - 1) * σ1];
    expect(firstStep(at(small))).toBeUndefined();
    // A jump that more than doubles the rate is a step to a new level (target tracking meets it).
    const crowd = [...level.map((r) => r / 20), 380];
    expect(firstStep(at(crowd))).toBeUndefined();
    // On a ramp the lines see the rise; a noisy minute there is not a new one.
    const ramp = [...level.map((r, i) => r + 6 * i), 58 + 6 * 14 + 40];
    expect(firstStep(at(ramp))).toBeUndefined();
    // A noisy dip and a high minute after it: noise twice, not a rise (the level is the five before).
    const dip = [...level.slice(0, -1), 58 - 5 * σ1, 58 + 2 * σ1];
    expect(dip[14]! - dip[13]!).toBeGreaterThan(STEP_RISE * σ1);
    expect(firstStep(at(dip))).toBeUndefined();
    // Minutes too long ago say nothing about the level the newest rose from.
    const gap = [...at(level), { minute: 30, rps: 70 }];
    expect(firstStep(gap)).toBeUndefined();
    // The same jump from the level: a step, of the rise over the five minutes before.
    const step = [...level, 70];
    expect(firstStep(at(step))).toEqual({ rise: 70 - (57 + 59 + 58 + 57 + 58) / 5, noise: σ1 });
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
