/**
 * planWanted({ spec, kinds, wanted, observation, now }) → Plan: pure and deterministic (docs/design.md,
 * code rule 2), over the kinds' one graph (engine/graph.ts).
 *
 * Wanted resources that are missing are created, drifted ones updated, unready ones waited for, each
 * step depending on the steps of the resources it needs: held by them (`dependsOn`), or, for a
 * dependency the kind declares of strength 'order' in this pass, only ordered after them (`after`), so
 * that a step that takes traffic away from a resource is not held while that resource is provisioning.
 * Unwanted resources are deleted in reverse
 * dependency order: a resource is deleted only after everything that depends on it (docs/aws-facts.md
 * "Deletion order"). Resources found by name without our tag are reported, never touched (safety rule 3).
 */
import type { DesiredState, Tier } from '../../spec/types';
import { DEFAULT_INTENT, type Intent } from '../resources/intent';
import type {
  AttributeChange,
  DependencyStrength,
  ObservedResource,
  ManagedResource,
  StackSpec,
} from '../resources/types';
import { diffAttributes } from './diff';
import { resourceGraph, type ResourceGraph } from './graph';
import type { Observation, Plan, PlanStep } from './types';

export type TargetTier = Tier | 'none';

export interface PlanInput<S extends StackSpec> {
  spec: S;
  /** The kinds the plan may touch: their graph, or a list (its graph is made once). */
  kinds: readonly ManagedResource<S>[] | ResourceGraph<ManagedResource<S>>;
  /** Keys of the kinds that should exist; every other one found is deleted. */
  wanted: ReadonlySet<string>;
  observation: Observation;
  /** Epoch ms the plan is made for. */
  now: number;
  /** The pass's decisions the kinds' `desiredAttributes` reads (DEFAULT_INTENT when absent). */
  intent?: Intent;
  /** The stack's tier the plan is for, recorded in it (a stack's plans; bootstrap's have none). */
  targetTier?: TargetTier;
  /** Why an unwanted resource goes, in words (default "not wanted"). */
  unwantedBecause?: (kind: ManagedResource<S>) => string;
}

/**
 * The plan that makes AWS hold the `wanted` kinds and nothing else of `kinds`, for any spec type (a stack's
 * `DesiredState`, bootstrap's system spec).
 */
export function planWanted<S extends StackSpec>(input: PlanInput<S>): Plan {
  const { spec, observation, wanted: wantedKeys } = input;
  const graph = resourceGraph(input.kinds);
  const order = graph.topological();
  const wanted = order.filter((kind) => wantedKeys.has(kind.key));
  const stepOf = new Map<string, PlanStep>();
  const steps: PlanStep[] = [];

  const intent = input.intent ?? DEFAULT_INTENT;
  for (const kind of wanted) {
    const step = stepForWanted(kind, spec, observation, intent);
    if (!step) continue;
    // A conflict does nothing and waits for nothing: each one is reported, even behind another.
    if (step.action !== 'conflict') {
      const needed: string[] = [];
      const ordered: string[] = [];
      for (const dep of graph.dependenciesOf(kind.key)) {
        const depStep = wantedKeys.has(dep.key) ? stepOf.get(dep.key) : undefined;
        if (!depStep) continue;
        (strengthOf(kind, dep.key, intent) === 'order' ? ordered : needed).push(depStep.id);
      }
      step.dependsOn = needed;
      if (ordered.length > 0) step.after = ordered;
    }
    stepOf.set(kind.key, step);
    steps.push(step);
  }

  // An unwanted resource whose look-up failed may still exist: wait for a clean look-up instead of
  // calling the stack settled. Its dependencies' look-ups go first: a route is found through its API's id.
  for (const kind of order) {
    const reason = observation.unknown[kind.key];
    if (wantedKeys.has(kind.key) || reason === undefined) continue;
    steps.push({
      id: `wait:${kind.key}`,
      action: 'wait',
      key: kind.key,
      type: kind.type,
      // Said as not wanted, when the plan says why: a user reads of a resource the spec does not have.
      reason: input.unwantedBecause
        ? `could not be observed; ${input.unwantedBecause(kind)}, so waiting for a clean look-up in case one is left`
        : 'could not be observed',
      dependsOn: graph
        .dependenciesOf(kind.key)
        .filter((dep) => observation.unknown[dep.key] !== undefined)
        .map((dep) => `wait:${dep.key}`),
      waitsFor: reason,
      waitUntil: 'gone',
    });
  }

  const toDelete = (kind: ManagedResource<S>) =>
    !wantedKeys.has(kind.key) &&
    observation.resources[kind.key] !== undefined &&
    !observation.resources[kind.key]!.foreign;
  // Every delete step of a key (the resource in use, and the stack's duplicates), for the order below.
  const deleteSteps = new Map<string, PlanStep[]>();
  const addDelete = (kind: ManagedResource<S>, step: PlanStep) => {
    deleteSteps.set(kind.key, [...(deleteSteps.get(kind.key) ?? []), step]);
    steps.push(step);
  };
  // Deleting in reverse topological order, everything that depends on a resource has its steps already.
  const dependentsFirst = (kind: ManagedResource<S>): string[] =>
    graph
      .dependentsOf(kind.key)
      .flatMap((other) => deleteSteps.get(other.key) ?? [])
      .map((step) => step.id);

  for (const kind of graph.reverse()) {
    for (const duplicate of observation.duplicates?.[kind.key] ?? []) {
      const inUse = observation.resources[kind.key]?.id;
      addDelete(kind, {
        id: `delete:${kind.key}@${duplicate.id}`,
        action: 'delete',
        key: kind.key,
        type: kind.type,
        reason: `a second ${kind.key} the stack made${inUse ? ` (${inUse} is the one in use)` : ''}`,
        dependsOn: dependentsFirst(kind),
        target: duplicate.id,
      });
    }
    if (!toDelete(kind)) continue;
    const observed = observation.resources[kind.key]!;
    const deleting = isBeingRemoved(kind, observed);
    const step: PlanStep = {
      id: `${deleting ? 'wait' : 'delete'}:${kind.key}`,
      action: deleting ? 'wait' : 'delete',
      key: kind.key,
      type: kind.type,
      reason: input.unwantedBecause?.(kind) ?? 'not wanted',
      dependsOn: [],
      ...(deleting
        ? { waitsFor: `${kind.key} to finish deleting (${observed.state})`, waitUntil: 'gone' as const }
        : {}),
    };
    // Everything that depends on this resource goes first; one whose look-up failed may still be there
    // (a subnet under an ALB not seen this time), so its wait goes first too.
    step.dependsOn = [
      ...dependentsFirst(kind),
      ...graph
        .dependentsOf(kind.key)
        .filter((other) => observation.unknown[other.key] !== undefined)
        .map((other) => `wait:${other.key}`),
    ];
    addDelete(kind, step);
  }

  return {
    stack: spec.stack,
    ...(input.targetTier === undefined ? {} : { targetTier: input.targetTier }),
    at: input.now,
    steps,
  };
}

