/**
 * Reading a kind's dependencies from `ResourceContext.refs`. The engine runs a step only after the steps of
 * its `dependsOn`, so a missing dependency at create time is a bug in the plan, not an AWS condition: it
 * throws a plain Error, which classify() calls fatal and the engine never swallows.
 */
import type { ResourceKey } from '../keys';
import type { ObservedResource, ResourceContext } from '../types';

type Refs = ResourceContext['refs'];

export function requireRef(refs: Refs, key: ResourceKey, forKind: string): ObservedResource {
  const ref = refs[key];
  if (!ref) throw new Error(`${forKind} needs ${key}, which has not been observed or created yet`);
  return ref;
}

/** The ARN of a dependency (ELBv2, ECS and IAM resources are addressed by ARN). */
export function requireArn(refs: Refs, key: ResourceKey, forKind: string): string {
  const ref = requireRef(refs, key, forKind);
  if (!ref.arn)
    throw new Error(`${forKind} needs the ARN of ${key} (${ref.id}), which its finder did not report`);
  return ref.arn;
}

/**
 * Ids of several dependencies for `desiredAttributes`, or undefined while any is unknown: the engine's diff skips
 * undefined, so a plan made before the dependencies exist reports no false drift.
 */
export function idsOf(refs: Refs, keys: readonly ResourceKey[]): string[] | undefined {
  const ids = keys.map((key) => refs[key]?.id);
  if (ids.some((id) => id === undefined)) return undefined;
  return (ids as string[]).slice().sort();
}
