import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import {
  alwaysFargate,
  alwaysLambda,
  oracle,
  priceSchedule,
  scheduleTransitions,
  type PolicyPhase,
  type PolicyResult,
} from '../../../simulation/policy';
import { loadTrace } from '../../../simulation/traffic';
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

/** Fewer violations first, then lower cost (a hair of float slack for sums taken in another order). */
function noWorse(a: PolicyResult, b: PolicyResult): boolean {
  if (a.sloViolationMinutes !== b.sloViolationMinutes) return a.sloViolationMinutes < b.sloViolationMinutes;
  return a.cost <= b.cost * (1 + 1e-12);
}

describe('baselines', () => {
  it('price every minute on one tier', () => {
    const trace = traceOf([10, 150]);
    expect(alwaysLambda(trace, SPEC)).toMatchObject({
      schedule: ['Lambda', 'Lambda'],
      sloViolationMinutes: 0,
    });
    expect(alwaysLambda(trace, SPEC).cost).toBeCloseTo(0.001220001 * 16, 12);
    expect(alwaysFargate(trace, SPEC).cost).toBeCloseTo((0.0498425 + 0.0032) / 60 + 0.00191975, 11);
    expect(alwaysFargate(trace, SPEC).costByTier.lambda).toBe(0);
  });

  it('count violation minutes of the serving tier', () => {
    const trace = traceOf([20_000, 10, 2_000]);
    expect(alwaysLambda(trace, SPEC).sloViolationMinutes).toBe(1);
    expect(alwaysFargate(trace, SPEC).sloViolationMinutes).toBe(2);
  });
});

describe('oracle', () => {
  it('stays on Lambda through short spikes', () => {
    // Spikes mid-hour: at the very end of a trace, a move up without the trip back can pay.
    const hour = [...repeat(1, 27), 30, 30, ...repeat(1, 31)];
    const result = oracle(traceOf([...hour, ...hour, ...hour, ...hour]), SPEC, MOVES);
    expect(scheduleTransitions(result.schedule)).toEqual([]);
    expect(result.schedule.every((p) => p === 'Lambda')).toBe(true);
  });

  it('moves to Fargate ahead of a long high plateau and back after it', () => {
    const trace = traceOf([...repeat(1, 120), ...repeat(150, 300), ...repeat(1, 120)]);
    const result = oracle(trace, SPEC, MOVES);
    expect(scheduleTransitions(result.schedule)).toEqual([
      { minute: 115, from: 'Lambda', to: 'ScalingUp' },
      { minute: 120, from: 'ScalingUp', to: 'Fargate' },
      { minute: 420, from: 'Fargate', to: 'ScalingDown' },
      { minute: 427, from: 'ScalingDown', to: 'Lambda' },
    ]);
    expect(result.cost).toBeLessThan(
      Math.min(alwaysLambda(trace, SPEC).cost, alwaysFargate(trace, SPEC).cost),
    );
  });

  it('takes fewer violations over lower cost', () => {
    // Lambda would be cheaper for the whole trace, but 20,000 rps needs 2,000 executions: Fargate serves it.
    const trace = traceOf([...repeat(0.5, 30), ...repeat(900, 10), ...repeat(0.5, 30)], 2_000);
    const result = oracle(trace, SPEC, MOVES);
    expect(result.sloViolationMinutes).toBe(0);
    expect(alwaysLambda(trace, SPEC).sloViolationMinutes).toBe(10);
    expect(result.schedule.slice(30, 40).every((p) => p === 'Fargate')).toBe(true);
  });

  it('starts where it is told', () => {
    const trace = traceOf(repeat(150, 60));
    expect(oracle(trace, SPEC, MOVES).schedule[0]).toBe('Fargate');
    const fromLambda = oracle(trace, SPEC, { ...MOVES, start: 'Lambda' });
    expect(fromLambda.schedule.slice(0, 6)).toEqual(['Lambda', ...repeat(0, 5).map(() => 'ScalingUp')]);
    expect(oracle(traceOf(repeat(1, 60)), SPEC, { ...MOVES, start: 'Fargate' }).schedule[0]).toBe('Fargate');
  });

  it('rounds move durations up to whole minutes', () => {
    const trace = traceOf([...repeat(1, 20), ...repeat(500, 600)]);
    const result = oracle(trace, SPEC, { scaleUpMinutes: 4.2, scaleDownMinutes: 6.5 });
    expect(result.schedule.filter((p) => p === 'ScalingUp')).toHaveLength(5);
  });

  const samples = path.join(__dirname, '..', '..', '..', 'examples', 'traces');
  const traces = fs.readdirSync(samples).filter((f) => f.endsWith('.csv'));
  it('has the sample traces to cost', () => expect(traces.length).toBeGreaterThanOrEqual(5));
  it.each(traces)('costs no more than either baseline on %s', (file) => {
    const trace = loadTrace(fs.readFileSync(path.join(samples, file), 'utf8'));
    const result = oracle(trace, SPEC, MOVES);
    expect(noWorse(result, alwaysLambda(trace, SPEC))).toBe(true);
    expect(noWorse(result, alwaysFargate(trace, SPEC))).toBe(true);
  });
});

