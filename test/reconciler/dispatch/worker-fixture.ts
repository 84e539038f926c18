/** A stack's record and the work queue's message for it, as the worker tests hand them to `workBatch`. */
import type { SQSRecord } from 'aws-lambda';
import type { DueReason } from '../../../reconciler/dispatch/due';
import { encodeWorkItem, type WorkItem } from '../../../reconciler/dispatch/work-items';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../../reconciler/state/types';

/** A record at generation 2, never passed. */
export const stackRecord = (stack: string): StackRecord => ({
  stack,
  spec: {},
  generation: 2,
  version: 5,
  events: [],
  bookkeeping: emptyBookkeeping(),
});

let id = 0;
/** The queue's message sending `stack` for `reason`, first received; each one a new message id. */
export const workMessage = (stack: string, reason: DueReason = 'spec changed'): SQSRecord =>
  ({
    messageId: `m${++id}`,
    body: encodeWorkItem({ stack, reason, sentAt: 1_000, generation: 2 } satisfies WorkItem),
    attributes: { MessageGroupId: stack, ApproximateReceiveCount: '1' },
  }) as unknown as SQSRecord;
