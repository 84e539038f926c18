/**
 * The pass's writes to the stack's record: an invalid spec's condition and event; what must be on record
 * before applying; the status, bookkeeping and events after.
 */
import type { DesiredState } from '../../spec/types';
import type { CallCounts } from '../aws/call-counter';
import { nextSnapshot } from '../engine/observation-snapshot';
import { planChangesSomething } from '../engine/plan';
import { nextTransitionView } from '../engine/transition-view';
import type { OwnershipLedger } from '../engine/ownership';
import type { ApplyResult, Plan, RetryState } from '../engine/types';
import { namesToRemember } from '../resources/route53/dns-leftovers';
import type { WrittenDnsName } from '../resources/route53/written-dns-names';
import type { ManagedResource } from '../resources/types';
import { storedReconciledSpec, type ReconciledSpec, type TerminalState } from '../state/bookkeeping';
import type { StackRecord, StackStatus, StateStore } from '../state/types';
import { buildBookkeeping, buildStatus, type PassSummary } from '../status';
import { shiftBeforeWrites } from '../traffic/known-change';
import { DNS_KEYS } from '../traffic/shift';
import { eventsOf } from './events';
import { changedSpecFields, rememberedSpecFields, sameSpec, specFields } from './spec-fields';
import { IGNORED_WHILE_DELETING, type IgnoredSpec } from './deletion-spec';
import type { StillListed } from './missed-but-listed';
import { isSettled, NO_CALLS, passOutcome, type PassResult } from './outcome';
import { namesBeforeApply, rememberedDnsNames } from './plan';
import type { Planned } from './observation';

type Store = Pick<StateStore, 'writeStatus' | 'writeReconcilerState' | 'appendEvents' | 'deleteRecord'>;

/** Safety rule 5: an invalid spec (a hand edit in the console) changes nothing in AWS; it is only reported. */
export async function persistInvalid(
  store: Store,
  holder: string,
  record: StackRecord,
  message: string,
  now: number,
  /** The condition's and the event's, for what holds the stack that is no spec's problem. */
  reason?: string,
): Promise<PassResult> {
  await store.writeStatus(record.stack, (current) => invalidStatus(current, message, now, reason), {
    leaseHolder: holder,
  });
  if (record.status?.conditions.find((c) => c.type === 'SpecValid')?.message !== message) {
    const event = { at: now, type: 'Warning' as const, reason: reason ?? 'SpecInvalid', message };
    await store.appendEvents(record.stack, [event]);
  }
  return {
    stack: record.stack,
    outcome: 'invalid',
    reason: message,
    ...(reason !== undefined ? { heldBy: reason } : {}),
    phase: record.status?.phase,
    settled: false,
    calls: NO_CALLS,
  };
}

