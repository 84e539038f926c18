/**
 * Reading a kind's declared states (`ManagedResource.waiters`) in its finder: whether a state word means
 * ready or still on its way. (The plan reads `waiters.gone` itself.)
 */
import type { ObservedResource, StateWaiter, Waiters } from '../types';

/** Whether `state` is one of the kind's `ready.target` states, and if not, why not, in words. */
export function readyByState(
  waiters: Waiters,
  state: string | undefined,
  what: string,
): Pick<ObservedResource, 'ready' | 'notReadyReason'> {
  if (state !== undefined && waiters.ready?.target.includes(state)) return { ready: true };
  return { ready: false, notReadyReason: `${what} ${state ?? 'in no state'}` };
}

/**
 * Whether the last change is through, on a kind's `updated` field: one of its target words, or no word at
 * all (an answer from an API version without the field does not hold readiness back).
 */
export function updateApplied(waiter: StateWaiter, state: string | undefined): boolean {
  return state === undefined || waiter.target.includes(state);
}
