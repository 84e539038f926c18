import fc from 'fast-check';
import { MIN_TREND_POINTS, fitTrend, forecast, isFalling, isRising } from '../../../reconciler/decide/trend';

const line = (from: number, rates: readonly number[]) => rates.map((rps, i) => ({ minute: from + i, rps }));

describe('fitTrend', () => {
  it('fits a line exactly, with its level at the newest minute and no noise', () => {
    expect(fitTrend(line(10, [10, 12, 14, 16, 18]))).toEqual({
      level: 18,
      slope: 2,
      noise: 0,
      // Every change is 2 rps: the median change as a standard deviation.
      minuteNoise: 2 / 0.6745 / Math.SQRT2,
      largestRise: 2,
      span: 4,
      newest: 14,
      points: 5,
    });
  });

  it('needs MIN_TREND_POINTS minutes', () => {
    expect(fitTrend(line(0, [1, 2, 3]))).toBeUndefined();
    expect(MIN_TREND_POINTS).toBe(4);
  });

  it('fits across a gap without reading it as zero, and counts only consecutive changes', () => {
    const points = [...line(0, [10, 11]), ...line(5, [15, 16])];
    const trend = fitTrend(points)!;
    expect(trend.slope).toBeCloseTo(1, 10);
    expect(trend.level).toBeCloseTo(16, 10);
    expect(trend.minuteNoise).toBeCloseTo(1 / 0.6745 / Math.SQRT2, 10);
  });

  it('recovers any line through noise-free minutes (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.integer({ min: 4, max: 30 }),
        (start, slope, n) => {
          const trend = fitTrend(
            line(
              100,
              Array.from({ length: n }, (_, i) => start + slope * i),
            ),
          )!;
          expect(trend.slope).toBeCloseTo(slope, 6);
          expect(trend.level).toBeCloseTo(start + slope * (n - 1), 4);
          expect(trend.noise).toBeLessThan(1e-6 * (1 + Math.abs(start) + Math.abs(slope) * n));
        },
      ),
    );
  });
});

describe('isRising', () => {
  it('is true for a clean rise and false for a flat or falling rate', () => {
    expect(isRising(fitTrend(line(0, [10, 12, 14, 16, 18]))!)).toBe(true);
    expect(isRising(fitTrend(line(0, [10, 10, 10, 10, 10]))!)).toBe(false);
    expect(isRising(fitTrend(line(0, [18, 16, 14, 12, 10]))!)).toBe(false);
  });

  it('does not read noise as a rise: the slope must beat two standard errors', () => {
    // ±5 around 100 with a slight upward tilt by chance.
    const noisy = line(0, [100, 95, 105, 96, 104, 97, 106, 95, 103, 98]);
    expect(fitTrend(noisy)!.slope).toBeGreaterThan(0);
    expect(isRising(fitTrend(noisy)!)).toBe(false);
  });

  it('does not extrapolate a jump (a flash crowd’s first minutes)', () => {
    const jump = line(0, [3, 3.1, 2.9, 3, 3.2, 3, 2.8, 3, 3.1, 3, 400, 410, 395, 405, 400]);
    const trend = fitTrend(jump)!;
    expect(trend.slope).toBeGreaterThan(20);
    expect(isRising(trend)).toBe(false);
  });

  it('is true at the knee of a clean ramp, where the flat minutes have no noise at all', () => {
    expect(isRising(fitTrend(line(0, [150, 150, 150, 150, 150, 150, 150, 150, 160, 170, 180]))!)).toBe(true);
  });

  it('is true for a slow ramp through a few percent of noise over a quarter hour', () => {
    // 0.8 rps a minute around 200, ±2 %: what a slow ramp looks like.
    const noise = [1, -3, 2, -1, 3, -2, 0, 2, -3, 1, -1, 3, -2, 1, 0];
    const ramp = line(
      0,
      noise.map((n, i) => 190 + 0.8 * i + n),
    );
    expect(isRising(fitTrend(ramp)!)).toBe(true);
  });
});

describe('forecast', () => {
  it('extends the line from its newest minute, never below zero', () => {
    const trend = fitTrend(line(0, [10, 12, 14, 16, 18]))!;
    expect(forecast(trend, 5)).toBe(28);
    expect(forecast({ ...trend, slope: -10 }, 5)).toBe(0);
  });
});

describe('isFalling', () => {
  // ±0.15 around the line, alternating: the noise of a quiet evening's minutes.
  const noisy = (from: number, slope: number, minutes: number) =>
    line(
      0,
      Array.from({ length: minutes }, (_, i) => from + slope * i + (i % 2 ? 0.15 : -0.15)),
    );

  it('reads a fall beyond the noise, not a flat or rising rate', () => {
    expect(isFalling(fitTrend(noisy(4, -0.1, 15))!)).toBe(true);
    expect(isFalling(fitTrend(noisy(4, 0, 15))!)).toBe(false);
    expect(isFalling(fitTrend(noisy(4, 0.1, 15))!)).toBe(false);
  });

  it('does not read a burst’s end as a fall', () => {
    const drop = line(0, [...Array.from({ length: 5 }, () => 200), ...Array.from({ length: 10 }, () => 4)]);
    expect(isFalling(fitTrend(drop)!)).toBe(false);
  });

  it('is never true together with isRising, and always for a clean steady fall (any line)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 4, maxLength: 30 }),
        (rates) => {
          const trend = fitTrend(line(0, rates))!;
          expect(isFalling(trend) && isRising(trend)).toBe(false);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 50, max: 500, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.integer({ min: 5, max: 15 }),
        (from, fall, minutes) => {
          expect(isFalling(fitTrend(noisy(from, -fall, minutes))!)).toBe(true);
        },
      ),
    );
  });
});
