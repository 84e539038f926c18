/**
 * Properties of auto mode under any metric sequence. Each run feeds one decision per
 * minute, the phase following the tier decided and the history threaded through, as the reconciler does.
 */
import fc from 'fast-check';
import { UNNEEDED_MOVE_MINUTES, decideAuto, type AutoDecision } from '../../../reconciler/decide/auto';
import { emptyHistory, type AutoHistory } from '../../../reconciler/decide/history';
import type { MinuteSample } from '../../../reconciler/decide/metrics';
import type { DesiredState, Tier } from '../../../spec/types';
import { after, autoSpec } from './fixtures';

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** A minute where any metric may be missing; rates span both sides of every threshold. */
const sampleArb = fc.record({
  apiRequests: optional(fc.integer({ min: 0, max: 30_000 })),
  albRequests: optional(fc.integer({ min: 0, max: 30_000 })),
  healthyHosts: optional(fc.integer({ min: 0, max: 3 })),
  lambdaConcurrentMax: optional(fc.integer({ min: 0, max: 1000 })),
  lambdaThrottles: optional(fc.constantFrom(0, 0, 0, 3)),
  lambdaDurationMs: optional(fc.integer({ min: 1, max: 2000 })),
});

/** Runs of calm, busy and silent minutes, so that thresholds are actually held for a while. */
const runArb = fc.tuple(fc.integer({ min: 1, max: 25 }), sampleArb, fc.constantFrom('steady', 'noisy'));

const sequenceArb = fc.array(runArb, { minLength: 1, maxLength: 12 }).chain((runs) =>
  fc.array(sampleArb, { minLength: 200, maxLength: 200 }).map((noise) => {
    const samples: MinuteSample[] = [];
    for (const [length, sample, kind] of runs) {
      for (let i = 0; i < length; i++) {
        const minute = samples.length;
        samples.push({ minute, ...(kind === 'steady' ? sample : noise[minute % noise.length]) });
      }
    }
    return samples;
  }),
);

const thresholdsArb = fc.record({
  scaleUp: fc.record({
    requestsPerSecond: fc.integer({ min: 2, max: 100 }),
    forMinutes: fc.integer({ min: 1, max: 6 }),
    lambdaConcurrencyPercent: fc.integer({ min: 10, max: 100 }),
  }),
  scaleDown: fc.record({ forMinutes: fc.integer({ min: 1, max: 20 }) }),
  cooldownMinutes: fc.integer({ min: 1, max: 30 }),
});

/** Validated once; random thresholds are valid by construction (scale-down below scale-up). */
const BASE_SPEC = autoSpec();

const specArb = thresholdsArb.map((t): DesiredState => ({
  ...BASE_SPEC,
  thresholds: {
    ...t,
    scaleDown: { ...t.scaleDown, requestsPerSecond: Math.floor(t.scaleUp.requestsPerSecond / 2) },
  },
}));

interface Step {
  minute: number;
  decision: AutoDecision;
}

function run(spec: DesiredState, samples: MinuteSample[], start: Tier): Step[] {
  let history: AutoHistory = { ...emptyHistory(), tier: start };
  const steps: Step[] = [];
  for (const { minute } of samples) {
    const phase = history.tier === 'fargate' ? 'Fargate' : 'Lambda';
    const decision = decideAuto({ spec, samples, phase, history, now: after(minute) });
    history = decision.history;
    steps.push({ minute, decision });
  }
  return steps;
}

/** The rate as the issue defines it, computed here independently: both counts when Fargate serves. */
function knownRate(sample: MinuteSample | undefined, onFargate: boolean): number | undefined {
  if (!sample) return undefined;
  const alb = sample.albRequests ?? (sample.healthyHosts !== undefined ? 0 : undefined);
  if (onFargate ? alb === undefined : sample.apiRequests === undefined) return undefined;
  return ((sample.apiRequests ?? 0) + (alb ?? 0)) / 60;
}

const startArb = fc.constantFrom<Tier>('lambda', 'fargate');

describe('auto mode properties', () => {
  it('never makes two transitions closer than the cooldown', () => {
    fc.assert(
      fc.property(specArb, sequenceArb, startArb, (spec, samples, start) => {
        const transitions = run(spec, samples, start).filter((s) => s.decision.transition);
        for (let i = 1; i < transitions.length; i++) {
          const gap =
            transitions[i].decision.history.lastTransitionMinute! -
            transitions[i - 1].decision.history.lastTransitionMinute!;
          expect(gap).toBeGreaterThanOrEqual(spec.thresholds.cooldownMinutes);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never scales down while the rate is at or above the scale-down threshold, nor over a gap', () => {
    fc.assert(
      fc.property(specArb, sequenceArb, startArb, (spec, samples, start) => {
        const byMinute = new Map(samples.map((s) => [s.minute, s]));
        for (const { minute, decision } of run(spec, samples, start)) {
          if (!(decision.transition && decision.tier === 'lambda')) continue;
          const { requestsPerSecond, forMinutes: written } = decision.thresholds.scaleDown;
          // A move whose tier never served the rate turns back on a shorter run (rule 4d); every minute of
          // the run still has data below the threshold.
          const forMinutes = decision.reason.includes('the rate the move was for is gone')
            ? Math.min(UNNEEDED_MOVE_MINUTES, written)
            : written;
          // The newest minute may lag by up to two minutes; every minute of the run must have data.
          const newest = [minute, minute - 1, minute - 2].find(
            (m) => knownRate(byMinute.get(m), true) !== undefined,
          );
          expect(newest).toBeDefined();
          for (let m = newest! - forMinutes + 1; m <= newest!; m++) {
            const rate = knownRate(byMinute.get(m), true);
            expect(rate).toBeDefined();
            expect(rate!).toBeLessThan(requestsPerSecond);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('makes no decision from missing data: without any, the tier is kept', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 1, max: 120 }), startArb, (spec, minutes, start) => {
        const silent = Array.from({ length: minutes }, (_, minute) => ({ minute }));
        for (const { decision } of run(spec, silent, start)) {
          expect(decision.tier).toBe(start);
          expect(decision.reason).toMatch(/^no request rate/);
        }
      }),
    );
  });

  it('moves only on concurrency or throttles when no request count is ever reported', () => {
    fc.assert(
      fc.property(specArb, sequenceArb, startArb, (spec, samples, start) => {
        const countless = samples.map(
          ({ minute, lambdaConcurrentMax, lambdaThrottles, lambdaDurationMs }) => ({
            minute,
            ...(lambdaConcurrentMax === undefined ? {} : { lambdaConcurrentMax }),
            ...(lambdaThrottles === undefined ? {} : { lambdaThrottles }),
            ...(lambdaDurationMs === undefined ? {} : { lambdaDurationMs }),
          }),
        );
        for (const { decision } of run(spec, countless, start)) {
          if (!decision.transition) continue;
          expect(decision.tier).toBe('fargate');
          expect(decision.reason).toMatch(/^capacity, not cost: Lambda (concurrency|throttled)/);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('pins the tier in modes lambda and fargate whatever the metrics', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('lambda', 'fargate' as const),
        sequenceArb,
        startArb,
        (mode, samples, start) => {
          for (const { decision } of run({ ...BASE_SPEC, mode }, samples, start))
            expect(decision.tier).toBe(mode);
        },
      ),
      { numRuns: 50 },
    );
  });
});
