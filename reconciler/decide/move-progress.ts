/**
 * What a reason says when auto mode keeps asking for a tier the stack is not settled in yet: "staying on
 * Fargate" while the Fargate tier is still being built and Route 53 sends it nothing would tell a user
 * the traffic is on Fargate. The reason says instead where the move stands, from the phase and the
 * Route 53 weights the last pass observed. No percentages: the decision comes before this pass's traffic
 * step, whose own line (status `Why:`, the dashboard's "waiting for") gives the weights it sets.
 *
 * Every reason of a decision that keeps the tier says "staying on <Tier>" (auto.ts); `withMoveProgress`
 * rewrites those words, and only those, when the stack is not in that tier's settled phase. The pass that
 * ends the move decided before it did: it records the decider's own "staying on <Tier>" instead
 * (AutoDecision.settledReason, reconciler/status.ts), so that no view has to read this text again.
 */
import type { Tier } from '../../spec/types';
import type { Phase } from '../state/types';
import { tiersLeaving } from '../traffic/drain';
import { TIER_NAME } from './tier';

/** The phase a stack is in once everything of `tier` is done. */
const SETTLED: Record<Tier, Phase> = { lambda: 'Lambda', fargate: 'Fargate' };

/**
 * Route 53's weights as the last pass observed them, or `'unweighted'`: no `dns`, so no record to move
 * (`'unweighted-unhealthy'`: and the Fargate tier, which served, has unhealthy targets).
 */
export type MoveWeights = { lambda: number; fargate: number } | 'unweighted' | 'unweighted-unhealthy';

/**
 * Where a move to `tier` stands, or undefined when the stack is settled there (or being deleted, or in
 * error, where the phase says more than the tier).
 *
 * @example
 * moveProgress('fargate', 'ScalingUp', { lambda: 100, fargate: 0 });
 * // 'moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)'
 */
export function moveProgress(tier: Tier, phase: Phase, weights?: MoveWeights): string | undefined {
  if (phase === SETTLED[tier] || phase === 'Deleting' || phase === 'Error') return undefined;
  const name = TIER_NAME[tier];
  if (phase === 'Pending') return `starting on ${name} (the stack is being created)`;
  // Leaving a move half-way (scaling up, then the rate fell): the traffic goes back.
  const back =
    (tier === 'lambda' && phase === 'ScalingUp') || (tier === 'fargate' && phase === 'ScalingDown');
  if (back) return `moving back to ${name} (the move under way is turned back)`;
  // Without a record nothing is shifted or drained: the Fargate tier is built, or deleted (traffic/shift.ts).
  if (weights === 'unweighted-unhealthy' && tier === 'fargate')
    return 'moving to Fargate (the tier is unhealthy: waiting for its targets to be healthy again)';
  if (weights === 'unweighted' || weights === 'unweighted-unhealthy')
    return tier === 'fargate'
      ? 'moving to Fargate (the tier is being built)'
      : `moving to Lambda (deleting ${tiersLeaving('lambda')})`;
  const share = weights ? weights[tier] : undefined;
  if (tier === 'fargate') {
    if (share === undefined || share === 0)
      return 'moving to Fargate (the tier is being built; Route 53 sends it no traffic yet)';
    if (share < 100) return 'moving to Fargate (shifting traffic to it in steps)';
    return 'moving to Fargate (all traffic shifted to it)';
  }
  if (share === undefined || share < 100) return 'moving to Lambda (shifting traffic back to it)';
  return `moving to Lambda (traffic back on it; draining, then deleting ${tiersLeaving('lambda')})`;
}

/**
 * `reason` with its "staying on <Tier>" replaced by where the move to `tier` stands, when the stack is
 * not settled there; else `reason` as it is.
 */
export function withMoveProgress(reason: string, tier: Tier, phase: Phase, weights?: MoveWeights): string {
  const progress = moveProgress(tier, phase, weights);
  const staying = `staying on ${TIER_NAME[tier]}`;
  const at = reason.lastIndexOf(staying);
  if (progress === undefined || at < 0) return reason;
  return reason.slice(0, at) + progress + reason.slice(at + staying.length);
}
