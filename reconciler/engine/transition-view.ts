/**
 * What a pass between tiers leaves for the next one: what it saw of the resources it did not touch, so
 * that the next pass asks AWS again only about what it waits for, what it is about to act on, and what
 * moves on its own. A switch is some twenty passes, most of them waiting on one resource (an ALB
 * provisioning, an ECS service rolling out); finding every resource of the stack at each of them is what
 * spent the account's API budgets when a fleet switched tiers at once (docs/scaling.md).
 *
 * The rules that keep it safe (docs/design.md, safety rules 3 and 6):
 *
 * - only what the pass did not touch is kept: a resource a step created, changed, deleted or waited for is
 *   read again; so is one that is not ready, not proven the stack's, has duplicates, or was not observed;
 * - a key is taken from the view only while every dependency it was found through is still the resource
 *   it was then, the ownership records still say the same (no create journaled since, the same id
 *   recorded), it is not one whose state moves on its own ('live': task counts, target health, records),
 *   and it was read recently (`viewMaxAge`): a resource deleted behind the stack's back is seen within
 *   that time. A live kind seen absent is kept like any other: what moves on its own is the state of one
 *   that exists, and one appears only by a create, the stack's journaled (read again) or someone else's,
 *   which the create's own look-up finds before creating (an ECS service not made yet was asked for at
 *   every pass of a switch);
 * - a plan made on a view is trusted only to wait: every key a step may act on in the pass, and every key
 *   that step reads, is read again first (`keysToRefresh`); a step that a wait ending within the pass
 *   unblocked has what it reads found again by apply, which refuses it if that is no longer what the plan
 *   saw (engine/apply.ts); a plan with nothing left to do is made again from a full observation, since
 *   only a fresh observation may call the stack settled;
 * - a pass that is about to act drops the view from the record first (pass/persist.ts): one that dies
 *   midway leaves the next pass a full observation, not a view from before its steps.
 *
 * Pure.
 */
import type { StackRecord } from '../state/types';
import type { ObservedResource, ManagedResource, StackSpec } from '../resources/types';
import type { ResourceGraph } from './graph';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from './observation-snapshot';
import type { Observation, Plan, PlanStep, RetryState, StepOutcome } from './types';

/** What a pass saw of one key, kept for the next. */
export interface ViewEntry {
  /** When AWS was asked (epoch ms, AWS's clock). */
  readAt: number;
  /** What it answered; absent: nothing was there. */
  resource?: ObservedResource;
  /** The id of each dependency it was found through, then (a dependency that did not exist: left out). */
  deps: Record<string, string>;
}

export interface TransitionView {
  /** The spec generation it was made for: an edit gets a full observation. */
  generation: number;
  entries: Record<string, ViewEntry>;
}

/**
 * How long a resource seen between tiers is trusted without asking AWS again: a resource deleted or
 * changed behind the stack's back while it moves is seen within this time (at once when a step of the
 * pass depends on it, and before the stack is called settled). One the Tagging API lists, five minutes;
 * one it can't see (an IAM role, a route, a permission), as long as a settled stack trusts its snapshot of
 * it (DEFAULT_FULL_OBSERVE_EVERY_MS). A switch's passes come every 15 seconds; without a view, one that
 * waits three minutes on an ALB finds every resource of the stack a dozen times.
 */
export const TRANSITION_VIEW_MAX_AGE_MS = 5 * 60_000;

/** How long the view's entry of a kind is trusted (TRANSITION_VIEW_MAX_AGE_MS). */
function viewMaxAge(kind: Pick<ManagedResource<StackSpec>, 'steadyCheck'>): number {
  return kind.steadyCheck === 'untagged' ? DEFAULT_FULL_OBSERVE_EVERY_MS : TRANSITION_VIEW_MAX_AGE_MS;
}

