/**
 * SQS message operations and the queue model under them, as AWS documents them:
 *
 * - FIFO queues: every message needs a MessageGroupId; a message deduplication id (given, or the body's
 *   SHA-256 with ContentBasedDeduplication) seen in the last 5 minutes is accepted but not delivered;
 *   messages of a group are delivered in order, and while any of a group's messages is in flight no other
 *   message of that group is delivered; a receive returns as many messages of one group as it can, then
 *   other groups'. Per-message DelaySeconds is refused (only the queue's delay applies).
 * - A received message is invisible for the visibility timeout, then comes back; only the latest receipt
 *   handle deletes it or changes its visibility (an older one "succeeds" and does nothing).
 * - A redrive policy moves a message to the dead-letter queue when it would be received more than
 *   maxReceiveCount times.
 * - Messages older than the retention period are dropped (a moved message keeps its first sent time).
 *
 * The model functions (`sendMessage`, `receiveMessages`, …) work on the state directly, so that the
 * simulated Lambda event source mapping (aws-sim/runtime/) can poll a queue as Lambda's pollers do, without
 * going through the account's API (its calls are not the account owner's).
 */
import { createHash } from 'node:crypto';
import type { SimAccount } from '../../core/account';
import type { Operation, OperationContext } from '../../core/service';
import type { OperationInput } from '../common/input';
import { queueByArn, queueByUrl, redriveOf } from './queues';
import {
  DEDUPLICATION_INTERVAL_MS,
  MAX_BATCH_ENTRIES,
  MAX_RECEIVE,
  type SqsMessageRecord,
  type SqsQueueRecord,
  type SqsState,
} from './state';

type Ctx = OperationContext<SqsState>;

/** A per-message refusal: thrown by a single send, reported as a Failed entry by a batch. */
export class MessageRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const sequence = (n: number) => String(n).padStart(20, '0');

