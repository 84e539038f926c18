/**
 * Default scaling thresholds from the cost break-even (docs/aws-facts.md, "Prices" and "Break-even").
 *
 * Method:
 * 1. Lambda tier cost per request = Lambda request price + GB-seconds (memory × mean duration) × price
 *    + HTTP API request price. One request per second sustained for a month (730 h) is
 *    2,628,000 requests, so the Lambda tier costs `lambdaCostPerRpsMonth` per rps per month
 *    (512 MB, 100 ms: 2.033 $ per million requests, ≈ 5.34 $ per rps-month).
 * 2. The minimal Fargate tier is what runs whatever the traffic: `minTasks` tasks of the given
 *    cpu/memory, one public IPv4 each, and an ALB with its two public IPs, for 730 h
 *    (1 × 0.25 vCPU / 0.5 GB: ≈ 36.39 $ a month). ALB LCUs are left out: at break-even rates
 *    (a few rps) they add well under one LCU, and docs/aws-facts.md's figures leave them out too.
 * 3. break-even rps = Fargate tier per month / Lambda cost per rps-month (≈ 6.8 rps for the above).
 *    Above it, Fargate is cheaper.
 * 4. scaleUp.requestsPerSecond = break-even rounded up to a whole rps (7); scaleDown is about half
 *    of that, rounded down, so it is strictly below and leaves a band against flapping (3).
 *    Durations (3 min up, 15 min down, 10 min cooldown) follow docs/aws-facts.md's anti-flapping
 *    anchors: a round trip costs minutes of infrastructure, so move up quickly and down slowly.
 *
 * The mean duration is a parameter so that the decider can pass the observed one. Computed rates are
 * never stored in the spec (thresholdSettings): only what the user wrote is, so it is kept as written.
 */