/** The stack's view, when this pass may start from it; why not otherwise. */
export function usableView(
  record: StackRecord,
): { usable: true; view: TransitionView } | { usable: false; why: string } {
  const view = record.bookkeeping.transitionView;
  if (!view) return { usable: false, why: 'no view of an earlier pass' };
  if (record.deletionRequestedAt !== undefined) return { usable: false, why: 'deletion requested' };
  if (view.generation !== record.generation) return { usable: false, why: 'the spec changed' };
  if (record.bookkeeping.terminal) return { usable: false, why: 'a terminal error stopped the stack' };
  return { usable: true, view };
}

/**
 * The pass that first sees an edit of a settled stack: what its snapshot (engine/observation-snapshot.ts)
 * holds of the kinds the Tagging API can't see ('untagged': the roles, the HTTP API's route and
 * integration, the Lambda permission, the scaling policy), as a view read when the snapshot was made, or
 * undefined when there is none to use. The rules of any view hold (`reusableEntry`): taken only while
 * read less than 15 minutes ago, as a settled stack trusts its snapshot of them, with the same
 * dependencies and ownership records as then; never acted on (every key a step acts on or reads is found
 * again first), and a plan with nothing left to do is made again from a full observation. A pass about
 * to act drops the snapshot from the record first (pass/persist.ts), so one that dies midway leaves none.
 * What the Tagging API lists, and what moves on its own, is found as in any full observation. (Each of a
 * fleet's edited passes read its three roles, the two of before the regional names and the attached
 * policies: IAM's budget, the smallest, was what a fleet switching at once waited on first.)
 */
export function editedSnapshotView(
  record: StackRecord,
  kinds: readonly Pick<ManagedResource<StackSpec>, 'key' | 'dependsOn' | 'steadyCheck'>[],
  now: number,
): TransitionView | undefined {
  const { status, bookkeeping } = record;
  const snapshot = bookkeeping.observationSnapshot;
  if (!status || !snapshot || snapshot.generation === record.generation) return undefined;
  const age = now - snapshot.at;
  if (!(age >= 0 && age < DEFAULT_FULL_OBSERVE_EVERY_MS)) return undefined;
  if (record.deletionRequestedAt !== undefined || bookkeeping.transitionView) return undefined;
  const pending = Object.keys(bookkeeping.pendingChanges).length > 0;
  const retrying = Object.keys(bookkeeping.retries).length > 0;
  if (pending || retrying || bookkeeping.terminal) return undefined;
  const entries: Record<string, ViewEntry> = {};
  for (const kind of kinds) {
    if (kind.steadyCheck !== 'untagged') continue;
    const resource = snapshot.resources[kind.key];
    // As a pass between tiers keeps it: only what was seen ready, the stack's, without duplicates.
    if (!keepable(resource)) continue;
    entries[kind.key] = {
      readAt: snapshot.at,
      ...(resource ? { resource } : {}),
      deps: dependencyIds(kind, snapshot.resources),
    };
  }
  return JSON.parse(JSON.stringify({ generation: record.generation, entries })) as TransitionView;
}

/** What the ownership records say of a key (engine/ownership.ts), as far as reuse needs it. */
export interface OwnershipRecords {
  /** A create was journaled and its resource not seen yet. */
  awaits(key: string): boolean;
  recorded(key: string): { id: string } | undefined;
  /** A stack from before ownership was recorded, adopting its tagged resources in a full observation. */
  readonly adopting?: boolean;
}

/**
 * The view's entry for `kind` when it may stand for asking AWS, given the resources this observation
 * holds so far (its dependencies come first); undefined when the kind must be found again.
 */