function invalidStatus(current: StackRecord, message: string, now: number, reason?: string): StackStatus {
  const previous = current.status;
  const before = previous?.conditions.find((c) => c.type === 'SpecValid');
  const condition = {
    type: 'SpecValid',
    status: 'False' as const,
    reason: reason ?? 'Invalid',
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

/**
 * What must be on record before the first step runs, and the DNS names to remember. A pass that dies while
 * applying writes no status: the next one must not trust a snapshot from before these steps (a role they
 * created is invisible to the inventory), so it goes first; a DNS name is remembered before the first
 * record is written there (records can't be found by tag); the drain's mark of a known change is
 * dropped before the records are written (traffic/known-change.ts); and the spec the steps act on is kept
 * before anything is built from it, so that a deletion asked for after a pass that died runs from what
 * that pass built, not from a spec written since (pass/deletion-spec.ts). One write for all of them.
 */
export async function persistBeforeApply(
  store: Store,
  holder: string,
  record: StackRecord,
  spec: DesiredState,
  plan: Plan,
  /** The spec acted on, as the bookkeeping keeps it (LoadedStack's `reconciledSpec`). */
  reconciledSpec: ReconciledSpec,
): Promise<WrittenDnsName[]> {
  const remembered = rememberedDnsNames(record);
  const dnsNames = namesBeforeApply(remembered, spec, plan);
  const newDnsName = dnsNames.length > remembered.length;
  // Likewise a view of a stack between tiers (engine/transition-view.ts): one from before the steps of a
  // pass that died could hide what they did.
  const dropView = record.bookkeeping.transitionView !== undefined && planChangesSomething(plan);
  // And the drain's mark that the records' Fargate 0 is a known change's (safety rule 2): this pass's
  // change to the records is known only once it answers, so a pass that dies after it leaves no mark.
  const unmarked = shiftBeforeWrites(record.bookkeeping.shift, plan) !== undefined;
  const keepSpec =
    planChangesSomething(plan) &&
    !sameReconciledSpec(storedReconciledSpec(record.bookkeeping), reconciledSpec);
  if (
    plan.steps.length > 0 &&
    (record.bookkeeping.observationSnapshot || newDnsName || dropView || unmarked || keepSpec)
  ) {
    await store.writeReconcilerState(
      record.stack,
      (current) => ({
        bookkeeping: {
          ...current.bookkeeping,
          observationSnapshot: undefined,
          ...(dropView ? { transitionView: undefined } : {}),
          ...(unmarked
            ? { shift: shiftBeforeWrites(current.bookkeeping.shift, plan) ?? current.bookkeeping.shift }
            : {}),
          dnsNames,
          reconciledSpec,
        },
      }),
      { leaseHolder: holder },
    );
  }
  return dnsNames;
}

/** Whether the bookkeeping already keeps this spec at this generation (it may hold anything: edited). */
function sameReconciledSpec(kept: ReturnType<typeof storedReconciledSpec>, spec: ReconciledSpec): boolean {
  return kept !== undefined && kept.generation === spec.generation && sameSpec(kept.spec, spec.spec);
}

/** What a pass did, for its status: the plan, its outcome, and what the pass remembers next. */
export interface AppliedPass extends Planned {
  result: ApplyResult;
  /** The DNS names remembered before applying. */
  dnsNames: WrittenDnsName[];
  /** What the stack forgot and the Tagging API still lists: it is not settled (pass/missed-but-listed.ts). */
  stillListed?: StillListed;
}

export interface PersistInput {
  store: Store;
  holder: string;
  record: StackRecord;
  spec: DesiredState;
  /** The spec acted on, as the bookkeeping keeps it (LoadedStack's `reconciledSpec`). */
  reconciledSpec: ReconciledSpec;
  /** A stack being deleted: the record's spec, not acted on (pass/deletion-spec.ts). */
  ignoredSpec?: IgnoredSpec;
  deletionRequested: boolean;
  terminal: TerminalState | undefined;
  kinds: readonly ManagedResource[];
  pass: AppliedPass;
  ledger: OwnershipLedger;
  retries: Record<string, RetryState>;
  calls: CallCounts;
  /** When the pass started (AWS's clock) and how long it took (real time). */
  startedAt: number;
  durationMs: number;
  now: number;
}

/**
 * Writes the status, the bookkeeping (retries, snapshot, ownership records, remembered names) and the
 * events in one record write, then deletes the record of a stack whose deletion is complete.
 */
export async function persistPass(input: PersistInput): Promise<PassResult> {
  const { store, holder, record, pass, now } = input;
  const settled =
    pass.stillListed === undefined &&
    isSettled({
      terminal: input.terminal,
      plan: pass.plan,
      result: pass.result,
      trafficPhase: pass.traffic.phase,
    });
  const fields = specFields(input.spec);
  const summary: PassSummary = {
    observed: {
      by: pass.observedBy,
      why: pass.fullBecause,
      view: nextTransitionView({
        keep: !settled && !input.deletionRequested,
        generation: record.generation,
        // What was taken from a view keeps the age it had there.
        ...(pass.reusedFrom ? { previous: pass.reusedFrom } : {}),
        // And what was found again by id alone: its tags are the view's, read no later than its entry.
        reused: new Set([...(pass.reused ?? []), ...(pass.foundById ?? [])]),
        observedAt: pass.observedAt,
        observed: pass.observation,
        after: pass.result.observation,
        outcomes: pass.result.outcomes,
        plan: pass.plan,
        kinds: input.kinds,
      }),
      snapshot: nextSnapshot({
        observedBy: pass.observedBy,
        previous: record.bookkeeping.observationSnapshot,
        ...(pass.inventory ? { inventory: pass.inventory } : {}),
        observation: pass.result.observation,
        kinds: input.kinds,
        generation: record.generation,
        // What was taken from the view counts from when it was read.
        now: Math.min(now, pass.oldestReadAt ?? now),
        settled,
      }),
    },
    generation: record.generation,
    mode: input.spec.mode,
    specFields: fields,
    reconciledSpec: input.reconciledSpec,
    ...(input.ignoredSpec
      ? {
          specValid: {
            valid: input.ignoredSpec.valid,
            reason: IGNORED_WHILE_DELETING,
            message: input.ignoredSpec.message,
          },
        }
      : {}),
    target: pass.decision.tier,
    reason: pass.decision.reason,
    ...(pass.decision.settledReason === undefined ? {} : { settledReason: pass.decision.settledReason }),
    statusPatch: pass.decision.statusPatch,
    bookkeepingPatch: pass.decision.bookkeepingPatch,
    traffic: pass.traffic,
    plan: pass.plan,
    result: pass.result,
    kinds: input.kinds,
    retries: input.retries,
    calls: input.calls,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    now,
    stickyTerminal: input.terminal,
    pendingChangesBefore: record.bookkeeping.pendingChanges,
    dnsNames: namesToRemember({
      before: pass.dnsNames,
      spec: input.spec,
      resources: pass.result.observation.resources,
      unknown: pass.result.observation.unknown,
      recordKeys: Object.values(DNS_KEYS),
    }),
    zones: pass.zones,
    failedRollout: pass.failedRollout,
    pendingCreates: input.ledger.pendingCreates(),
    ...(pass.stillListed ? { stillListed: pass.stillListed } : {}),
  };
  const written = await store.writeReconcilerState(
    record.stack,
    (current) => ({
      status: buildStatus(summary, current.status),
      bookkeeping: { ...buildBookkeeping(summary), ...input.ledger.toBookkeeping() },
    }),
    { leaseHolder: holder },
  );
  const status = written.status!;
  const remembered = rememberedSpecFields(record.bookkeeping.specFields);
  const specChanges = remembered && changedSpecFields(remembered, fields);
  await store.appendEvents(record.stack, eventsOf(record.status, status, now, pass.traffic, specChanges));
  const outcome = passOutcome({
    stack: record.stack,
    deletionRequested: input.deletionRequested,
    terminal: input.terminal,
    plan: pass.plan,
    result: pass.result,
    kinds: input.kinds,
    status,
    settled,
    stillListed: pass.stillListed !== undefined,
    calls: input.calls,
  });
  // Conditional on the record this pass wrote, the incarnation too: should the pass stall here, the stack
  // may be deleted and created again meanwhile, its new record at this very version.
  if (outcome.deleteRecord) {
    await store.deleteRecord(record.stack, {
      expectedVersion: written.version,
      expectedIncarnation: written.incarnation,
      // One edited into none a write can name (the stack role may write it) is matched as read.
      ...(written.unreadableIncarnation !== undefined
        ? { expectedUnreadableIncarnation: written.unreadableIncarnation }
        : {}),
    });
  }
  return outcome.result;
}
