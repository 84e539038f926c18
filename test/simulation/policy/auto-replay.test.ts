import { alwaysFargate, alwaysLambda, minuteCost, oracle, priceSchedule } from '../../../simulation/policy';
import { fargateTaskHourlyCost } from '../../../reconciler/decide/tier-cost';
import { MINUTES_PER_HOUR } from '../../../util/time';
import { replayAuto } from '../../../simulation/policy/auto-replay';
import type { Trace } from '../../../simulation/traffic/types';
import { validateSpec } from '../../../spec';

const validated = validateSpec({ stack: 'web', image: 'public.ecr.aws/example/web:1' });
if (!validated.ok) throw new Error('fixture spec is invalid');
const SPEC = validated.spec;
const MOVES = { scaleUpMinutes: 6, scaleDownMinutes: 7 };
const traceOf = (rates: readonly number[]): Trace => ({
  rows: rates.map((rps, minute) => ({ minute, rps, durationMs: 100 })),
});
const repeat = (rps: number, minutes: number) => Array<number>(minutes).fill(rps);

describe('replayAuto', () => {
  it('rides a long plateau on Fargate, costing more than the oracle only by its latency', () => {
    const trace = traceOf([...repeat(1, 240), ...repeat(150, 600), ...repeat(1, 240)]);
    const result = replayAuto(trace, SPEC, MOVES);
    expect(result.transitions.map((t) => [t.minute, t.to])).toEqual([
      [243, 'fargate'],
      [855, 'lambda'],
    ]);
    expect(result.transitions[0]!.reason).toMatch(/^150\.0 rps > 7 for 3 min; the burst's extra Lambda cost/);
    expect(result.schedule.slice(243, 250)).toEqual([...repeat(0, 6).map(() => 'ScalingUp'), 'Fargate']);
    const best = oracle(trace, SPEC, { ...MOVES, start: 'Lambda' });
    // Without foresight it serves 3 min of detection and 6 min of scale-up on Lambda at the plateau's rate.
    const latency = 9 * minuteCost('lambda', 150, 100, SPEC).total;
    expect(result.cost - best.cost).toBeGreaterThan(0);
    expect(result.cost - best.cost).toBeLessThan(latency);
    expect(result.cost).toBeLessThan(
      Math.min(alwaysLambda(trace, SPEC).cost, alwaysFargate(trace, SPEC).cost),
    );
  });

  it('leaves short bursts on Lambda', () => {
    // 4 min above scale-up (7 rps), but their extra Lambda cost stays below a round trip's (ski rental).
    const hour = [...repeat(1, 28), 40, 40, 40, 40, ...repeat(1, 28)];
    const result = replayAuto(traceOf([...hour, ...hour, ...hour]), SPEC, MOVES);
    expect(result.transitions).toEqual([]);
    expect(result.schedule.every((p) => p === 'Lambda')).toBe(true);
  });

  it('prices the tasks it asks for ahead of the rate, beyond those the rate needs', () => {
    // A rise of 4 rps a minute on Fargate: auto mode asks for the tasks of the rate a few minutes on.
    const rise = Array.from({ length: 90 }, (_, i) => 100 + 4 * i);
    const trace = traceOf([...repeat(150, 120), ...rise, ...repeat(460, 60)]);
    const result = replayAuto(trace, SPEC, MOVES);
    const byRate = priceSchedule(trace, result.schedule, SPEC).cost;
    const taskMinute = fargateTaskHourlyCost(SPEC.fargate) / MINUTES_PER_HOUR;
    // At least a task ahead for a few of the rise's minutes, at most a few tasks for all of them.
    expect(result.cost - byRate).toBeGreaterThan(3 * taskMinute);
    expect(result.cost - byRate).toBeLessThan(3 * 90 * taskMinute);
    expect(result.costByTier.total).toBeCloseTo(result.cost, 12);
  });
});

describe('replayAuto: the task count is target tracking’s, as the simulated Application Auto Scaling decides', () => {
  const taskMinute = fargateTaskHourlyCost(SPEC.fargate) / MINUTES_PER_HOUR;

  it('breaks the SLO in the minutes of a jump the running tasks cannot take, well below the largest fleet', () => {
    // 150 rps for hours (Fargate), then a jump to 600 rps: 6 tasks' worth, far below 40 tasks × 100.
    const trace = traceOf([...repeat(150, 300), ...repeat(600, 60)]);
    const result = replayAuto(trace, SPEC, MOVES);
    expect(result.schedule[299]).toBe('Fargate');
    expect(priceSchedule(trace, result.schedule, SPEC).sloViolationMinutes).toBe(0);
    // The jump's first minute runs on the tasks of 150 rps: nothing has seen the jump yet.
    expect(result.sloViolationMinutes).toBeGreaterThanOrEqual(1);
  });

  it('pays for the tasks target tracking keeps until fifteen quiet minutes have passed after a fall', () => {
    // 600 rps for an hour on Fargate, then 150 rps: the scale-in alarm needs 15 datapoints below 90 %.
    const trace = traceOf([...repeat(150, 240), ...repeat(600, 60), ...repeat(150, 60)]);
    const result = replayAuto(trace, SPEC, MOVES);
    expect(result.schedule.slice(240).every((p) => p === 'Fargate')).toBe(true);
    const byRate = priceSchedule(trace, result.schedule, SPEC).cost;
    // At least the 4 tasks above 150 rps's 2 for the 15 minutes the scale-in alarm waits.
    expect(result.cost - byRate).toBeGreaterThanOrEqual(15 * 4 * taskMinute - 1e-9);
  });
});
