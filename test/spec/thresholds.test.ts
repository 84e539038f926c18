import {
  PRICES,
  breakEvenRps,
  completeThresholds,
  defaultThresholds,
  fargateTierMonthlyCost,
  lambdaCostPerRequest,
  lambdaCostPerRpsMonth,
  validateSpec,
} from '../../spec';
import type { CostSizes } from '../../spec/thresholds';
import { MINIMAL } from './fixtures';

const SMALL: CostSizes = { lambda: { memoryMb: 512 }, fargate: { cpu: 256, memoryMb: 512, minTasks: 1 } };

describe('prices', () => {
  it('are the numbers of docs/aws-facts.md', () => {
    expect(PRICES.lambda.perRequest * 1e6).toBeCloseTo(0.2, 10);
    expect(PRICES.lambda.perGbSecond).toBe(0.0000166667);
    expect(PRICES.httpApi.perRequest * 1e6).toBeCloseTo(1.0, 10);
    expect(PRICES.alb).toMatchObject({
      perHour: 0.0225,
      perLcuHour: 0.008,
      newConnectionsPerSecondPerLcu: 25,
    });
    expect(PRICES.fargate).toEqual({ perVcpuHour: 0.04048, perGbHour: 0.004445 });
    expect(PRICES.publicIpv4PerHour).toBe(0.005);
  });
});

describe('break-even (docs/aws-facts.md figures)', () => {
  it('Lambda + HTTP API: 2.033 $ per million requests, 5.34 $ per rps-month at 512 MB / 100 ms', () => {
    expect(lambdaCostPerRequest(512, 100) * 1e6).toBeCloseTo(2.033, 3);
    expect(lambdaCostPerRpsMonth(512, 100)).toBeCloseTo(5.34, 2);
  });

  it('minimal Fargate tier, 1 × 0.25 vCPU / 0.5 GB: 36.39 $ a month', () => {
    expect(fargateTierMonthlyCost(SMALL.fargate)).toBeCloseTo(36.39, 2);
  });

  it('two 0.5 vCPU / 1 GB tasks: 67.07 $ a month', () => {
    expect(fargateTierMonthlyCost({ cpu: 512, memoryMb: 1024, minTasks: 2 })).toBeCloseTo(67.07, 2);
  });

  it('is about 7 rps for the smallest tier and about 13 rps for two 0.5 vCPU tasks', () => {
    expect(breakEvenRps(SMALL)).toBeCloseTo(6.81, 2);
    expect(Math.ceil(breakEvenRps(SMALL))).toBe(7);
    expect(Math.ceil(breakEvenRps({ ...SMALL, fargate: { cpu: 512, memoryMb: 1024, minTasks: 2 } }))).toBe(
      13,
    );
  });

  it('falls when requests last longer or Lambda has more memory (Lambda gets dearer)', () => {
    expect(breakEvenRps(SMALL, 200)).toBeLessThan(breakEvenRps(SMALL, 100));
    expect(breakEvenRps({ ...SMALL, lambda: { memoryMb: 1024 } })).toBeLessThan(breakEvenRps(SMALL));
  });

  it('rejects a mean duration that is not positive', () => {
    expect(() => breakEvenRps(SMALL, 0)).toThrow(RangeError);
  });
});

describe('defaultThresholds', () => {
  it('scales up at the break-even rounded up, down at about half, with the anti-flapping timings', () => {
    expect(defaultThresholds(SMALL)).toEqual({
      scaleUp: { requestsPerSecond: 7, forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 3, forMinutes: 15 },
      cooldownMinutes: 10,
    });
  });

  it('takes an observed mean duration', () => {
    // 512 MB, 300 ms: 4.37 $ per million → ≈ 11.5 $/rps-month → ≈ 3.2 rps.
    expect(defaultThresholds(SMALL, 300).scaleUp.requestsPerSecond).toBe(4);
  });

  it('keeps scale-down strictly below scale-up even for a tiny break-even', () => {
    const t = defaultThresholds({ lambda: { memoryMb: 10240 }, fargate: SMALL.fargate }, 10_000);
    expect(t.scaleUp.requestsPerSecond).toBe(1);
    expect(t.scaleDown.requestsPerSecond).toBe(0);
  });
});

describe('completeThresholds', () => {
  it('keeps what is given and derives scale-down from a given scale-up', () => {
    expect(completeThresholds({ scaleUp: { requestsPerSecond: 40 }, cooldownMinutes: 0 }, SMALL)).toEqual({
      scaleUp: { requestsPerSecond: 40, forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 20, forMinutes: 15 },
      cooldownMinutes: 0,
    });
  });
});

describe('thresholds in validateSpec', () => {
  it('keep only the rates given: the others are computed where they are used, for the sizes', () => {
    const result = validateSpec({ ...MINIMAL, fargate: { cpu: 512, memoryMb: 1024, minTasks: 2 } });
    expect(result.ok && result.spec.thresholds.scaleUp.requestsPerSecond).toBeUndefined();
    expect(result.ok && completeThresholds(result.spec.thresholds, result.spec)).toMatchObject({
      scaleUp: { requestsPerSecond: 13 },
      scaleDown: { requestsPerSecond: 6 },
    });
  });

  it('complete the timings of a partial thresholds object, and keep a given rate as written', () => {
    const result = validateSpec({
      ...MINIMAL,
      thresholds: { scaleDown: { forMinutes: 30, requestsPerSecond: 3 } },
    });
    expect(result.ok && result.spec.thresholds).toEqual({
      scaleUp: { forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 3, forMinutes: 30 },
      cooldownMinutes: 10,
    });
  });

  it('check the band at the mean duration passed in', () => {
    // At 300 ms the break-even is 4 rps: a written scale-down of 4 is no longer below it.
    const doc = { ...MINIMAL, thresholds: { scaleDown: { requestsPerSecond: 4 } } };
    expect(validateSpec(doc).ok).toBe(true);
    expect(validateSpec(doc, { meanDurationMs: 300 })).toMatchObject({
      ok: false,
      errors: [{ path: 'thresholds.scaleDown.requestsPerSecond' }],
    });
  });

  it('reject a given scale-down at or above the computed scale-up, saying it was computed', () => {
    const result = validateSpec({ ...MINIMAL, thresholds: { scaleDown: { requestsPerSecond: 7 } } });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'thresholds.scaleDown.requestsPerSecond',
          message: expect.stringMatching(/strictly below thresholds.scaleUp.requestsPerSecond \(7, computed/),
        },
      ],
    });
  });
});
