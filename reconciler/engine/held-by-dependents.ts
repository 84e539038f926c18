/**
 * A resource is not gone while a dependent that AWS would not let outlive it names it (docs/ownership.md,
 * "Missed, while a dependent names it"). EC2 refuses to delete a VPC that still has subnets, security
 * groups or route tables, or a gateway attached ("DeleteVpc"); ELBv2 a target group a listener forwards
 * to (`ResourceInUse`); EC2 a subnet or security group an ALB's interfaces are in. So when a pass finds a
 * dependent, proves it the stack's, and reads in it the id of a dependency whose finder missed it, the
 * miss is a stale or partial read (a replica behind, a page lost), not a deletion: the dependency is
 * unknown for the pass (nothing created in its place, nothing that depends on it created or deleted), it
 * stays recorded, and the next pass reads it again. Made again, it would be a second VPC the stack pays
 * for, with the subnets still in the first ("cannot change vpcId in place").
 *
 * Holds chain as AWS's do: a subnet an ALB found by the pass holds, missed with its VPC, holds the VPC.
 *
 * A dependency really deleted behind the stack's back took every such dependent with it (AWS would not
 * delete it otherwise), and whatever held those: nothing names it, and it is made again as before.
 *
 * Pure: judges an observation with the kinds' `holds` declarations and what the ledger knows, and tells
 * the ledger what it decided.
 */
import type { ManagedResource, ObservedResource, StackSpec } from '../resources/types';
import type { ResourceGraph } from './graph';
import type { Observation } from './types';

/** What the review asks of, and tells, the stack's ownership records (engine/ownership.ts). */
export interface MissReview {
  /** The ids the stack holds for `key` as its own: the one recorded, those forgotten and remembered. */
  knownIds(key: string): readonly string[];
  /** `id`, missed this pass, is named by a dependent that AWS keeps from outliving it: not gone. */
  heldByDependent(key: string, id: string): void;
  /** The verdict of this pass on `key` is taken back: its finder ran without a dependency now unknown. */
  unjudged(key: string): void;
}

/**
 * One dependent that contradicts a miss: found by this pass, naming the missed id; or missed itself but
 * held by what this pass found (the subnets an ALB names, missed with their VPC): `heldBy`, the keys of
 * the dependents holding it in turn.
 */
export interface Holder {
  key: string;
  id: string;
  heldBy?: string[];
}

/** One miss contradicted: `key`'s resource `id`, named by what `by` lists (each dependent's key and id). */
export interface HeldMiss {
  key: string;
  id: string;
  by: Holder[];
}

/**
 * The misses of `observation` a dependent contradicts: a kind with `creates` (the stack records its
 * resources) found nothing, and a dependent holding it (`holds`) either was found this pass (not in
 * `notFound`: taken from an earlier pass's view) and not foreign, and names one of the ids the stack
 * holds for it; or is itself held so (a chain).
 *
 * Holds chain because AWS's do: a found ALB's interfaces keep its subnets from being deleted, and a
 * subnet keeps its VPC; so while the ALB is there, so is the VPC, whatever the subnets' and the VPC's
 * finders answered (EC2's listings lag together). A held dependent was not read, so what it names is
 * what the stack made it on: the id the stack holds for the dependency (recorded when the pass began,
 * else since, else remembered). A subnet left in a VPC the stack no longer uses (docs/ownership.md) holds
 * the one in use by this, wrongly, only while its own reads lag: found again, it names its own.
 * Dependents come first (the graph's order reversed), so each chain is followed once, to its end.
 */
