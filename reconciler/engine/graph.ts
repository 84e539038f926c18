/**
 * The dependency graph of a set of resource kinds, built and checked once, and walked the same way by
 * observe (layer by layer: a finder sees its dependencies' ids), plan (creates in topological order, deletes
 * in reverse: docs/aws-facts.md "Deletion order") and apply (through the plan's `dependsOn` and `after`).
 * Every dependency is an edge here, whatever its strength (resources/types.ts, DependencyStrength): the
 * strength only says whether a step is held by its dependency's step or just ordered after it.
 *
 * A dependency on a key no kind has, a key used twice and a cycle are errors here, when the graph is made,
 * instead of an edge quietly ignored by one walk and honoured by another.
 *
 * The topological order is stable: kinds listed in an order that already respects their dependencies keep
 * it, so plans read in the order the kinds are listed (reconciler/resources/index.ts).
 *
 * @example
 * const graph = ResourceGraph.of([vpc, subnet, alb]);   // alb.dependsOn = ['subnet'], subnet.dependsOn = ['vpc']
 * graph.layers().map((layer) => layer.map((k) => k.key)); // [['vpc'], ['subnet'], ['alb']]
 * graph.reverse().map((k) => k.key);                      // ['alb', 'subnet', 'vpc']: the deletion order
 */

/** What the graph reads of a kind. */
export interface GraphNode {
  readonly key: string;
  readonly dependsOn: readonly string[];
}

/** The kinds do not form a graph the engine can walk: names the keys and the rule broken. */
export class ResourceGraphError extends Error {
  override name = 'ResourceGraphError';
}

export class ResourceGraph<K extends GraphNode> {
  private readonly byKey: ReadonlyMap<string, K>;
  private readonly dependentsByKey: ReadonlyMap<string, readonly K[]>;
  private readonly layering: readonly (readonly K[])[];
  private readonly ordered: readonly K[];

  /**
   * @param external keys that may be depended on without being in this graph: what the caller supplies
   *   from elsewhere (a subgraph's dependencies outside it). Empty for a whole graph.
   */
  private constructor(
    kinds: readonly K[],
    private readonly external: ReadonlySet<string>,
  ) {
    const byKey = new Map<string, K>();
    for (const kind of kinds) {
      if (byKey.has(kind.key)) throw new ResourceGraphError(`resource kind ${kind.key} is listed twice`);
      byKey.set(kind.key, kind);
    }
    for (const kind of kinds) {
      const unknown = kind.dependsOn.filter((dep) => !byKey.has(dep) && !external.has(dep));
      if (unknown.length > 0)
        throw new ResourceGraphError(
          `resource kind ${kind.key} depends on ${unknown.join(', ')}, which no resource kind is`,
        );
    }
    this.byKey = byKey;
    const dependents = new Map<string, K[]>(kinds.map((k) => [k.key, []]));
    for (const kind of kinds) for (const dep of kind.dependsOn) dependents.get(dep)?.push(kind);
    this.dependentsByKey = dependents;
    this.layering = layersOf(kinds, byKey);
    this.ordered = stableTopological(kinds, byKey);
  }

  /** The graph of `kinds`; throws ResourceGraphError for a duplicate key, an unknown dependency or a cycle. */
  static of<K extends GraphNode>(kinds: readonly K[]): ResourceGraph<K> {
    return new ResourceGraph(kinds, new Set());
  }

  /**
   * The graph of kinds taken out of a larger set whose other kinds the caller stands in for (a test of one
   * kind, with its dependencies in the refs): a dependency outside `kinds` is given, not an error. A cycle
   * among `kinds` still is.
   */
  static partOf<K extends GraphNode>(kinds: readonly K[]): ResourceGraph<K> {
    const listed = new Set(kinds.map((k) => k.key));
    return new ResourceGraph(
      kinds,
      new Set(kinds.flatMap((k) => k.dependsOn.filter((dep) => !listed.has(dep)))),
    );
  }

  get size(): number {
    return this.ordered.length;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): K | undefined {
    return this.byKey.get(key);
  }

  /** Every kind, each after everything it depends on (ties keep the order the kinds were listed in). */
  topological(): readonly K[] {
    return this.ordered;
  }

