/**
 * The held-by-dependents tests' fixtures (engine/held-by-dependents.ts): kinds, found resources,
 * observations, the ids the stack holds and a review that records what it is told.
 */
import type { MissReview } from '../../../reconciler/engine/held-by-dependents';
import type { Observation } from '../../../reconciler/engine/types';
import type { ManagedResource, ObservedResource } from '../../../reconciler/resources/types';

/**
 * A resource kind as the "held by a found dependent" rule reads it: key, type, dependencies, what it
 * holds, whether the stack records it. Nothing else of a kind is set.
 */

export function heldKind(
  key: string,
  dependsOn: string[] = [],
  holds?: Record<string, string>,
  creates: 'nonce' | null = 'nonce',
): ManagedResource {
  return {
    key,
    type: `Test::${key}`,
    dependsOn,
    ...(holds ? { holds } : {}),
    ...(creates ? { creates } : {}),
  } as unknown as ManagedResource;
}

/** A resource found by this pass, the stack's unless `foreign`. */
export function found(
  key: string,
  id: string,
  attributes: Record<string, unknown> = {},
  foreign = false,
): ObservedResource {
  return {
    key,
    type: `Test::${key}`,
    id,
    tags: {},
    attributes,
    ready: true,
    ...(foreign ? { foreign } : {}),
  };
}

export function observation(
  resources: Record<string, ObservedResource | undefined>,
  unknown: Record<string, string> = {},
): Observation {
  return { resources, unknown: { ...unknown } };
}

/** The ids the stack holds, by key. */
export const known =
  (ids: Record<string, string[]>) =>
  (key: string): readonly string[] =>
    ids[key] ?? [];

/** A review over `ids` that records each key it is told is held or unjudged. */
export function recorder(ids: Record<string, string[]>) {
  const calls: string[] = [];
  const review: MissReview = {
    knownIds: known(ids),
    heldByDependent: (key, id) => calls.push(`held ${key} ${id}`),
    unjudged: (key) => calls.push(`unjudged ${key}`),
  };
  return { calls, review };
}
