/**
 * What a pass hands the decider: the spec, the record, what it observed and the kinds. Defined here,
 * below the pass (reconciler/reconcile.ts), so that the deciders need not import the pass that calls them.
 */
import type { DesiredState } from '../../spec/types';
import type { Observation } from '../engine/types';
import type { ManagedResource } from '../resources/types';
import type { StackRecord } from '../state/types';
import type { TierDecision } from './pinned';

export interface DecideInput {
  spec: DesiredState;
  record: StackRecord;
  observation: Observation;
  kinds: readonly ManagedResource[];
  now: number;
}

/** Chooses the tier for one pass (pinned modes answer at once, auto mode may fetch metrics). */
export type DecideHook = (input: DecideInput) => TierDecision | Promise<TierDecision>;
