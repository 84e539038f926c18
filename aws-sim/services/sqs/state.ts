/**
 * State of the simulated Amazon SQS: queues by name, each with its messages in send order. Plain JSON, so
 * that the account can be saved. Times are the virtual clock's epoch milliseconds.
 */
import type { TagMap } from '../../core/tags';

export interface SqsMessageRecord {
  messageId: string;
  body: string;
  md5OfBody: string;
  /** FIFO: the group; messages of one group are delivered in order, one batch in flight at a time. */
  groupId?: string;
  deduplicationId?: string;
  /** FIFO: the queue's counter at send, as a 20-digit string in answers. */
  sequenceNumber?: number;
  sentAt: number;
  /** Not receivable before this (queue delay, or the visibility timeout of the last receive). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The handle of the latest receive: only it deletes the message or changes its visibility. */
  receiptHandle?: string;
  /** Moved here from another queue by its redrive policy: the source queue's ARN. */
  deadLetterSourceArn?: string;
}

export interface SqsQueueRecord {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes as SQS answers them (strings), FifoQueue included. */
  attributes: Record<string, string>;
  tags: TagMap;
  createdAt: number;
  updatedAt: number;
  messages: SqsMessageRecord[];
  /** FIFO deduplication: id (scoped by group when DeduplicationScope is messageGroup) → when sent. */
  deduplication: Record<string, { messageId: string; sequenceNumber?: number; at: number }>;
  nextSequence: number;
}

export interface SqsState {
  queues: Record<string, SqsQueueRecord>;
  /** Names deleted recently: SQS refuses a queue of the same name for 60 seconds. */
  deletedAt: Record<string, number>;
}

/** SQS's defaults and bounds (CreateQueue API reference). */
export const QUEUE_DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

export const FIFO_DEFAULTS: Record<string, string> = {
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

/** Numeric attributes and their allowed ranges. */
export const NUMERIC_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 262144],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
};

/** A message sent again with the same deduplication id within this interval is accepted, not delivered. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;
/** A queue's name can't be used again for this long after DeleteQueue. */
export const NAME_REUSE_DELAY_MS = 60_000;
export const MAX_BATCH_ENTRIES = 10;
export const MAX_RECEIVE = 10;
