/**
 * The desired state of one LambdaFlex stack, as stored in the `spec` attribute of its DynamoDB record.
 * `desired-state.schema.json` is the contract; these types mirror it (a test keeps the two in step).
 * `DesiredStateInput` is what a user writes (only `stack` and `image` required); `DesiredState` is the
 * same document after `validateSpec` filled in every default.
 */

export type Mode = 'auto' | 'lambda' | 'fargate';
export type Tier = 'lambda' | 'fargate';

export interface LambdaSize {
  /** 128–10240 MB. */
  memoryMb: number;
  /** 1–900 s. */
  timeoutSeconds: number;
  /** Optional cap on the function's concurrency. */
  reservedConcurrency?: number;
}

export interface FargateSize {
  /** CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  cpu: number;
  /** Memory allowed by Fargate for `cpu`. */
  memoryMb: number;
  minTasks: number;
  maxTasks: number;
  /** Target of the ALBRequestCountPerTarget tracking policy, and each task's capacity in requests per second. */
  targetRequestsPerTask: number;
}

export interface ScaleUpThreshold {
  requestsPerSecond: number;
  forMinutes: number;
  lambdaConcurrencyPercent: number;
}

export interface ScaleDownThreshold {
  requestsPerSecond: number;
  forMinutes: number;
}

/** Complete thresholds, every rate known: what auto mode decides with (see effectiveThresholds). */
export interface Thresholds {
  scaleUp: ScaleUpThreshold;
  scaleDown: ScaleDownThreshold;
  cooldownMinutes: number;
}

/**
 * Thresholds as the spec holds them: the timings with their defaults, the rates only where the user wrote
 * them. A rate left out is computed from the cost break-even when it is used, for the mean duration then
 * observed; it is never stored, so that a written rate and a computed one stay apart, even when equal.
 */
export interface ThresholdSettings {
  scaleUp: Omit<ScaleUpThreshold, 'requestsPerSecond'> & { requestsPerSecond?: number };
  scaleDown: Omit<ScaleDownThreshold, 'requestsPerSecond'> & { requestsPerSecond?: number };
  cooldownMinutes: number;
}

export interface Network {
  cidr: string;
}

export interface Dns {
  hostedZoneId: string;
  recordName: string;
  ttlSeconds: number;
  /** Required: API Gateway serves a custom domain name only over HTTPS with an ACM certificate for it. */
  certificateArn: string;
}

/** The service's own API: `/desired-state` and `/stack-status`. */
export interface Api {
  /**
   * Lowercase hex SHA-256 of the bearer token the service accepts. LambdaFlex gives it to the function
   * and the task as `LAMBDAFLEX_API_TOKEN_SHA256`; without it the service refuses every call to its API.
   */
  tokenSha256?: string;
}

export interface Traffic {
  shiftSteps: number[];
  stepSeconds: number;
}

export interface DesiredState {
  stack: string;
  image: string;
  mode: Mode;
  port: number;
  healthCheckPath: string;
  environment: Record<string, string>;
  lambda: LambdaSize;
  fargate: FargateSize;
  /** Rates left out are computed from the cost break-even when used (see spec/thresholds.ts). */
  thresholds: ThresholdSettings;
  network: Network;
  dns?: Dns;
  traffic: Traffic;
  api?: Api;
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** A document as a user writes it: `stack` and `image` required, everything else optional. */
export type DesiredStateInput = Pick<DesiredState, 'stack' | 'image'> &
  DeepPartial<Omit<DesiredState, 'stack' | 'image'>>;

/** One validation problem: `path` is a JSON pointer-like dotted path (`fargate.memoryMb`), `message` names the rule. */
export interface SpecError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; spec: DesiredState } | { ok: false; errors: SpecError[] };
