/**
 * observe: find every resource of the stack by its ownership tags (docs/design.md "One pass of the reconciler"). AWS is the
 * truth; the stored status is only a cache. Finders run layer by layer of the kinds' graph (engine/graph.ts),
 * so a finder that needs a dependency's id (a listener needs its ALB) sees it, several at once within a
 * layer.
 */
import { awsMessage, classify } from '../aws/classify';
import { DEFAULT_INTENT } from '../resources/intent';
import type {
  BaseContext,
  ObservedResource,
  ResourceContext,
  ManagedResource,
  StackSpec,
} from '../resources/types';
import { concurrencyLimit, DEFAULT_CONCURRENCY } from '../concurrency';
import { resourceGraph, type ResourceGraph } from './graph';
import type { Judged } from './ownership';
import { stillTheOneSeen } from './transition-view';
import type { Observation } from './types';

/** Sorts a finder's answer into what the stack owns and what it does not (engine/ownership.ts). */
export type Judge = (kind: ManagedResource<StackSpec>, found: ObservedResource | undefined) => Judged;

/**
 * `seen` found again by its id alone (`findById`), where its kind can: AWS's answer while it is still the
 * one seen (the same id, ready, the stack's: engine/transition-view.ts `stillTheOneSeen`). Undefined for a
 * kind without `findById`, a miss, another id, or a failed call: the caller finds those in full, where a
 * failure is unknown, not absent.
 */
export async function foundAgainById<S extends StackSpec>(
  kind: ManagedResource<S>,
  context: ResourceContext<S>,
  seen: ObservedResource | undefined,
): Promise<ObservedResource | undefined> {
  if (!kind.findById || !seen) return undefined;
  try {
    const found = await kind.findById(context, seen);
    return stillTheOneSeen(seen, found) ? found : undefined;
  } catch (error) {
    if (classify(error, kind.errors) === 'fatal') throw error;
    return undefined;
  }
}

/** Puts a judged answer for `kind` into `observation`. */
export function recordJudged(
  observation: Observation,
  kind: { key: string; type: string },
  judged: Judged,
): void {
  observation.resources[kind.key] = judged.resource;
  if (judged.pending !== undefined)
    observation.unknown[kind.key] = `finding ${kind.type} (${kind.key}): ${judged.pending}`;
  else delete observation.unknown[kind.key];
  if (observation.unread) delete observation.unread[kind.key];
  setOrDrop((observation.duplicates ??= {}), kind.key, judged.duplicates);
  setOrDrop((observation.foreign ??= {}), kind.key, judged.foreign);
}

function setOrDrop(map: Record<string, ObservedResource[]>, key: string, list: ObservedResource[]): void {
  if (list.length > 0) map[key] = list;
  else delete map[key];
}

/** Without ownership records (unit tests, a dry run before any): what the finder found is taken as is. */
export const trustFinders: Judge = (_kind, found) => ({ resource: found, duplicates: [], foreign: [] });

/** The judge of a pass: the ownership ledger's when the stack has one, else trustFinders. */
export function judgeBy(ledger: { judge: Judge } | undefined): Judge {
  return ledger ? (kind, found) => ledger.judge(kind, found) : trustFinders;
}

export async function observe<S extends StackSpec>(
  base: BaseContext<S>,
  kinds: readonly ManagedResource<S>[] | ResourceGraph<ManagedResource<S>>,
  options: {
    concurrency?: number;
    /**
     * Resources the finders may read beside what this observation finds: for a subgraph, its
     * dependencies outside it (from a snapshot).
     */
    hints?: Record<string, ObservedResource | undefined>;
    judge?: Judge;
    /**
     * What an earlier pass saw (engine/transition-view.ts): `entry` gives what to take for a kind instead
     * of asking AWS, given the resources found so far (its dependencies), or undefined to find it; each
     * key taken is added to `taken`.
     */
    reuse?: {
      entry: (
        kind: ManagedResource<S>,
        refs: Readonly<Record<string, ObservedResource | undefined>>,
      ) => { resource?: ObservedResource } | undefined;
      taken: Set<string>;
    };
  } = {},
): Promise<Observation> {
  const observation: Observation = { resources: {}, unknown: {} };
  const limit = concurrencyLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  /** A fatal error (a bug, a dying process): no finder starts after it; it is thrown once those running ended. */
  let fatal: { error: unknown } | undefined;

  const findOne = async (kind: ManagedResource<S>): Promise<void> => {
    try {
      const refs = { ...options.hints, ...observation.resources };
      const earlier = options.reuse?.entry(kind, refs);
      if (earlier) {
        observation.resources[kind.key] = earlier.resource;
        options.reuse!.taken.add(kind.key);
        return;
      }
      const found = await kind.find({
        ...base,
        intent: base.intent ?? DEFAULT_INTENT,
        refs,
      } as ResourceContext<S>);
      const unseen = kind.dependsOn.find((dep) => dep in observation.unknown);
      // A resource inside a parent shares the parent's ownership (it has no `creates` of its own): one
      // found through a parent that is not the stack's (a listener on another installation's ALB of the
      // same name) is not the stack's either, and is never changed or deleted (safety rule 3).
      // A finder that looks its resource up by a deterministic name (a scaling target by the service's)
      // finds the foreign copy's child when the stack has no parent of its own but a foreign copy of it.
      const foreignParent = kind.creates
        ? undefined
        : kind.dependsOn
            .map((dep) =>
              refs[dep] ? (refs[dep].foreign ? refs[dep] : undefined) : observation.foreign?.[dep]?.[0],
            )
            .find((parent) => parent !== undefined);
      if (found !== undefined && foreignParent !== undefined && !found.foreign) {
        const conflict = `${found.id} is inside ${foreignParent.id} (${foreignParent.key}), which is not this stack's`;
        recordJudged(observation, kind, {
          resource: { ...found, foreign: true, conflict },
          duplicates: [],
          foreign: [],
        });
        return;
      }
      if (found === undefined && unseen !== undefined) {
        // A finder that needs its dependency's id finds nothing without it: not knowing the API or
        // the function is not knowing whether their route or permission exists.
        observation.unknown[kind.key] =
          `finding ${kind.type} (${kind.key}): its dependency ${unseen} could not be observed`;
        if (observation.unread?.[unseen]) observation.unread[kind.key] = true;
        return;
      }
      recordJudged(observation, kind, (options.judge ?? trustFinders)(kind, found));
    } catch (error) {
      if (classify(error, kind.errors) === 'fatal') throw error;
      // Unknown is not absent: planning a create from a failed look-up would duplicate the resource.
      observation.unknown[kind.key] = `finding ${kind.type} (${kind.key}): ${awsMessage(error)}`;
      (observation.unread ??= {})[kind.key] = true;
    }
  };

  for (const layer of resourceGraph(kinds).layers()) {
    await Promise.all(
      layer.map((kind) =>
        limit(async () => {
          if (fatal) return;
          await findOne(kind).catch((error: unknown) => {
            fatal ??= { error };
          });
        }),
      ),
    );
    if (fatal) throw fatal.error;
  }
  return observation;
}