export function heldMisses<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  observation: Observation,
  knownIds: (key: string) => readonly string[],
  notFound: ReadonlySet<string> = new Set(),
): HeldMiss[] {
  const held = new Map<string, HeldMiss>();
  for (const kind of [...graph.topological()].reverse()) {
    if (!kind.creates || observation.resources[kind.key] !== undefined) continue;
    const ids = knownIds(kind.key);
    if (ids.length === 0) continue;
    const miss =
      heldByFound(graph, kind.key, ids, observation, notFound) ?? heldByHeld(graph, kind.key, ids, held);
    if (miss) held.set(kind.key, miss);
  }
  return graph.topological().flatMap((kind) => held.get(kind.key) ?? []);
}

/** `key`'s miss, contradicted by the dependents this pass found that name one of `ids`. */
function heldByFound<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  key: string,
  ids: readonly string[],
  observation: Observation,
  notFound: ReadonlySet<string>,
): HeldMiss | undefined {
  const by: Holder[] = [];
  let id: string | undefined;
  for (const dependent of graph.dependentsOf(key)) {
    const path = dependent.holds?.[key];
    const found = observation.resources[dependent.key];
    if (path === undefined || !found || found.foreign || notFound.has(dependent.key)) continue;
    const named = namedIds(found, path).find((candidate) => ids.includes(candidate));
    // Dependents naming two of the stack's ids for one key (one forgotten, one recorded): the first
    // dependent's is held; either way the key is unknown and nothing is made in its place.
    if (named === undefined || (id !== undefined && named !== id)) continue;
    id = named;
    by.push({ key: dependent.key, id: found.id });
  }
  return id === undefined ? undefined : { key, id, by };
}

/** `key`'s miss, contradicted by dependents held themselves: each is on the id the stack holds first. */
function heldByHeld<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  key: string,
  ids: readonly string[],
  held: ReadonlyMap<string, HeldMiss>,
): HeldMiss | undefined {
  const by: Holder[] = graph
    .dependentsOf(key)
    .filter((dependent) => dependent.holds?.[key] !== undefined && held.has(dependent.key))
    .map((dependent) => {
      const miss = held.get(dependent.key)!;
      return { key: dependent.key, id: miss.id, heldBy: miss.by.map((d) => d.key) };
    });
  return by.length === 0 ? undefined : { key, id: ids[0]!, by };
}

/**
 * The dependents taken from an earlier pass's view (`fromView`) that name a resource of the stack this
 * pass missed: read again, they can contradict the miss. Taken from the view, they don't (they may be
 * as stale as the miss), and left there, nothing would: a pass that reads the missed resource again but
 * takes what holds it from the view (an API's mapping) would count the miss, and make it again.
 */
export function holdersFromView<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  observation: Observation,
  knownIds: (key: string) => readonly string[],
  fromView: ReadonlySet<string>,
): string[] {
  // A held dependent was not read at all: the found one at the head of its chain is the one to read again.
  const holders = heldMisses(graph, observation, knownIds).flatMap((miss) =>
    miss.by.filter((d) => d.heldBy === undefined).map((d) => d.key),
  );
  return [...new Set(holders.filter((key) => fromView.has(key)))];
}

/**
 * Applies the rule to `observation` in place: each contradicted miss is unknown, with the reason, and the
 * ledger keeps the resource; then, as observe does (engine/observe.ts), a kind found through one of them
 * that found nothing is unknown too (its finder needed the dependency's id), and its verdict taken back.
 * Returns the misses it held.
 */
