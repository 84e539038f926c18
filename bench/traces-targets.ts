/**
 * The traces bench's targets as rules on a run's numbers, so that a run of another commit's policy
 * (bench/traces-before.ts) is judged by the same rules as the bench's own runs (bench/traces.bench.ts).
 * Which targets a trace is held to is the bench's to say (its family, its bursts' length); this says
 * whether a run meets one.
 */

/** Smooth traces: cost ≤ this × the offline optimum. */
const SMOOTH_COST_RATIO = 1.1;
/** Bursts shorter than a scale-up: cost ≤ this × the cheaper fixed tier. */
export const BURST_COST_RATIO = 1.05;

/** The targets' names, as the bench prints them (the ratios' figures from the ratios themselves). */
export const TARGET = {
  slo: 'SLO ≤ opt',
  smoothCost: `≤ ${SMOOTH_COST_RATIO.toFixed(2)} × opt`,
  burstCost: `≤ ${BURST_COST_RATIO.toFixed(2)} × fixed`,
  wall: 'wall',
  moves: (cooldownMinutes: number) => `≤ 1 move / ${cooldownMinutes} min`,
} as const;

/** What a target is judged on: one run of a trace and its yardsticks. */
export interface RunNumbers {
  /** The run's cost (USD). */
  cost: number;
  /** The offline optimum's cost (USD). */
  optimum: number;
  /** The cheaper of always-Lambda and always-Fargate (USD). */
  cheaperFixed: number;
  slo: number;
  optimumSlo: number;
  /** Minutes between consecutive move starts. */
  gaps: number[];
}

/** A phase change of a run, as `simulate` reports it (minute of the pass, phase entered). */
export interface MoveTransition {
  minute: number;
  to: string;
}

/** Minutes between consecutive move starts (Lambda → ScalingUp, Fargate → ScalingDown). */
export function moveGaps(transitions: readonly MoveTransition[]): number[] {
  const starts = transitions.filter((t) => isMoveStart(t)).map((t) => t.minute);
  return starts.slice(1).map((m, i) => m - starts[i]!);
}

/** Moves started: scale-ups and scale-downs. */
export function movesStarted(transitions: readonly MoveTransition[]): { ups: number; downs: number } {
  return {
    ups: transitions.filter((t) => t.to === 'ScalingUp').length,
    downs: transitions.filter((t) => t.to === 'ScalingDown').length,
  };
}

function isMoveStart(t: MoveTransition): boolean {
  return t.to === 'ScalingUp' || t.to === 'ScalingDown';
}

/**
 * Whether the run meets the target named `what` (one of TARGET's, the wall time aside: it is measured
 * around the run, not in its numbers). An unknown name throws rather than passing unjudged.
 */
export function meetsTarget(what: string, run: RunNumbers, cooldownMinutes: number): boolean {
  switch (what) {
    case TARGET.slo:
      return run.slo <= run.optimumSlo;
    case TARGET.smoothCost:
      return run.cost <= run.optimum * SMOOTH_COST_RATIO;
    case TARGET.burstCost:
      return run.cost <= run.cheaperFixed * BURST_COST_RATIO;
    case TARGET.moves(cooldownMinutes):
      return run.gaps.every((g) => g >= cooldownMinutes);
    default:
      throw new Error(
        `judging a run: no rule for the target '${what}' (known: ${TARGET.slo}, ${TARGET.smoothCost}, ` +
          `${TARGET.burstCost}, ${TARGET.moves(cooldownMinutes)})`,
      );
  }
}
