/**
 * The pass's decide stage: the tier (the pinned decision, or the decider's hook), then where traffic goes
 * and what the plan may touch (the traffic engine, traffic/shift.ts). After a terminal error only the
 * traffic is watched (`holdOrRollBack`).
 */
import type { DesiredState } from '../../spec/types';
import type { AwsTimeBounds } from '../aws/aws-time';
import type { DecideHook } from '../decide/decide-input';
import { pinnedTier, type TierDecision } from '../decide/pinned';
import type { Observation } from '../engine/types';
import type { ManagedResource } from '../resources/types';
import type { StackRecord } from '../state/types';
import { decideTraffic, fargateHealth, type ShiftState, type TrafficDecision } from '../traffic/shift';

export interface DecideStageInput {
  spec: DesiredState;
  record: StackRecord;
  observation: Observation;
  kinds: readonly ManagedResource[];
  now: number;
  /** AWS's current time as the pass's answers bound it: the drain of safety rule 2 is measured on it. */
  awsTime?: AwsTimeBounds;
  /** The decider (auto mode); absent, or when the stack is to be deleted, the pinned decision. */
  decide?: DecideHook;
  /** A terminal error stopped changes: only the existing records are planned, traffic held or rolled back. */
  dnsOnly: boolean;
}

export async function decidePass(
  input: DecideStageInput,
): Promise<{ decision: TierDecision; traffic: TrafficDecision }> {
  const { spec, record, observation, kinds, now } = input;
  const deletionRequested = record.deletionRequestedAt !== undefined;
  const decision =
    deletionRequested || !input.decide
      ? pinnedTier(spec, {
          deletionRequested,
          observation,
          kinds,
          lastTier: record.status?.lastDecision?.tier,
        })
      : await input.decide({ spec, record, observation, kinds, now });
  const previous = record.bookkeeping.shift;
  const decided = decideTraffic({
    spec,
    target: decision.tier,
    observation,
    kinds,
    previous,
    now,
    ...(input.awsTime ? { awsTime: input.awsTime } : {}),
    ...(decision.requestRate === undefined ? {} : { requestRate: decision.requestRate }),
  });
  const traffic = input.dnsOnly ? holdOrRollBack(spec, observation, decided, previous) : decided;
  return { decision, traffic };
}

/**
 * After a terminal error nothing is retried, but traffic is still watched: weights stay as Route 53 holds
 * them while the Fargate targets are healthy, and go back to Lambda at once when they are not.
 */
export function holdOrRollBack(
  spec: DesiredState,
  observation: Observation,
  decided: TrafficDecision,
  previous: ShiftState | undefined,
): TrafficDecision {
  const health = fargateHealth(spec, observation);
  const onFargate = decided.observed.fargate > 0;
  const rollBack = onFargate && !health.healthy;
  // The weights written here are Route 53's own or a rollback's, not the engine's rewrite of Fargate 0:
  // whatever they are, no change of this pass may vouch for a drain (traffic/known-change.ts).
  const { rewriteWeights: _noDrainHere, ...held } = decided;
  return {
    ...held,
    planTier: 'fargate',
    planResources: 'existing-records',
    weights: rollBack ? { lambda: 100, fargate: 0 } : decided.observed,
    shift: rollBack ? { fargateWeight: 0 } : (previous ?? { fargateWeight: decided.observed.fargate }),
    reason: rollBack
      ? `rolled back to Lambda: ${health.why} (changes stopped by a terminal error)`
      : decided.unhealthy
        ? `${decided.reason} (changes stopped by a terminal error)`
        : `traffic held at Fargate ${decided.observed.fargate} % (changes stopped by a terminal error)`,
    ...(rollBack ? { rollback: health.why } : { rollback: undefined }),
  };
}
