/** What the traffic state asks of each stack in a given minute (pure: the state is passed in). */
import { DEFAULT_CAPACITY_PER_TASK, DEFAULT_DURATION_MS, type TrafficState } from './types';

export function capacityPerTask(state: TrafficState, stack: string): number {
  return state.capacityPerTask[stack] ?? DEFAULT_CAPACITY_PER_TASK;
}

/** The demand on `stack` in account minute `minute`, or zero where no source applies. */
export function demandAt(
  state: TrafficState,
  stack: string,
  minute: number,
): { rps: number; durationMs: number } {
  const source = state.byStack[stack] ?? state.defaultSource;
  if (!source) return { rps: 0, durationMs: DEFAULT_DURATION_MS };
  if (source.kind === 'constant') return { rps: source.rps, durationMs: source.durationMs };
  let index = minute - source.startMinute;
  if (source.repeat) index = ((index % source.rows.length) + source.rows.length) % source.rows.length;
  const row = source.rows[index];
  return row ? { rps: row.rps, durationMs: row.durationMs } : { rps: 0, durationMs: DEFAULT_DURATION_MS };
}