describe('oracle properties', () => {
  const movesArb = fc.record({
    scaleUpMinutes: fc.double({ min: 0, max: 8, noNaN: true }),
    scaleDownMinutes: fc.double({ min: 0, max: 8, noNaN: true }),
  });
  const traceArb = (maxLength: number) =>
    fc
      .array(
        fc.record({
          rps: fc.oneof(
            fc.double({ min: 0, max: 20, noNaN: true }),
            fc.double({ min: 0, max: 15_000, noNaN: true }),
          ),
          durationMs: fc.integer({ min: 10, max: 3_000 }),
        }),
        { minLength: 1, maxLength },
      )
      .map((rows): Trace => ({ rows: rows.map((row, minute) => ({ minute, ...row })) }));

  it('is never worse than always-Lambda or always-Fargate', () => {
    fc.assert(
      fc.property(traceArb(300), movesArb, (trace, moves) => {
        const result = oracle(trace, SPEC, moves);
        expect(noWorse(result, alwaysLambda(trace, SPEC))).toBe(true);
        expect(noWorse(result, alwaysFargate(trace, SPEC))).toBe(true);
        expect(result.schedule).toHaveLength(trace.rows.length);
      }),
      { numRuns: 200 },
    );
  });

  /** Every schedule the rules allow: holds only in Lambda or Fargate, moves run their whole length. */
  function allSchedules(length: number, up: number, down: number): PolicyPhase[][] {
    const cycle: PolicyPhase[] = ['Lambda', ...repeat(0, up).map(() => 'ScalingUp' as const), 'Fargate'];
    cycle.push(...repeat(0, down).map(() => 'ScalingDown' as const));
    const held = (s: number) => s === 0 || s === up + 1;
    const out: PolicyPhase[][] = [];
    const walk = (states: number[]) => {
      if (states.length === length) return void out.push(states.map((s) => cycle[s]!));
      const s = states[states.length - 1]!;
      for (const t of held(s) ? [s, (s + 1) % cycle.length] : [(s + 1) % cycle.length]) walk([...states, t]);
    };
    walk([0]);
    walk([up + 1]);
    return out;
  }

  it('finds the best of every allowed schedule on short traces (brute force)', () => {
    fc.assert(
      fc.property(
        traceArb(9),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (trace, up, down) => {
          const result = oracle(trace, SPEC, { scaleUpMinutes: up, scaleDownMinutes: down });
          const candidates = allSchedules(trace.rows.length, up, down).map((s) =>
            priceSchedule(trace, s, SPEC),
          );
          expect(candidates.some((c) => c.schedule.join() === result.schedule.join())).toBe(true);
          for (const candidate of candidates) expect(noWorse(result, candidate)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
