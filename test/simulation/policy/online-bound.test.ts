import fc from 'fast-check';
import { alwaysLambda, oracle, priceSchedule, type PolicyPhase } from '../../../simulation/policy';
import { firstSightBound, unseenRiseMinutes } from '../../../simulation/policy/online-bound';
import { fargateCheaper } from '../../../reconciler/decide/ski-rental';
import type { Trace } from '../../../simulation/traffic/types';
import { validateSpec } from '../../../spec';

const validated = validateSpec({ stack: 'web', image: 'public.ecr.aws/example/web:1' });
if (!validated.ok) throw new Error('fixture spec is invalid');
const SPEC = validated.spec;
const MOVES = { scaleUpMinutes: 5, scaleDownMinutes: 7 };

const traceOf = (rates: readonly number[], durationMs = 100): Trace => ({
  rows: rates.map((rps, minute) => ({ minute, rps, durationMs })),
});
const repeat = (rps: number, minutes: number) => Array<number>(minutes).fill(rps);

/** A valid schedule: holds on Lambda and Fargate of the given lengths, alternating, moves of full length. */
function scheduleOf(holds: readonly number[], minutes: number): PolicyPhase[] {
  const phases: PolicyPhase[] = [];
  holds.forEach((hold, i) => {
    const onLambda = i % 2 === 0;
    phases.push(...Array<PolicyPhase>(hold).fill(onLambda ? 'Lambda' : 'Fargate'));
    const move = onLambda ? MOVES.scaleUpMinutes : MOVES.scaleDownMinutes;
    phases.push(...Array<PolicyPhase>(move).fill(onLambda ? 'ScalingUp' : 'ScalingDown'));
  });
  const last = phases.at(-1);
  const settled: PolicyPhase = last === 'ScalingUp' || last === 'Fargate' ? 'Fargate' : 'Lambda';
  while (phases.length < minutes) phases.push(settled);
  return phases.slice(0, minutes);
}

describe('firstSightBound', () => {
  it('is the cost of Lambda all day on a trace where Lambda is the cheaper tier every minute', () => {
    const quiet = traceOf(repeat(3, 120));
    expect(fargateCheaper(3, 100, SPEC)).toBe(false);
    const bound = firstSightBound(quiet, SPEC, MOVES);
    expect(bound.firstCostly).toBeUndefined();
    expect(bound.cost).toBeCloseTo(alwaysLambda(quiet, SPEC).cost, 12);
  });

  it('is above the optimum when the optimum moves before the first costly minute can be seen', () => {
    // A quiet hour, then a burst worth a tier: the optimum starts its scale-up ahead of the burst so that
    // the tier serves its first minute; no policy that knows only the past can.
    const trace = traceOf([...repeat(3, 60), ...repeat(400, 60), ...repeat(3, 60)]);
    const best = oracle(trace, SPEC, { ...MOVES, start: 'Lambda' });
    expect(best.schedule.slice(0, 60)).toContain('ScalingUp');
    const bound = firstSightBound(trace, SPEC, MOVES);
    expect(bound.firstCostly).toBe(60);
    expect(bound.cost).toBeGreaterThan(best.cost);
  });

  it('costs no more than any schedule that stays on Lambda until the first costly minute has ended (property)', () => {
    const trace = traceOf([
      ...repeat(3, 40),
      ...repeat(300, 8),
      ...repeat(2, 50),
      ...repeat(350, 12),
      ...repeat(4, 60),
    ]);
    const bound = firstSightBound(trace, SPEC, MOVES);
    const minutes = trace.rows.length;
    fc.assert(
      // Many runs: a schedule that moves the minute after the first costly one is a narrow case.
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }), (holds) => {
        // The first hold on Lambda lasts at least until the first costly minute has ended.
        const [first, ...rest] = holds;
        const schedule = scheduleOf([first! + bound.firstCostly!, ...rest], minutes);
        expect(priceSchedule(trace, schedule, SPEC).cost).toBeGreaterThanOrEqual(bound.cost * (1 - 1e-12));
      }),
      { numRuns: 2000 },
    );
    // The tightest of them: up the minute after the first costly minute, and staying.
    const soonest = scheduleOf([bound.firstCostly! + 1], minutes);
    expect(priceSchedule(trace, soonest, SPEC).cost).toBeGreaterThanOrEqual(bound.cost * (1 - 1e-12));
  });
});

describe('unseenRiseMinutes', () => {
  const fargateAll = (trace: Trace): PolicyPhase[] => trace.rows.map(() => 'Fargate');

  it('counts the minutes of a rise that need a task more before any rising minute could be seen', () => {
    // 58 ± 1 rps on one task, then 15 rps a minute from minute 30: 103 at minute 32.
    const level = Array.from({ length: 30 }, (_, i) => 58 + (i % 2 ? 1 : -1));
    const rates = [...level, ...Array.from({ length: 20 }, (_, i) => 73 + 15 * i)];
    const trace = traceOf(rates);
    const unseen = (lagMinutes: number) =>
      unseenRiseMinutes(trace, fargateAll(trace), SPEC, { lagMinutes, taskReadyMinutes: 0 });
    // With three minutes of lag, minute 32's tasks were asked for on level minutes only.
    expect(unseen(3)).toEqual([32]);
    // Known a minute after it ended, the rise's first minutes were seen: 103 needs a task more than 88,
    // but 73, 88 after a quarter hour of 58 are a rise's start, not a steady rate.
    expect(unseen(1)).toEqual([]);
  });

  it('counts nothing on a steady rate, or in minutes the schedule serves from Lambda', () => {
    const steady = traceOf(repeat(158, 60));
    expect(
      unseenRiseMinutes(steady, fargateAll(steady), SPEC, { lagMinutes: 3, taskReadyMinutes: 1 }),
    ).toEqual([]);
    const rise = traceOf([...repeat(58, 30), 120, 140]);
    const lambda: PolicyPhase[] = rise.rows.map(() => 'Lambda');
    expect(unseenRiseMinutes(rise, lambda, SPEC, { lagMinutes: 3, taskReadyMinutes: 0 })).toEqual([]);
  });
});