  /** Every kind, each before everything it depends on: the order in which they are deleted. */
  reverse(): readonly K[] {
    return [...this.ordered].reverse();
  }

  /**
   * The kinds in layers: the first depends on nothing in the graph, each next one only on earlier layers.
   * Kinds of one layer may be worked on at once.
   */
  layers(): readonly (readonly K[])[] {
    return this.layering;
  }

  /** The kinds `key` depends on, in this graph (a subgraph leaves out the ones outside it). */
  dependenciesOf(key: string): K[] {
    return (this.byKey.get(key)?.dependsOn ?? []).flatMap((dep) => {
      const kind = this.byKey.get(dep);
      return kind ? [kind] : [];
    });
  }

  /** The kinds that depend on `key` directly, in this graph. */
  dependentsOf(key: string): readonly K[] {
    return this.dependentsByKey.get(key) ?? [];
  }

  /**
   * The graph of the kinds whose key is in `keys`: their dependencies outside it are taken as given (the
   * caller knows them from elsewhere, such as a snapshot), not as satisfied by accident.
   */
  restrict(keys: Iterable<string>): ResourceGraph<K> {
    const wanted = new Set(keys);
    for (const key of wanted)
      if (!this.byKey.has(key))
        throw new ResourceGraphError(`no resource kind ${key} in the graph to restrict to`);
    const outside = new Set([...this.external, ...[...this.byKey.keys()].filter((k) => !wanted.has(k))]);
    return new ResourceGraph(
      this.ordered.filter((k) => wanted.has(k.key)),
      outside,
    );
  }
}

const graphs = new WeakMap<readonly GraphNode[], ResourceGraph<GraphNode>>();

/**
 * The graph of a list of kinds, built once per list (the engine's callers hold their kind lists for the
 * life of the process), or the graph itself when given one.
 */
export function resourceGraph<K extends GraphNode>(kinds: readonly K[] | ResourceGraph<K>): ResourceGraph<K> {
  if (kinds instanceof ResourceGraph) return kinds;
  let graph = graphs.get(kinds) as ResourceGraph<K> | undefined;
  if (!graph) {
    graph = ResourceGraph.of(kinds);
    graphs.set(kinds, graph as unknown as ResourceGraph<GraphNode>);
  }
  return graph;
}

function layersOf<K extends GraphNode>(kinds: readonly K[], byKey: ReadonlyMap<string, K>): K[][] {
  const layers: K[][] = [];
  const placed = new Set<string>();
  let left = [...kinds];
  while (left.length > 0) {
    const layer = left.filter((k) => k.dependsOn.every((dep) => placed.has(dep) || !byKey.has(dep)));
    if (layer.length === 0)
      throw new ResourceGraphError(
        `resource kinds depend on each other in a circle: ${cycleOf(left, byKey)}`,
      );
    for (const kind of layer) placed.add(kind.key);
    left = left.filter((k) => !placed.has(k.key));
    layers.push(layer);
  }
  return layers;
}

/** Kahn's algorithm, always taking the ready kind listed first. */
function stableTopological<K extends GraphNode>(kinds: readonly K[], byKey: ReadonlyMap<string, K>): K[] {
  const order: K[] = [];
  const placed = new Set<string>();
  const left = [...kinds];
  while (left.length > 0) {
    const next = left.findIndex((k) => k.dependsOn.every((dep) => placed.has(dep) || !byKey.has(dep)));
    // layersOf has already refused a cycle.
    const [kind] = left.splice(next, 1);
    order.push(kind!);
    placed.add(kind!.key);
  }
  return order;
}

/** One circle among `left` (kinds none of which could be placed), as "a → b → a". */
function cycleOf<K extends GraphNode>(left: readonly K[], byKey: ReadonlyMap<string, K>): string {
  const inLeft = new Set(left.map((k) => k.key));
  const path: string[] = [];
  let key = left[0]!.key;
  while (!path.includes(key)) {
    path.push(key);
    key = byKey.get(key)!.dependsOn.find((dep) => inLeft.has(dep))!;
  }
  return [...path.slice(path.indexOf(key)), key].join(' → ');
}
