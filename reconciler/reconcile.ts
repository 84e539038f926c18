/**
 * One pass of the reconciler for one stack (docs/design.md "One pass of the reconciler"):
 * lease → read + validate → observe → decide → plan → apply → write status → release.
 *
 * Like controller-runtime's Reconcile, a pass returns when to come back (`requeueAfterMs`) instead of
 * sleeping, and can die at any instant: every step is idempotent and AWS, not the status, is the truth,
 * so the next pass finishes the job.
 */
import { validateSpec } from '../spec';
import type { DesiredState } from '../spec/types';
import { countCalls, instrumentClients, type CallCounts } from './aws/call-counter';
import type { AwsClients } from './aws/clients';
import { fenceClients, withLeaseFence } from './aws/lease-fence';
import { LeaseKeeper } from './lease-keeper';
import type { DecideInput } from './decide/decide-input';
import { pinnedTier, type TierDecision } from './decide/pinned';
import { applyPlan } from './engine/apply';
import { observe } from './engine/observe';
import { tryListStackInventory } from './aws/stack-inventory';
import { observeFromSnapshot } from './engine/observe-inventory';
import { DEFAULT_FULL_OBSERVE_EVERY_MS, nextSnapshot, usableSnapshot } from './engine/observation-snapshot';
import { OwnershipLedger } from './engine/ownership';
import { journalFor } from './engine/ownership-journal';
import { kindGraph } from './engine/graph';
import { plan as makePlan } from './engine/plan';
import type { Observation, Plan, PlanStep, RetryState, StepOutcome } from './engine/types';
import type { ResourceKind } from './resources/types';
import {
  LeaseLostError,
  SpecValidationError,
  StackNotFoundError,
  type StackEvent,
  type StackRecord,
  type StackStatus,
  type StateStore,
} from './state/types';
import { buildBookkeeping, buildStatus, isStable } from './status';
import {
  decideTraffic,
  DNS_KEYS,
  fargateHealth,
  type ShiftState,
  type TrafficDecision,
} from './traffic/shift';
import { DEFAULT_INTENT, type Intent } from './resources/intent';
import { namesToRemember } from './resources/route53/dns-leftovers';
import {
  namesFromRecordIds,
  specName,
  withName,
  type WrittenDnsName,
} from './resources/route53/written-dns-names';
import { resolveAvailabilityZones, type ZoneIds } from './resources/ec2/availability-zones';
import type { FailedRollout } from './resources/ecs/ecs-service';
import { markFailedRollout, registersTaskDefinition } from './resources/ecs/failed-rollout';

export type { DecideInput } from './decide/decide-input';

export interface ReconcilerOptions {
  store: StateStore;
  clients: AwsClients;
  region: string;
  kinds: readonly ResourceKind[];
  /** Who takes the lease: unique per reconciler process. */
  holder: string;
  /** Time as AWS sees it (the simulated clock in tests and locally). */
  now: () => number;
  /** Elapsed time for the pass's budget (real time by default). */
  elapsed?: () => number;
  /** Counted from the start of the pass: after it, no step is started. */
  budgetMs?: number;
  /** How long the lease lasts (DEFAULT_LEASE_TTL_MS); it is renewed while the pass runs. */
  leaseTtlMs?: number;
  /** The longest one AWS call of `clients` can take (MAX_CALL_MS of the default clients). */
  callBoundMs?: number;
  concurrency?: number;
  random?: () => number;
  /** The tier to be in; by default the pinned decision (modes lambda and fargate, auto stays put). */
  decide?: (input: DecideInput) => TierDecision | Promise<TierDecision>;
  /**
   * The stack's tagged ARNs as the dispatcher's sweep just listed them (dispatch/sweep.ts): a pass at rest
   * uses them instead of listing the stack's inventory itself.
   */
  listedInventory?: readonly string[];
  /** How long a steady stack's snapshot stands in for a full observation (DEFAULT_FULL_OBSERVE_EVERY_MS). */
  fullObserveEveryMs?: number;
  onStep?: (stack: string, step: PlanStep, outcome: StepOutcome | { status: 'started' }) => void;
}

