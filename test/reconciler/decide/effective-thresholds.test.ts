/**
 * The thresholds auto mode runs with: rates the user wrote are kept exactly, whatever their value; only
 * the rates left out are computed, for the observed mean duration.
 */
import { effectiveThresholds } from '../../../reconciler/decide/effective-thresholds';
import { validateSpec } from '../../../spec';

/** The example's sizes (cpu 512, 1024 MB, one task): computed at 100 ms, 9 up and 4 down; at 60 ms, 11 and 5. */
function spec(thresholds?: unknown) {
  const result = validateSpec({
    stack: 'orders-api',
    image: 'nginx:1.27',
    fargate: { cpu: 512, memoryMb: 1024, minTasks: 1 },
    ...(thresholds === undefined ? {} : { thresholds }),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

describe('effectiveThresholds', () => {
  it('computes the rates left out for the observed duration', () => {
    expect(effectiveThresholds(spec(), 100)).toMatchObject({
      scaleUp: { requestsPerSecond: 9 },
      scaleDown: { requestsPerSecond: 4 },
    });
    expect(effectiveThresholds(spec(), 60)).toMatchObject({
      scaleUp: { requestsPerSecond: 11 },
      scaleDown: { requestsPerSecond: 5 },
    });
  });

  it('keeps a given scale-down rate equal to the computed default as given (4 stays 4 at 60 ms)', () => {
    const given = spec({ scaleDown: { requestsPerSecond: 4 } });
    expect(effectiveThresholds(given, 60)).toMatchObject({
      scaleUp: { requestsPerSecond: 11 },
      scaleDown: { requestsPerSecond: 4 },
    });
  });

  it('keeps a given scale-up rate equal to the computed default as given (9 stays 9 at 60 ms)', () => {
    const given = spec({ scaleUp: { requestsPerSecond: 9 } });
    expect(effectiveThresholds(given, 60)).toMatchObject({
      scaleUp: { requestsPerSecond: 9 },
      scaleDown: { requestsPerSecond: 4 },
    });
  });

  it('keeps a given scale-down rate above a computed scale-up that fell below it, and lifts the computed one', () => {
    // At 1 s a request, Lambda is dear: the break-even falls to 1 rps, under the written 4.
    const given = spec({ scaleDown: { requestsPerSecond: 4 } });
    const thresholds = effectiveThresholds(given, 1000);
    expect(thresholds.scaleDown.requestsPerSecond).toBe(4);
    expect(thresholds.scaleUp.requestsPerSecond).toBe(5);
  });

  it('keeps the timings as written', () => {
    const given = spec({ scaleUp: { forMinutes: 2 }, scaleDown: { forMinutes: 30 }, cooldownMinutes: 0 });
    expect(effectiveThresholds(given, 60)).toEqual({
      scaleUp: { requestsPerSecond: 11, forMinutes: 2, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 5, forMinutes: 30 },
      cooldownMinutes: 0,
    });
  });
});

describe('a given rate survives the store', () => {
  it('validateSpec keeps the rates as written and leaves out the ones to compute, so a re-read tells them apart', () => {
    const first = spec({ scaleDown: { requestsPerSecond: 4 } });
    expect(first.thresholds.scaleDown.requestsPerSecond).toBe(4);
    expect(first.thresholds.scaleUp.requestsPerSecond).toBeUndefined();
    // What a store writes and the reconciler reads back, validated again.
    const again = validateSpec(JSON.parse(JSON.stringify(first)));
    expect(again.ok && again.spec.thresholds).toEqual(first.thresholds);
    expect(again.ok && effectiveThresholds(again.spec, 60).scaleDown.requestsPerSecond).toBe(4);
  });
});
