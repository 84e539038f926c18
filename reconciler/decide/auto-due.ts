/**
 * Whether a settled auto-mode stack needs a pass for what the decider wants beyond its tier: tasks ahead
 * of the rate that its scalable target does not have as its minimum yet (or a minimum to lower), or a
 * burst the decider learned that the stack's ledger does not hold yet (a pass stores it). The dispatcher's
 * sweep (dispatch/sweep.ts) asks this after the tier, on the stack's snapshot.
 *
 * Pure.
 */
import type { DesiredState } from '../../spec/types';
import type { ObservedResources } from '../resources/types';
import type { AutoLedger } from './ledger';
import type { TierDecision } from './pinned';
import { RESOURCE_KEYS } from '../resources/keys';

/** The reason a pass is due, or undefined. */
export function autoPassDue(input: {
  decision: TierDecision;
  spec: Pick<DesiredState, 'fargate'>;
  /** The stack's snapshot of its last full observation, by resource key. */
  resources: Readonly<ObservedResources>;
  /** The ledger the stack's bookkeeping holds. */
  ledger: AutoLedger | undefined;
}): string | undefined {
  const { decision, spec, resources } = input;
  const target = resources[RESOURCE_KEYS.scalableTarget];
  if (decision.tier === 'fargate' && target) {
    const wanted = Math.max(spec.fargate.minTasks, decision.fargateMinTasks ?? 0);
    const current = target.attributes.minCapacity;
    if (typeof current === 'number' && current !== wanted) {
      return `auto mode wants at least ${wanted} tasks (the scalable target's minimum is ${current}): ${decision.reason}`;
    }
  }
  const learned = decision.bookkeepingPatch?.autoLedger?.bursts ?? [];
  const held = input.ledger?.bursts ?? [];
  const newest = learned[learned.length - 1];
  if (newest && newest.start !== held[held.length - 1]?.start) {
    return `auto mode learned a burst of ${newest.minutes} min (from minute ${newest.start})`;
  }
  return undefined;
}
