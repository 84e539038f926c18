/**
 * The pass's choice of observation, then decide → plan on it: a steady stack is first observed from its
 * snapshot (engine/observe-inventory.ts); the snapshot is trusted only to confirm that nothing needs doing:
 * a plan with any step is made again from a full observation, so that no step ever acts on a cached
 * resource. A stack between tiers starts from the view its last pass left (engine/transition-view.ts):
 * AWS is asked again about everything a step of the pass may act on or read before the plan is final, and
 * a plan with nothing left to do is made again from a full observation.
 */
import type { DesiredState } from '../../spec/types';
import type { AwsTimeBounds } from '../aws/aws-time';
import type { AwsClients } from '../aws/clients';
import { tryListStackInventory } from '../aws/stack-inventory';
import { concurrencyLimit, DEFAULT_CONCURRENCY } from '../concurrency';
import { DEFAULT_INTENT } from '../resources/intent';
import type { DecideHook } from '../decide/decide-input';
import type { TierDecision } from '../decide/pinned';
import { DEFAULT_FULL_OBSERVE_EVERY_MS, usableSnapshot } from '../engine/observation-snapshot';
import { foundAgainById, observe, type Judge } from '../engine/observe';
import { resourceGraph, type ResourceGraph } from '../engine/graph';
import { holdersFromView, reviewMisses } from '../engine/held-by-dependents';
import {
  editedSnapshotView,
  keysActedOn,
  keysOnlyNamed,
  keysToRefresh,
  reusableEntry,
  thisPassReads,
  THIS_PASS_READ_MAX_AGE_MS,
  usableView,
  type TransitionView,
  type ViewEntry,
} from '../engine/transition-view';
import { observeFromSnapshot } from '../engine/observe-inventory';
import { OwnershipLedger } from '../engine/ownership';
import { plan as makePlan } from '../engine/plan';
import type { Observation, Plan, RetryState } from '../engine/types';
import { resolveAvailabilityZones, type ZoneIds } from '../resources/ec2/availability-zones';
import type { FailedRollout } from '../resources/ecs/service';
import { markFailedRollout, registersTaskDefinition } from '../resources/ecs/failed-rollout';
import type { Intent } from '../resources/intent';
import type { BaseContext, ManagedResource, ObservedResource } from '../resources/types';
import type { StackRecord, StateStore } from '../state/types';
import { isStable } from '../status';
import type { TrafficDecision } from '../traffic/shift';
import { decidePass } from './decide';
import { holdForOldName, passIntent, planScope, rememberedDnsNames, rememberedIntent } from './plan';

/** What observing, deciding and planning need of the reconciler's options. */
export interface PlanningOptions {
  store: Pick<StateStore, 'tableName'>;
  clients: AwsClients;
  region: string;
  kinds: readonly ManagedResource[];
  /** Time as AWS sees it (the simulated clock in tests and locally). */
  now: () => number;
  /**
   * AWS's current time as the pass's AWS answers bound it (aws/aws-time.ts), on which safety rule 2's
   * drain is measured; absent (a caller that samples none), the drain waits and never ends.
   */
  awsTime?: () => AwsTimeBounds | undefined;
  concurrency?: number;
  /** The tier to be in; by default the pinned decision (modes lambda and fargate, auto stays put). */
  decide?: DecideHook;
  /** How long a steady stack's snapshot stands in for a full observation (DEFAULT_FULL_OBSERVE_EVERY_MS). */
  fullObserveEveryMs?: number;
  /**
   * Every pass observes in full, never from the snapshot, for this reason (shown as the status's
   * `lastPass.fullObservationBecause`): the CLI's passes, which a user runs to finish the job.
   */
  observeInFullBecause?: string;
  /**
   * The stack's tagged ARNs as the dispatcher's sweep just listed them (dispatch/sweep.ts): a pass at rest
   * uses them instead of listing the stack's inventory itself.
   */
  listedInventory?: readonly string[];
}

