/**
 * Typed reads of what a kind's finder puts in `extra` (the ALB's DNS name, the service's healthy targets),
 * keyed by the kind object: `extraOf(observation.resources, ecsServiceResource)?.healthyTargets`. The
 * shape is the one its key registers in ExtraByKey (resources/keys.ts), which the kind's finder is typed
 * to report: nobody casts it.
 */
import type { ExtraByKey } from './keys';
import type { ObservedResource, ObservedResources } from './types';

/** What `extra` the resource of `kind` reported, typed; undefined when the resource is absent. */
export function extraOf<K extends keyof ExtraByKey>(
  resources: Readonly<ObservedResources>,
  kind: { readonly key: K },
): ExtraByKey[K] | undefined {
  const typed: { readonly [Key in keyof ExtraByKey]?: ObservedResource<ExtraByKey[Key]> } = resources;
  return typed[kind.key]?.extra;
}
