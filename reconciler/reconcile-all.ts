/**
 * One pass over every stack in the table, several at once (bounded), within a time budget: what the
 * scheduled reconciler Lambda does each minute. The decider is prepared once per pass from all records,
 * so that auto mode can fetch every stack's metrics in one batched GetMetricData call.
 */
import { concurrencyLimit, DEFAULT_PARALLELISM } from './concurrency';
import { reconcileStack, type DecideInput, type PassResult, type ReconcilerOptions } from './reconcile';
import type { TierDecision } from './decide/pinned';
import type { SystemRecordReader } from './pass/load';
import type { StackRecord } from './state/types';

export interface ReconcileAllOptions {
  /** Stacks reconciled at once (DEFAULT_PARALLELISM). */
  parallelism?: number;
  /** Real milliseconds left for the whole pass (e.g. the Lambda's remaining time less a margin). */
  remainingMs?: () => number;
  /** Builds the pass's decider from every record (auto mode: one metrics call for all stacks). */
  prepareDecide?: (
    records: StackRecord[],
  ) => Promise<(input: DecideInput) => TierDecision | Promise<TierDecision>>;
}

export interface ReconcileAllResult {
  results: PassResult[];
  /** Stacks not reached because the time ran out. */
  skipped: string[];
  /** The soonest any stack asked to come back (undefined: the regular schedule is soon enough). */
  requeueAfterMs?: number;
  errors: { stack: string; message: string }[];
}

export async function reconcileAll(
  options: ReconcilerOptions,
  all: ReconcileAllOptions = {},
): Promise<ReconcileAllResult> {
  const records = await options.store.list();
  const decide = all.prepareDecide ? await all.prepareDecide(records) : options.decide;
  // One read of the system record for the whole pass, made only when a spec needs it (needsSystemRecord:
  // its dns names, or more than a ceiling's least).
  let systemRead: ReturnType<SystemRecordReader> | undefined;
  const systemRecord: SystemRecordReader =
    options.systemRecord ?? (() => (systemRead ??= options.store.getSystemRecord()));
  const results: PassResult[] = [];
  const errors: { stack: string; message: string }[] = [];
  const skipped: string[] = [];
  const one = async (stack: string) => {
    if (all.remainingMs && all.remainingMs() <= 0) {
      skipped.push(stack);
      return;
    }
    const budgetMs = all.remainingMs ? Math.max(1_000, all.remainingMs()) : options.budgetMs;
    try {
      results.push(await reconcileStack({ ...options, decide, budgetMs, systemRecord }, stack));
    } catch (error) {
      // One stack's failure (a bug, a store outage) must not stop the others.
      errors.push({ stack, message: error instanceof Error ? error.message : String(error) });
    }
  };
  const limit = concurrencyLimit(all.parallelism ?? DEFAULT_PARALLELISM);
  await Promise.all(records.map((r) => limit(one, r.stack)));
  const requeues = results.map((r) => r.requeueAfterMs).filter((ms): ms is number => ms !== undefined);
  return {
    results,
    skipped,
    errors,
    requeueAfterMs: requeues.length > 0 ? Math.min(...requeues) : undefined,
  };
}