/** observe → decide → plan: what a pass would do, without doing it. */
export interface Planned {
  decision: TierDecision;
  traffic: TrafficDecision;
  plan: Plan;
  observation: Observation;
  /** The decisions the plan was made with, for apply to act on the same. */
  intent: Intent;
  /**
   * Whether the observation came from the status's snapshot (confirmed by the inventory), in part from
   * the last pass's view of a stack between tiers, or in full.
   */
  observedBy: 'inventory' | 'view' | 'full';
  /** When this pass asked AWS (for the next view's ages). */
  observedAt: number;
  /** Keys taken from the last pass's view instead of asking AWS; apply acts on none of them. */
  reused?: ReadonlySet<string>;
  /**
   * Keys a step only names, found again by id alone (engine/transition-view.ts `keysOnlyNamed`): their
   * tags are the view's, so the next view keeps their entries' ages, as for `reused`.
   */
  foundById?: ReadonlySet<string>;
  /**
   * The view they were taken from (the last pass's, or an edited stack's snapshot): the next view keeps
   * their reads' ages from it.
   */
  reusedFrom?: TransitionView;
  /**
   * When the oldest of what the observation holds was read: a full observation that ends a switch takes
   * what the Tagging API can't see from the view, and the snapshot it leaves counts from then.
   */
  oldestReadAt?: number;
  /**
   * The inventory listed before a full observation, for the next snapshot; or the one a pass from the
   * snapshot was confirmed by. Either spares the check after apply a listing (pass/missed-but-listed.ts).
   */
  inventory?: string[];
  /** Why the snapshot was not used. */
  fullBecause?: string;
  /** The subnets' Availability Zones, recorded or chosen now, for the bookkeeping. */
  zones: ZoneIds;
  /** A failed rollout of the wanted task definition, for the bookkeeping. */
  failedRollout?: FailedRollout;
}

/** The stack's ownership records for one pass; a stack from before them adopts what its status listed. */
export function ledgerFor(record: StackRecord, now: () => number): OwnershipLedger {
  const lastSeen = Object.fromEntries(
    Object.entries(record.status?.resources ?? {}).map(([key, ref]) => [key, ref.id]),
  );
  // Incarnations came after ownership: a record with one and no `owned` lost it by a hand edit.
  return new OwnershipLedger(record.bookkeeping, now, {
    lastSeen,
    adoptListedOnly: record.incarnation !== undefined,
  });
}

