/**
 * When a step's outcome wants the stack looked at again: the one place that says it, read by the pass's
 * requeue (reconciler/status.ts) and by a step that waits for another step's resource (engine/apply.ts).
 */
import type { RetryState, StepOutcome } from './types';

/** How often a pass that waits comes back, unless what it waits for is known to take longer. */
export const WAIT_REQUEUE_MS = 15_000;

/**
 * How often a stack kept from a resource or DNS name that is not its own looks again: its owner may remove
 * it, but nothing the stack does hastens that, so every 15 s would only spend the account's call budget.
 */
export const CONFLICT_RECHECK_MS = 60_000;

/**
 * The step that holds a step: itself, unless it is blocked, then the first of its chain of dependencies
 * that did not end blocked (apply.ts names it on the blocked outcome, `heldBy`).
 */
export function holdingStep(id: string, outcomes: Readonly<Record<string, StepOutcome>>): string {
  const outcome = outcomes[id];
  return outcome?.status === 'blocked' && outcome.heldBy !== undefined ? outcome.heldBy : id;
}

/** Whether a step is held by something not the stack's (itself in the way, or blocked behind it). */
export function heldByConflict(id: string, outcomes: Readonly<Record<string, StepOutcome>>): boolean {
  return outcomes[holdingStep(id, outcomes)]?.status === 'conflict';
}

/**
 * When the step that holds `id` comes back (epoch ms, on the `now` clock): a wait when what it waits for
 * is usually done, or in WAIT_REQUEUE_MS when it does not say; a step backing off at its retry; a step kept
 * by something not the stack's in CONFLICT_RECHECK_MS; anything else (no step holds it, a terminal error)
 * as a wait that says nothing.
 */
export function comeBackAt(
  id: string,
  outcomes: Readonly<Record<string, StepOutcome>>,
  retries: Readonly<Record<string, RetryState>>,
  now: number,
): number {
  const holder = holdingStep(id, outcomes);
  const outcome = outcomes[holder];
  switch (outcome?.status) {
    case 'waiting':
      return outcome.until ?? now + WAIT_REQUEUE_MS;
    case 'backoff':
      return outcome.retryAt;
    case 'retryable':
      return retries[holder]?.retryAt ?? now + WAIT_REQUEUE_MS;
    case 'conflict':
      return now + CONFLICT_RECHECK_MS;
    default:
      return now + WAIT_REQUEUE_MS;
  }
}
