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
  /** Shares of the minute's requests (0..1) sent to each tier, and that reached neither (no DNS answer yet). */
  lambdaShare: number;
  fargateShare: number;
  unroutedShare: number;
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
  /** The record's version: changes with every write, the reconciler's status writes included. */
  version?: number;
  /** The spec's generation: a mode change is based on it (see `setMode`). */
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

/** The spec changed since the generation a mode change was based on: the caller should look again. */
export class SpecChangedError extends Error {
  override readonly name = 'SpecChangedError';
  constructor(stack: string, expected: number, actual: number) {
    super(
      `writing spec (${stack}): the spec changed since generation ${expected} (now ${actual}); read it again and retry`,
    );
  }
}

export interface DashboardSource {
  state(): Promise<DashboardState>;
  /** Sets the demo stack's traffic from the current simulated minute on. */
  setTraffic(rps: number): Promise<void>;
  /**
   * Writes the new mode through the state store. The write is conditional on the version read just before
   * it; `generation` is the spec the caller saw, and a spec changed since then is a conflict
   * (VersionConflictError). The reconciler's status writes alone are not: they change the version every
   * pass, so a version seen in a page a second ago would nearly always be stale. Throws SpecChangedError.
   */
  setMode(mode: Mode, generation: number): Promise<void>;
}