export interface PassResult {
  stack: string;
  outcome: 'reconciled' | 'skipped' | 'invalid' | 'terminal' | 'deleted';
  /** Why a pass was skipped or stopped early. */
  reason?: string;
  phase?: StackStatus['phase'];
  settled: boolean;
  requeueAfterMs?: number;
  plan?: Plan;
  calls: CallCounts;
}

/** A pass stops starting steps after this long unless told otherwise: well within the two-minute lease. */
export const DEFAULT_PASS_BUDGET_MS = 90_000;

const NO_CALLS: CallCounts = { total: 0, mutating: 0, byOperation: {} };

export async function reconcileStack(options: ReconcilerOptions, stack: string): Promise<PassResult> {
  const { store, holder } = options;
  const passStartedAt = (options.elapsed ?? Date.now)();
  instrumentClients(options.clients);
  fenceClients(options.clients);
  const lease = new LeaseKeeper({
    store,
    stack,
    holder,
    now: options.now,
    ...(options.leaseTtlMs === undefined ? {} : { ttlMs: options.leaseTtlMs }),
    ...(options.callBoundMs === undefined ? {} : { callBoundMs: options.callBoundMs }),
  });
  if (!(await lease.acquire())) {
    return {
      stack,
      outcome: 'skipped',
      reason: 'another reconciler holds the lease',
      settled: false,
      calls: NO_CALLS,
    };
  }
  try {
    // Safety rule 8: every AWS call of the pass goes through the lease's fence and heartbeat.
    return await withLeaseFence(lease, () => passWithLease(options, stack, passStartedAt));
  } catch (error) {
    // The lease ran out or was taken mid-pass: this pass stopped before its next mutating call (or its
    // status write), and whoever holds the lease now carries on.
    if (!(error instanceof LeaseLostError)) throw error;
    return {
      stack,
      outcome: 'skipped',
      reason: `lease lost mid-pass: ${error.message}`,
      settled: false,
      calls: NO_CALLS,
    };
  } finally {
    await lease.release();
  }
}

