/** What a run's passes and traffic log add up to: phase transitions, move durations, violations. */
import type { Phase } from '../../reconciler/state/types';
import type { MinuteLogEntry } from '../traffic/types';
import type { PhaseTransition } from './types';

/** The stack's status after the pass at the start of a trace minute. */
export interface PassSnapshot {
  minute: number;
  phase: Phase;
  reason: string;
}

/** Phase changes between consecutive snapshots; `initial` is the phase before the first. */
export function phaseTransitions(initial: Phase, snapshots: readonly PassSnapshot[]): PhaseTransition[] {
  const transitions: PhaseTransition[] = [];
  let previous = initial;
  for (const s of snapshots) {
    if (s.phase !== previous)
      transitions.push({ minute: s.minute, from: previous, to: s.phase, reason: s.reason });
    previous = s.phase;
  }
  return transitions;
}

/**
 * Minutes from entering `moving` to reaching `arrived` straight from it. A move that turned back (a
 * scale-up rolled back to Lambda) is not a measure of how long a move takes, and is left out.
 */
export function moveDurations(
  transitions: readonly PhaseTransition[],
  moving: Phase,
  arrived: Phase,
): number[] {
  const durations: number[] = [];
  let startedAt: number | undefined;
  for (const t of transitions) {
    if (t.to === moving) startedAt = t.minute;
    else if (startedAt !== undefined && t.from === moving) {
      if (t.to === arrived) durations.push(t.minute - startedAt);
      startedAt = undefined;
    }
  }
  return durations;
}

export const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Less than one request is not a failed request: the traffic model splits by shares, and floating-point
 * residue (1 − 0.9 − 0.1) would otherwise count as a lost request.
 */
const ONE_REQUEST = 0.5;

/** A minute breaks the SLO when Lambda throttled or the healthy tasks' capacity was exceeded. */
export const violated = (entry: MinuteLogEntry): boolean =>
  entry.lambdaThrottled >= ONE_REQUEST || entry.fargateOverCapacity >= ONE_REQUEST;

/** Some requests reached no working endpoint (no DNS answer, a tier not ready). */
export const unrouted = (entry: MinuteLogEntry): boolean => entry.unrouted >= ONE_REQUEST;

/** Share of the minute's requests sent to Fargate (0 in a minute without requests). */
export function fargateShare(entry: MinuteLogEntry): number {
  // The demand, not the sum of the log's counts: `unrouted` overlaps them when a tier is not reachable.
  const requests = entry.rps * 60;
  return requests > 0 ? Math.min(1, entry.fargateRequests / requests) : 0;
}