import { desiredStateSchema } from './schema';
import { ALB_PUBLIC_IPS, HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';
import type { FargateSize, LambdaSize, ThresholdSettings, Thresholds } from './types';

/** The sizes the break-even depends on; a whole `DesiredState` fits. */
export interface CostSizes {
  lambda: Pick<LambdaSize, 'memoryMb'>;
  fargate: Pick<FargateSize, 'cpu' | 'memoryMb' | 'minTasks'>;
}

/** Assumed mean Lambda duration until an observed one is known. */
export const DEFAULT_MEAN_DURATION_MS = 100;

const TIMINGS = desiredStateSchema.properties.thresholds.properties;

/** The schema's defaults for the timings (the rates have none: they are computed). */
export const DEFAULT_THRESHOLD_TIMINGS = {
  scaleUpForMinutes: TIMINGS.scaleUp.properties.forMinutes.default,
  lambdaConcurrencyPercent: TIMINGS.scaleUp.properties.lambdaConcurrencyPercent.default,
  scaleDownForMinutes: TIMINGS.scaleDown.properties.forMinutes.default,
  cooldownMinutes: TIMINGS.cooldownMinutes.default,
} as const;

/** Cost of one Lambda + HTTP API request, in USD. */
export function lambdaCostPerRequest(memoryMb: number, meanDurationMs: number): number {
  const gbSeconds = (memoryMb / 1024) * (meanDurationMs / 1000);
  return PRICES.lambda.perRequest + gbSeconds * PRICES.lambda.perGbSecond + PRICES.httpApi.perRequest;
}

/** Monthly cost of serving one request per second, sustained, on the Lambda tier. */
export function lambdaCostPerRpsMonth(memoryMb: number, meanDurationMs: number): number {
  return lambdaCostPerRequest(memoryMb, meanDurationMs) * SECONDS_PER_MONTH;
}

/** Monthly cost of the smallest Fargate tier the spec allows: minTasks tasks, their IPs, the ALB and its IPs. */
export function fargateTierMonthlyCost(fargate: CostSizes['fargate']): number {
  const taskPerHour =
    (fargate.cpu / 1024) * PRICES.fargate.perVcpuHour +
    (fargate.memoryMb / 1024) * PRICES.fargate.perGbHour +
    PRICES.publicIpv4PerHour;
  const albPerHour = PRICES.alb.perHour + ALB_PUBLIC_IPS * PRICES.publicIpv4PerHour;
  return (fargate.minTasks * taskPerHour + albPerHour) * HOURS_PER_MONTH;
}

/**
 * Sustained requests per second above which the Fargate tier costs less than the Lambda tier.
 *
 * @example
 * breakEvenRps({ lambda: { memoryMb: 512 }, fargate: { cpu: 256, memoryMb: 512, minTasks: 1 } }); // ≈ 6.81
 */
export function breakEvenRps(sizes: CostSizes, meanDurationMs: number = DEFAULT_MEAN_DURATION_MS): number {
  if (!(meanDurationMs > 0)) throw new RangeError(`meanDurationMs must be positive, got ${meanDurationMs}`);
  return fargateTierMonthlyCost(sizes.fargate) / lambdaCostPerRpsMonth(sizes.lambda.memoryMb, meanDurationMs);
}

/** About half of the scale-up rate, rounded down: whole, and strictly below any positive scale-up rate. */
export function scaleDownRpsFor(scaleUpRps: number): number {
  return Math.floor(scaleUpRps / 2);
}

/**
 * Complete thresholds for the given sizes, all computed.
 *
 * @example
 * defaultThresholds(spec).scaleUp.requestsPerSecond; // 7 for the default sizes
 */
export function defaultThresholds(
  sizes: CostSizes,
  meanDurationMs: number = DEFAULT_MEAN_DURATION_MS,
): Thresholds {
  return completeThresholds(undefined, sizes, meanDurationMs);
}

/** What a user may write for thresholds: any part may be missing. */
export interface PartialThresholds {
  scaleUp?: Partial<Thresholds['scaleUp']>;
  scaleDown?: Partial<Thresholds['scaleDown']>;
  cooldownMinutes?: number;
}

/**
 * Fills in whatever `given` leaves out. A missing scale-down rate is derived from the scale-up rate in
 * effect (given or computed), so that a user who only raises scaleUp still gets a band below it.
 */
export function completeThresholds(
  given: PartialThresholds | undefined,
  sizes: CostSizes,
  meanDurationMs: number = DEFAULT_MEAN_DURATION_MS,
): Thresholds {
  const t = DEFAULT_THRESHOLD_TIMINGS;
  const upRps =
    given?.scaleUp?.requestsPerSecond ?? Math.max(1, Math.ceil(breakEvenRps(sizes, meanDurationMs)));
  return {
    scaleUp: {
      requestsPerSecond: upRps,
      forMinutes: given?.scaleUp?.forMinutes ?? t.scaleUpForMinutes,
      lambdaConcurrencyPercent: given?.scaleUp?.lambdaConcurrencyPercent ?? t.lambdaConcurrencyPercent,
    },
    scaleDown: {
      requestsPerSecond: given?.scaleDown?.requestsPerSecond ?? scaleDownRpsFor(upRps),
      forMinutes: given?.scaleDown?.forMinutes ?? t.scaleDownForMinutes,
    },
    cooldownMinutes: given?.cooldownMinutes ?? t.cooldownMinutes,
  };
}

/**
 * The thresholds a spec holds: the timings completed with their defaults, the rates exactly as given
 * (left out when not given: they are computed where they are used, see completeThresholds).
 *
 * @example
 * thresholdSettings({ scaleDown: { requestsPerSecond: 4 } });
 * // { scaleUp: { forMinutes: 3, lambdaConcurrencyPercent: 80 }, scaleDown: { requestsPerSecond: 4, forMinutes: 15 }, cooldownMinutes: 10 }
 */
export function thresholdSettings(given: PartialThresholds | undefined): ThresholdSettings {
  const t = DEFAULT_THRESHOLD_TIMINGS;
  const upRps = given?.scaleUp?.requestsPerSecond;
  const downRps = given?.scaleDown?.requestsPerSecond;
  return {
    scaleUp: {
      ...(upRps === undefined ? {} : { requestsPerSecond: upRps }),
      forMinutes: given?.scaleUp?.forMinutes ?? t.scaleUpForMinutes,
      lambdaConcurrencyPercent: given?.scaleUp?.lambdaConcurrencyPercent ?? t.lambdaConcurrencyPercent,
    },
    scaleDown: {
      ...(downRps === undefined ? {} : { requestsPerSecond: downRps }),
      forMinutes: given?.scaleDown?.forMinutes ?? t.scaleDownForMinutes,
    },
    cooldownMinutes: given?.cooldownMinutes ?? t.cooldownMinutes,
  };
}
