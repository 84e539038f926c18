/**
 * Reading a dependency's id from `ctx.refs`. The engine only calls a verb once the kinds in `dependsOn`
 * exist, so a missing id is a bug in the engine or in a `dependsOn` list: it is thrown as a plain Error
 * (classified "fatal", never swallowed) that names both sides.
 */
import type { ResourceContext } from './types';

export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
  constructor(
    readonly kind: string,
    readonly dependency: string,
  ) {
    super(`${kind} needs ${dependency}, which the engine did not pass in refs`);
  }
}

export function refId(refs: ResourceContext['refs'], kind: string, dependency: string): string {
  const id = refs[dependency]?.id;
  if (!id) throw new MissingDependencyError(kind, dependency);
  return id;
}
