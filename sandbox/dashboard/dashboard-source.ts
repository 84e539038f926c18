/**
 * What the dashboard shows and changes, as the sandbox provides it. The service only knows this contract:
 * the dashboard module is added to the app by the local sandbox (sandbox), never in AWS, where no
 * simulated traffic exists to set.
 */
import { describeRevision, type SpecRevision } from '../../reconciler/state/incarnation';
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
  /** `Progress` for an expected wait (a teardown waiting on AWS to release network interfaces). */
  type: 'Normal' | 'Warning' | 'Progress';
  reason: string;
  message: string;
  /** How many identical events in a row this line stands for. */
  count: number;
}

/** One resource of the stack, with what AWS says of it or what the reconciler is doing to it. */
export interface DashboardResource {
  key: string;
  kind: string;
  id: string;
  /** `available`, `provisioning`, `ACTIVE`, … or `creating`, `deleting`, `updating`. */
  state: string;
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
  /**
   * The record's incarnation, with the generation: a stack deleted and created again starts again at
   * generation 1, never with the same incarnation. Absent for a record created before incarnations.
   */
  incarnation?: string;
  /** The reconciler's phase; `Pending` before its first pass, `Deleted` once the record is gone. */
  phase: string;
  /** The stack's deletion was requested: the reconciler is tearing it down. */
  deletionRequested: boolean;
  tier?: string;
  /** The last decision's reason (auto mode says why it stays or moves). */
  reason?: string;
  /** What the stack waits for now (a shift step and its health, the drain, AWS), as `lambdaflex status` says it. */
  waitingFor: string[];
  /** The traffic level the simulated clients send, requests per second. */
  rps: number;
  /**
   * Where traffic goes: `line` as `lambdaflex status` says it (the Route 53 weights, or why there are none);
   * `served` the shares of the last simulated minute's requests, as the chart's last bar shows them.
   */
  traffic: {
    line: string;
    weights?: { lambda: number; fargate: number };
    served?: { lambda: number; fargate: number; unrouted: number };
  };
  /** The share of requests each tier served in the last minute (0..1), for the bar; zero when nothing served. */
  shares: { lambda: number; fargate: number };
  /** Where the stack answers. */
  urls: { custom?: string; lambda?: string; fargate?: string };
  tasks: number;
  /**
   * Cost so far of the stack's record (since its first pass: a stack deleted and made again does not count
   * the old one's), and what always-Lambda would have cost for the requests served. `compared` is false
   * while the stack never left Lambda: the two are then the same thing, and no saving is claimed. Once the
   * stack is deleted all three are nothing, and `deletedStack` is what it cost while it existed.
   */
  cost: { actual: number; alwaysLambda: number; compared: boolean; deletedStack?: number };
  /** Auto mode's rates (requests per second) for the chart, when the spec is valid. */
  thresholds?: { scaleUp: number; scaleDown: number };
  minutes: DashboardMinute[];
  /** Newest first, repeats collapsed, at most a dozen. */
  events: DashboardEvent[];
  /** What needs a person: a terminal error, an invalid spec, a failure retried, a rollback. */
  problems: string[];
  /** The stack's resources with their state, those being created or deleted included. */
  resources: DashboardResource[];
}

/**
 * The spec changed since the revision a mode change was based on (another generation, or another
 * incarnation: the stack deleted and created again): the caller should look again.
 */
export class SpecChangedError extends Error {
  override readonly name = 'SpecChangedError';
  constructor(stack: string, expected: SpecRevision, actual: SpecRevision) {
    super(
      expected.incarnation === actual.incarnation
        ? `writing spec (${stack}): the spec changed since generation ${expected.generation} (now ${actual.generation}); read it again and retry`
        : `writing spec (${stack}): the record is not the one read (expected ${describeRevision(expected)}, found ${describeRevision(actual)}); ${
            expected.incarnation === undefined
              ? 'a generation alone cannot tell it from one deleted and created again since'
              : 'the stack was deleted and created again since'
          }; read it again and retry`,
    );
  }
}

export interface DashboardSource {
  state(): Promise<DashboardState>;
  /** Sets the demo stack's traffic from the current simulated minute on. */
  setTraffic(rps: number): Promise<void>;
  /**
   * Writes the new mode through the state store, conditional on `revision`, the spec the caller saw (its
   * generation and its record's incarnation; none for a record from before incarnations): a spec changed
   * since then, or the stack deleted and created again, is a conflict (SpecChangedError, or
   * VersionConflictError when it changed between the read and the write). The reconciler's status writes
   * are not: they change the record's version every pass, not the spec's generation.
   */
  setMode(mode: Mode, revision: SpecRevision): Promise<void>;
}
