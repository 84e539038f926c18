/**
 * The pass's choice of observation, then decide → plan on it: a steady stack is first observed from its
 * snapshot (engine/observe-inventory.ts); the snapshot is trusted only to confirm that nothing needs doing:
 * a plan with any step is made again from a full observation, so that no step ever acts on a cached
 * resource.
 */
import type { DesiredState } from '../../spec/types';
import type { AwsClients } from '../aws/clients';
import { tryListStackInventory } from '../aws/stack-inventory';
import type { DecideHook } from '../decide/decide-input';
import type { TierDecision } from '../decide/pinned';
import { DEFAULT_FULL_OBSERVE_EVERY_MS, usableSnapshot } from '../engine/observation-snapshot';
import { observe } from '../engine/observe';
import { observeFromSnapshot } from '../engine/observe-inventory';
import { OwnershipLedger } from '../engine/ownership';
import { plan as makePlan } from '../engine/plan';
import type { Observation, Plan } from '../engine/types';
import { resolveAvailabilityZones, type ZoneIds } from '../resources/ec2/availability-zones';
import type { FailedRollout } from '../resources/ecs/service';
import { markFailedRollout, registersTaskDefinition } from '../resources/ecs/failed-rollout';
import type { Intent } from '../resources/intent';
import type { ManagedResource } from '../resources/types';
import type { StackRecord, StateStore } from '../state/types';
import { isStable } from '../status';
import type { TrafficDecision } from '../traffic/shift';
import { decidePass } from './decide';
import { passIntent, planScope, rememberedDnsNames, rememberedIntent } from './plan';

/** What observing, deciding and planning need of the reconciler's options. */
export interface PlanningOptions {
  store: Pick<StateStore, 'tableName'>;
  clients: AwsClients;
  region: string;
  kinds: readonly ManagedResource[];
  /** Time as AWS sees it (the simulated clock in tests and locally). */
  now: () => number;
  concurrency?: number;
  /** The tier to be in; by default the pinned decision (modes lambda and fargate, auto stays put). */
  decide?: DecideHook;
  /** How long a steady stack's snapshot stands in for a full observation (DEFAULT_FULL_OBSERVE_EVERY_MS). */
  fullObserveEveryMs?: number;
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
  /** Whether the observation came from the status's snapshot (confirmed by the inventory) or in full. */
  observedBy: 'inventory' | 'full';
  /** The inventory listed before a full observation, for the next snapshot. */
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
  return new OwnershipLedger(record.bookkeeping, now, { lastSeen });
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
  const verdict = mode.fromSnapshot
    ? usableSnapshot(record, options.now(), maxAge)
    : ({ usable: false, why: 'a dry run observes in full' } as const);
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
      if (planned.plan.steps.length === 0) return { ...planned, observedBy: 'inventory' };
      fullBecause = 'a step is due';
    } else {
      fullBecause = quick.stale;
    }
  }
  // Listed before the full observation, so that anything created meanwhile shows as a change next time;
  // only for a stack at rest: a pass between tiers keeps no snapshot, and the Tagging API's budget is
  // small (a fleet switching tiers at once would spend it on lists nobody reads).
  const atRest = record.status !== undefined && isStable(record.status.phase);
  const inventory = !(mode.fromSnapshot && atRest)
    ? undefined
    : (listed ?? (await tryListStackInventory(options.clients, spec.stack)));
  const observation = await observe({ ...base, ...(inventory ? { inventory } : {}) }, options.kinds, {
    concurrency: options.concurrency,
    judge: (kind, found) => ledger.judge(kind, found),
  });
  ledger.completeAdoption();
  const planned = await decideAndPlan(options, spec, record, observation, remembered, mode);
  return { ...planned, observedBy: 'full', fullBecause, ...(inventory ? { inventory } : {}) };
}

/** decide → plan on one observation. */
async function decideAndPlan(
  options: PlanningOptions,
  spec: DesiredState,
  record: StackRecord,
  observation: Observation,
  remembered: Intent,
  mode: { dnsOnly?: boolean },
): Promise<Omit<Planned, 'observedBy'>> {
  const decided = await decidePass({
    spec,
    record,
    observation,
    kinds: options.kinds,
    now: options.now(),
    ...(options.decide ? { decide: options.decide } : {}),
    dnsOnly: mode.dnsOnly ?? false,
  });
  const { traffic } = decided;
  const scope = planScope(options.kinds, traffic.planResources, observation);
  const zones = await resolveAvailabilityZones(observation, {
    ec2: options.clients.ec2,
    region: options.region,
    recorded: record.bookkeeping.zones,
    needed: traffic.planTier === 'fargate' && scope.topological().some((k) => k.type === 'AWS::EC2::Subnet'),
  });
  const intent = passIntent(remembered, decided, zones);
  const planned = makePlan(spec, traffic.planTier, observation, options.now(), scope, intent);
  const failedRollout = markFailedRollout(
    observation,
    record.bookkeeping.failedRollout,
    registersTaskDefinition(planned),
  );
  return {
    ...decided,
    // A rollout that failed becomes a terminal conflict instead of the same update again.
    plan: failedRollout
      ? makePlan(spec, traffic.planTier, observation, options.now(), scope, intent)
      : planned,
    observation,
    intent,
    zones: zones.zones,
    failedRollout,
  };
}
