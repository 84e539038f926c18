/**
 * Builds a stack's status from one pass (pure): phase, conditions, resources, the plan with each step's
 * outcome, and the pass's API calls. Phases follow docs/design.md: Lambda → ScalingUp → Fargate → ScalingDown →
 * Lambda, plus Deleting and Error.
 */
import type { Mode, Tier } from '../spec/types';
import type { CallCounts } from './aws/call-counter';
import type { BookkeepingPatch, StatusPatch } from './decide/pinned';
import type { TargetTier } from './engine/plan';
import type { ApplyResult, Plan, RetryState, StepOutcome } from './engine/types';
import type { TransitionView } from './engine/transition-view';
import type { ObservationSnapshot } from './engine/observation-snapshot';
import type { ManagedResource } from './resources/types';
import type { WrittenDnsName } from './resources/route53/written-dns-names';
import { shiftAfterApply } from './traffic/known-change';
import type { TrafficDecision } from './traffic/shift';
import type { ZoneIds } from './resources/ec2/availability-zones';
import type { FailedRollout } from './resources/ecs/service';
import type { Bookkeeping, ReconciledSpec, TerminalState } from './state/bookkeeping';
import type {
  Condition,
  OwnershipConflict,
  PendingCreate,
  Phase,
  ResourceRef,
  StackStatus,
} from './state/types';
import { httpApiResource } from './resources/apigateway/http-api';
import { ecsServiceResource } from './resources/ecs/service';
import { loadBalancerResource } from './resources/elbv2/load-balancer';
import { extraOf } from './resources/extra';
import { dnsLeftoversResource } from './resources/route53/dns-leftovers';
import { dnsRecordResource } from './resources/route53/dns-record';
import { CONFLICT_RECHECK_MS, heldByConflict, WAIT_REQUEUE_MS } from './engine/come-back';
import { missedButListedMessage, type MissedButListed } from './engine/missed-but-listed';

export interface PassSummary {
  generation: number;
  /** The mode of the spec at `generation`. */
  mode?: Mode;
  /** The spec's top-level fields as digests (pass/spec-fields.ts), kept for the next generation's event. */
  specFields?: Record<string, string>;
  /** The spec the pass acted on, for the bookkeeping (state/bookkeeping.ts `reconciledSpec`). */
  reconciledSpec?: ReconciledSpec;
  /**
   * The `SpecValid` condition when it is not "the spec is valid": a stack being deleted whose record holds
   * a spec it does not act on (pass/deletion-spec.ts), valid or not.
   */
  specValid?: { valid: boolean; reason: string; message: string };
  target: TargetTier;
  reason: string;
  /** The decision's reason once settled in `target` (TierDecision.settledReason), recorded when it is. */
  settledReason?: string;
  /** The decider's own fields for the status (TierDecision.statusPatch). */
  statusPatch?: StatusPatch;
  /** The decider's own fields for the bookkeeping (TierDecision.bookkeepingPatch). */
  bookkeepingPatch?: BookkeepingPatch;
  traffic: TrafficDecision;
  plan: Plan;
  result: ApplyResult;
  kinds: readonly ManagedResource[];
  retries: Record<string, RetryState>;
  calls: CallCounts;
  startedAt: number;
  durationMs: number;
  now: number;
  /** A terminal error of an earlier pass, still in force (the spec has not changed since). */
  stickyTerminal?: TerminalState;
  /** The Route 53 changes the pass was given as PENDING (`bookkeeping.pendingChanges` as read). */
  pendingChangesBefore?: Record<string, string>;
  /** The DNS names to remember (resources/route53/written-dns-names.ts); undefined leaves them out. */
  dnsNames?: WrittenDnsName[];
  /** The subnets' Availability Zone ids, recorded or chosen by this pass (resources/ec2/availability-zones.ts). */
  zones?: ZoneIds;
  /** A rollout ECS failed, still wanted by the spec (resources/ecs/failed-rollout.ts). */
  failedRollout?: FailedRollout;
  /** Creates journaled whose resources are not seen yet (engine/ownership.ts). */
  pendingCreates?: PendingCreate[];
  /**
   * Resources the stack forgot that the Tagging API still lists (engine/missed-but-listed.ts): however
   * little the plan has to do, the stack is not settled, and comes back soon to read them again.
   */
  stillListed?: { missed: MissedButListed[]; listed: boolean };
  /**
   * How the pass observed, and what the next pass may start from: the snapshot of a settled stack
   * (engine/observation-snapshot.ts), or the view of one between tiers (engine/transition-view.ts).
   */
  observed?: {
    by: 'inventory' | 'view' | 'full';
    why?: string;
    snapshot?: ObservationSnapshot;
    view?: TransitionView;
  };
}