/**
 * plan(spec, targetTier, observation, now, kinds, intent): a stack's plan for a tier. The kinds wanted are those of
 * the tiers `targetTier` keeps (the Lambda tier always, the Fargate tier in `fargate`, none in `none`)
 * that the spec wants.
 */
export function plan(
  spec: DesiredState,
  targetTier: TargetTier,
  observation: Observation,
  now: number,
  kinds: readonly ManagedResource[] | ResourceGraph<ManagedResource>,
  intent: Intent = DEFAULT_INTENT,
): Plan {
  return planWanted({
    spec,
    kinds,
    intent,
    wanted: wantedKeys(spec, targetTier, resourceGraph(kinds).topological()),
    observation,
    now,
    targetTier,
    unwantedBecause: (kind) => deleteReason(kind, targetTier),
  });
}

/** The keys of the kinds a stack in `targetTier` keeps (`ManagedResource.neededBy` of those tiers' kinds). */
export function wantedKeys(
  spec: DesiredState,
  targetTier: TargetTier,
  kinds: readonly ManagedResource[],
): Set<string> {
  return new Set(
    kinds.filter((kind) => tierWanted(kind.tier, targetTier) && kind.neededBy(spec)).map((k) => k.key),
  );
}

/** How a step of `kind` needs its dependency `dep` in this pass: 'ready' unless the kind says otherwise. */
function strengthOf<S extends StackSpec>(
  kind: ManagedResource<S>,
  dep: string,
  intent: Intent,
): DependencyStrength {
  return kind.dependencyStrength?.(dep, intent) ?? 'ready';
}

/** Whether AWS is already removing the resource: one of its kind's `waiters.gone.pending` states. */
function isBeingRemoved(kind: ManagedResource<StackSpec>, observed: ObservedResource): boolean {
  return observed.state !== undefined && (kind.waiters?.gone?.pending.includes(observed.state) ?? false);
}

function tierWanted(kindTier: Tier, target: TargetTier): boolean {
  if (target === 'none') return false;
  return kindTier === 'lambda' || target === 'fargate';
}

function deleteReason(kind: ManagedResource, target: TargetTier): string {
  if (target === 'none') return 'stack is being deleted';
  if (kind.tier === 'fargate' && target === 'lambda') return 'Fargate tier not wanted in the Lambda tier';
  return 'not wanted by the spec';
}

