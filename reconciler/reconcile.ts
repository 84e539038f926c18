/**
 * One pass of the reconciler for one stack (docs/design.md "One pass of the reconciler"), as a pipeline of
 * stages (reconciler/pass/), each a short function with its own unit test:
 *
 *   lease → load (read + validate) → choose the observation → decide → plan → apply → persist → release.
 *
 * Like controller-runtime's Reconcile, a pass returns when to come back (`requeueAfterMs`) instead of
 * sleeping, and can die at any instant: every step is idempotent and AWS, not the status, is the truth,
 * so the next pass finishes the job.
 */
import { AwsClock, instrumentAwsTime } from './aws/aws-time';
import { countCalls, instrumentClients, type CallCounts } from './aws/call-counter';
import { guardCreateRetries } from './aws/create-retries';
import { fenceClients, withLeaseFence } from './aws/lease-fence';
import type { TierDecision } from './decide/pinned';
import { applyPlan, type CreateTurns } from './engine/apply';
import { journalFor } from './engine/ownership-journal';
import type { Plan, PlanStep, RetryState, StepOutcome } from './engine/types';
import { LeaseKeeper } from './lease-keeper';
import { loadStack, type CommandNamer, type SystemRecordReader } from './pass/load';
import { ledgerFor, observeAndPlan, type PlanningOptions } from './pass/observation';
import { stillListed } from './pass/missed-but-listed';
import { NO_CALLS, type PassResult } from './pass/outcome';
import { persistBeforeApply, persistInvalid, persistPass, type AppliedPass } from './pass/persist';
import { UNREADABLE_MARK_REASON } from './state/deletion-mark';
import {
  LeaseLostError,
  SpecValidationError,
  StackNotFoundError,
  type StateStore,
  UnreadableDeletionMarkError,
} from './state/types';

export type { DecideInput } from './decide/decide-input';
export type { PassResult } from './pass/outcome';

export interface ReconcilerOptions extends PlanningOptions {
  store: StateStore;
  /** Who takes the lease: unique per reconciler process. */
  holder: string;
  /**
   * A clock that never steps back, on which the lease is judged held and renewed (lease-keeper.ts): the
   * wall clock can step back and make a lease that ran out look held. Production passes performance.now(),
   * tests and simulations their simulated clock. Required, never defaulted to `now`: a caller that forgot
   * it would judge its lease on the wall clock without a word.
   */
  monotonic: () => number;
  /** Elapsed time for the pass's budget (real time by default). */
  elapsed?: () => number;
  /** Counted from the start of the pass: after it, no step is started. */
  budgetMs?: number;
  /** How long the lease lasts (DEFAULT_LEASE_TTL_MS); it is renewed while the pass runs. */
  leaseTtlMs?: number;
  /** The longest one AWS call of `clients` can take (MAX_CALL_MS of the default clients). */
  callBoundMs?: number;
  random?: () => number;
  /**
   * Reads the table's system record, whose hosted zones bind the spec's `dns` (pass/load.ts); by default
   * the store's, read at most once per pass. A pass over many stacks shares one read.
   */
  systemRecord?: SystemRecordReader;
  onStep?: (stack: string, step: PlanStep, outcome: StepOutcome | { status: 'started' }) => void;
  /**
   * How the advice a pass writes names the lambdaflex command (a refused DNS zone's bootstrap): by default
   * `lambdaflex …`; a local folder's `lambdaflex --local …`, or the advice would reach the shell's AWS.
   */
  command?: CommandNamer;
  /**
   * Where a create whose call the account makes one at a time takes its turn (engine/apply.ts
   * `CreateTurns`): a fanned-out worker's budget, shared through the table. Absent, at the call.
   */
  turns?: CreateTurns;
}

/** A pass stops starting steps after this long unless told otherwise: well within the two-minute lease. */
export const DEFAULT_PASS_BUDGET_MS = 90_000;