/**
 * The traffic engine's phase, unless a terminal error stopped the stack, or the Fargate tier is not built
 * yet. A stack already in Fargate stays there while it rolls out a change (a new image), rather than
 * flapping back to ScalingUp.
 */
export function phaseOf(
  traffic: TrafficDecision,
  result: ApplyResult,
  previous?: Phase,
  sticky = false,
): Phase {
  const terminal = sticky || Object.values(result.outcomes).some((o) => o.status === 'terminal');
  if (terminal && traffic.phase !== 'Deleting') return 'Error';
  if (traffic.phase === 'Fargate' && !result.settled && previous !== 'Fargate') return 'ScalingUp';
  return traffic.phase;
}

/** Phases in which the stack stays until its desired state or traffic changes. */
export function isStable(phase: Phase): boolean {
  return phase === 'Lambda' || phase === 'Fargate';
}

/**
 * Route 53 changes still PENDING after the pass, so the next pass can ask about them. A kind whose look-up
 * failed this pass (its GetChange throttled, say) keeps the id the pass was given (`before`): nobody knows
 * its change INSYNC, and a drain may start only from the INSYNC of a change whose id was kept (safety rules
 * 2 and 6). Were it dropped, the next pass would find the old name's TXT alone, take its removal as in
 * sync while it may be PENDING, and start the drain before Route 53 had it.
 */
function pendingChanges(result: ApplyResult, before: Record<string, string> = {}): Record<string, string> {
  const pending: Record<string, string> = {};
  const { resources, unknown } = result.observation;
  const records = [dnsRecordResource('lambda'), dnsRecordResource('fargate')];
  for (const record of records) {
    const changeId = extraOf(resources, record)?.changeId;
    if (changeId !== undefined) pending[record.key] = changeId;
  }
  // The removal of records at names the spec no longer wants: one change per zone, kept as one entry.
  const leftovers = extraOf(resources, dnsLeftoversResource)?.changeIds;
  if (leftovers !== undefined && leftovers.length > 0)
    pending[dnsLeftoversResource.key] = leftovers.join(',');
  for (const key of [...records.map((record) => record.key), dnsLeftoversResource.key])
    if (pending[key] === undefined && before[key] !== undefined && key in unknown) pending[key] = before[key];
  return pending;
}

/** What blocked a step because it is not the stack's (a name taken, a DNS name another stack owns). */
function blockingConflicts(plan: Plan, result: ApplyResult): OwnershipConflict[] {
  return plan.steps.flatMap((step) => {
    const outcome = result.outcomes[step.id];
    if (outcome?.status !== 'conflict') return [];
    return [{ key: step.key, kind: step.type, reason: outcome.message }];
  });
}

/** Resources carrying the stack's tags that it cannot prove its own, as the status reports them. */
function ownershipConflicts(result: ApplyResult): OwnershipConflict[] {
  return Object.entries(result.observation.foreign ?? {}).flatMap(([key, found]) =>
    found.map((resource) => ({
      key,
      kind: resource.type,
      id: resource.id,
      ...(resource.arn ? { arn: resource.arn } : {}),
      reason:
        resource.conflict ??
        "carries this stack's tags, but the stack has no record of making it (copied tags are not ownership); left alone",
    })),
  );
}

/** Where the stack answers: the API's own URL, and the ALB's while it exists. */
function urls(result: ApplyResult): { lambda?: string; fargate?: string } {
  const api = extraOf(result.observation.resources, httpApiResource)?.apiEndpoint;
  const alb = extraOf(result.observation.resources, loadBalancerResource)?.dnsName;
  return {
    ...(api ? { lambda: api } : {}),
    ...(alb ? { fargate: `http://${alb}` } : {}),
  };
}

/** After a pass whose every step was done: soon, so that a fresh observation confirms the result. */
export const CHECK_AFTER_APPLY_MS = 5_000;

