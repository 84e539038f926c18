/**
 * Safety rule 3 at the last possible moment: a mutating verb refuses a resource found without this
 * stack's ownership tag. The planner already never schedules such a call; this guard keeps a bug
 * elsewhere from becoming a change to someone else's resource.
 */
import type { ObservedResource } from '../types';

export class ForeignResourceError extends Error {
  override readonly name = 'ForeignResourceError';

  constructor(
    readonly key: string,
    readonly id: string,
    verb: string,
  ) {
    super(`${verb} ${key} (${id}): it is not tagged as this stack's, so LambdaFlex leaves it alone`);
  }
}

export function assertOwned(current: ObservedResource, verb: string): void {
  if (current.foreign) throw new ForeignResourceError(current.key, current.id, verb);
}