export function reusableEntry(
  view: TransitionView,
  kind: Pick<ManagedResource<StackSpec>, 'key' | 'dependsOn' | 'steadyCheck' | 'creates'>,
  refs: Readonly<Record<string, ObservedResource | undefined>>,
  ownership: OwnershipRecords,
  now: number,
  maxAgeMs: number = viewMaxAge(kind),
  /** The view holds this pass's own reads (`thisPassReads`): what moves on its own was read seconds ago. */
  ownReads = false,
): ViewEntry | undefined {
  const entry = view.entries[kind.key];
  if (!entry) return undefined;
  if (!ownReads && (kind.steadyCheck ?? 'live') === 'live' && entry.resource !== undefined) return undefined;
  const age = now - entry.readAt;
  if (!(age >= 0 && age < maxAgeMs)) return undefined;
  if (ownership.adopting || ownership.awaits(kind.key)) return undefined;
  if (kind.creates) {
    // The records moved since (a create answered, a resource proven or forgotten): ask AWS.
    if (ownership.recorded(kind.key)?.id !== entry.resource?.id) return undefined;
  }
  for (const dep of kind.dependsOn) {
    if ((refs[dep]?.id ?? '') !== (entry.deps[dep] ?? '')) return undefined;
  }
  return entry;
}

/**
 * How long what a pass read itself stands, in that pass's confirming full observation, for asking AWS the
 * same question again: about as long as a full observation takes when a fleet switching at once holds
 * each worker to its part of the budget (tens of seconds).
 */
export const THIS_PASS_READ_MAX_AGE_MS = 60_000;

/**
 * What a pass observing from the view asked AWS itself (`notAsked`: the keys it took from the view or
 * found by id alone, their tags the view's), as a view its confirming full observation may take from
 * instead of asking the same again seconds later (`reusableEntry` with `ownReads`: with the same
 * dependencies and ownership records, within THIS_PASS_READ_MAX_AGE_MS; what moves on its own included,
 * since it was read by this pass). Only what was read cleanly: ready, the stack's, without duplicates or
 * foreign copies, not unknown. (The pass that ends a switch read the ALB, its listeners, the target
 * health and the ECS service, found nothing left to do, and read them all again: a third of the ELBv2
 * describes of the switch's last pass.)
 */
export function thisPassReads(
  observation: Observation,
  kinds: readonly Pick<ManagedResource<StackSpec>, 'key' | 'dependsOn'>[],
  notAsked: ReadonlySet<string>,
  readAt: number,
  generation: number,
): TransitionView {
  const entries: Record<string, ViewEntry> = {};
  for (const kind of kinds) {
    const key = kind.key;
    if (notAsked.has(key) || key in observation.unknown || observation.unread?.[key]) continue;
    if ((observation.duplicates?.[key]?.length ?? 0) > 0 || (observation.foreign?.[key]?.length ?? 0) > 0)
      continue;
    const resource = observation.resources[key];
    if (!keepable(resource)) continue;
    entries[key] = {
      readAt,
      ...(resource ? { resource } : {}),
      deps: dependencyIds(kind, observation.resources),
    };
  }
  return JSON.parse(JSON.stringify({ generation, entries })) as TransitionView;
}

/** Step actions that change something in AWS. */
const ACTS: ReadonlySet<PlanStep['action']> = new Set(['create', 'update', 'delete']);

/**
 * The steps that may act in this pass: creates, updates and deletes that are not in backoff and are not
 * behind a wait, a conflict or a step in backoff (a wait is taken as still waiting: if it ends within
 * the pass, apply refuses what it unblocks on a view's keys, and the next pass does it).
 */
export function actingSteps(
  plan: Plan,
  retries: Readonly<Record<string, RetryState>>,
  now: number,
): PlanStep[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const memo = new Map<string, boolean>();
  const acts = (step: PlanStep): boolean => {
    const known = memo.get(step.id);
    if (known !== undefined) return known;
    memo.set(step.id, false);
    const backoff = (retries[step.id]?.retryAt ?? -Infinity) > now;
    const result =
      ACTS.has(step.action) &&
      !backoff &&
      step.dependsOn.every((id) => {
        const dep = byId.get(id);
        return dep !== undefined && acts(dep);
      });
    memo.set(step.id, result);
    return result;
  };
  return plan.steps.filter(acts);
}

