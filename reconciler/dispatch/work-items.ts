/**
 * The work queue's messages: one per stack due, in the stack's message group (so SQS FIFO never hands
 * two workers the same stack at once), with a deduplication id naming the state of the record the
 * dispatcher saw: the same state seen twice (the schedule and an edit, or two runs in one minute) is one
 * message, and any pass since makes a new one.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isSystemKey } from '../state/system-record';
import type { StackRecord } from '../state/types';
import type { DueReason } from './due';

export interface WorkItem {
  stack: string;
  reason: DueReason;
  /** Epoch ms the dispatcher sent it (AWS's clock). */
  sentAt: number;
  generation: number;
  /**
   * The stack's tagged ARNs as the dispatcher's sweep listed them just before sending, so that the pass
   * need not list them again (the Tagging API's budget is the fleet's smallest); absent when not listed.
   */
  inventory?: string[];
}

/** A partition key value is at most 2048 bytes (DynamoDB's constraints, docs/aws-facts.md). */
const MAX_KEY_BYTES = 2048;

/** SendMessageBatch takes at most 10 entries (SQS quotas). */
const BATCH = 10;

export function workItemOf(record: StackRecord, reason: DueReason, now: number): WorkItem {
  return { stack: record.stack, reason, sentAt: now, generation: record.generation };
}

/**
 * `<stack>.<generation>.<last pass>.<deletion>.<dead-lettered>[.invalid<since>][.<incarnation>]`: at most
 * 128 printable characters, as SQS requires (stack names are at most 24 lowercase letters, digits and
 * hyphens; an incarnation 12 hex digits). The incarnation because a stack deleted and created again
 * starts again at generation 1 with no pass: without it, the new record's first message would be the
 * old record's first, dropped by SQS as a repeat for five minutes.
 */
export function deduplicationId(record: StackRecord): string {
  const lastPass = record.status?.lastPass?.at ?? 0;
  // `held`: a deletion mark edited by hand into no time (state/deletion-mark.ts), which a pass must report.
  const deletion =
    record.deletionRequestedAt !== undefined
      ? 'deleting'
      : record.unreadableDeletionMark !== undefined
        ? 'held'
        : 'live';
  const dead = record.bookkeeping.deadLettered?.at ?? 0;
  // A pass that finds the spec invalid writes no lastPass; its condition marks the state instead.
  const specValid = record.status?.conditions.find((c) => c.type === 'SpecValid');
  const invalid = specValid?.status === 'False' ? `.invalid${specValid.lastTransitionTime}` : '';
  // Only the characters newIncarnation writes: one edited by hand must not make the id one SQS refuses.
  const incarnation = record.incarnation === undefined ? '' : `.${record.incarnation.replace(/[^\w-]/g, '')}`;
  return `${record.stack}.${record.generation}.${lastPass}.${deletion}.${dead}${invalid}${incarnation}`.slice(
    0,
    128,
  );
}

export function encodeWorkItem(item: WorkItem): string {
  return JSON.stringify({ v: 1, ...item });
}

/** A message body read back; a body that is not a work item (sent by hand, say) is named as such. */
export function decodeWorkItem(body: string): WorkItem | { invalid: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { invalid: 'the body is not JSON' };
  }
  const item = parsed as Partial<WorkItem> & { v?: unknown };
  if (item?.v !== 1) return { invalid: 'the body is not a LambdaFlex work item (v: 1)' };
  if (typeof item.stack !== 'string' || item.stack === '')
    return { invalid: 'stack: must be a non-empty string' };
  // The dispatcher never sends these; a hand-sent one must not have a pass run on (and written into) the
  // table's system record, nor come back until the dead-letter queue for a key DynamoDB cannot read.
  if (isSystemKey(item.stack))
    return { invalid: "stack: names the table's system record, which is no stack" };
  if (Buffer.byteLength(item.stack, 'utf8') > MAX_KEY_BYTES)
    return { invalid: `stack: longer than a DynamoDB partition key can be (${MAX_KEY_BYTES} bytes)` };
  if (typeof item.sentAt !== 'number') return { invalid: 'sentAt: must be a number' };
  return {
    stack: item.stack,
    reason: (item.reason ?? 'periodic resync') as DueReason,
    sentAt: item.sentAt,
    generation: typeof item.generation === 'number' ? item.generation : 0,
    ...(Array.isArray(item.inventory) && item.inventory.every((arn) => typeof arn === 'string')
      ? { inventory: item.inventory }
      : {}),
  };
}

export interface SendOutcome {
  sent: WorkItem[];
  failed: { stack: string; message: string }[];
}

/** Sends one message per item, ten to a call; entries SQS refused are reported, not thrown. */
export async function sendWorkItems(
  sqs: SQSClient,
  queueUrl: string,
  items: { item: WorkItem; record: StackRecord }[],
): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: [], failed: [] };
  for (let i = 0; i < items.length; i += BATCH) {
    const chunk = items.slice(i, i + BATCH);
    const answer = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map(({ item, record }, j) => ({
          Id: `m${j}`,
          MessageBody: encodeWorkItem(item),
          MessageGroupId: item.stack,
          MessageDeduplicationId: deduplicationId(record),
        })),
      }),
    );
    const failed = new Map((answer.Failed ?? []).map((f) => [f.Id, f]));
    chunk.forEach(({ item }, j) => {
      const refusal = failed.get(`m${j}`);
      if (refusal) {
        outcome.failed.push({
          stack: item.stack,
          message: `sending work item (${item.stack}): ${refusal.Code ?? 'refused'}: ${refusal.Message ?? ''}`,
        });
      } else {
        outcome.sent.push(item);
      }
    });
  }
  return outcome;
}
