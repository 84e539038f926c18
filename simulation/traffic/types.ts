/** Plain-JSON state of the traffic model (attached to the simulated account, saved with it: model.ts). */

/** One minute of a trace: requests per second and mean request duration. */
export interface TraceRow {
  minute: number;
  rps: number;
  durationMs: number;
}

export interface Trace {
  rows: TraceRow[];
}

export type TrafficSource =
  | { kind: 'trace'; rows: TraceRow[]; startMinute: number; repeat: boolean }
  | { kind: 'constant'; rps: number; durationMs: number };

/** What happened to one stack's traffic in one simulated minute (requests are per minute, not per second). */
export interface MinuteLogEntry {
  minute: number;
  stack: string;
  rps: number;
  durationMs: number;
  /** Requests sent to the Lambda tier (API Gateway), throttled ones included. */
  lambdaRequests: number;
  /** Requests sent to the Fargate tier (the ALB), those beyond capacity included. */
  fargateRequests: number;
  /** ECS tasks RUNNING at the end of the minute. */
  tasks: number;
  /** Requests Lambda throttled (beyond reserved or account concurrency). */
  lambdaThrottled: number;
  /** Requests the ALB answered with a 5xx because the healthy tasks' capacity was exceeded. */
  fargateOverCapacity: number;
  /** Requests that reached no working endpoint: no DNS answer yet, function not Active, ALB not active. */
  unrouted: number;
  /**
   * Of `lambdaRequests` and `fargateRequests`, those that reached a working tier (throttled and over-capacity
   * ones included): what the tiers served, where the two counts above overlap `unrouted`.
   */
  lambdaReached: number;
  fargateReached: number;
  /** What the stack's resources cost in this minute (USD). */
  cost: number;
}

export interface TrafficState {
  /** Applied to every stack without a source of its own. */
  defaultSource?: TrafficSource;
  byStack: Record<string, TrafficSource>;
  /** Requests per second one healthy task serves, per stack (the spec's targetRequestsPerTask). */
  capacityPerTask: Record<string, number>;
  log: MinuteLogEntry[];
}

export const DEFAULT_CAPACITY_PER_TASK = 100;
export const DEFAULT_DURATION_MS = 100;

export function initialTrafficState(): TrafficState {
  return { byStack: {}, capacityPerTask: {}, log: [] };
}
