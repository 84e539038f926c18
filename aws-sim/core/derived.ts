/**
 * Indexes derived from a service's records (listeners by target group, subnets by VPC, …), kept out of the
 * account's JSON: built on first use from the records object itself, so a restored account (new objects)
 * gets fresh ones, and dropped by `invalidate` wherever the operations add, remove or change what the index
 * is built from. Look-ups then cost a Map access instead of a scan of every record of the kind.
 */
export interface DerivedIndex<Source extends object, Index> {
  get(source: Source): Index;
  /** Call after any change to `source` the index depends on; the next `get` rebuilds it. */
  invalidate(source: Source): void;
}

export function derivedIndex<Source extends object, Index>(
  build: (source: Source) => Index,
): DerivedIndex<Source, Index> {
  const built = new WeakMap<Source, Index>();
  return {
    get(source) {
      let index = built.get(source);
      if (index === undefined) {
        index = build(source);
        built.set(source, index);
      }
      return index;
    },
    invalidate(source) {
      built.delete(source);
    },
  };
}

/** Groups `items` by key, each group in the items' order (the order a scan would have found them in). */
export function groupBy<T>(items: Iterable<T>, keysOf: (item: T) => Iterable<string>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}