export async function observeAndPlan(
  options: PlanningOptions,
  spec: DesiredState,
  record: StackRecord,
  mode: { dnsOnly?: boolean; fromSnapshot?: boolean; ledger?: OwnershipLedger } = {},
): Promise<Planned> {
  const ledger = mode.ledger ?? ledgerFor(record, options.now);
  const remembered = rememberedIntent(record, rememberedDnsNames(record), options.store.tableName);
  const base = {
    clients: options.clients,
    spec,
    region: options.region,
    now: options.now,
    ownership: ledger,
    intent: remembered,
  };
  const maxAge = options.fullObserveEveryMs ?? DEFAULT_FULL_OBSERVE_EVERY_MS;
  const verdict = !mode.fromSnapshot
    ? ({ usable: false, why: 'a dry run observes in full' } as const)
    : options.observeInFullBecause
      ? ({ usable: false, why: options.observeInFullBecause } as const)
      : usableSnapshot(record, options.now(), maxAge);
  let fullBecause = verdict.usable ? '' : verdict.why;
  /** The inventory the snapshot was checked against: listed once per pass (the Tagging API's budget is small). */
  let listed = options.listedInventory ? [...options.listedInventory].sort() : undefined;
  if (verdict.usable) {
    const quick = await observeFromSnapshot(base, options.kinds, verdict.snapshot, {
      concurrency: options.concurrency,
      ...(listed ? { inventory: listed } : {}),
    });
    listed = quick.inventory;
    if ('observation' in quick) {
      const planned = await decideAndPlan(options, spec, record, quick.observation, remembered, mode);
      if (planned.plan.steps.length === 0)
        return { ...planned, observedBy: 'inventory', observedAt: verdict.snapshot.at, inventory: listed };
      fullBecause = 'a step is due';
    } else {
      fullBecause = quick.stale;
    }
  }
  const judge: Judge = (kind, found) => ledger.judge(kind, found);
  const view =
    mode.fromSnapshot && !verdict.usable ? viewToStartFrom(record, options.kinds, options.now()) : undefined;
  /** The view a switch's last pass confirms: what the Tagging API can't see may come from it. */
  let confirming: TransitionView | undefined;
  /** What that pass asked AWS itself moments before: its confirming observation does not ask again. */
  let ownReads: TransitionView | undefined;
  if (view?.usable) {
    const observedAt = options.now();
    const context = { base, judge, ledger, retries: record.bookkeeping.retries };
    const fromView = await observeFromView(options, context, view.view, (observation) =>
      decideAndPlan(options, spec, record, observation, remembered, mode),
    );
    if (fromView.planned.plan.steps.length > 0) {
      return {
        ...fromView.planned,
        observedBy: 'view',
        observedAt,
        reused: fromView.reused,
        ...(fromView.foundById.size > 0 ? { foundById: fromView.foundById } : {}),
        reusedFrom: view.view,
      };
    }
    // Only a fresh observation may call the stack settled: everything the Tagging API lists, and what
    // moves on its own, is asked for again. What it can't see (a role, a route, a permission) is taken
    // from the view when read less than 15 minutes ago and untouched since, as a settled stack trusts its
    // snapshot of it; the snapshot then counts from the oldest such read, so that the next full
    // observation comes as soon as it would have. (Two thirds of a switch's IAM reads were these
    // observations', and IAM's budget is the smallest a fleet switching at once shares.)
    fullBecause = 'nothing left to do: confirmed by a full observation';
    confirming = view.view;
    ownReads = thisPassReads(
      fromView.planned.observation,
      options.kinds,
      new Set([...fromView.reused, ...fromView.foundById]),
      observedAt,
      record.generation,
    );
  }
  // Listed before the full observation, so that anything created meanwhile shows as a change next time;
  // only for a stack at rest: a pass between tiers keeps no snapshot, and the Tagging API's budget is
  // small (a fleet switching tiers at once would spend it on lists nobody reads).
  // Nor for the pass that first sees an edit: it is about to act on it (a switch of tiers, a new image),
  // and a pass that acts leaves no snapshot; an edit that changes nothing is settled without one, and the
  // dispatcher's sweep hands the next pass its inventory. (A thousand stacks switched at once listed a
  // thousand inventories nobody read, at the workers' half of five Tagging calls a second.)
  const atRest = record.status !== undefined && isStable(record.status.phase);
  const edited = record.status !== undefined && record.status.observedGeneration !== record.generation;
  const inventory = !(mode.fromSnapshot && atRest)
    ? undefined
    : (listed ?? (edited ? undefined : await tryListStackInventory(options.clients, spec.stack)));
  const observedAt = options.now();
  /** Keys taken from the view confirmed (what the Tagging API can't see): not found by this pass. */
  const taken = new Set<string>();
  /** Every key taken instead of asked (`observe` adds it): from that view, or this pass's own reads. */
  const reused = new Set<string>();
  /** Each reused key's entry: the next view and snapshot keep its read's age. */
  const reusedEntries: Record<string, ViewEntry> = {};
  const confirmingReuse = (confirmed: TransitionView, own: TransitionView) => ({
    entry: (kind: ManagedResource, refs: Readonly<Record<string, ObservedResource | undefined>>) => {
      const read = reusableEntry(own, kind, refs, ledger, observedAt, THIS_PASS_READ_MAX_AGE_MS, true);
      if (read) {
        reusedEntries[kind.key] = own.entries[kind.key]!;
        return read;
      }
      const entry =
        kind.steadyCheck === 'untagged'
          ? reusableEntry(confirmed, kind, refs, ledger, observedAt)
          : undefined;
      if (entry) {
        taken.add(kind.key);
        reusedEntries[kind.key] = confirmed.entries[kind.key]!;
      }
      return entry;
    },
    taken: reused,
  });
  const observation = await observe({ ...base, ...(inventory ? { inventory } : {}) }, options.kinds, {
    concurrency: options.concurrency,
    judge,
    ...(confirming && ownReads ? { reuse: confirmingReuse(confirming, ownReads) } : {}),
  });
  // A miss a dependent found by this pass contradicts is not a deletion (engine/held-by-dependents.ts):
  // what it read itself moments before counts as found by it, what it took from the view does not.
  reviewMisses(resourceGraph(options.kinds), observation, ledger, taken);
  ledger.completeAdoption();
  const planned = await decideAndPlan(options, spec, record, observation, remembered, mode);
  const readAts = [...reused].map((key) => reusedEntries[key]!.readAt);
  return {
    ...planned,
    observedBy: 'full',
    observedAt,
    fullBecause,
    ...(inventory ? { inventory } : {}),
    ...(confirming && reused.size > 0
      ? {
          reused,
          reusedFrom: { generation: confirming.generation, entries: reusedEntries },
          oldestReadAt: Math.min(observedAt, ...readAts),
        }
      : {}),
  };
}

