/**
 * The dispatcher: what the scheduled invocation of the reconciler Lambda does when the work queue exists.
 * It reads which stacks are due (dispatch/due.ts) and sends one message per stack to the SQS FIFO queue;
 * workers (dispatch/worker.ts) consume it through the event source mapping. Invoked by the change feed
 * (DynamoDB Streams on the table), it sends the stacks whose spec was edited or whose deletion was asked
 * for at once, so that an edit is acted on in seconds rather than at the next minute.
 *
 * Either way it answers when the soonest stack not yet due will be (a stack between tiers asked to come
 * back in seconds), so that the handler can move the one-off requeue schedule there.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { toRecord, unmarshallOptions } from '../state/record';
import { isSystemKey } from '../state/system-record';
import type { StackRecord, StateStore } from '../state/types';
import { DEFAULT_DUE_OPTIONS, dueVerdict, type DueOptions, type DueReason } from './due';
import { sendWorkItems, workItemOf, type WorkItem } from './work-items';

export interface DispatchOptions {
  store: StateStore;
  sqs: SQSClient;
  queueUrl: string;
  /** AWS's clock. */
  now: () => number;
  due?: DueOptions;
  /**
   * Decides which of the settled stacks need a pass (batched discovery, dispatch/sweep.ts): stacks it
   * names are due with its reason; without it, settled stacks are due at each resync.
   */
  sweep?: (settled: StackRecord[], fleetSize: number) => Promise<SweepOutcome>;
  /**
   * The requeue schedule's run: stacks due only for the periodic resync are left to the minute's run,
   * whose sweep looks at them (not sent, not swept).
   */
  leaveSettled?: boolean;
}

/** Per stack: why it needs a pass ('inventory changed: …'), or undefined when the sweep saw no change. */
export type SweepVerdicts = Map<string, string | undefined>;

export interface SweepOutcome {
  verdicts: SweepVerdicts;
  /** Every stack's tagged ARNs as the sweep listed them (undefined when the listing failed). */
  inventory?: ReadonlyMap<string, string[]>;
}

export interface DispatchResult {
  sent: WorkItem[];
  failed: { stack: string; message: string }[];
  /** Stacks looked at and not due. */
  notDue: number;
  /** The soonest time a stack not sent becomes due (a requeue), if any. */
  nextDueAt?: number;
}

/** A scheduled run: every record, each sent when due. */
export async function dispatchDue(options: DispatchOptions): Promise<DispatchResult> {
  const now = options.now();
  const records = await options.store.list();
  const due: { item: WorkItem; record: StackRecord }[] = [];
  let nextDueAt: number | undefined;
  let notDue = 0;
  const settled: StackRecord[] = [];
  for (const record of records) {
    const verdict = dueVerdict(record, now, options.due ?? DEFAULT_DUE_OPTIONS);
    const resync = verdict.due && verdict.reason === 'periodic resync';
    if (verdict.due && (!resync || (!options.sweep && !options.leaveSettled))) {
      due.push({ item: workItemOf(record, verdict.reason, now), record });
      continue;
    }
    if (verdict.due && !options.leaveSettled) settled.push(record);
    else if (verdict.due) notDue += 1;
    else {
      notDue += 1;
      if (verdict.nextAt !== undefined) nextDueAt = Math.min(nextDueAt ?? Infinity, verdict.nextAt);
    }
  }
  if (options.sweep && settled.length > 0) {
    const { verdicts, inventory } = await options.sweep(settled, records.length);
    for (const record of settled) {
      const why = verdicts.get(record.stack);
      if (why === undefined) notDue += 1;
      else {
        const listed = inventory ? { inventory: inventory.get(record.stack) ?? [] } : {};
        due.push({
          item: { ...workItemOf(record, 'periodic resync', now), reason: why as DueReason, ...listed },
          record,
        });
      }
    }
  }
  const outcome = await sendWorkItems(options.sqs, options.queueUrl, due);
  return { ...outcome, notDue, ...(nextDueAt === undefined ? {} : { nextDueAt }) };
}

/** The record a stream image holds, or undefined (none, the system record, or not a stack record). */
function recordOfImage(image: unknown): StackRecord | undefined {
  if (!image || typeof image !== 'object') return undefined;
  // Read as the store reads it: a number written by hand must not fail the stream's whole batch.
  const item = unmarshall(image as Parameters<typeof unmarshall>[0], unmarshallOptions());
  if (typeof item.stack !== 'string' || isSystemKey(item.stack)) return undefined;
  return toRecord(item);
}

/** Why a change makes the stack due at once, or undefined (the reconciler's own writes, a removal). */
export function changeReason(
  before: StackRecord | undefined,
  after: StackRecord | undefined,
): DueReason | undefined {
  if (!after) return undefined;
  if (!before) return 'new stack';
  if (after.deletionRequestedAt !== undefined && before.deletionRequestedAt === undefined)
    return 'deletion requested';
  if (after.generation !== before.generation) return 'spec changed';
  // A mark that is no time holds the stack: the pass says so at once, and lifts the hold once it is gone.
  if (after.unreadableDeletionMark !== before.unreadableDeletionMark) return 'deletion mark changed';
  return undefined;
}

/** A run on the change feed: the stacks edited in `records` are sent at once; later records of a stack win. */
export async function dispatchChanges(
  options: DispatchOptions,
  records: readonly DynamoDBRecord[],
): Promise<DispatchResult> {
  const now = options.now();
  const due = new Map<string, { item: WorkItem; record: StackRecord }>();
  let nextDueAt: number | undefined;
  let notDue = 0;
  for (const change of records) {
    const after = recordOfImage(change.dynamodb?.NewImage);
    const before = recordOfImage(change.dynamodb?.OldImage);
    const reason = changeReason(before, after);
    if (after && reason) {
      due.set(after.stack, { item: workItemOf(after, reason, now), record: after });
      continue;
    }
    notDue += 1;
    // A pass that asked to come back soon: the requeue schedule should fire then.
    const lastPass = after?.status?.lastPass;
    if (lastPass?.requeueAfterMs !== undefined) {
      nextDueAt = Math.min(nextDueAt ?? Infinity, lastPass.at + lastPass.requeueAfterMs);
    }
  }
  const outcome = await sendWorkItems(options.sqs, options.queueUrl, [...due.values()]);
  return { ...outcome, notDue, ...(nextDueAt === undefined ? {} : { nextDueAt }) };
}
