/**
 * The resources a "could not observe" message names. A look-up that failed makes every kind found through
 * it unknown too, the kinds this spec does not need among them (a DNS record of a stack without a custom
 * domain): those are not the stack's, and a user reading their names would look for what is not there.
 */
import type { DesiredState } from '../../spec/types';
import type { ManagedResource } from './types';

/**
 * `keys` that this spec's kinds need, in their order; all of `keys` when none is (a record the spec no
 * longer has but that may still exist is then what holds the stack, and is named rather than nothing).
 */
function unobservedOfTheSpec(
  keys: readonly string[],
  spec: DesiredState,
  kinds: readonly ManagedResource[],
): string[] {
  const needed = keys.filter((key) => kinds.find((kind) => kind.key === key)?.neededBy(spec) ?? true);
  return needed.length > 0 ? needed : [...keys];
}

/** The words of a look-up that failed: "could not observe alb, tg, service", the spec's kinds only. */
export function couldNotObserve(
  keys: readonly string[],
  spec: DesiredState,
  kinds: readonly ManagedResource[],
): string {
  return `could not observe ${unobservedOfTheSpec(keys, spec, kinds).join(', ')}`;
}
