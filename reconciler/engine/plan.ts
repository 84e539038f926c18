/**
 * plan(spec, targetTier, observation, now) → Plan: pure and deterministic (docs/design.md, code rule 2).
 *
 * Wanted resources that are missing are created, drifted ones updated, unready ones waited for, each
 * step depending on the steps of the resources it needs. Unwanted resources are deleted in reverse
 * dependency order: a resource is deleted only after everything that depends on it (docs/aws-facts.md
 * "Deletion order"). Resources found by name without our tag are reported, never touched (safety rule 3).
 */
import type { DesiredState, Tier } from '../../spec/types';
import type { ObservedResource, ResourceKind } from '../resources/types';
import { diffAttributes } from './diff';
import type { Observation, Plan, PlanStep } from './types';

export type TargetTier = Tier | 'none';

/** States in which AWS is already removing the resource: wait rather than delete again. */
const DELETING_STATES = new Set([
  'DRAINING',
  'INACTIVE',
  'deleting',
  'shutting-down',
  'DELETE_IN_PROGRESS',
  'DELETING',
]);

function tierWanted(kindTier: Tier, target: TargetTier): boolean {
  if (target === 'none') return false;
  return kindTier === 'lambda' || target === 'fargate';
}

export function plan(
  spec: DesiredState,
  targetTier: TargetTier,
  observation: Observation,
  now: number,
  kinds: readonly ResourceKind[],
): Plan {
  const wanted = kinds.filter((kind) => tierWanted(kind.tier, targetTier) && kind.wanted(spec));
  const wantedKeys = new Set(wanted.map((k) => k.key));
  const stepOf = new Map<string, PlanStep>();
  const steps: PlanStep[] = [];

  for (const kind of wanted) {
    const step = stepForWanted(kind, spec, observation);
    if (!step) continue;
    // A conflict does nothing and waits for nothing: each one is reported, even behind another.
    step.dependsOn =
      step.action === 'conflict'
        ? []
        : kind.dependsOn
            .filter((dep) => wantedKeys.has(dep) && stepOf.has(dep))
            .map((dep) => stepOf.get(dep)!.id);
    stepOf.set(kind.key, step);
    steps.push(step);
  }

  // An unwanted resource whose look-up failed may still exist: wait for a clean look-up instead of
  // calling the stack settled. Its dependencies' look-ups go first: a route is found through its API's id.
  const planned = new Set(kinds.map((k) => k.key));
  for (const kind of kinds) {
    const reason = observation.unknown[kind.key];
    if (wantedKeys.has(kind.key) || reason === undefined) continue;
    steps.push({
      id: `wait:${kind.key}`,
      action: 'wait',
      key: kind.key,
      type: kind.type,
      reason: 'could not be observed',
      dependsOn: kind.dependsOn
        .filter((dep) => planned.has(dep) && observation.unknown[dep] !== undefined)
        .map((dep) => `wait:${dep}`),
      waitsFor: reason,
      waitUntil: 'gone',
    });
  }

  const toDelete = kinds.filter(
    (kind) =>
      !wantedKeys.has(kind.key) &&
      observation.resources[kind.key] &&
      !observation.resources[kind.key]!.foreign,
  );
  // Every delete step of a key (the resource in use, and the stack's duplicates), for the order below.
  const deleteSteps = new Map<string, PlanStep[]>();
  const addDelete = (kind: ResourceKind, step: PlanStep) => {
    deleteSteps.set(kind.key, [...(deleteSteps.get(kind.key) ?? []), step]);
    steps.push(step);
  };
  const dependentsFirst = (kind: ResourceKind): string[] =>
    kinds
      .filter((other) => other.dependsOn.includes(kind.key))
      .flatMap((other) => deleteSteps.get(other.key) ?? [])
      .map((step) => step.id);

  for (const kind of [...kinds].reverse()) {
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
    if (!toDelete.includes(kind)) continue;
    const observed = observation.resources[kind.key]!;
    const deleting = observed.state !== undefined && DELETING_STATES.has(observed.state);
    const step: PlanStep = {
      id: `${deleting ? 'wait' : 'delete'}:${kind.key}`,
      action: deleting ? 'wait' : 'delete',
      key: kind.key,
      type: kind.type,
      reason: deleteReason(kind, targetTier),
      dependsOn: [],
      ...(deleting
        ? { waitsFor: `${kind.key} to finish deleting (${observed.state})`, waitUntil: 'gone' as const }
        : {}),
    };
    // Everything that depends on this resource goes first; one whose look-up failed may still be there
    // (a subnet under an ALB not seen this time), so its wait goes first too.
    step.dependsOn = [
      ...dependentsFirst(kind),
      ...kinds
        .filter((other) => other.dependsOn.includes(kind.key) && observation.unknown[other.key] !== undefined)
        .map((other) => `wait:${other.key}`),
    ];
    addDelete(kind, step);
  }

  return { stack: spec.stack, targetTier, at: now, steps };
}

function deleteReason(kind: ResourceKind, target: TargetTier): string {
  if (target === 'none') return 'stack is being deleted';
  if (kind.tier === 'fargate' && target === 'lambda') return 'Fargate tier not wanted in the Lambda tier';
  return 'not wanted by the spec';
}

function stepForWanted(
  kind: ResourceKind,
  spec: DesiredState,
  observation: Observation,
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
  if (observed.state !== undefined && DELETING_STATES.has(observed.state)) {
    return {
      ...base,
      id: `wait:${kind.key}`,
      action: 'wait',
      reason: `still deleting (${observed.state})`,
      waitsFor: `${kind.key} to be gone before it is created again`,
      waitUntil: 'gone',
    };
  }
  const changes = diffAttributes(kind.desired(spec, observation.resources), observed.attributes);
  if (changes.length > 0) {
    const immutable = changes.filter((c) =>
      kind.immutable?.some((attr) => c.path === attr || c.path.startsWith(`${attr}.`)),
    );
    if (immutable.length > 0 || !kind.update) {
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
      reason: `${changes.map((c) => c.path).join(', ')} differ`,
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