async function passWithLease(
  options: ReconcilerOptions,
  stack: string,
  passStartedAt: number,
): Promise<PassResult> {
  const { store, holder } = options;
  const record = await store.get(stack);
  if (!record) return { stack, outcome: 'skipped', reason: 'no such stack', settled: false, calls: NO_CALLS };

  const validation = validateSpec(record.spec);
  if (!validation.ok) {
    // Safety rule 5: an invalid spec (a hand edit in the console) changes nothing in AWS.
    const message = validation.errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
    await store.writeStatus(stack, (current) => invalidStatus(current, message, options.now()), {
      leaseHolder: holder,
    });
    if (record.status?.conditions.find((c) => c.type === 'SpecValid')?.message !== message) {
      await store.appendEvents(stack, [
        { at: options.now(), type: 'Warning', reason: 'SpecInvalid', message },
      ]);
    }
    return {
      stack,
      outcome: 'invalid',
      reason: message,
      phase: record.status?.phase,
      settled: false,
      calls: NO_CALLS,
    };
  }
  const spec = validation.spec;
  const deletionRequested = record.deletionRequestedAt !== undefined;
  const previousTerminal = record.bookkeeping.terminal;
  // docs/design.md "Errors": a terminal error is not retried until the spec changes. The pass still watches the
  // traffic, so that unhealthy Fargate targets are rolled back from even then (safety rule 1).
  const terminal =
    previousTerminal && previousTerminal.generation === record.generation && !deletionRequested
      ? previousTerminal
      : undefined;

  const startedAt = options.now();
  const startedReal = Date.now();
  const retries: Record<string, RetryState> = structuredClone(record.bookkeeping.retries);
  const ledger = ledgerFor(record, options.now);
  const { result: pass, calls } = await countCalls(async () => {
    const planned = await observeAndPlan(options, spec, record, {
      dnsOnly: terminal !== undefined,
      fromSnapshot: true,
      ledger,
    });
    const { plan, observation, intent } = planned;
    const dnsNames = namesBeforeApply(rememberedDnsNames(record), spec, plan);
    const newDnsName = dnsNames.length > rememberedDnsNames(record).length;
    if (plan.steps.length > 0 && (record.bookkeeping.observationSnapshot || newDnsName)) {
      // A pass that dies while applying writes no status: the next one must not trust a snapshot from
      // before these steps (a role they created is invisible to the inventory), so it goes first; and a
      // DNS name is remembered before the first record is written there (records can't be found by tag).
      await store.writeReconcilerState(
        stack,
        (current) => ({
          bookkeeping: { ...current.bookkeeping, observationSnapshot: undefined, dnsNames },
        }),
        { leaseHolder: holder },
      );
    }
    const result = await applyPlan(plan, observation, {
      clients: options.clients,
      spec,
      intent,
      region: options.region,
      now: options.now,
      kinds: options.kinds,
      retries,
      concurrency: options.concurrency,
      // Within the lease (two minutes), with room to write the status.
      budgetMs: options.budgetMs ?? DEFAULT_PASS_BUDGET_MS,
      elapsed: options.elapsed,
      startedAt: passStartedAt,
      random: options.random,
      onStep: options.onStep && ((step, outcome) => options.onStep!(stack, step, outcome)),
      ownership: { ledger, journal: journalFor(store, stack, holder, ledger) },
    });
    return { ...planned, result, dnsNames };
  });

  const now = options.now();
  // Settled means a fresh observation planned nothing. A pass that applied steps has not seen their
  // effect (a new task definition revision makes the service differ), so only the next pass can say.
  const settled =
    !terminal && pass.plan.steps.length === 0 && pass.result.settled && isStable(pass.traffic.phase);
  const terminalNow = Object.values(pass.result.outcomes).flatMap((o) =>
    o.status === 'terminal' ? [o.message] : [],
  );
  const snapshot = nextSnapshot({
    observedBy: pass.observedBy,
    previous: record.bookkeeping.observationSnapshot,
    ...(pass.inventory ? { inventory: pass.inventory } : {}),
    observation: pass.result.observation,
    kinds: options.kinds,
    generation: record.generation,
    now,
    settled,
  });
  const summary = {
    observed: { by: pass.observedBy, why: pass.fullBecause, snapshot },
    generation: record.generation,
    target: pass.decision.tier,
    reason: pass.decision.reason,
    statusPatch: pass.decision.statusPatch,
    bookkeepingPatch: pass.decision.bookkeepingPatch,
    traffic: pass.traffic,
    plan: pass.plan,
    result: pass.result,
    kinds: options.kinds,
    retries,
    calls,
    startedAt,
    durationMs: Date.now() - startedReal,
    now,
    stickyTerminal: terminal,
    dnsNames: namesToRemember({
      before: pass.dnsNames,
      spec,
      resources: pass.result.observation.resources,
      unknown: pass.result.observation.unknown,
      recordKeys: Object.values(DNS_KEYS),
    }),
    zones: pass.zones,
    failedRollout: pass.failedRollout,
    pendingCreates: ledger.pendingCreates(),
  };
  const written = await store.writeReconcilerState(
    stack,
    (current) => ({
      status: buildStatus(summary, current.status),
      bookkeeping: { ...buildBookkeeping(summary), ...ledger.toBookkeeping() },
    }),
    { leaseHolder: holder },
  );
  const status = written.status!;
  await store.appendEvents(stack, eventsOf(record.status, status, now, pass.traffic));

  // Nothing left means every kind was seen absent (or foreign), and no duplicate of the stack's remains:
  // one that could not be observed may remain.
  const nothingLeft =
    options.kinds.every((k) => {
      const left = pass.result.observation.resources[k.key];
      return !(k.key in pass.result.observation.unknown) && (!left || left.foreign);
    }) && Object.keys(pass.result.observation.duplicates ?? {}).length === 0;
  if (deletionRequested && pass.result.settled && nothingLeft) {
    await store.deleteRecord(stack, { expectedVersion: written.version });
    return { stack, outcome: 'deleted', phase: 'Deleting', settled: true, plan: pass.plan, calls };
  }
  if (terminal || (terminalNow.length > 0 && !deletionRequested)) {
    return {
      stack,
      outcome: 'terminal',
      reason: [...new Set([...(terminal?.messages ?? []), ...terminalNow])].join('; '),
      phase: status.phase,
      settled: false,
      calls,
    };
  }
  return {
    stack,
    outcome: 'reconciled',
    phase: status.phase,
    settled: settled && isStable(status.phase),
    requeueAfterMs: status.lastPass?.requeueAfterMs,
    plan: pass.plan,
    calls,
  };
}