export async function reconcileStack(options: ReconcilerOptions, stack: string): Promise<PassResult> {
  const { store, holder } = options;
  const passStartedAt = (options.elapsed ?? Date.now)();
  instrumentClients(options.clients);
  instrumentAwsTime(options.clients);
  fenceClients(options.clients);
  // Creates AWS does not deduplicate are not sent again after an answer that may hide their effect.
  guardCreateRetries(options.clients);
  const lease = new LeaseKeeper({
    store,
    stack,
    holder,
    monotonic: options.monotonic,
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
    // Safety rule 8: every AWS call of the pass goes through the lease's fence and heartbeat. Its answers
    // tell AWS's time, on the same monotonic clock as the lease (safety rule 2's drain is measured on it).
    const clock = new AwsClock(options.monotonic);
    const withAwsTime = { ...options, awsTime: () => clock.bounds() };
    return await withLeaseFence(lease, () =>
      clock.run(() => passWithLease(withAwsTime, stack, passStartedAt)),
    );
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

/** The stages, in order, under the lease. */
async function passWithLease(
  options: ReconcilerOptions,
  stack: string,
  passStartedAt: number,
): Promise<PassResult> {
  const { store, holder } = options;
  const loaded = await loadStack(
    store,
    stack,
    options.systemRecord ?? (() => store.getSystemRecord()),
    options.command,
  );
  if (loaded.kind === 'missing')
    return { stack, outcome: 'skipped', reason: 'no such stack', settled: false, calls: NO_CALLS };
  if (loaded.kind === 'invalid')
    return persistInvalid(store, holder, loaded.record, loaded.message, options.now(), loaded.reason);

  const { record, spec, terminal } = loaded;
  const startedAt = options.now();
  const startedReal = Date.now();
  const retries: Record<string, RetryState> = structuredClone(record.bookkeeping.retries);
  const ledger = ledgerFor(record, options.now);
  const { result: pass, calls } = await countCalls(async (): Promise<AppliedPass> => {
    const planned = await observeAndPlan(options, spec, record, {
      dnsOnly: terminal !== undefined,
      fromSnapshot: true,
      ledger,
    });
    const dnsNames = await persistBeforeApply(
      store,
      holder,
      record,
      spec,
      planned.plan,
      loaded.reconciledSpec,
    );
    const result = await applyPlan(planned.plan, planned.observation, {
      clients: options.clients,
      spec,
      intent: planned.intent,
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
      ...(planned.reused ? { reused: planned.reused } : {}),
      ...(planned.foundById ? { foundById: planned.foundById } : {}),
      observedAt: planned.observedAt,
      ...(options.turns ? { turns: options.turns } : {}),
    });
    // Nothing to do is not settled while the Tagging API lists what the stack forgot (pass/missed-but-listed.ts).
    const listed = await stillListed({
      clients: options.clients,
      stack,
      ledger,
      kinds: options.kinds,
      plan: planned.plan,
      result,
      trafficPhase: planned.traffic.phase,
      terminal,
      deletionRequested: loaded.deletionRequested,
      ...(planned.inventory ? { inventory: planned.inventory } : {}),
      now: options.now(),
    });
    return { ...planned, result, dnsNames, ...(listed ? { stillListed: listed } : {}) };
  });

  return persistPass({
    store,
    holder,
    record,
    spec,
    reconciledSpec: loaded.reconciledSpec,
    ...(loaded.ignoredSpec ? { ignoredSpec: loaded.ignoredSpec } : {}),
    deletionRequested: loaded.deletionRequested,
    terminal,
    kinds: options.kinds,
    pass,
    ledger,
    retries,
    calls,
    startedAt,
    durationMs: Date.now() - startedReal,
    now: options.now(),
  });
}

/**
 * A dry run (`lambdaflex plan`): the plan the next pass would make, with its API calls. Takes no lease and
 * changes nothing. Throws SpecValidationError for an invalid spec, StackNotFoundError for no record, and
 * UnreadableDeletionMarkError for a stack held by a deletion mark that is no time.
 */
export async function planStack(
  options: ReconcilerOptions,
  stack: string,
): Promise<{ plan: Plan; decision: TierDecision; calls: CallCounts }> {
  instrumentClients(options.clients);
  instrumentAwsTime(options.clients);
  // Refused as the pass would refuse it (pass/load.ts): a plan it would never apply says nothing.
  const loaded = await loadStack(
    options.store,
    stack,
    () => options.store.getSystemRecord(),
    options.command,
  );
  if (loaded.kind === 'missing') throw new StackNotFoundError(stack);
  if (loaded.kind === 'invalid') {
    // A stack held by a deletion mark that is no time: the pass builds, changes and deletes nothing of it.
    if (loaded.reason === UNREADABLE_MARK_REASON)
      throw new UnreadableDeletionMarkError(stack, loaded.record.unreadableDeletionMark!, {
        action: 'planning',
        command: options.command,
      });
    throw new SpecValidationError(loaded.problems);
  }
  const { spec, record } = loaded;
  const clock = new AwsClock(options.monotonic);
  const { result, calls } = await countCalls(() =>
    clock.run(() => observeAndPlan({ ...options, awsTime: () => clock.bounds() }, spec, record)),
  );
  return {
    plan: result.plan,
    decision: { ...result.decision, reason: `${result.decision.reason}; ${result.traffic.reason}` },
    calls,
  };
}
