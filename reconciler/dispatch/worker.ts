/**
 * A worker invocation: the reconciler Lambda invoked by the work queue's event source mapping with a
 * batch of messages (at most 10, each stack in its own message group). Each stack named in the batch
 * gets one pass (reconcile.ts, under its lease, as before); the stacks are worked on at once.
 *
 * What it answers is a partial batch response: the messages of a stack whose pass threw (the table out
 * of reach, a bug, the lease lost) are reported failed, so SQS hands them out again after the visibility
 * timeout; the others are deleted. On a message's last receive before the dead-letter queue, a failing
 * stack is marked dead-lettered in its record (status condition and bookkeeping), so that `status` says
 * so and the dispatcher stops sending it until its spec changes or the retry interval has passed.
 *
 * The table's system record (zones allowed, the ceilings of state/ceilings.ts) is read at most once per
 * batch, however many of its stacks need it.
 *
 * A message for a stack that has had a pass since it was sent, and is not due any more, is acknowledged
 * without another pass (the schedule and an edit may both have sent it).
 */
import type { SQSRecord } from 'aws-lambda';
import { reconcileStack, type DecideInput, type PassResult, type ReconcilerOptions } from '../reconcile';
import type { TierDecision } from '../decide/pinned';
import type { Condition, StackRecord, StateStore } from '../state/types';
import { DEAD_LETTERED, DEFAULT_DUE_OPTIONS, dueVerdict, type DueOptions } from './due';
import { decodeWorkItem, type WorkItem } from './work-items';
import { asBackground } from '../aws/rate-budget';
import type { SystemRecordReader } from '../pass/load';

export interface WorkerOptions {
  reconciler: ReconcilerOptions;
  /** The queue's redrive maxReceiveCount: the receive on which a failing stack is marked dead-lettered. */
  maxReceiveCount?: number;
  /** The dead-letter queue's name, for the status message. */
  deadLetterQueue?: string;
  /** Milliseconds the invocation may still use for passes. */
  remainingMs?: () => number;
  due?: DueOptions;
  /** Builds the batch's decider from its records (auto mode: one metrics call for the batch). */
  prepareDecide?: (
    records: StackRecord[],
  ) => Promise<(input: DecideInput) => TierDecision | Promise<TierDecision>>;
}

export interface WorkerResult {
  batchItemFailures: { itemIdentifier: string }[];
  results: PassResult[];
  /** Stacks acknowledged without a pass, and why. */
  acknowledged: { stack: string; why: string }[];
  errors: { stack: string; message: string }[];
  deadLettered: string[];
}

interface StackMessages {
  stack: string;
  ids: string[];
  items: WorkItem[];
  receiveCount: number;
}

function groupByStack(
  records: readonly SQSRecord[],
  acknowledged: WorkerResult['acknowledged'],
): StackMessages[] {
  const byStack = new Map<string, StackMessages>();
  for (const message of records) {
    const item = decodeWorkItem(message.body);
    if ('invalid' in item) {
      // Nothing can ever come of it: acknowledged, and said so.
      acknowledged.push({
        stack: message.attributes?.MessageGroupId ?? '(unknown)',
        why: `not a work item: ${item.invalid}`,
      });
      continue;
    }
    const entry = byStack.get(item.stack) ?? { stack: item.stack, ids: [], items: [], receiveCount: 0 };
    entry.ids.push(message.messageId);
    entry.items.push(item);
    entry.receiveCount = Math.max(
      entry.receiveCount,
      Number(message.attributes?.ApproximateReceiveCount ?? 1),
    );
    byStack.set(item.stack, entry);
  }
  return [...byStack.values()];
}

/**
 * How long the sweep's listing of a stack stands in for the pass's own: a minute, the sweep's period. A
 * listing that missed a change only costs another pass (the next sweep sees the difference).
 */
export const LISTED_INVENTORY_FRESH_MS = 60_000;

/** The newest inventory the dispatcher's sweep sent with the stack's messages, while fresh. */
function listedInventory(messages: StackMessages, now: number): string[] | undefined {
  const newest = messages.items
    .filter((i) => i.inventory !== undefined)
    .sort((a, b) => b.sentAt - a.sentAt)[0];
  if (!newest || now - newest.sentAt > LISTED_INVENTORY_FRESH_MS) return undefined;
  return newest.inventory;
}

/** Why the stack needs no pass now, or undefined when it does. */
function alreadyDone(
  record: StackRecord | undefined,
  messages: StackMessages,
  now: number,
  due: DueOptions,
): string | undefined {
  if (!record) return 'no such stack (deleted since)';
  const lastPass = record.status?.lastPass?.at;
  const newest = Math.max(...messages.items.map((i) => i.sentAt));
  if (lastPass === undefined || lastPass < newest) return undefined;
  return dueVerdict(record, now, due).due ? undefined : 'a pass since the message was sent left nothing due';
}