export function reviewMisses<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  observation: Observation,
  review: MissReview,
  notFound: ReadonlySet<string> = new Set(),
): HeldMiss[] {
  const held = heldMisses(graph, observation, (key) => review.knownIds(key), notFound);
  const unread = unreadHolders(graph, observation, (key) => review.knownIds(key));
  if (held.length === 0 && unread.length === 0) return held;
  for (const miss of unread) {
    if (miss.passedOn) continue;
    const kind = graph.get(miss.key)!;
    review.unjudged(miss.key);
    observation.unknown[miss.key] =
      `finding ${kind.type} (${miss.key}): not found, but ${miss.by.join(', ')}, which AWS deletes ` +
      `no ${miss.key} before, could not be read: it may name it; not counted as a miss, read again by ` +
      `the next pass`;
  }
  for (const miss of held) {
    const kind = graph.get(miss.key)!;
    review.heldByDependent(miss.key, miss.id);
    observation.unknown[miss.key] = `finding ${kind.type} (${miss.key}): ${heldReason(miss)}`;
  }
  // Unknown, not absent, so what was looked up through them says nothing either: a security group is
  // found by its VPC's id.
  const unknown = new Set([...held, ...unread].map((miss) => miss.key));
  for (const kind of graph.topological()) {
    if (unknown.has(kind.key) || observation.resources[kind.key] !== undefined) continue;
    const unseen = kind.dependsOn.find((dep) => unknown.has(dep));
    if (unseen === undefined) continue;
    review.unjudged(kind.key);
    unknown.add(kind.key);
    observation.unknown[kind.key] =
      `finding ${kind.type} (${kind.key}): its dependency ${unseen} could not be observed`;
  }
  return held;
}

/** Why a held miss is not a deletion: what names it, found, or held in turn. */
function heldReason(miss: HeldMiss): string {
  const names = miss.by.map((d) => `${d.key} (${d.id})`).join(', ');
  const stale = 'a stale or partial read, not a deletion; not made again, read again by the next pass';
  if (miss.by.every((d) => d.heldBy === undefined)) {
    return `${miss.id} was not found, but ${names}, found by this pass, names it, and AWS deletes no ${miss.key} that these are in or use: ${stale}`;
  }
  const holders = [...new Set(miss.by.flatMap((d) => d.heldBy ?? []))].join(', ');
  return (
    `${miss.id} was not found, but ${names}, missed too but held by ${holders}, are in it: AWS deletes ` +
    `no ${miss.key} with these in it, nor these while what holds them exists: ${stale}`
  );
}

/**
 * The misses no read of this pass can contradict or confirm: a kind with `creates` the stack holds ids
 * for, judged absent, while a dependent that holds it, one the stack holds too, could not be read
 * (throttled past the SDK's retries: `unread`; one judged missing itself names nothing). Counted, the
 * miss would forget a VPC whose subnets the next read shows in it, and make a second one.
 *
 * This chains too: subnets missed while the ALB that holds them could not be read may exist, and so
 * neither contradict nor confirm their VPC's miss. A miss already unknown for its own reason (missed once
 * after it was seen) keeps its reason and verdict (`passedOn`), but passes it on. Dependents first, as
 * `heldMisses`.
 */
function unreadHolders<K extends ManagedResource<StackSpec>>(
  graph: ResourceGraph<K>,
  observation: Observation,
  knownIds: (key: string) => readonly string[],
): { key: string; by: string[]; passedOn?: true }[] {
  const unread = new Set(Object.keys(observation.unread ?? {}).filter((key) => observation.unread![key]));
  const misses = new Map<string, { key: string; by: string[]; passedOn?: true }>();
  for (const kind of [...graph.topological()].reverse()) {
    if (!kind.creates || observation.resources[kind.key] !== undefined) continue;
    if (knownIds(kind.key).length === 0) continue;
    const by = graph
      .dependentsOf(kind.key)
      .filter((dependent) => dependent.holds?.[kind.key] !== undefined)
      .filter((dependent) => unread.has(dependent.key) && knownIds(dependent.key).length > 0)
      .map((dependent) => dependent.key);
    if (by.length === 0) continue;
    unread.add(kind.key);
    misses.set(kind.key, {
      key: kind.key,
      by,
      ...(kind.key in observation.unknown ? { passedOn: true } : {}),
    });
  }
  return graph.topological().flatMap((kind) => misses.get(kind.key) ?? []);
}

/** The ids at `path` (dotted) in the resource's attributes: a string, or the strings of a list. */
function namedIds(resource: ObservedResource, path: string): string[] {
  let value: unknown = resource.attributes;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
