/**
 * AWS prices the cost model uses (us-east-1, USD), exactly the "Prices" table of docs/aws-facts.md.
 * Kept in one constant so that the default thresholds, the simulator's cost meter and the cost
 * simulation all count with the same numbers; change them here and every consumer follows.
 */
export const PRICES = {
  lambda: {
    /** Per request (0.20 per million). */
    perRequest: 0.2 / 1_000_000,
    /** Per GB-second of x86 compute. */
    perGbSecond: 0.0000166667,
  },
  httpApi: {
    /** API Gateway HTTP API, per request (1.00 per million). */
    perRequest: 1.0 / 1_000_000,
  },
  alb: {
    perHour: 0.0225,
    perLcuHour: 0.008,
    /** One LCU covers 25 new connections per second; the model assumes one new connection per request. */
    newConnectionsPerSecondPerLcu: 25,
  },
  fargate: {
    /** Linux x86. */
    perVcpuHour: 0.04048,
    perGbHour: 0.004445,
  },
  /** Each Fargate task with a public IP, and one per ALB subnet. */
  publicIpv4PerHour: 0.005,
  natGateway: { perHour: 0.045, perGb: 0.045 },
} as const;

/** AWS bills a month as 730 hours (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** A public ALB spans two subnets, so it holds two public IPv4 addresses. */
export const ALB_PUBLIC_IPS = 2;