/**
 * The keys a step reads besides AWS's answer to its own look-up: an update or delete acts on the
 * observed resource itself; every step reads its dependencies' ids. (A create looks its key up itself
 * right before creating, engine/apply.ts.)
 */
export function keysStepReads(
  step: Pick<PlanStep, 'action' | 'key'>,
  kind: Pick<ManagedResource<StackSpec>, 'dependsOn'>,
): string[] {
  return [...(step.action === 'create' ? [] : [step.key]), ...kind.dependsOn];
}

/** Of the keys taken from the view, those a step of this pass may act on or read: to find again first. */
export function keysToRefresh<S extends StackSpec>(
  plan: Plan,
  graph: ResourceGraph<ManagedResource<S>>,
  reused: ReadonlySet<string>,
  retries: Readonly<Record<string, RetryState>>,
  now: number,
): string[] {
  const keys = new Set<string>();
  const acting = actingSteps(plan, retries, now);
  // A key the pass creates (the view had none) is looked up by its create right before creating, and
  // the steps that read it come after and read the create's answer: finding it first too is a read more.
  const created = new Set(acting.filter((s) => s.action === 'create').map((s) => s.key));
  for (const step of acting) {
    const kind = graph.get(step.key);
    if (!kind) continue;
    for (const key of keysStepReads(step, kind)) if (reused.has(key) && !created.has(key)) keys.add(key);
  }
  return [...keys];
}

/**
 * The keys the acting steps of this pass act on themselves (an update's or delete's own key): whatever
 * else they read of a key, one of these is found in full, tags included, before the step acts.
 */
export function keysActedOn(
  plan: Plan,
  retries: Readonly<Record<string, RetryState>>,
  now: number,
): Set<string> {
  return new Set(actingSteps(plan, retries, now).flatMap((s) => (s.action === 'create' ? [] : [s.key])));
}

/**
 * The keys the acting steps of this pass only name (a dependency whose id or ARN they read: the target
 * group a listener forwards to, the ALB and target group a scaling policy names), and none acts on. A
 * kind that can (`findById`) finds one of these again by its id alone instead of its full finder: the
 * step needs it to be there still, as it was seen, and not its tags, which were proven when it was read
 * and are read again before anything acts on it (and once its view entry's age runs out).
 */
export function keysOnlyNamed<S extends StackSpec>(
  plan: Plan,
  graph: ResourceGraph<ManagedResource<S>>,
  retries: Readonly<Record<string, RetryState>>,
  now: number,
): Set<string> {
  const actedOn = keysActedOn(plan, retries, now);
  const named = new Set<string>();
  for (const step of actingSteps(plan, retries, now)) {
    for (const dep of graph.get(step.key)?.dependsOn ?? []) if (!actedOn.has(dep)) named.add(dep);
  }
  return named;
}

/**
 * Whether a resource found again by its id (`findById`) is the one the view saw, still fit to be named by
 * a step: the same id, and ready, the stack's and without duplicates as then. Anything else is found in
 * full, as before.
 */
export function stillTheOneSeen(
  seen: ObservedResource | undefined,
  found: ObservedResource | undefined,
): found is ObservedResource {
  return seen !== undefined && found !== undefined && found.id === seen.id && keepable(found);
}

/** What a pass leaves for the next view. */
export interface NextViewInput {
  /** After the pass's steps are settled and the stack at rest, there is no view: a snapshot instead. */
  keep: boolean;
  generation: number;
  previous?: TransitionView;
  /** Keys this pass took from the previous view (they keep their readAt and deps). */
  reused: ReadonlySet<string>;
  /** When this pass asked AWS about the rest. */
  observedAt: number;
  /** The observation the pass planned on (before its steps). */
  observed: Observation;
  /** The observation after its steps. */
  after: Observation;
  outcomes: Readonly<Record<string, StepOutcome>>;
  plan: Plan;
  kinds: readonly Pick<
    ManagedResource<StackSpec>,
    'key' | 'dependsOn' | 'steadyCheck' | 'createAnswersInFull' | 'creates'
  >[];
}