/**
 * When to come back: soon while waiting, at the earliest retry while backing off, soon after steps were
 * done (only a fresh observation can say the stack is settled), now and then while something not the
 * stack's is in the way, never when settled. A step blocked behind another waits for what that one waits
 * for: behind something not the stack's, it is held by the conflict, not by a wait. Held by both, or by a
 * conflict with a retry due, the stack comes back at the sooner.
 */
export function requeueAfter(
  result: ApplyResult,
  retries: Record<string, RetryState>,
  now: number,
): number | undefined {
  if (result.outOfTime) return 1_000;
  const entries = Object.entries(result.outcomes);
  const outcomes = entries.map(([, o]) => o);
  const statuses = outcomes.map((o) => o.status);
  const waits = entries.some(
    ([id, o]) => o.status === 'waiting' || (o.status === 'blocked' && !heldByConflict(id, result.outcomes)),
  );
  const retryAts = Object.values(retries).map((r) => r.retryAt);
  const retryDue = retryAts.length > 0 ? Math.max(1_000, Math.min(...retryAts) - now) : undefined;
  // Something not the stack's is in the way: look again now and then, in case its owner removes it.
  const conflictRecheck = statuses.includes('conflict')
    ? Math.min(CONFLICT_RECHECK_MS, retryDue ?? CONFLICT_RECHECK_MS)
    : undefined;
  if (waits) return Math.min(waitingRequeue(outcomes, retries, now), conflictRecheck ?? Infinity);
  if (conflictRecheck !== undefined) return conflictRecheck;
  if (retryDue !== undefined) return retryDue;
  if (statuses.length > 0 && result.settled) return CHECK_AFTER_APPLY_MS;
  return undefined;
}

/**
 * When the pass's stack comes back (requeueAfter), counted from the pass's start; a stack between tiers
 * comes back soon even when this pass had nothing to do (a step is held), and so does one whose forgotten
 * resources are still listed (engine/missed-but-listed.ts): a lagging read may show them any moment, and
 * they are deleted once it does.
 */
function comeBackAfter(pass: PassSummary, phase: Phase): number | undefined {
  const asked = requeueAfter(pass.result, pass.retries, pass.startedAt);
  if (pass.stillListed) return Math.min(asked ?? WAIT_REQUEUE_MS, WAIT_REQUEUE_MS);
  return asked ?? (isStable(phase) ? undefined : 10_000);
}

/**
 * A pass that waits comes back in WAIT_REQUEUE_MS; when every wait says when AWS usually has its resource
 * ready (an ALB provisioning), at the soonest of those times or of a step's retry: the passes between
 * would only ask AWS the same question (blocked steps wait behind those waits or retries).
 */
