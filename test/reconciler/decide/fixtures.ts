/** A validated spec with explicit thresholds, and helpers that build per-minute samples. */
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';
import type { MinuteSample } from '../../../reconciler/decide/metrics';

export function autoSpec(overrides: Record<string, unknown> = {}): DesiredState {
  const result = validateSpec({
    stack: 'web',
    image: 'public.ecr.aws/example/web:1',
    mode: 'auto',
    thresholds: {
      scaleUp: { requestsPerSecond: 20, forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 5, forMinutes: 15 },
      cooldownMinutes: 10,
    },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

export const MS_PER_MINUTE = 60_000;

/** The decision time right after minute `lastMinute` completed. */
export const after = (lastMinute: number) => (lastMinute + 1) * MS_PER_MINUTE;

/** Minutes from `start` at the given rates, counted by API Gateway (Lambda serving), 100 ms each. */
export function lambdaMinutes(start: number, rates: readonly (number | undefined)[]): MinuteSample[] {
  return rates.flatMap((rps, i) =>
    rps === undefined ? [] : [{ minute: start + i, apiRequests: rps * 60, lambdaDurationMs: 100 }],
  );
}

/** Minutes from `start` at the given rates, counted by the ALB (Fargate serving). */
export function fargateMinutes(start: number, rates: readonly (number | undefined)[]): MinuteSample[] {
  return rates.flatMap((rps, i) =>
    rps === undefined ? [] : [{ minute: start + i, albRequests: rps * 60, healthyHosts: 1 }],
  );
}

export const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);
