/**
 * The offline optimum: the cheapest schedule of tier changes for a whole trace known in advance, with
 * fewer SLO violation minutes first and lower cost second.
 *
 * A dynamic programme over the minutes. The states form a cycle,
 *   Lambda → ScalingUp(1..u) → Fargate → ScalingDown(1..d) → Lambda,
 * where a move, once begun, runs its whole length (u and d are the scale-up and scale-down durations,
 * rounded up to whole minutes) and both tiers bill during it; only Lambda and Fargate may be held. The
 * trace may start in Lambda or in Fargate (unless `start` says which), so that both baselines are
 * schedules the oracle considers: it never does worse than either.
 */
import type { Trace } from '../traffic/types';
import { priceSchedule } from './baselines';
import { TIER_STATE_OF_PHASE, minuteCost, sloViolated } from './cost';
import type { PolicyOptions, PolicyPhase, PolicyResult, PolicySpec } from './types';

export interface MoveMinutes {
  scaleUpMinutes: number;
  scaleDownMinutes: number;
  /**
   * Where the trace may start: `either` (default) lets the oracle start on Fargate for free, so that it
   * is never worse than always-Fargate; `Lambda` is the like-for-like yardstick for a run that starts a
   * new stack on Lambda, as `lambdaflex simulate` does.
   */
  start?: 'Lambda' | 'Fargate' | 'either';
}

/** The phase of each state of the cycle; index 0 is Lambda. */
function cycleOf(moves: MoveMinutes): { phases: PolicyPhase[]; fargate: number } {
  const up = Math.max(0, Math.ceil(moves.scaleUpMinutes));
  const down = Math.max(0, Math.ceil(moves.scaleDownMinutes));
  const phases: PolicyPhase[] = [
    'Lambda',
    ...Array<PolicyPhase>(up).fill('ScalingUp'),
    'Fargate',
    ...Array<PolicyPhase>(down).fill('ScalingDown'),
  ];
  return { phases, fargate: up + 1 };
}

interface Score {
  violations: number;
  cost: number;
}

const better = (a: Score, b: Score) =>
  a.violations < b.violations || (a.violations === b.violations && a.cost < b.cost);

/**
 * @example
 * const best = oracle(loadTrace(csv), spec, { scaleUpMinutes: 4.8, scaleDownMinutes: 6.5 });
 * best.cost; best.sloViolationMinutes; best.schedule[431]; // 'ScalingUp'
 */
export function oracle(
  trace: Trace,
  spec: PolicySpec,
  moves: MoveMinutes,
  options: PolicyOptions = {},
): PolicyResult {
  const rows = trace.rows;
  const { phases, fargate } = cycleOf(moves);
  const n = phases.length;
  const held = (s: number) => s === 0 || s === fargate;
  const start = moves.start ?? 'either';
  const startsAt = (s: number) => (s === 0 && start !== 'Fargate') || (s === fargate && start !== 'Lambda');
  const score = (s: number, minute: number): Score => {
    const { rps, durationMs } = rows[minute]!;
    const state = TIER_STATE_OF_PHASE[phases[s]!];
    return {
      violations: sloViolated(state, rps, durationMs, spec, options) ? 1 : 0,
      cost: minuteCost(state, rps, durationMs, spec).total,
    };
  };
  if (rows.length === 0) return priceSchedule(trace, [], spec, options);

  const unreachable: Score = { violations: Infinity, cost: Infinity };
  let best: Score[] = phases.map((_, s) => (startsAt(s) ? score(s, 0) : unreachable));
  // The state each (minute, state) was reached from, for walking the schedule back.
  const from = new Int32Array(rows.length * n).fill(-1);
  for (let minute = 1; minute < rows.length; minute++) {
    const next: Score[] = phases.map(() => unreachable);
    for (let s = 0; s < n; s++) {
      if (best[s]!.violations === Infinity) continue;
      const successors = held(s) ? [s, (s + 1) % n] : [(s + 1) % n];
      for (const t of successors) {
        const add = score(t, minute);
        const candidate = {
          violations: best[s]!.violations + add.violations,
          cost: best[s]!.cost + add.cost,
        };
        if (better(candidate, next[t]!)) {
          next[t] = candidate;
          from[minute * n + t] = s;
        }
      }
    }
    best = next;
  }

  let end = 0;
  for (let s = 1; s < n; s++) if (better(best[s]!, best[end]!)) end = s;
  const schedule: PolicyPhase[] = new Array(rows.length);
  for (let minute = rows.length - 1, s = end; minute >= 0; minute--) {
    schedule[minute] = phases[s]!;
    s = from[minute * n + s]!;
  }
  return priceSchedule(trace, schedule, spec, options);
}

/** The minutes at which a schedule changes phase, for reports. */
export function scheduleTransitions(
  schedule: readonly PolicyPhase[],
): { minute: number; from: PolicyPhase; to: PolicyPhase }[] {
  const transitions: { minute: number; from: PolicyPhase; to: PolicyPhase }[] = [];
  for (let minute = 1; minute < schedule.length; minute++) {
    if (schedule[minute] !== schedule[minute - 1]) {
      transitions.push({ minute, from: schedule[minute - 1]!, to: schedule[minute]! });
    }
  }
  return transitions;
}