function deadLetterCondition(
  messages: StackMessages,
  error: string,
  queue: string | undefined,
  now: number,
): Condition {
  return {
    type: DEAD_LETTERED,
    status: 'True',
    reason: 'MaxReceiveCountExceeded',
    message:
      `the reconciler failed on this stack ${messages.receiveCount} times in a row (last: ${error}); ` +
      `its work item went to the dead-letter queue${queue ? ` ${queue}` : ''}. ` +
      'It is tried again when the spec changes, or every 15 minutes',
    lastTransitionTime: now,
  };
}

/** Marks the stack dead-lettered; a failure to do so (the table is what fails, often) is only logged. */
async function markDeadLettered(
  store: StateStore,
  messages: StackMessages,
  error: string,
  options: WorkerOptions,
): Promise<boolean> {
  const now = options.reconciler.now();
  try {
    await store.writeReconcilerState(messages.stack, (current) => ({
      status: {
        ...(current.status ?? { observedGeneration: 0, phase: 'Pending', resources: {}, conditions: [] }),
        conditions: [
          deadLetterCondition(messages, error, options.deadLetterQueue, now),
          ...(current.status?.conditions ?? []).filter((c) => c.type !== DEAD_LETTERED),
        ],
      },
      bookkeeping: {
        ...current.bookkeeping,
        deadLettered: { generation: current.generation, at: now, receiveCount: messages.receiveCount, error },
      },
    }));
    return true;
  } catch {
    return false;
  }
}

export async function workBatch(
  options: WorkerOptions,
  records: readonly SQSRecord[],
): Promise<WorkerResult> {
  const result: WorkerResult = {
    batchItemFailures: [],
    results: [],
    acknowledged: [],
    errors: [],
    deadLettered: [],
  };
  const { reconciler } = options;
  const due = options.due ?? DEFAULT_DUE_OPTIONS;
  const fail = async (messages: StackMessages, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    result.errors.push({ stack: messages.stack, message });
    result.batchItemFailures.push(...messages.ids.map((itemIdentifier) => ({ itemIdentifier })));
    const last = options.maxReceiveCount !== undefined && messages.receiveCount >= options.maxReceiveCount;
    if (last && (await markDeadLettered(reconciler.store, messages, message, options))) {
      result.deadLettered.push(messages.stack);
    }
  };
  // Read first: a stack already passed is acknowledged, and the rest share one decider.
  const work: { messages: StackMessages; record: StackRecord }[] = [];
  await Promise.all(
    groupByStack(records, result.acknowledged).map(async (messages) => {
      try {
        const record = await reconciler.store.get(messages.stack);
        const done = alreadyDone(record, messages, reconciler.now(), due);
        if (done) result.acknowledged.push({ stack: messages.stack, why: done });
        else work.push({ messages, record: record! });
      } catch (error) {
        await fail(messages, error);
      }
    }),
  );
  if (work.length === 0) return result;
  let decide = reconciler.decide;
  try {
    if (options.prepareDecide) decide = await options.prepareDecide(work.map((w) => w.record));
  } catch (error) {
    for (const { messages } of work) await fail(messages, error);
    return result;
  }
  // One read of the system record for the batch, made only when a pass needs it (`dns`, a reservation):
  // it changes only at bootstrap, and each invocation reads it afresh. A failed read is not kept.
  let systemRead: ReturnType<SystemRecordReader> | undefined;
  const readSystemRecord = reconciler.systemRecord ?? (() => reconciler.store.getSystemRecord());
  const systemRecord: SystemRecordReader = () =>
    (systemRead ??= readSystemRecord().catch((error: unknown) => {
      systemRead = undefined;
      throw error;
    }));
  await Promise.all(
    work.map(async ({ messages }) => {
      try {
        const budgetMs = options.remainingMs ? Math.max(1_000, options.remainingMs()) : reconciler.budgetMs;
        // The fleet's resync is a full observation, whatever the age of the stack's snapshot.
        const resync = messages.items.some((i) => i.reason === 'periodic resync');
        const listed = listedInventory(messages, reconciler.now());
        const pass = () =>
          reconcileStack(
            {
              ...reconciler,
              decide,
              budgetMs,
              systemRecord,
              ...(resync ? { fullObserveEveryMs: 0 } : {}),
              ...(listed ? { listedInventory: listed } : {}),
            },
            messages.stack,
          );
        // Nobody waits on a resync alone: it leaves half the environment's burst to the next pass, an
        // edit's perhaps (aws/rate-budget.ts asBackground). A resync sent with an edit is the edit's.
        const background = messages.items.every((i) => i.reason === 'periodic resync');
        result.results.push(await (background ? asBackground(pass) : pass()));
      } catch (error) {
        await fail(messages, error);
      }
    }),
  );
  return result;
}