function stepForWanted<S extends StackSpec>(
  kind: ManagedResource<S>,
  spec: S,
  observation: Observation,
  intent: Intent,
): PlanStep | undefined {
  const base = { key: kind.key, type: kind.type, dependsOn: [] as string[] };
  const unknownReason = observation.unknown[kind.key];
  if (unknownReason !== undefined) {
    return {
      ...base,
      id: `wait:${kind.key}`,
      action: 'wait',
      reason: 'could not be observed',
      waitsFor: `observing ${kind.key}: ${unknownReason}`,
      waitUntil: 'ready',
    };
  }
  const observed: ObservedResource | undefined = observation.resources[kind.key];
  if (!observed) return { ...base, id: `create:${kind.key}`, action: 'create', reason: 'missing' };
  if (observed.foreign) {
    const inTheWay =
      observed.conflict ?? `${observed.id} has this stack's name but not its lambdaflex:stack tag`;
    return {
      ...base,
      id: `conflict:${kind.key}`,
      action: 'conflict',
      reason: `${inTheWay}; it is left alone`,
      inTheWay,
    };
  }
  if (observed.failed !== undefined) {
    // Terminal until the spec changes: making the same change again would fail the same way.
    return { ...base, id: `conflict:${kind.key}`, action: 'conflict', reason: observed.failed };
  }
  if (isBeingRemoved(kind, observed)) {
    return {
      ...base,
      id: `wait:${kind.key}`,
      action: 'wait',
      reason: `still deleting (${observed.state})`,
      waitsFor: `${kind.key} to be gone before it is created again`,
      waitUntil: 'gone',
    };
  }
  const changes = diffAttributes(
    kind.desiredAttributes(spec, observation.resources, intent),
    observed.attributes,
  );
  if (changes.length > 0) {
    const immutable = changes.filter((c) =>
      kind.immutable?.some((attr) => c.path === attr || c.path.startsWith(`${attr}.`)),
    );
    const movedDependency = dependencyMoved(kind, immutable, observation);
    if (movedDependency) {
      // Not terminal: no spec change moves a subnet to another VPC, and waiting for one would stop the
      // stack for good. It is the dependency that moved: a VPC made again while its subnets were still in
      // the first (a finder's miss no dependent contradicted, engine/held-by-dependents.ts), which ends
      // when the stack's VPC is settled (the first taken back, the other deleted as the duplicate), or a
      // target group left in a VPC deleted behind the stack's back, which a hand deletes. So it is
      // reported and looked at again every pass, as something in the way is.
      const paths = immutable.map((c) => c.path).join(', ');
      const inTheWay = `${observed.id} was made in ${movedDependency.from} (its ${movedDependency.dependency}), and the ${movedDependency.dependency} in use is ${movedDependency.to}; it cannot be moved: it waits for ${movedDependency.from} to be the one in use again, or for ${observed.id} to be deleted by hand`;
      return {
        ...base,
        id: `conflict:${kind.key}`,
        action: 'conflict',
        reason: `cannot change ${paths} in place: ${inTheWay}`,
        inTheWay,
        changes,
      };
    }
    if (immutable.length > 0 || !kind.update) {
      // Terminal until the spec changes: it asks for what AWS can't change in place (a subnet's CIDR).
      const paths = (immutable.length > 0 ? immutable : changes).map((c) => c.path).join(', ');
      return {
        ...base,
        id: `conflict:${kind.key}`,
        action: 'conflict',
        reason: `cannot change ${paths} in place`,
        changes,
      };
    }
    return {
      ...base,
      id: `update:${kind.key}`,
      action: 'update',
      reason: `${changes.map((c) => c.path).join(', ')} ${changes.length === 1 ? 'differs' : 'differ'}`,
      changes,
    };
  }
  if (!observed.ready) {
    return {
      ...base,
      id: `wait:${kind.key}`,
      action: 'wait',
      reason: 'not ready',
      waitsFor: observed.notReadyReason ?? `${kind.key} to be ready`,
      waitUntil: 'ready',
    };
  }
  return undefined;
}

/**
 * When every immutable change names one of the kind's dependencies (the id or ARN of the one in use,
 * where the resource names another): which, and the two ids.
 */
function dependencyMoved<S extends StackSpec>(
  kind: ManagedResource<S>,
  immutable: readonly AttributeChange[],
  observation: Observation,
): { dependency: string; from: string; to: string } | undefined {
  if (immutable.length === 0) return undefined;
  let moved: { dependency: string; from: string; to: string } | undefined;
  for (const change of immutable) {
    const dependency = kind.dependsOn.find((dep) => {
      const inUse = observation.resources[dep];
      return inUse !== undefined && (change.to === inUse.id || change.to === inUse.arn);
    });
    if (dependency === undefined || typeof change.from !== 'string') return undefined;
    moved ??= { dependency, from: change.from, to: String(change.to) };
  }
  return moved;
}

/** Counts by action, for summaries and exit codes. */
export function planSummary(p: Plan): Record<PlanStep['action'], number> {
  const summary = { create: 0, update: 0, delete: 0, wait: 0, conflict: 0 };
  for (const step of p.steps) summary[step.action] += 1;
  return summary;
}

/** True when applying the plan would change something in AWS. */
export function planChangesSomething(p: Plan): boolean {
  return p.steps.some((s) => s.action === 'create' || s.action === 'update' || s.action === 'delete');
}
