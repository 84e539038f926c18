/**
 * Builds a stack's status from one pass (pure): phase, conditions, resources, the plan with each step's
 * outcome, and the pass's API calls. Phases follow DESIGN.md: Lambda → ScalingUp → Fargate → ScalingDown →
 * Lambda, plus Deleting and Error.
 */
import type { Tier } from '../spec/types';
import type { CallCounts } from './aws/call-counter';
import type { TargetTier } from './engine/plan';
import type { ApplyResult, Plan, RetryState } from './engine/types';
import type { ResourceKind } from './resources/types';
import type { Condition, Phase, ResourceRef, StackStatus } from './state/types';

export interface PassSummary {
  generation: number;
  target: TargetTier;
  reason: string;
  /** The decider's own fields for the status (TierDecision.statusPatch). */
  statusPatch?: Record<string, unknown>;
  plan: Plan;
  result: ApplyResult;
  kinds: readonly ResourceKind[];
  retries: Record<string, RetryState>;
  calls: CallCounts;
  startedAt: number;
  durationMs: number;
  now: number;
}

export function phaseOf(target: TargetTier, result: ApplyResult, kinds: readonly ResourceKind[]): Phase {
  if (target === 'none') return 'Deleting';
  if (Object.values(result.outcomes).some((o) => o.status === 'terminal')) return 'Error';
  if (target === 'fargate') return result.settled ? 'Fargate' : 'ScalingUp';
  const fargateLeft = kinds.some((k) => k.tier === 'fargate' && result.observation.resources[k.key]);
  return fargateLeft ? 'ScalingDown' : 'Lambda';
}

/** When to come back: soon while waiting, at the earliest retry while backing off, never when settled. */
export function requeueAfter(
  result: ApplyResult,
  retries: Record<string, RetryState>,
  now: number,
): number | undefined {
  if (result.outOfTime) return 1_000;
  const statuses = Object.values(result.outcomes).map((o) => o.status);
  if (statuses.includes('waiting') || statuses.includes('blocked')) return 15_000;
  const retryAts = Object.values(retries).map((r) => r.retryAt);
  if (retryAts.length > 0) return Math.max(1_000, Math.min(...retryAts) - now);
  return undefined;
}

function condition(
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  previous: Condition[],
  now: number,
): Condition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  // The transition time moves only when the status flips, as in Kubernetes.
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

export function buildStatus(pass: PassSummary, previous: StackStatus | undefined): StackStatus {
  const { result, plan } = pass;
  const phase = phaseOf(pass.target, result, pass.kinds);
  const terminal = Object.values(result.outcomes).filter((o) => o.status === 'terminal');
  const retryable = Object.values(result.outcomes).filter((o) => o.status === 'retryable');
  const waiting = Object.entries(result.outcomes).filter(
    ([, o]) => o.status === 'waiting' || o.status === 'blocked' || o.status === 'backoff',
  );
  const prior = previous?.conditions ?? [];
  const conditions: Condition[] = [
    condition('SpecValid', true, 'Valid', 'the spec is valid', prior, pass.now),
    condition(
      'Ready',
      result.settled,
      result.settled ? 'Settled' : terminal.length > 0 ? 'TerminalError' : 'Progressing',
      result.settled
        ? `in the ${pass.target} tier as wanted`
        : waiting
            .map(([id, o]) => `${id}: ${'reason' in o ? o.reason : ''}`)
            .slice(0, 5)
            .join('; ') || 'applying changes',
      prior,
      pass.now,
    ),
  ];
  if (terminal.length > 0 || retryable.length > 0) {
    const messages = [...terminal, ...retryable].map((o) => ('message' in o ? o.message : ''));
    conditions.push(
      condition(
        'Errors',
        false,
        terminal.length > 0 ? 'Terminal' : 'Retrying',
        messages.join('; '),
        prior,
        pass.now,
      ),
    );
  }

  const resources: Record<string, ResourceRef> = {};
  for (const [key, observed] of Object.entries(result.observation.resources)) {
    if (!observed) continue;
    resources[key] = {
      kind: observed.type,
      id: observed.id,
      ...(observed.arn ? { arn: observed.arn } : {}),
      ...(observed.state ? { state: observed.state } : {}),
    };
  }

  const tier: Tier | undefined =
    phase === 'Fargate' ? 'fargate' : phase === 'Lambda' ? 'lambda' : previous?.tier;
  const phaseChanged = previous?.phase !== phase;
  return {
    ...(previous ?? {}),
    ...(pass.statusPatch ?? {}),
    lastDecision: {
      tier: pass.target === 'fargate' ? 'fargate' : 'lambda',
      reason: pass.reason,
      at: pass.now,
    },
    observedGeneration: pass.generation,
    phase,
    ...(tier ? { tier } : {}),
    since: phaseChanged ? pass.now : ((previous?.since as number | undefined) ?? pass.now),
    reason: pass.reason,
    conditions,
    resources,
    lastPlan: {
      at: plan.at,
      targetTier: plan.targetTier,
      steps: plan.steps.map((s) => ({ id: s.id, reason: s.reason, outcome: result.outcomes[s.id] })),
    },
    retries: pass.retries,
    terminal:
      terminal.length > 0
        ? { generation: pass.generation, messages: terminal.map((o) => ('message' in o ? o.message : '')) }
        : undefined,
    lastPass: {
      at: pass.startedAt,
      durationMs: pass.durationMs,
      apiCalls: { total: pass.calls.total, mutating: pass.calls.mutating },
      requeueAfterMs: requeueAfter(result, pass.retries, pass.now),
    },
  };
}