/**
 * The view the next pass may start from: every key this pass observed, or took from the view, and did
 * not touch (its step, if any, was blocked), that is not live, was observed cleanly (not unknown, no
 * duplicates, no foreign copies) and is ready and the stack's, and none of whose dependencies a step
 * created, changed or deleted (it was found through them).
 */
export function nextTransitionView(input: NextViewInput): TransitionView | undefined {
  if (!input.keep) return undefined;
  const ran = input.plan.steps.filter((s) => (input.outcomes[s.id]?.status ?? 'blocked') !== 'blocked');
  const touched = new Set(ran.map((s) => s.key));
  // A key whose only step was a create that answered with the resource in full: kept as answered.
  const createdInFull = new Set(
    ran
      .filter((s) => s.action === 'create' && input.outcomes[s.id]?.status === 'done')
      .map((s) => s.key)
      .filter((key) => ran.filter((s) => s.key === key).length === 1),
  );
  // What a step may have changed in place; a wait changes nothing, and a new id shows in `deps`.
  const changed = new Set(ran.filter((s) => ACTS.has(s.action)).map((s) => s.key));
  const { observed, after } = input;
  const entries: Record<string, ViewEntry> = {};
  for (const kind of input.kinds) {
    const key = kind.key;
    const live = (kind.steadyCheck ?? 'live') === 'live';
    if (kind.createAnswersInFull && !kind.creates && !live && createdInFull.has(key)) {
      const made = after.resources[key];
      if (
        made &&
        keepable(made) &&
        !kind.dependsOn.some((dep) => changed.has(dep)) &&
        !(key in after.unknown)
      ) {
        entries[key] = {
          readAt: input.observedAt,
          resource: made,
          deps: dependencyIds(kind, after.resources),
        };
      }
      continue;
    }
    if ((live && (observed.resources[key] || after.resources[key])) || touched.has(key)) continue;
    if (kind.dependsOn.some((dep) => changed.has(dep))) continue;
    if (key in observed.unknown || key in after.unknown) continue;
    if ((observed.duplicates?.[key]?.length ?? 0) > 0 || (observed.foreign?.[key]?.length ?? 0) > 0) continue;
    const resource = observed.resources[key];
    // Found again while applying (what a step read) and no longer what the plan was made on.
    if (JSON.stringify(after.resources[key] ?? null) !== JSON.stringify(resource ?? null)) continue;
    if (!keepable(resource)) continue;
    const earlier = input.reused.has(key) ? input.previous?.entries[key] : undefined;
    entries[key] = {
      readAt: earlier?.readAt ?? input.observedAt,
      ...(resource ? { resource } : {}),
      // Taken from the view only with the same dependencies: they are the ones it was found through.
      deps: dependencyIds(kind, observed.resources),
    };
  }
  // Plain JSON, as the state store keeps it.
  return JSON.parse(JSON.stringify({ generation: input.generation, entries })) as TransitionView;
}

/** Whether a view may keep what was seen of a key: nothing, or a resource ready, the stack's, without duplicates. */
function keepable(resource: ObservedResource | undefined): boolean {
  if (!resource) return true;
  return resource.ready && !resource.foreign && resource.failed === undefined && !resource.duplicates?.length;
}

/** The ids of `kind`'s dependencies among `resources`: what a view entry was found through. */
function dependencyIds(
  kind: { dependsOn: readonly string[] },
  resources: Observation['resources'],
): Record<string, string> {
  return Object.fromEntries(
    kind.dependsOn.flatMap((dep) => {
      const id = resources[dep]?.id;
      return id === undefined ? [] : [[dep, id]];
    }),
  );
}