/**
 * The view a pass that may not use the snapshot starts from: the last pass's (a stack between tiers),
 * or, for the pass that first sees an edit of a settled stack, what its snapshot holds of what the
 * Tagging API can't see (engine/transition-view.ts `editedSnapshotView`).
 */
function viewToStartFrom(
  record: StackRecord,
  kinds: readonly ManagedResource[],
  now: number,
): ReturnType<typeof usableView> {
  const view = usableView(record);
  if (view.usable) return view;
  const edited = editedSnapshotView(record, kinds, now);
  return edited ? { usable: true, view: edited } : view;
}

/**
 * Observes from the view: AWS is asked about what the view can't stand for; then, as long as a step of
 * the plan may act on a key taken from the view or read one, about those keys (and what was found through
 * them), and the plan is made again.
 */
async function observeFromView(
  options: PlanningOptions,
  context: {
    base: BaseContext;
    judge: Judge;
    ledger: OwnershipLedger;
    /** The retries the pass starts with: a step in backoff does not act. */
    retries: Readonly<Record<string, RetryState>>;
  },
  view: TransitionView,
  planOn: (observation: Observation) => Promise<Omit<Planned, 'observedBy' | 'observedAt'>>,
): Promise<{
  planned: Omit<Planned, 'observedBy' | 'observedAt'>;
  reused: Set<string>;
  foundById: Set<string>;
}> {
  const graph = resourceGraph(options.kinds);
  const now = options.now();
  const reused = new Set<string>();
  /** Keys a step needs seen by this pass: never taken from the view again. */
  const asked = new Set<string>();
  const reuse = {
    entry: (kind: ManagedResource, refs: Readonly<Record<string, ObservedResource | undefined>>) =>
      asked.has(kind.key) ? undefined : reusableEntry(view, kind, refs, context.ledger, now),
    taken: reused,
  };
  const observation = await observe(context.base, graph, {
    concurrency: options.concurrency,
    judge: context.judge,
    reuse,
  });
  reviewMisses(graph, observation, context.ledger, reused);
  let planned = await planOn(observation);
  /** Keys found again by id alone (what a step only names): their tags are the view's. */
  const foundById = new Set<string>();
  for (;;) {
    // And what, taken from the view, names a resource this pass missed: read again, it may hold it.
    const holders = holdersFromView(graph, observation, (key) => context.ledger.knownIds(key), reused);
    // One found by id that a step now acts on (its drift planned an update) is found in full.
    const actedOn = [...keysActedOn(planned.plan, context.retries, now)].filter((k) => foundById.has(k));
    for (const key of actedOn) foundById.delete(key);
    const wanted = [
      ...new Set([
        ...keysToRefresh(planned.plan, graph, reused, context.retries, now),
        ...holders,
        ...actedOn,
      ]),
    ];
    if (wanted.length === 0) return { planned, reused, foundById };
    for (const key of wanted) asked.add(key);
    const named = keysOnlyNamed(planned.plan, graph, context.retries, now);
    const byId = wanted.filter((key) => named.has(key) && !holders.includes(key) && !actedOn.includes(key));
    const confirmed = await findAgainById(context.base, graph, observation, byId, options.concurrency);
    for (const key of confirmed) {
      reused.delete(key);
      foundById.add(key);
    }
    const keys = wanted.filter((key) => !confirmed.has(key));
    if (keys.length === 0) {
      planned = await planOn(observation);
      continue;
    }
    // What was taken from the view through them goes too: it is checked against their fresh ids.
    const again = withReusedDependents(graph, keys, reused);
    for (const key of again) reused.delete(key);
    const hints = Object.fromEntries(
      Object.entries(observation.resources).filter(([key]) => !again.has(key)),
    );
    const found = await observe(context.base, graph.restrict(again), {
      concurrency: options.concurrency,
      judge: context.judge,
      hints,
      reuse,
    });
    mergeInto(observation, found, again);
    reviewMisses(graph, observation, context.ledger, reused);
    planned = await planOn(observation);
  }
}

