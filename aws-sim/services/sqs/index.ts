/**
 * Simulated Amazon SQS (standard and FIFO queues): queues and their attributes, tags, redrive to a
 * dead-letter queue, and the message model of messages.ts. The simulated Lambda event source mapping
 * polls queues through `receiveMessages`/`deleteMessage` (aws-sim/runtime/event-sources.ts).
 */
import type { InventoryItem, SimService } from '../../core/service';
import { DOCUMENTED_LIMITS } from '../../core/rate-limits';
import { messageOperations } from './messages';
import { queueOperations } from './queues';
import type { SqsState } from './state';

export type { SqsState, SqsQueueRecord, SqsMessageRecord } from './state';
export { receiveMessages, deleteMessage, changeVisibility, sendMessage, systemAttributes } from './messages';
export { queueByArn, redriveOf } from './queues';

export const sqsService: SimService<SqsState> = {
  name: 'sqs',
  freshAnswers: false,
  validationErrorCode: 'MissingParameter',
  throttlingErrorCode: 'RequestThrottled',
  // FIFO: 300 transactions per second per API action, enforced by default (they rarely bind).
  buckets: DOCUMENTED_LIMITS.sqs!.buckets,
  operations: { ...queueOperations, ...messageOperations },
  initialState: () => ({ queues: {}, deletedAt: {} }),
  inventory: (state): InventoryItem[] =>
    Object.values(state.queues).map((q) => ({
      type: 'AWS::SQS::Queue',
      id: q.url,
      name: q.name,
      arn: q.arn,
      tags: { ...q.tags },
    })),
};
