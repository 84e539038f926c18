/** The report of `lambdaflex simulate`: one JSON document per run. */
import type { Phase } from '../../reconciler/state/types';

export interface CostSplit {
  total: number;
  lambda: number;
  fargate: number;
}

/** A phase change seen between two passes, at the trace minute of the pass that made it. */
export interface PhaseTransition {
  minute: number;
  from: Phase;
  to: Phase;
  /** The decision's reason, with its numbers ("42.0 rps > 20 for 3 min; …"). */
  reason: string;
}

export interface BaselineResult {
  cost: number;
  sloViolationMinutes: number;
}

export interface TimelineEntry {
  minute: number;
  rps: number;
  durationMs: number;
  /** The phase the stack's status held during the minute (after the pass at its start). */
  phase: Phase;
  /** Share of the minute's requests that were sent to Fargate (0–1). */
  fargateShare: number;
  albExists: boolean;
  /** ECS tasks RUNNING at the end of the minute. */
  tasks: number;
  /** What the stack cost in the minute (USD), from the account's cost meter. */
  cost: number;
  /** Requests that reached no working endpoint, only in a minute that had some. */
  unrouted?: number;
  /** Only in a minute that broke the SLO (Lambda throttled or the healthy tasks were overrun). */
  sloViolated?: true;
}

export interface SimulationResult {
  stack: string;
  minutes: number;
  cost: CostSplit;
  /** Minutes in which Lambda throttled or the running tasks' capacity was exceeded. */
  sloViolationMinutes: number;
  /** Minutes in which some requests reached no working endpoint (no DNS answer, tier not ready). */
  unroutedMinutes: number;
  transitions: PhaseTransition[];
  /** Measured ScalingUp → Fargate durations, in minutes. */
  scaleUpMinutes: number[];
  /** Measured ScalingDown → Lambda durations, in minutes. */
  scaleDownMinutes: number[];
  baselines: {
    alwaysLambda: BaselineResult;
    alwaysFargate: BaselineResult;
    /** The offline optimum, starting on Lambda like the run, with the run's move durations. */
    oracle: BaselineResult & { scaleUpMinutes: number; scaleDownMinutes: number };
  };
  timeline: TimelineEntry[];
}
