/**
 * The reconciler Lambda's three kinds of invocation once the work queue exists (bootstrap makes it):
 *
 * - the every-minute schedule: the dispatcher sends the stacks due, the settled ones after its sweep;
 * - the one-off requeue schedule: the dispatcher sends the stacks whose requeue time has come (and any
 *   other due but settled), leaving the settled ones to the minute's sweep, so that one sweep runs at a time;
 * - the change feed (DynamoDB Streams on the table): the dispatcher sends the stacks just edited;
 * - the work queue (SQS FIFO, through its event source mapping): a worker reconciles the batch's stacks.
 *
 * Without a queue (the local sandbox, a table bootstrapped before the queue existed) a scheduled
 * invocation reconciles every stack itself, as before (reconcile-all.ts).
 */
import type { EnvironmentRole } from './budgets';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ReconcilerOptions } from '../reconcile';
import type { StateStore } from '../state/types';
import { dispatchChanges, dispatchDue, type DispatchOptions, type DispatchResult } from './dispatcher';
import type { DueOptions } from './due';
import { sweep } from './sweep';
import { workBatch, type WorkerOptions, type WorkerResult } from './worker';

export type Invocation =
  | { kind: 'queue'; records: SQSRecord[] }
  | { kind: 'changes'; records: DynamoDBRecord[] }
  | { kind: 'schedule' }
  | { kind: 'requeue' };

/** The requeue schedule's input (reconciler/bootstrap/requeue-schedule.ts). */
export const REQUEUE_SOURCE = 'lambdaflex.requeue';

/** What invoked the function, from the event's shape (Lambda's event source records name their source). */
export function invocationOf(event: unknown): Invocation {
  const records = (event as { Records?: unknown })?.Records;
  if (Array.isArray(records) && records.length > 0) {
    const source = (records[0] as { eventSource?: unknown }).eventSource;
    if (source === 'aws:sqs') return { kind: 'queue', records: records as SQSRecord[] };
    if (source === 'aws:dynamodb') return { kind: 'changes', records: records as DynamoDBRecord[] };
  }
  if ((event as { source?: unknown })?.source === REQUEUE_SOURCE) return { kind: 'requeue' };
  return { kind: 'schedule' };
}

/** Whether the invocation sweeps the settled stacks (dispatch/sweep.ts): the every-minute schedule's. */
export function sweeps(invocation: Invocation): boolean {
  return invocation.kind === 'schedule';
}

/**
 * The share of the account's budget the invocation draws on (dispatch/budgets.ts): the sweep's, a
 * worker's, or a dispatcher's (the change feed, the requeue schedule's run).
 */
export function roleOf(invocation: Invocation): EnvironmentRole {
  if (sweeps(invocation)) return 'sweep';
  return invocation.kind === 'queue' ? 'worker' : 'dispatch';
}

export interface FanOutSettings {
  /** The work queue's URL (LAMBDAFLEX_QUEUE_URL); without it there is no fan-out. */
  queueUrl?: string;
  maxReceiveCount?: number;
  deadLetterQueue?: string;
  due?: DueOptions;
  /** Batched discovery of the settled stacks (dispatch/sweep.ts); default on. */
  batchedDiscovery?: boolean;
  /** The fleet resync's step (dispatch/sweep.ts DEFAULT_RESYNC_STEP_MS). */
  resyncStepMs?: number;
}

export interface FanOutOutcome {
  kind: 'dispatched' | 'worked';
  /** What the dispatcher could not look at this time (batched discovery's failed look-ups). */
  problems?: string[];
  dispatch?: DispatchResult;
  work?: WorkerResult;
}

/** Runs a dispatcher or worker invocation; undefined when this invocation is not one (no queue). */
export async function runFanOut(
  invocation: Invocation,
  settings: FanOutSettings,
  deps: {
    store: StateStore;
    sqs: SQSClient;
    reconciler: ReconcilerOptions;
    remainingMs: () => number;
    prepareDecide?: WorkerOptions['prepareDecide'];
  },
): Promise<FanOutOutcome | undefined> {
  if (invocation.kind === 'queue') {
    const work = await workBatch(
      {
        reconciler: deps.reconciler,
        remainingMs: deps.remainingMs,
        ...(settings.maxReceiveCount === undefined ? {} : { maxReceiveCount: settings.maxReceiveCount }),
        ...(settings.deadLetterQueue ? { deadLetterQueue: settings.deadLetterQueue } : {}),
        ...(settings.due ? { due: settings.due } : {}),
        ...(deps.prepareDecide ? { prepareDecide: deps.prepareDecide } : {}),
      },
      invocation.records,
    );
    return { kind: 'worked', work };
  }
  if (!settings.queueUrl) {
    if (invocation.kind === 'changes') {
      throw new Error('dispatching changed stacks: no work queue is configured (LAMBDAFLEX_QUEUE_URL)');
    }
    return undefined;
  }
  const problems: string[] = [];
  const options: DispatchOptions = {
    store: deps.store,
    sqs: deps.sqs,
    queueUrl: settings.queueUrl,
    now: deps.reconciler.now,
    ...(settings.due ? { due: settings.due } : {}),
    ...(invocation.kind === 'requeue' && settings.batchedDiscovery !== false ? { leaveSettled: true } : {}),
    ...(settings.batchedDiscovery === false || invocation.kind === 'requeue'
      ? {}
      : {
          sweep: async (settled, fleetSize) => {
            const report = await sweep(
              {
                clients: deps.reconciler.clients,
                now: deps.reconciler.now,
                kinds: deps.reconciler.kinds,
                systemRecord: () => deps.store.getSystemRecord(),
                ...(settings.resyncStepMs ? { resyncStepMs: settings.resyncStepMs } : {}),
                ...(deps.prepareDecide ? { prepareDecide: deps.prepareDecide } : {}),
              },
              settled,
              fleetSize,
            );
            problems.push(...report.problems);
            return {
              verdicts: report.verdicts,
              ...(report.inventory ? { inventory: report.inventory } : {}),
            };
          },
        }),
  };
  const dispatch =
    invocation.kind === 'changes'
      ? await dispatchChanges(options, invocation.records)
      : await dispatchDue(options);
  return { kind: 'dispatched', dispatch, ...(problems.length > 0 ? { problems } : {}) };
}