/** A message id in SQS's form (a UUID), from the account's seeded id stream. */
function newMessageId(account: SimAccount): string {
  const hex = account.newId('', 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** XML's characters, which SQS allows in a body: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF. */
// eslint-disable-next-line no-control-regex
const INVALID_BODY = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const DEDUP_ID = /^[\x21-\x7E]{1,128}$/;

export interface SendInput {
  MessageBody?: unknown;
  MessageGroupId?: unknown;
  MessageDeduplicationId?: unknown;
  DelaySeconds?: unknown;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  SequenceNumber?: string;
}

/** Drops what outlived the retention period and forgets deduplication ids older than 5 minutes. */
function expire(queue: SqsQueueRecord, now: number): void {
  const retentionMs = Number(queue.attributes.MessageRetentionPeriod) * 1000;
  queue.messages = queue.messages.filter((m) => now - m.sentAt < retentionMs);
  for (const [id, seen] of Object.entries(queue.deduplication)) {
    if (now - seen.at >= DEDUPLICATION_INTERVAL_MS) delete queue.deduplication[id];
  }
}

export function sendMessage(
  account: SimAccount,
  queue: SqsQueueRecord,
  input: SendInput,
  now: number,
): SendResult {
  const body = input.MessageBody === undefined ? '' : String(input.MessageBody);
  if (body.length === 0)
    throw new MessageRefused('MissingParameter', 'The request must contain the parameter MessageBody.');
  if (INVALID_BODY.test(body)) {
    throw new MessageRefused('InvalidMessageContents', 'Invalid binary character in the message body.');
  }
  const limit = Number(queue.attributes.MaximumMessageSize);
  if (Buffer.byteLength(body, 'utf8') > limit) {
    throw new MessageRefused(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
    );
  }
  expire(queue, now);
  const base = { MD5OfMessageBody: md5(body) };
  if (!queue.fifo) {
    const delay =
      input.DelaySeconds === undefined ? Number(queue.attributes.DelaySeconds) : Number(input.DelaySeconds);
    if (!(Number.isInteger(delay) && delay >= 0 && delay <= 900)) {
      throw new MessageRefused(
        'InvalidParameterValue',
        `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: must be from 0 to 900.`,
      );
    }
    const messageId = newMessageId(account);
    queue.messages.push({
      messageId,
      body,
      md5OfBody: base.MD5OfMessageBody,
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    });
    return { MessageId: messageId, ...base };
  }
  if (input.DelaySeconds !== undefined) {
    throw new MessageRefused(
      'InvalidParameterValue',
      `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    );
  }
  const groupId = input.MessageGroupId === undefined ? '' : String(input.MessageGroupId);
  if (!groupId)
    throw new MessageRefused('MissingParameter', 'The request must contain the parameter MessageGroupId.');
  if (!DEDUP_ID.test(groupId)) {
    throw new MessageRefused(
      'InvalidParameterValue',
      'MessageGroupId can contain up to 128 characters from !"#$%&\'()*+,-./0-9:;<=>?@A-Z[\\]^_`a-z{|}~',
    );
  }
  let deduplicationId =
    input.MessageDeduplicationId === undefined ? undefined : String(input.MessageDeduplicationId);
  if (deduplicationId === undefined) {
    if (queue.attributes.ContentBasedDeduplication !== 'true') {
      throw new MessageRefused(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    deduplicationId = sha256(body);
  } else if (!DEDUP_ID.test(deduplicationId)) {
    throw new MessageRefused(
      'InvalidParameterValue',
      'MessageDeduplicationId can contain up to 128 punctuation and alphanumeric characters',
    );
  }
  const scope =
    queue.attributes.DeduplicationScope === 'messageGroup'
      ? `${groupId}\n${deduplicationId}`
      : deduplicationId;
  const seen = queue.deduplication[scope];
  // Accepted, not delivered: the answer is the first message's.
  if (seen) return { MessageId: seen.messageId, ...base, SequenceNumber: sequence(seen.sequenceNumber ?? 0) };
  const messageId = newMessageId(account);
  const sequenceNumber = queue.nextSequence++;
  queue.messages.push({
    messageId,
    body,
    md5OfBody: base.MD5OfMessageBody,
    groupId,
    deduplicationId,
    sequenceNumber,
    sentAt: now,
    visibleAt: now + Number(queue.attributes.DelaySeconds) * 1000,
    receiveCount: 0,
  });
  queue.deduplication[scope] = { messageId, sequenceNumber, at: now };
  return { MessageId: messageId, ...base, SequenceNumber: sequence(sequenceNumber) };
}

/** Moves the message to the queue's dead-letter queue (kept as it was, first sent time included). */
function moveToDeadLetterQueue(
  state: SqsState,
  queue: SqsQueueRecord,
  message: SqsMessageRecord,
  now: number,
): void {
  queue.messages = queue.messages.filter((m) => m !== message);
  const target = queueByArn(state, redriveOf(queue)!.deadLetterTargetArn);
  // A dead-letter queue deleted meanwhile: SQS keeps the message in the source queue's count no longer.
  if (!target) return;
  target.messages.push({
    ...message,
    receiveCount: 0,
    visibleAt: now,
    receiptHandle: undefined,
    firstReceivedAt: undefined,
    deadLetterSourceArn: queue.arn,
    ...(target.fifo ? { sequenceNumber: target.nextSequence++ } : {}),
  });
}

/** Whether the message must go to the dead-letter queue instead of being received once more. */
function exhausted(queue: SqsQueueRecord, message: SqsMessageRecord): boolean {
  const redrive = redriveOf(queue);
  return redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount;
}

export interface ReceiveOptions {
  max: number;
  /** Seconds; default the queue's VisibilityTimeout. */
  visibilityTimeout?: number;
}

/** Receives up to `max` messages, as SQS would at `now` (FIFO groups, redrive, visibility). */
export function receiveMessages(
  account: SimAccount,
  state: SqsState,
  queue: SqsQueueRecord,
  now: number,
  options: ReceiveOptions,
): SqsMessageRecord[] {
  expire(queue, now);
  const visibilityMs = (options.visibilityTimeout ?? Number(queue.attributes.VisibilityTimeout)) * 1000;
  const picked: SqsMessageRecord[] = [];
  const deliver = (m: SqsMessageRecord) => {
    m.receiveCount += 1;
    m.firstReceivedAt ??= now;
    m.visibleAt = now + visibilityMs;
    m.receiptHandle = Buffer.from(
      `${queue.name}|${m.messageId}|${m.receiveCount}|${account.newId('', 16)}`,
    ).toString('base64');
    picked.push(m);
  };
  if (!queue.fifo) {
    for (const m of [...queue.messages]) {
      if (picked.length >= options.max) break;
      if (m.visibleAt > now) continue;
      if (exhausted(queue, m)) moveToDeadLetterQueue(state, queue, m, now);
      else deliver(m);
    }
    return picked;
  }
  // FIFO: groups in the order of their oldest message; a group with a message in flight gives nothing.
  const groups = new Map<string, SqsMessageRecord[]>();
  for (const m of queue.messages) groups.set(m.groupId!, [...(groups.get(m.groupId!) ?? []), m]);
  for (const messages of groups.values()) {
    if (picked.length >= options.max) break;
    if (messages.some((m) => m.receiveCount > 0 && m.visibleAt > now)) continue;
    for (const m of messages) {
      if (picked.length >= options.max || m.visibleAt > now) break;
      if (exhausted(queue, m)) {
        moveToDeadLetterQueue(state, queue, m, now);
        continue;
      }
      deliver(m);
    }
  }
  return picked;
}

function messageOfHandle(
  queue: SqsQueueRecord,
  handle: string,
): { message?: SqsMessageRecord; valid: boolean } {
  const decoded = Buffer.from(handle, 'base64').toString('utf8').split('|');
  if (decoded.length !== 4 || decoded[0] !== queue.name) return { valid: false };
  return {
    valid: true,
    message: queue.messages.find((m) => m.messageId === decoded[1] && m.receiptHandle === handle),
  };
}

/** Deletes by receipt handle; a stale handle of a message received again since deletes nothing. */
export function deleteMessage(queue: SqsQueueRecord, handle: string): void {
  const found = messageOfHandle(queue, handle);
  if (!found.valid)
    throw new MessageRefused(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  if (found.message) queue.messages = queue.messages.filter((m) => m !== found.message);
}

/** Changes an in-flight message's visibility timeout, counted from now (0: visible at once). */
export function changeVisibility(queue: SqsQueueRecord, handle: string, seconds: number, now: number): void {
  if (!(Number.isInteger(seconds) && seconds >= 0 && seconds <= 43_200)) {
    throw new MessageRefused(
      'InvalidParameterValue',
      `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`,
    );
  }
  const found = messageOfHandle(queue, handle);
  if (!found.valid)
    throw new MessageRefused(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  if (!found.message || found.message.visibleAt <= now) {
    throw new MessageRefused(
      'MessageNotInflight',
      'Message does not exist or is not available for visibility timeout change.',
    );
  }
  found.message.visibleAt = now + seconds * 1000;
}

/** The system attributes of a received message, as SQS answers them (strings). */
export function systemAttributes(account: SimAccount, m: SqsMessageRecord): Record<string, string> {
  const all: Record<string, string | undefined> = {
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: m.firstReceivedAt === undefined ? undefined : String(m.firstReceivedAt),
    SentTimestamp: String(m.sentAt),
    SenderId: account.accountId,
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.deduplicationId,
    SequenceNumber: m.sequenceNumber === undefined ? undefined : sequence(m.sequenceNumber),
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

function refuse(ctx: Ctx, error: unknown): never {
  if (error instanceof MessageRefused) return ctx.fail(error.code, error.message);
  throw error;
}

/** SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch: SQS's checks on the entries. */
function checkEntries(ctx: Ctx, entries: unknown): { Id: string }[] {
  const list = (entries ?? []) as { Id: string }[];
  if (list.length === 0) ctx.fail('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (list.length > MAX_BATCH_ENTRIES) {
    ctx.fail(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${list.length}.`,
    );
  }
  const ids = new Set<string>();
  for (const { Id } of list) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(String(Id))) {
      ctx.fail(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (ids.has(Id)) ctx.fail('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    ids.add(Id);
  }
  return list;
}

function batchOf<E extends { Id: string }>(
  entries: E[],
  act: (entry: E) => Record<string, unknown>,
): { Successful: Record<string, unknown>[]; Failed: Record<string, unknown>[] } {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...act(entry) });
    } catch (error) {
      if (!(error instanceof MessageRefused)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
    }
  }
  return { Successful, Failed };
}

export const messageOperations: Record<string, Operation<SqsState>> = {
  SendMessage: {
    mutating: true,
    required: ['QueueUrl', 'MessageBody'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      try {
        return { ...sendMessage(ctx.account, queue, input, ctx.now) };
      } catch (error) {
        return refuse(ctx, error);
      }
    },
  },
  SendMessageBatch: {
    mutating: true,
    required: ['QueueUrl', 'Entries'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      const entries = checkEntries(ctx, input.Entries) as (SendInput & { Id: string })[];
      const total = entries.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? ''), 'utf8'), 0);
      if (total > Number(queue.attributes.MaximumMessageSize)) {
        ctx.fail(
          'BatchRequestTooLong',
          `Batch requests cannot be longer than ${queue.attributes.MaximumMessageSize} bytes. You have sent ${total} bytes.`,
        );
      }
      return batchOf(entries, (entry) => ({ ...sendMessage(ctx.account, queue, entry, ctx.now) }));
    },
  },
  ReceiveMessage: {
    mutating: false,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      const max = input.MaxNumberOfMessages === undefined ? 1 : Number(input.MaxNumberOfMessages);
      if (!(Number.isInteger(max) && max >= 1 && max <= MAX_RECEIVE)) {
        ctx.fail(
          'InvalidParameterValue',
          `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        );
      }
      const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
      if (
        visibility !== undefined &&
        !(Number.isInteger(visibility) && visibility >= 0 && visibility <= 43_200)
      ) {
        ctx.fail(
          'InvalidParameterValue',
          `Value ${visibility} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`,
        );
      }
      const wanted = new Set<string>([
        ...(input.AttributeNames ?? []),
        ...(input.MessageSystemAttributeNames ?? []),
      ]);
      const all = wanted.has('All');
      const messages = receiveMessages(ctx.account, ctx.state, queue, ctx.now, {
        max,
        ...(visibility === undefined ? {} : { visibilityTimeout: visibility }),
      });
      if (messages.length === 0) return {};
      return {
        Messages: messages.map((m) => {
          const attributes = Object.fromEntries(
            Object.entries(systemAttributes(ctx.account, m)).filter(([name]) => all || wanted.has(name)),
          );
          return {
            MessageId: m.messageId,
            ReceiptHandle: m.receiptHandle,
            MD5OfBody: m.md5OfBody,
            Body: m.body,
            ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
          };
        }),
      };
    },
  },
  DeleteMessage: {
    mutating: true,
    required: ['QueueUrl', 'ReceiptHandle'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      try {
        deleteMessage(queue, String(input.ReceiptHandle));
      } catch (error) {
        refuse(ctx, error);
      }
    },
  },
  DeleteMessageBatch: {
    mutating: true,
    required: ['QueueUrl', 'Entries'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      const entries = checkEntries(ctx, input.Entries) as { Id: string; ReceiptHandle: string }[];
      return batchOf(entries, (entry) => {
        deleteMessage(queue, String(entry.ReceiptHandle));
        return {};
      });
    },
  },
  ChangeMessageVisibility: {
    mutating: true,
    required: ['QueueUrl', 'ReceiptHandle', 'VisibilityTimeout'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      try {
        changeVisibility(queue, String(input.ReceiptHandle), Number(input.VisibilityTimeout), ctx.now);
      } catch (error) {
        refuse(ctx, error);
      }
    },
  },
  PurgeQueue: {
    mutating: true,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      queueByUrl(ctx, input.QueueUrl).messages = [];
    },
  },
};