/**
 * Finds again by id alone (`findById`) each of `keys` a step only names, in place in `observation`: the
 * keys AWS still shows as the view saw them (the same id, ready, the stack's). The rest, a kind without
 * `findById`, a miss or a failed call, are left to the full finders (a failure there is unknown, not
 * absent).
 */
async function findAgainById(
  base: BaseContext,
  graph: ResourceGraph<ManagedResource>,
  observation: Observation,
  keys: readonly string[],
  concurrency?: number,
): Promise<Set<string>> {
  const confirmed = new Set<string>();
  const limit = concurrencyLimit(concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const kind = graph.get(key);
        if (!kind) return;
        const context = { ...base, intent: base.intent ?? DEFAULT_INTENT, refs: observation.resources };
        const found = await foundAgainById(kind, context, observation.resources[key]);
        if (!found) return;
        observation.resources[key] = found;
        confirmed.add(key);
      }),
    ),
  );
  return confirmed;
}

/** `keys`, and every key taken from the view that was found through one of them, however indirectly. */
function withReusedDependents(
  graph: ResourceGraph<ManagedResource>,
  keys: readonly string[],
  reused: ReadonlySet<string>,
): Set<string> {
  const all = new Set(keys);
  const queue = [...keys];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const dependent of graph.dependentsOf(key)) {
      if (reused.has(dependent.key) && !all.has(dependent.key)) {
        all.add(dependent.key);
        queue.push(dependent.key);
      }
    }
  }
  return all;
}

/** Puts what `found` says of `keys` into `observation`, in place of what it said before. */
function mergeInto(observation: Observation, found: Observation, keys: ReadonlySet<string>): void {
  for (const key of keys) {
    observation.resources[key] = found.resources[key];
    if (key in found.unknown) observation.unknown[key] = found.unknown[key]!;
    else delete observation.unknown[key];
    if (found.unread?.[key]) (observation.unread ??= {})[key] = true;
    else if (observation.unread) delete observation.unread[key];
    for (const part of ['duplicates', 'foreign'] as const) {
      const list = found[part]?.[key];
      if (list && list.length > 0) (observation[part] ??= {})[key] = list;
      else if (observation[part]) delete observation[part][key];
    }
  }
}

/** decide → plan on one observation. */
async function decideAndPlan(
  options: PlanningOptions,
  spec: DesiredState,
  record: StackRecord,
  observation: Observation,
  remembered: Intent,
  mode: { dnsOnly?: boolean },
): Promise<Omit<Planned, 'observedBy' | 'observedAt'>> {
  const decided = await decidePass({
    spec,
    record,
    observation,
    kinds: options.kinds,
    now: options.now(),
    awsTime: options.awsTime?.(),
    ...(options.decide ? { decide: options.decide } : {}),
    dnsOnly: mode.dnsOnly ?? false,
  });
  const { traffic } = decided;
  const scope = planScope(options.kinds, traffic.planResources, observation, traffic.rewriteWeights);
  const zones = await resolveAvailabilityZones(observation, {
    ec2: options.clients.ec2,
    region: options.region,
    recorded: record.bookkeeping.zones,
    needed: traffic.planTier === 'fargate' && scope.topological().some((k) => k.type === 'AWS::EC2::Subnet'),
  });
  const intent = passIntent(remembered, decided, zones);
  const planFor = () =>
    holdForOldName(
      makePlan(spec, traffic.planTier, observation, options.now(), scope, intent),
      traffic,
      observation,
    );
  const planned = planFor();
  const failedRollout = markFailedRollout(
    observation,
    record.bookkeeping.failedRollout,
    registersTaskDefinition(planned),
  );
  return {
    ...decided,
    // A rollout that failed becomes a terminal conflict instead of the same update again.
    plan: failedRollout ? planFor() : planned,
    observation,
    intent,
    zones: zones.zones,
    failedRollout,
  };
}
