/**
 * The last full observation, kept in the stack's bookkeeping, so that a steady-state pass can confirm it with
 * a few calls instead of finding every resource again (engine/observe-inventory.ts): like a Kubernetes
 * informer's cache, trusted between full relists and thrown away at the first sign of change.
 *
 * Pure: when a snapshot may be used, and what the pass leaves for the next one.
 */
import type { StackRecord } from '../state/types';
import type { ObservedResource, ObservedResources, ManagedResource } from '../resources/types';
import type { Observation } from './types';

export interface ObservationSnapshot {
  /** When the full observation was made (epoch ms, AWS's clock). */
  at: number;
  /** The spec generation it was made for: an edit of the spec always gets a full observation. */
  generation: number;
  /** Every ARN the Resource Groups Tagging API listed with the stack's tag then, sorted. */
  inventory: string[];
  resources: ObservedResources;
}

/**
 * How long a snapshot is trusted. Drift in what the Tagging API can't see (a rule, a route, a role's
 * policy changed by hand) is found within this time; a pass every minute then makes one full
 * observation in fifteen.
 */
export const DEFAULT_FULL_OBSERVE_EVERY_MS = 15 * 60_000;

export type SnapshotVerdict =
  { usable: true; snapshot: ObservationSnapshot } | { usable: false; why: string };

/** Whether this pass may start from the snapshot in the stack's bookkeeping, and if not, why not. */
export function usableSnapshot(record: StackRecord, now: number, maxAgeMs: number): SnapshotVerdict {
  const { status, bookkeeping } = record;
  const snapshot = bookkeeping.observationSnapshot;
  if (!status || !snapshot) return { usable: false, why: 'no snapshot of a settled stack' };
  if (record.deletionRequestedAt !== undefined) return { usable: false, why: 'deletion requested' };
  if (snapshot.generation !== record.generation) return { usable: false, why: 'the spec changed' };
  const age = now - snapshot.at;
  if (!(age >= 0 && age < maxAgeMs)) return { usable: false, why: 'periodic full observation' };
  const pending = Object.keys(bookkeeping.pendingChanges).length > 0;
  const retrying = Object.keys(bookkeeping.retries).length > 0;
  if (pending || retrying || bookkeeping.terminal) return { usable: false, why: 'the last pass left work' };
  return { usable: true, snapshot };
}

/** A 'tagged' resource the inventory does not list yet (the Tagging API's index lags a create). */
function unlisted(resource: ObservedResource, inventory: ReadonlySet<string>): boolean {
  if (resource.arn) return !inventory.has(resource.arn);
  return !inventory.has(resource.id);
}

/** Each ARN, and its last path segment (EC2 resources are known by id: `…:vpc/vpc-0abc` → `vpc-0abc`). */
export function inventoryKeys(arns: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const arn of arns) {
    keys.add(arn);
    keys.add(arn.slice(arn.lastIndexOf('/') + 1));
  }
  return keys;
}

export interface SnapshotInput {
  /**
   * How this pass observed: from the snapshot, in part from the view of a stack between tiers (which
   * never makes a snapshot), or in full (with the inventory listed before it).
   */
  observedBy: 'inventory' | 'view' | 'full';
  previous?: ObservationSnapshot;
  /** The inventory listed before a full observation; undefined when listing it failed. */
  inventory?: string[];
  observation: Observation;
  kinds: readonly ManagedResource[];
  generation: number;
  now: number;
  /** Nothing planned, nothing waiting, the phase stable: the stack is as its spec wants it. */
  settled: boolean;
}

/**
 * What the next pass may start from: the same snapshot after a settled pass that used it; a new one after
 * a settled full pass whose every 'tagged' resource the inventory lists; otherwise none.
 */
export function nextSnapshot(input: SnapshotInput): ObservationSnapshot | undefined {
  if (!input.settled) return undefined;
  if (input.observedBy === 'inventory') return input.previous;
  if (input.observedBy === 'view') return undefined;
  if (!input.inventory || Object.keys(input.observation.unknown).length > 0) return undefined;
  // Duplicates to delete and foreign resources to report are found by a full observation only.
  const { duplicates = {}, foreign = {} } = input.observation;
  if (Object.keys(duplicates).length > 0 || Object.keys(foreign).length > 0) return undefined;
  const listed = inventoryKeys(input.inventory);
  const resources: ObservedResources = {};
  for (const kind of input.kinds) {
    const resource = input.observation.resources[kind.key];
    if (!resource) continue;
    if (resource.foreign) return undefined;
    if (kind.steadyCheck === 'tagged' && unlisted(resource, listed)) return undefined;
    resources[kind.key] = resource;
  }
  // Plain JSON, as the state store keeps it, so that a snapshot read back compares equal to this one.
  const stored: ObservedResources = JSON.parse(JSON.stringify(resources));
  return {
    at: input.now,
    generation: input.generation,
    inventory: [...input.inventory].sort(),
    resources: stored,
  };
}
