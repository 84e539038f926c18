/**
 * A steady-state pass's observation: one Resource Groups Tagging API call lists every ARN that carries
 * the stack's tag; when that list is the one the last full observation saw, the snapshot stands for every
 * resource but the 'live' ones (task counts, target health, record weights), which are found as usual.
 * Any difference, or a failed listing, means a full observation instead (engine/observe.ts).
 */
import { awsMessage, classify } from '../aws/classify';
import { listStackInventory } from '../aws/stack-inventory';
import type { BaseContext, ObservedResource, ManagedResource } from '../resources/types';
import { resourceGraph, type ResourceGraph } from './graph';
import { observe } from './observe';
import type { ObservationSnapshot } from './observation-snapshot';
import type { Observation } from './types';

/** What differs between two sorted ARN lists, in words ("+arn:…, −arn:…"), or undefined when equal. */
export function inventoryChange(before: readonly string[], now: readonly string[]): string | undefined {
  const was = new Set(before);
  const is = new Set(now);
  const added = now.filter((arn) => !was.has(arn)).map((arn) => `+${arn}`);
  const removed = before.filter((arn) => !is.has(arn)).map((arn) => `−${arn}`);
  const all = [...added, ...removed];
  if (all.length === 0) return undefined;
  return all.slice(0, 3).join(', ') + (all.length > 3 ? ` and ${all.length - 3} more` : '');
}

/** The inventory the snapshot was checked against (when listing worked) comes back for the pass to reuse. */
export type InventoryObservation =
  { observation: Observation; inventory: string[] } | { stale: string; inventory?: string[] };

export async function observeFromSnapshot(
  base: BaseContext,
  kinds: readonly ManagedResource[] | ResourceGraph<ManagedResource>,
  snapshot: ObservationSnapshot,
  options: {
    concurrency?: number;
    /** The inventory as just listed by someone else (the dispatcher's sweep): not listed again. */
    inventory?: readonly string[];
  } = {},
): Promise<InventoryObservation> {
  let inventory: string[];
  try {
    inventory = options.inventory
      ? [...options.inventory].sort()
      : await listStackInventory(base.clients, base.spec.stack);
  } catch (error) {
    if (classify(error) === 'fatal') throw error;
    return { stale: `listing the stack's tagged resources failed: ${awsMessage(error)}` };
  }
  const change = inventoryChange(snapshot.inventory, inventory);
  if (change) return { stale: `the stack's tagged resources changed: ${change}`, inventory };

  const graph = resourceGraph(kinds);
  const all = graph.topological();
  const tagged = new Set(all.filter((k) => k.steadyCheck === 'tagged').map((k) => k.key));
  // A live resource whose tagged dependency is absent (the service of a Lambda-tier stack, without its
  // cluster) can't have appeared without the inventory showing that dependency: nothing to find.
  const possible = (k: ManagedResource) =>
    snapshot.resources[k.key] !== undefined ||
    k.dependsOn.every((dep) => !tagged.has(dep) || snapshot.resources[dep] !== undefined);
  const live = all.filter((k) => (k.steadyCheck ?? 'live') === 'live' && possible(k));
  const cached: Record<string, ObservedResource | undefined> = {};
  for (const kind of all) {
    if (!live.includes(kind)) cached[kind.key] = snapshot.resources[kind.key];
  }
  // Live kinds read their dependencies outside the subgraph (the target group of the service) from the
  // snapshot.
  const found = await observe(base, graph.restrict(live.map((k) => k.key)), {
    concurrency: options.concurrency,
    hints: cached,
  });
  return {
    observation: { resources: { ...cached, ...found.resources }, unknown: found.unknown },
    inventory,
  };
}
