/**
 * A resource kind as the "held by a found dependent" rule (engine/held-by-dependents.ts) reads it: key,
 * type, dependencies, what it holds, whether the stack records it. Nothing else of a kind is set.
 */
import type { ManagedResource } from '../../../reconciler/resources/types';

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
