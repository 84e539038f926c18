/** Setting the traffic a simulated account receives, and each stack's capacity per task. */
import type { SimAccount } from '../../aws-sim/core/account';
import { trafficState } from './model';
import { DEFAULT_DURATION_MS, type Trace, type TrafficSource } from './types';

export interface SetTrafficOptions {
  /** Only this stack (default: every stack without traffic of its own). */
  stack?: string;
  /** Start the trace again after its last row (default: no traffic after the end). */
  repeat?: boolean;
}

/**
 * Sends a trace, or a constant rate, to the account's stacks from the current minute on: the trace's
 * minute 0 is the minute the clock is in now.
 *
 * @example
 *   setTraffic(account, loadTrace(csv));            // every stack
 *   setTraffic(account, 20, { stack: 'orders' });    // 20 rps, 100 ms, to one stack
 */
export function setTraffic(
  account: SimAccount,
  source: Trace | number | { rps: number; durationMs?: number },
  options: SetTrafficOptions = {},
): void {
  let resolved: TrafficSource;
  if (typeof source === 'number')
    resolved = { kind: 'constant', rps: source, durationMs: DEFAULT_DURATION_MS };
  else if ('rows' in source) {
    resolved = {
      kind: 'trace',
      rows: source.rows,
      startMinute: account.minute(),
      repeat: options.repeat ?? false,
    };
  } else
    resolved = { kind: 'constant', rps: source.rps, durationMs: source.durationMs ?? DEFAULT_DURATION_MS };
  const state = trafficState(account);
  if (options.stack === undefined) state.defaultSource = resolved;
  else state.byStack[options.stack] = resolved;
}

/** Removes all traffic (or one stack's own source, which then falls back to the default). */
export function clearTraffic(account: SimAccount, stack?: string): void {
  const state = trafficState(account);
  if (stack === undefined) {
    delete state.defaultSource;
    state.byStack = {};
  } else delete state.byStack[stack];
}

/** Requests per second one healthy task of `stack` serves (the spec's fargate.targetRequestsPerTask); default 100. */
export function setStackCapacity(account: SimAccount, stack: string, requestsPerTask: number): void {
  if (!(requestsPerTask > 0))
    throw new Error(`setStackCapacity: requestsPerTask must be > 0, got ${requestsPerTask}`);
  trafficState(account).capacityPerTask[stack] = requestsPerTask;
}

/** Every minute's record of served and failed requests, per stack, oldest first. */
export function trafficLog(account: SimAccount, stack?: string) {
  const log = trafficState(account).log;
  return stack === undefined ? [...log] : log.filter((e) => e.stack === stack);
}
