/**
 * The tier a stack should be in when no metrics are consulted: modes `lambda` and `fargate` pin it; a
 * delete request wants nothing; mode `auto` keeps whatever tier exists until the metric-driven decision
 * (reconciler/decide/auto.ts) says otherwise.
 */
import type { DesiredState, Tier } from '../../spec/types';
import type { TargetTier } from '../engine/plan';
import type { Observation } from '../engine/types';
import { couldNotObserve } from '../resources/named-unobserved';
import type { ManagedResource } from '../resources/types';
import type { Bookkeeping } from '../state/bookkeeping';
import type { StackStatus } from '../state/types';

export interface TierDecision {
  tier: TargetTier;
  reason: string;
  /**
   * The reason as it reads once the stack is settled in `tier` (the decider's "staying on <Tier>"), when
   * `reason` says where a move to it stands: recorded instead by the pass that reaches the settled phase.
   */
  settledReason?: string;
  /**
   * Fields the decider keeps in the stack's status between passes (e.g. auto mode's history), merged into
   * the status by the pass; a Lambda remembers nothing else.
   */
  statusPatch?: StatusPatch;
  /** Fields the decider keeps in the stack's private bookkeeping between passes (auto mode's ledger). */
  bookkeepingPatch?: BookkeepingPatch;
  /**
   * The stack's request rate (requests per second, both tiers) when the decider measured it: the traffic
   * engine holds a shift step until the healthy Fargate targets can carry it.
   */
  requestRate?: number;
  /**
   * Tasks to run ahead of a rising rate (auto mode, capacity-ahead.ts): the plan sets them as the scalable
   * target's MinCapacity while the Fargate tier is wanted; unset, the spec's `minTasks` (and target
   * tracking) decide.
   */
  fargateMinTasks?: number;
}

/** The status fields a decider may keep between passes. */
export type StatusPatch = Pick<StackStatus, 'autoScaling'>;

/** The bookkeeping fields a decider may keep between passes. */
export type BookkeepingPatch = Pick<Bookkeeping, 'autoLedger'>;

export function pinnedTier(
  spec: DesiredState,
  options: {
    deletionRequested: boolean;
    observation: Observation;
    kinds: readonly ManagedResource[];
    /** The tier the last pass decided (status.lastDecision), kept while the tier can't be seen. */
    lastTier?: Tier;
  },
): TierDecision {
  if (options.deletionRequested) return { tier: 'none', reason: 'delete requested' };
  if (spec.mode === 'fargate') return { tier: 'fargate', reason: 'mode fargate pins the Fargate tier' };
  if (spec.mode === 'lambda') return { tier: 'lambda', reason: 'mode lambda pins the Lambda tier' };
  const fargate = options.kinds.filter((k) => k.tier === 'fargate');
  const fargateExists = fargate.some((k) => options.observation.resources[k.key]);
  const unseen = fargate.filter((k) => k.key in options.observation.unknown).map((k) => k.key);
  if (!fargateExists && unseen.length > 0) {
    // Unknown is not absent: a throttled look-up of the Fargate tier is no reason to leave it (or build it).
    const tier = options.lastTier ?? 'lambda';
    return {
      tier,
      reason: `mode auto: ${couldNotObserve(unseen, spec, options.kinds)}; staying on ${tier === 'fargate' ? 'Fargate' : 'Lambda'}, as last decided`,
    };
  }
  return fargateExists
    ? { tier: 'fargate', reason: 'mode auto: staying on Fargate, where the stack is' }
    : { tier: 'lambda', reason: 'mode auto: staying on Lambda, where the stack is' };
}
