/**
 * What the dashboard shows and changes, as the sandbox provides it. The service only knows this contract:
 * the dashboard module is added to the app by the local sandbox (sim/sandbox), never in AWS, where no
 * simulated traffic exists to set.
 */
import type { Mode } from '../../spec/types';

export const DASHBOARD_SOURCE = Symbol('DASHBOARD_SOURCE');

/** One simulated minute of the demo stack, for the chart. */
export interface DashboardMinute {
  minute: number;
  /** Epoch milliseconds (simulated clock) of the minute's start. */
  at: number;
  rps: number;
  /** Shares of the requests sent to each tier (0..1); both 0 when nothing was routed. */
  lambdaShare: number;
  fargateShare: number;
  tasks: number;
  /** The phase the reconciler reported in that minute, when one was seen. */
  phase?: string;
  cost: number;
}

export interface DashboardEvent {
  at: number;
  type: string;
  reason: string;
  message: string;
}

export interface DashboardState {
  stack: string;
  /** Simulated clock, epoch milliseconds. */
  now: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** Absent until the stack's record exists. */
  mode?: Mode;
  /** The record's version: a mode change is conditional on it. */
  version?: number;
  generation?: number;
  phase: string;
  tier?: string;
  /** The last decision's reason (auto mode says why it stays or moves). */
  reason?: string;
  /** The traffic level the simulated clients send, requests per second. */
  rps: number;
  /** Where traffic goes, as Route 53 answers hold it now. */
  shares: { lambda: number; fargate: number };
  tasks: number;
  cost: { actual: number; alwaysLambda: number };
  minutes: DashboardMinute[];
  events: DashboardEvent[];
  /** Conditions that are not fine, e.g. errors the reconciler keeps retrying. */
  problems: string[];
}

export interface DashboardSource {
  state(): Promise<DashboardState>;
  /** Sets the demo stack's traffic from the current simulated minute on. */
  setTraffic(rps: number): Promise<void>;
  /**
   * Writes the new mode through the state store, conditional on `version` (VersionConflictError when the
   * record changed since the caller read it).
   */
  setMode(mode: Mode, version: number): Promise<void>;
}