function waitingRequeue(
  outcomes: readonly StepOutcome[],
  retries: Record<string, RetryState>,
  now: number,
): number {
  const waits = outcomes.filter((o) => o.status === 'waiting');
  const untils = waits.map((o) => o.until);
  if (waits.length === 0 || untils.some((until) => until === undefined)) return WAIT_REQUEUE_MS;
  const soonest = Math.min(...(untils as number[]), ...Object.values(retries).map((r) => r.retryAt));
  return Math.max(WAIT_REQUEUE_MS, soonest - now);
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

/**
 * One message of several, joined by '; '. AWS's own reasons (Lambda's StateReason, ECS's rollout reason) are
 * sentences ending in a full stop, which would read ".;" before the separator.
 */
function clauses(parts: string[]): string {
  return parts.map((part) => part.replace(/\.$/, '')).join('; ');
}

function readyCondition(
  pass: PassSummary,
  waiting: [string, StepOutcome][],
  terminalNow: boolean,
  conflicts: string[],
  prior: Condition[],
): Condition {
  if (pass.stickyTerminal) {
    const message = `stopped until the spec changes: ${clauses(pass.stickyTerminal.messages)}`;
    return condition('Ready', false, 'TerminalError', message, prior, pass.now);
  }
  // Ready only when this pass's fresh observation planned nothing: steps just applied are checked by the
  // next pass, which may find more to do (a new task definition revision makes the service differ). Nor
  // while resources the stack forgot are still listed: they may be in the account, unseen.
  const listed = pass.stillListed;
  const settled = pass.result.settled && pass.plan.steps.length === 0 && !listed;
  const applied = pass.plan.steps.length;
  const waits = waiting.map(([id, o]) => `${id}: ${'reason' in o ? o.reason : ''}`).slice(0, 5);
  const missed = listed ? [missedButListedMessage(listed.missed, listed.listed)] : [];
  const progress =
    clauses([...waits, ...conflicts, ...missed]) ||
    (pass.result.settled
      ? `${applied} step${applied === 1 ? '' : 's'} done; the next pass checks the result`
      : 'applying changes');
  const reason = settled
    ? 'Settled'
    : terminalNow
      ? 'TerminalError'
      : conflicts.length > 0
        ? 'Conflict'
        : 'Progressing';
  return condition(
    'Ready',
    settled,
    reason,
    settled ? `in the ${pass.target} tier as wanted` : progress,
    prior,
    pass.now,
  );
}

/** What the pass leaves for the next one (state/bookkeeping.ts), beside the status it writes. */
export function buildBookkeeping(pass: PassSummary): Bookkeeping {
  const terminal = Object.values(pass.result.outcomes).filter((o) => o.status === 'terminal');
  const snapshot = pass.observed?.snapshot;
  const view = pass.observed?.view;
  return {
    shift: shiftAfterApply(pass.traffic, pass.plan, pass.result),
    pendingChanges: pendingChanges(pass.result, pass.pendingChangesBefore),
    retries: pass.retries,
    ...(terminal.length > 0
      ? {
          terminal: {
            generation: pass.generation,
            messages: terminal.map((o) => ('message' in o ? o.message : '')),
          },
        }
      : pass.stickyTerminal
        ? { terminal: pass.stickyTerminal }
        : {}),
    // Left out when there is none, so that the previous pass's snapshot is dropped.
    ...(snapshot ? { observationSnapshot: snapshot } : {}),
    ...(view ? { transitionView: view } : {}),
    ...(pass.dnsNames ? { dnsNames: pass.dnsNames } : {}),
    ...(pass.zones && Object.keys(pass.zones).length > 0 ? { zones: pass.zones } : {}),
    ...(pass.failedRollout ? { failedRollout: pass.failedRollout } : {}),
    ...(pass.specFields ? { specFields: pass.specFields } : {}),
    ...(pass.reconciledSpec ? { reconciledSpec: pass.reconciledSpec } : {}),
    ...(pass.bookkeepingPatch ?? {}),
  };
}

export function buildStatus(pass: PassSummary, previous: StackStatus | undefined): StackStatus {
  const { result, plan } = pass;
  const phase = phaseOf(pass.traffic, result, previous?.phase, pass.stickyTerminal !== undefined);
  const terminal = Object.values(result.outcomes).filter((o) => o.status === 'terminal');
  const retryable = Object.values(result.outcomes).filter((o) => o.status === 'retryable');
  const waiting = Object.entries(result.outcomes).filter(
    ([, o]) => o.status === 'waiting' || o.status === 'blocked' || o.status === 'backoff',
  );
  const prior = previous?.conditions ?? [];
  // Each thing in the way once, even when two records (lambda and fargate) find the same foreign name.
  const conflicts = [
    ...new Set(Object.values(result.outcomes).flatMap((o) => (o.status === 'conflict' ? [o.message] : []))),
  ];
  const conditions: Condition[] = [
    pass.specValid
      ? condition(
          'SpecValid',
          pass.specValid.valid,
          pass.specValid.reason,
          pass.specValid.message,
          prior,
          pass.now,
        )
      : condition('SpecValid', true, 'Valid', 'the spec is valid', prior, pass.now),
    condition(
      'TrafficOnFargate',
      pass.traffic.observed.fargate > 0,
      pass.traffic.rollback
        ? 'RolledBack'
        : pass.traffic.unhealthy
          ? 'FargateUnhealthy'
          : pass.traffic.observed.fargate > 0
            ? 'Shifted'
            : 'OnLambda',
      pass.traffic.reason,
      prior,
      pass.now,
    ),
    readyCondition(pass, waiting, terminal.length > 0, conflicts, prior),
  ];
  const rolloutFailed = result.observation.resources[ecsServiceResource.key]?.failed;
  if (rolloutFailed) {
    // ECS's circuit breaker failed the rollout the spec wants (resources/ecs/failed-rollout.ts).
    conditions.push(condition('RolloutFailed', true, 'CircuitBreaker', rolloutFailed, prior, pass.now));
  }
  // Resources with copied tags beside the stack's own: in nobody's way, but reported all the same.
  const foreign = ownershipConflicts(result);
  const inTheWay = [...conflicts, ...foreign.map((c) => `${c.kind} ${c.id} (${c.key}): ${c.reason}`)];
  if (inTheWay.length > 0) {
    // Safety rules 3 and 7: what is not the stack's is left alone, and the user is told what is in the way.
    const reason = conflicts.length > 0 ? 'NotOwned' : 'ForeignResource';
    conditions.push(condition('Conflict', true, reason, clauses(inTheWay), prior, pass.now));
  }
  if (terminal.length > 0 || retryable.length > 0 || pass.stickyTerminal) {
    const messages = [
      ...(pass.stickyTerminal?.messages ?? []),
      ...[...terminal, ...retryable].map((o) => ('message' in o ? o.message : '')),
    ];
    conditions.push(
      condition(
        'Errors',
        false,
        terminal.length > 0 || pass.stickyTerminal ? 'Terminal' : 'Retrying',
        clauses(messages),
        prior,
        pass.now,
      ),
    );
  }

  const conflictList = [...blockingConflicts(plan, result), ...foreign];
  const resources: Record<string, ResourceRef> = {};
  // The kinds' resources only.
  const kindKeys = new Set(pass.kinds.map((k) => k.key));
  for (const [key, observed] of Object.entries(result.observation.resources)) {
    if (!observed || (kindKeys.size > 0 && !kindKeys.has(key))) continue;
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
  // The decision came before the pass changed anything: a pass that ends a move records the reason for
  // the phase it reached ("staying on Fargate"), not where the move stood before it ("moving to Fargate (…)").
  const inDecidedTier = (phase === 'Fargate' || phase === 'Lambda') && tier === pass.target;
  const decided = inDecidedTier && pass.settledReason !== undefined ? pass.settledReason : pass.reason;
  return {
    ...(previous ?? {}),
    ...(pass.statusPatch ?? {}),
    lastDecision: {
      tier: pass.target === 'fargate' ? 'fargate' : 'lambda',
      reason: decided,
      at: pass.now,
    },
    observedGeneration: pass.generation,
    ...(pass.mode ? { mode: pass.mode } : {}),
    phase,
    ...(tier ? { tier } : {}),
    since: phaseChanged ? pass.now : (previous?.since ?? pass.now),
    reason: `${decided}; ${pass.traffic.reason}`,
    traffic: pass.traffic.observed,
    weightless: pass.traffic.weightless,
    trafficAwaiting: pass.traffic.awaiting,
    urls: urls(result),
    conflicts: conflictList.length > 0 ? conflictList : undefined,
    pendingCreates: pass.pendingCreates?.length ? pass.pendingCreates : undefined,
    ...(pass.traffic.rollback ? { lastRollback: { at: pass.now, reason: pass.traffic.rollback } } : {}),
    fargateUnhealthy: pass.traffic.unhealthy
      ? { since: pass.traffic.unhealthy.since, reason: pass.traffic.unhealthy.why }
      : undefined,
    conditions,
    resources,
    lastPlan: {
      at: plan.at,
      targetTier: plan.targetTier,
      // The kind too: a resource not found yet is listed by its step alone (cli/stack-view.ts).
      steps: plan.steps.map((s) => ({
        id: s.id,
        type: s.type,
        reason: s.reason,
        outcome: result.outcomes[s.id],
      })),
    },
    lastPass: {
      at: pass.startedAt,
      durationMs: pass.durationMs,
      apiCalls: { total: pass.calls.total, mutating: pass.calls.mutating },
      ...(pass.observed
        ? {
            observedBy: pass.observed.by,
            ...(pass.observed.why ? { fullObservationBecause: pass.observed.why } : {}),
          }
        : {}),
      // Counted from `at`, as the dispatcher counts it (dispatch/due.ts): a retry or an ALB's usual ready
      // time is then when the next pass comes, not a pass's duration earlier.
      requeueAfterMs: comeBackAfter(pass, phase),
    },
  };
}
