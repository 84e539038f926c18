import fc from 'fast-check';
import { gapPenalty, generatorGaps, type BurstLaw } from '../../../simulation/policy/rhythm-bound';
import { fargateTaskHourlyCost, fargateTasksFor } from '../../../reconciler/decide/tier-cost';
import { minuteCost } from '../../../simulation/policy/cost';
import { validateSpec } from '../../../spec';

const validated = validateSpec({ stack: 'web', image: 'public.ecr.aws/example/web:1' });
if (!validated.ok) throw new Error('fixture spec is invalid');
const SPEC = validated.spec;
const MOVES = { scaleUpMinutes: 11, scaleDownMinutes: 9, lagMinutes: 3 };
const TASK_MINUTE = fargateTaskHourlyCost(SPEC.fargate) / 60;

const law = (gaps: BurstLaw['gaps'], overrides: Partial<BurstLaw> = {}): BurstLaw => ({
  quietRps: 3,
  burstRps: 380,
  lengthMinutes: 7,
  gaps,
  durationMs: 100,
  ...overrides,
});

describe('generatorGaps', () => {
  it("covers the generator's rounded gaps, each with its share of [0.85, 1.15] × the period", () => {
    const gaps = generatorGaps(67);
    expect(gaps[0]!.gap).toBe(57); // round(56.95)
    expect(gaps.at(-1)!.gap).toBe(77); // round(77.05)
    expect(gaps.reduce((sum, g) => sum + g.p, 0)).toBeCloseTo(1, 12);
    // An inner gap takes a whole minute of the 20.1-minute range; the ends a part of one.
    expect(gaps.find((g) => g.gap === 67)!.p).toBeCloseTo(1 / 20.1, 12);
    expect(gaps[0]!.p).toBeCloseTo(0.55 / 20.1, 12);
  });
});

describe('gapPenalty', () => {
  it('costs nothing beyond the optimum when the next burst’s minute is certain', () => {
    const certain = gapPenalty(law([{ gap: 67, p: 1 }]), SPEC, MOVES);
    expect(certain.penalty).toBeCloseTo(0, 12);
    expect(certain.sloSafePenalty).toBeCloseTo(0, 12);
    expect(certain.sloSafe).toMatchObject({ slo: 0, tasksFrom: 67 });
  });

  it('prices the burst’s tasks waiting through the spread when the tier cannot leave and come back', () => {
    // Gaps of 20 or 22 minutes: too short to leave (9 + 11 minutes of moves after a 7-minute burst), so
    // both the optimum and every plan stay. Without SLO minutes the tasks serve from minute 20 and wait
    // two minutes half the time; the optimum starts them at the burst.
    const extraPerMinute =
      (fargateTasksFor(380, SPEC.fargate) - fargateTasksFor(3, SPEC.fargate)) * TASK_MINUTE;
    const result = gapPenalty(
      law([
        { gap: 20, p: 0.5 },
        { gap: 22, p: 0.5 },
      ]),
      SPEC,
      MOVES,
    );
    expect(result.sloSafe).toMatchObject({ way: 'stay', tasksFrom: 20, slo: 0 });
    expect(result.sloSafePenalty).toBeCloseTo(0.5 * 2 * extraPerMinute, 12);
    // Allowing SLO minutes, the tasks may wait for the burst to be seen: cheaper, not free of misses.
    expect(result.best.cost).toBeLessThanOrEqual(result.sloSafe.cost);
    // The optimum: 13 or 15 quiet Fargate minutes and 7 of the burst, on average.
    const quiet = minuteCost('fargate', 3, 100, SPEC).total;
    const burst = minuteCost('fargate', 380, 100, SPEC).total;
    expect(result.optimum).toBeCloseTo(14 * quiet + 7 * burst, 12);
    // Served by Lambda alone, the same gap costs the quiet minutes and the burst at Lambda's price.
    const lambdaQuiet = minuteCost('lambda', 3, 100, SPEC).total;
    const lambdaBurst = minuteCost('lambda', 380, 100, SPEC).total;
    expect(result.onLambda).toBeCloseTo(14 * lambdaQuiet + 7 * lambdaBurst, 12);
    expect(result.onLambda).toBeGreaterThan(result.optimum);
  });

  it('meets a burst earlier than the tier with Lambda, without an SLO minute', () => {
    const result = gapPenalty(law(generatorGaps(67)), SPEC, MOVES);
    // The tier back at the earliest gap or just after it (a burst at 57 is met by Lambda meanwhile),
    // the tasks with it: no SLO minute for any gap.
    expect(result.sloSafe.way).toBe('comeBack');
    expect(result.sloSafe.slo).toBe(0);
    expect(result.sloSafe.ready).toBeGreaterThanOrEqual(57);
    expect(result.sloSafe.tasksFrom).toBe(result.sloSafe.ready);
  });

  it('prices a budget of SLO minutes between the safe plan and the cheapest', () => {
    const none = gapPenalty(law(generatorGaps(67)), SPEC, MOVES, 0);
    expect(none.withinBudget).toEqual(none.sloSafe);
    const some = gapPenalty(law(generatorGaps(67)), SPEC, MOVES, 1);
    expect(some.withinBudget!.slo).toBeLessThanOrEqual(1);
    expect(some.withinBudget!.cost).toBeLessThan(some.sloSafe.cost);
    expect(some.withinBudget!.cost).toBeGreaterThanOrEqual(some.best.cost);
    expect(gapPenalty(law(generatorGaps(67)), SPEC, MOVES).withinBudget).toBeUndefined();
  });

  it('is never below the optimum, and safe from SLO minutes never cheaper than allowing them (any law)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 70 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 2, max: 15 }),
        fc.double({ min: 100, max: 400, noNaN: true }),
        (shortest, spread, length, height) => {
          const gaps = Array.from({ length: spread + 1 }, (_, i) => ({
            gap: shortest + i,
            p: 1 / (spread + 1),
          }));
          const result = gapPenalty(law(gaps, { lengthMinutes: length, burstRps: height }), SPEC, MOVES);
          expect(result.penalty).toBeGreaterThanOrEqual(-1e-12);
          expect(result.sloSafePenalty).toBeGreaterThanOrEqual(result.penalty - 1e-12);
          expect(result.sloSafe.slo).toBe(0);
        },
      ),
      { numRuns: 20 },
    );
  });
});