/** The stack's ownership records for one pass; a stack from before them adopts what its status listed. */
function ledgerFor(record: StackRecord, now: () => number): OwnershipLedger {
  const lastSeen = Object.fromEntries(
    Object.entries(record.status?.resources ?? {}).map(([key, ref]) => [key, ref.id]),
  );
  return new OwnershipLedger(record.bookkeeping, now, { lastSeen });
}

/**
 * After a terminal error nothing is retried, but traffic is still watched: weights stay as Route 53 holds
 * them while the Fargate targets are healthy, and go back to Lambda at once when they are not.
 */
function holdOrRollBack(
  spec: DesiredState,
  observation: Observation,
  decided: TrafficDecision,
  previous: ShiftState | undefined,
): TrafficDecision {
  const health = fargateHealth(spec, observation);
  const onFargate = decided.observed.fargate > 0;
  const rollBack = onFargate && !health.healthy;
  return {
    ...decided,
    planTier: 'fargate',
    planKinds: 'dns-only',
    weights: rollBack ? { lambda: 100, fargate: 0 } : decided.observed,
    shift: rollBack ? { fargateWeight: 0 } : (previous ?? { fargateWeight: decided.observed.fargate }),
    reason: rollBack
      ? `rolled back to Lambda: ${health.why} (changes stopped by a terminal error)`
      : `traffic held at Fargate ${decided.observed.fargate} % (changes stopped by a terminal error)`,
    ...(rollBack ? { rollback: health.why } : { rollback: undefined }),
  };
}

/**
 * What the stack remembers and AWS can't be asked for by tag, for the finders and the plan: the Route 53
 * changes the last pass left PENDING, the DNS names it wrote at, the recorded zones; and the table the
 * function and the task must read their record from (the one this reconciler reads it from).
 */
function rememberedIntent(options: ReconcilerOptions, record: StackRecord): Intent {
  return {
    ...DEFAULT_INTENT,
    pendingChanges: record.bookkeeping.pendingChanges,
    dnsNames: rememberedDnsNames(record),
    zones: record.bookkeeping.zones ?? {},
    stateTable: options.store.tableName,
  };
}

/**
 * The DNS names the stack remembers writing at; a record from before they were remembered names its own
 * (the ids of its weighted records in the status), once.
 */
function rememberedDnsNames(record: StackRecord): WrittenDnsName[] {
  return (
    record.bookkeeping.dnsNames ??
    namesFromRecordIds(Object.values(record.status?.resources ?? {}).map((r) => r.id))
  );
}

/** The names to remember before applying `plan`: with the spec's when the plan writes records there. */
function namesBeforeApply(remembered: WrittenDnsName[], spec: DesiredState, plan: Plan): WrittenDnsName[] {
  const name = specName(spec);
  const writes = plan.steps.some(
    (s) =>
      (s.action === 'create' || s.action === 'update') && Object.values(DNS_KEYS).includes(s.key as never),
  );
  return name && writes ? withName(remembered, name) : remembered;
}

