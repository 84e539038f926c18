/**
 * Passes over one stack until it settles, the pass says it can't go on (invalid spec, terminal error,
 * deleted), or a time bound is reached. Waiting between passes is injected: the simulated clock advances
 * locally and in tests, real time passes against AWS.
 */
import { reconcileStack, type PassResult, type ReconcilerOptions } from './reconcile';

export interface UntilSettledOptions {
  /** Bound on the time passed waiting, as `now` measures it. */
  timeoutMs: number;
  wait(ms: number): Promise<void>;
  /** Called after each pass; the next pass waits for what it returns. */
  onPass?(result: PassResult, pass: number): void | Promise<void>;
  /** Pause between passes when the pass gave no requeue time. */
  defaultRequeueMs?: number;
}

export interface UntilSettledResult {
  last: PassResult;
  passes: number;
  timedOut: boolean;
}

export async function reconcileUntilSettled(
  options: ReconcilerOptions,
  stack: string,
  until: UntilSettledOptions,
): Promise<UntilSettledResult> {
  const start = options.now();
  for (let pass = 1; ; pass++) {
    const last = await reconcileStack(options, stack);
    await until.onPass?.(last, pass);
    const finished = last.outcome !== 'reconciled' && last.outcome !== 'skipped';
    if (finished || last.settled) return { last, passes: pass, timedOut: false };
    if (options.now() - start >= until.timeoutMs) return { last, passes: pass, timedOut: true };
    const pause = Math.max(1_000, last.requeueAfterMs ?? until.defaultRequeueMs ?? 15_000);
    await until.wait(Math.min(pause, Math.max(1_000, start + until.timeoutMs - options.now())));
  }
}
