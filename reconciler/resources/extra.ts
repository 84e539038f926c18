/**
 * Typed reads of what a kind's finder puts in `extra` (the ALB's DNS name, the service's healthy targets),
 * keyed by the kind object: `extraOf(observation.resources, ecsServiceResource)?.healthyTargets`. Only the
 * kind knows the shape of its `extra`; nobody else casts it.
 */
import type { ObservedResource } from './types';

/** A kind whose resources carry `extra` of type E for others to read. */
export interface ExtraReader<E> {
  readonly key: string;
  /** The `extra` its finder reported, typed; undefined when the resource is absent. */
  readExtra(observed: ObservedResource | undefined): E | undefined;
}

export function extraOf<E>(
  resources: Readonly<Record<string, ObservedResource | undefined>>,
  kind: ExtraReader<E>,
): E | undefined {
  return kind.readExtra(resources[kind.key]);
}