/** observe → decide → plan: what a pass would do, without doing it. */
interface Planned {
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

/**
 * A steady stack is first observed from its snapshot (engine/observe-inventory.ts); the snapshot is
 * trusted only to confirm that nothing needs doing: a plan with any step is made again from a full
 * observation, so that no step ever acts on a cached resource.
 */
async function observeAndPlan(
  options: ReconcilerOptions,
  spec: DesiredState,
  record: StackRecord,
  mode: { dnsOnly?: boolean; fromSnapshot?: boolean; ledger?: OwnershipLedger } = {},
): Promise<Planned> {
  const ledger = mode.ledger ?? ledgerFor(record, options.now);
  const remembered = rememberedIntent(options, record);
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
  if (verdict.usable) {
    const quick = await observeFromSnapshot(base, options.kinds, verdict.snapshot, {
      concurrency: options.concurrency,
      ...(options.listedInventory ? { inventory: options.listedInventory } : {}),
    });
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
    : options.listedInventory
      ? [...options.listedInventory].sort()
      : await tryListStackInventory(options.clients, spec.stack);
  const observation = await observe({ ...base, ...(inventory ? { inventory } : {}) }, options.kinds, {
    concurrency: options.concurrency,
    judge: (kind, found) => ledger.judge(kind, found),
  });
  ledger.completeAdoption();
  const planned = await decideAndPlan(options, spec, record, observation, remembered, mode);
  return { ...planned, observedBy: 'full', fullBecause, ...(inventory ? { inventory } : {}) };
}

async function decideAndPlan(
  options: ReconcilerOptions,
  spec: DesiredState,
  record: StackRecord,
  observation: Observation,
  remembered: Intent,
  mode: { dnsOnly?: boolean },
): Promise<Omit<Planned, 'observedBy'>> {
  const deletionRequested = record.deletionRequestedAt !== undefined;
  const input: DecideInput = { spec, record, observation, kinds: options.kinds, now: options.now() };
  const decision =
    deletionRequested || !options.decide
      ? pinnedTier(spec, {
          deletionRequested,
          observation,
          kinds: options.kinds,
          lastTier: record.status?.lastDecision?.tier,
        })
      : await options.decide(input);
  const previous = record.bookkeeping.shift;
  const decided = decideTraffic({
    spec,
    target: decision.tier,
    observation,
    kinds: options.kinds,
    previous,
    now: options.now(),
    ...(decision.requestRate === undefined ? {} : { requestRate: decision.requestRate }),
  });
  const traffic = mode.dnsOnly ? holdOrRollBack(spec, observation, decided, previous) : decided;
  // A record whose look-up failed may exist too: planned, it gets a wait rather than being forgotten.
  const existingRecord = (k: ResourceKind) =>
    Object.values(DNS_KEYS).includes(k.key as never) &&
    (observation.resources[k.key] !== undefined || k.key in observation.unknown);
  // While traffic drains, the plan sees the Lambda tier and the existing records only: nothing of the
  // Fargate tier is created or deleted until the drain is over (safety rule 2). After a terminal error
  // only the existing records are planned.
  const graph = kindGraph(options.kinds);
  const planKinds =
    traffic.planKinds === 'all'
      ? graph
      : graph.restrict(
          options.kinds
            .filter((k) => existingRecord(k) || (traffic.planKinds === 'records-only' && k.tier === 'lambda'))
            .map((k) => k.key),
        );
  const zones = await resolveAvailabilityZones(observation, {
    ec2: options.clients.ec2,
    region: options.region,
    recorded: record.bookkeeping.zones,
    needed:
      traffic.planTier === 'fargate' && planKinds.topological().some((k) => k.type === 'AWS::EC2::Subnet'),
  });
  // Tasks ahead of a rise (the decider's) or for the traffic about to move (the engine's): the larger.
  const minTasks = Math.max(
    traffic.fargateMinTasks ?? 0,
    decision.tier === 'fargate' ? (decision.fargateMinTasks ?? 0) : 0,
  );
  // What the kinds are told beside the spec: the traffic engine's weights, the tasks to keep, the zones.
  const intent: Intent = {
    ...remembered,
    weights: traffic.weights,
    ...(minTasks > 0 ? { fargateMinTasks: minTasks } : {}),
    zones: zones.zones,
    ...(zones.shortOf ? { zonesShortOf: zones.shortOf } : {}),
  };
  const planned = makePlan(spec, traffic.planTier, observation, options.now(), planKinds, intent);
  const failedRollout = markFailedRollout(
    observation,
    record.bookkeeping.failedRollout,
    registersTaskDefinition(planned),
  );
  return {
    decision,
    traffic,
    // A rollout that failed becomes a terminal conflict instead of the same update again.
    plan: failedRollout
      ? makePlan(spec, traffic.planTier, observation, options.now(), planKinds, intent)
      : planned,
    observation,
    intent,
    zones: zones.zones,
    failedRollout,
  };
}

/**
 * A dry run (`lambdaflex plan`): the plan the next pass would make, with its API calls. Takes no lease and
 * changes nothing. Throws SpecValidationError for an invalid spec and StackNotFoundError for no record.
 */
export async function planStack(
  options: ReconcilerOptions,
  stack: string,
): Promise<{ plan: Plan; decision: TierDecision; calls: CallCounts }> {
  instrumentClients(options.clients);
  const record = await options.store.get(stack);
  if (!record) throw new StackNotFoundError(stack);
  const validation = validateSpec(record.spec);
  if (!validation.ok) throw new SpecValidationError(validation.errors);
  const { result, calls } = await countCalls(() => observeAndPlan(options, validation.spec, record));
  return {
    plan: result.plan,
    decision: { ...result.decision, reason: `${result.decision.reason}; ${result.traffic.reason}` },
    calls,
  };
}

function invalidStatus(current: StackRecord, message: string, now: number): StackStatus {
  const previous = current.status;
  const before = previous?.conditions.find((c) => c.type === 'SpecValid');
  const condition = {
    type: 'SpecValid',
    status: 'False' as const,
    reason: 'Invalid',
    message,
    lastTransitionTime: before?.status === 'False' ? before.lastTransitionTime : now,
  };
  return {
    ...(previous ?? { phase: 'Pending', resources: {} }),
    observedGeneration: previous?.observedGeneration ?? 0,
    phase: previous?.phase ?? 'Pending',
    resources: previous?.resources ?? {},
    conditions: [condition, ...(previous?.conditions ?? []).filter((c) => c.type !== 'SpecValid')],
  };
}

/** Phase changes and new errors become events; a repeated error is not logged again. */
function eventsOf(
  before: StackStatus | undefined,
  after: StackStatus,
  now: number,
  traffic: TrafficDecision,
): StackEvent[] {
  const events: StackEvent[] = [];
  if (traffic.rollback) {
    events.push({
      at: now,
      type: 'Warning',
      reason: 'RolledBack',
      message: `traffic moved back to Lambda: ${traffic.rollback}`,
    });
  }
  if (before?.phase !== after.phase) {
    events.push({
      at: now,
      type: 'Normal',
      reason: 'PhaseChanged',
      message: `${before?.phase ?? 'none'} → ${after.phase}: ${String(after.reason ?? '')}`,
    });
  }
  const errorsBefore = before?.conditions.find((c) => c.type === 'Errors')?.message;
  const errorsAfter = after.conditions.find((c) => c.type === 'Errors');
  if (errorsAfter && errorsAfter.message !== errorsBefore) {
    events.push({ at: now, type: 'Warning', reason: errorsAfter.reason, message: errorsAfter.message });
  }
  return events;
}
