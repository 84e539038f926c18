import fc from 'fast-check';
import {
  TRACE_FAMILIES,
  generateTrace,
  sampleFamilies,
  traceToCsv,
} from '../../../simulation/traffic/generate';
import { loadTrace } from '../../../simulation/traffic';

describe('generateTrace', () => {
  it('gives the same trace for the same family and seed, and another for another seed', () => {
    for (const family of TRACE_FAMILIES) {
      expect(generateTrace(family, 7)).toEqual(generateTrace(family, 7));
      expect(generateTrace(family, 7).trace).not.toEqual(generateTrace(family, 8).trace);
    }
  });

  it('writes traces loadTrace reads back: a day (a week for weekly), minutes from 0, rates ≥ 0, durations > 0', () => {
    for (const family of TRACE_FAMILIES) {
      const { trace, name } = generateTrace(family, 3);
      expect(name).toBe(`${family}-3`);
      expect(loadTrace(traceToCsv(trace))).toEqual(trace);
      expect(trace.rows).toHaveLength(family === 'weekly' ? 7 * 1440 : 1440);
    }
  });

  it('draws flash crowds of 2–15 min every 30 min – 6 h, as the bursts in the trace show (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const { trace, params } = generateTrace('flash-crowd', seed);
        expect(params.length).toBeGreaterThanOrEqual(2);
        expect(params.length).toBeLessThanOrEqual(15);
        expect(params.period).toBeGreaterThanOrEqual(30);
        expect(params.period).toBeLessThanOrEqual(360);
        // Runs above the midpoint between base and height are the bursts: each as long as drawn (the
        // last may be cut by the end of the day).
        const mid = (params.base! + params.height!) / 2;
        const runs: number[] = [];
        let run = 0;
        for (const row of trace.rows) {
          if (row.rps > mid) run++;
          else if (run > 0) [runs[runs.length], run] = [run, 0];
        }
        expect(runs.length).toBeGreaterThan(0);
        for (const length of runs) expect(length).toBe(params.length);
      }),
      { numRuns: 30 },
    );
  });

  it('takes beyond-lambda past Lambda’s 1,000 concurrent executions, and slow-requests not', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const beyond = generateTrace('beyond-lambda', seed).trace.rows;
      expect(Math.max(...beyond.map((r) => (r.rps * r.durationMs) / 1000))).toBeGreaterThan(1000);
      const slow = generateTrace('slow-requests', seed).trace.rows;
      expect(Math.min(...slow.map((r) => r.durationMs))).toBeGreaterThan(400);
      expect(Math.max(...slow.map((r) => (r.rps * r.durationMs) / 1000))).toBeLessThan(1000);
    }
  });

  it('refuses an unknown family or a bad seed, naming it', () => {
    expect(() => generateTrace('sawtooth' as never, 1)).toThrow(/unknown family 'sawtooth'/);
    expect(() => generateTrace('ramp', -1)).toThrow(/seed must be a whole number ≥ 0, got -1/);
    expect(() => generateTrace('ramp', 1.5)).toThrow(/seed must be a whole number ≥ 0, got 1.5/);
  });
});

describe('sampleFamilies', () => {
  it('gives perFamily traces of every family, from the first seed on', () => {
    const sample = sampleFamilies(2, 5);
    expect(sample.map((g) => g.name)).toEqual(TRACE_FAMILIES.flatMap((f) => [`${f}-5`, `${f}-6`]));
  });
});
