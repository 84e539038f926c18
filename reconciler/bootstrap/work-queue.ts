/**
 * The reconciler's work queue and its dead-letter queue (SQS FIFO), as bootstrap kinds. A queue is
 * found by its fixed name and is ours only with the `lambdaflex-system` ownership tags and the identity
 * recorded when bootstrap made it (proven.ts): its ARN and `CreatedTimestamp`. CreateQueue is
 * idempotent for the same attributes; a queue of the same name with other attributes is changed in place
 * (SetQueueAttributes), except FifoQueue, which only a new queue can change.
 *
 * Attributes, and why:
 * - work queue: FIFO with the stack as message group (one worker per stack at a time); explicit
 *   deduplication ids (dispatch/work-items.ts); a visibility timeout longer than the function's timeout
 *   and the lease, so that a message comes back only once its worker is surely gone; a redrive policy to
 *   the dead-letter queue after `maxReceiveCount` receives.
 * - dead-letter queue: FIFO (a FIFO queue's dead-letter queue must be FIFO), keeping messages 14 days,
 *   longer than the work queue (a moved message keeps its first enqueue time).
 */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { isOwnedBy, nonceTags } from '../../spec/names';
import { WORK_QUEUE } from '../iam/scopes';
import { assertOwned } from '../resources/common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_STACK, systemTags } from './names';

const TYPE = 'AWS::SQS::Queue';

const ERRORS: ErrorCodes = {
  notFound: ['QueueDoesNotExist'],
  // A queue deleted less than 60 seconds ago keeps its name.
  retryable: ['QueueDeletedRecently'],
  terminal: ['InvalidAttributeName', 'InvalidAttributeValue', 'QueueNameExists'],
};

/** The work queue's settings, also read by the function's environment and the event source mapping. */
export const WORK_QUEUE_SETTINGS = {
  /** Receives before a message goes to the dead-letter queue (AWS suggests at least 5 with Lambda). */
  maxReceiveCount: 5,
  /** Seconds: more than the function's 120 s timeout and the two-minute lease. */
  visibilityTimeoutSeconds: 300,
  /** Seconds a message waits at most: a day (the dispatcher sends a due stack again anyway). */
  retentionSeconds: 86_400,
  deadLetterRetentionSeconds: 1_209_600,
} as const;

interface QueueOptions {
  key: string;
  name: string;
  dependsOn: string[];
  /** Settable attributes as SQS answers them (strings); undefined until a dependency is known. */
  attributes: (refs: SystemContext['refs']) => Record<string, string> | undefined;
}

function queueResource(options: QueueOptions): SystemResource {
  const { key, name } = options;
  const find = async (ctx: SystemContext): Promise<ObservedResource | undefined> => {
    const sqs = ctx.clients.sqs;
    const url = (await orUndefinedIfGone(() => sqs.send(new GetQueueUrlCommand({ QueueName: name })), ERRORS))
      ?.QueueUrl;
    if (!url) return undefined;
    const [attributes, tags] = await Promise.all([
      orUndefinedIfGone(
        () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })),
        ERRORS,
      ),
      orUndefinedIfGone(() => sqs.send(new ListQueueTagsCommand({ QueueUrl: url })), ERRORS),
    ]);
    if (!attributes || !tags) return undefined;
    const all = (attributes.Attributes ?? {}) as Record<string, string>;
    const tagMap = tags.Tags ?? {};
    // Its identity (proven.ts): the ARN is the name's, the creation time is this queue's.
    const uniqueId = all.CreatedTimestamp ? `${all.QueueArn}@${all.CreatedTimestamp}` : undefined;
    const base = { key, type: TYPE, id: url, arn: all.QueueArn, uniqueId, tags: tagMap, ready: true };
    if (!isOwnedBy(tagMap, SYSTEM_STACK)) return { ...base, attributes: {}, foreign: true };
    const wanted = options.attributes(ctx.refs) ?? {};
    // Compared as SQS holds them: only the attributes we set.
    return { ...base, attributes: Object.fromEntries(Object.keys(wanted).map((k) => [k, all[k] ?? ''])) };
  };
  return {
    key,
    type: TYPE,
    service: 'sqs',
    dependsOn: options.dependsOn,
    errors: ERRORS,
    immutable: ['FifoQueue'],
    neededBy: () => true,
    desiredAttributes: (_spec, refs) => options.attributes(refs) ?? {},
    find,
    async create(ctx) {
      const attributes = options.attributes(ctx.refs);
      if (!attributes) throw new Error(`creating ${TYPE} (${name}): a dependency is not known yet`);
      await ctx.clients.sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: attributes,
          tags: { ...systemTags(key), ...nonceTags(ctx.nonce) },
        }),
      );
      return (await find(ctx))!;
    },
    async update(ctx, current, changes) {
      assertOwned(current, 'updating');
      const attributes = options.attributes(ctx.refs) ?? {};
      const changed = Object.fromEntries(changes.map((c) => [c.path, attributes[c.path] ?? '']));
      await ctx.clients.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: current.id, Attributes: changed }),
      );
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      await deleteIgnoringGone(
        () => ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: current.id })),
        ERRORS,
      );
    },
  };
}

export const DEAD_LETTER_QUEUE_KEY = 'dead-letter-queue';
export const WORK_QUEUE_KEY = 'work-queue';

export const deadLetterQueueResource = queueResource({
  key: DEAD_LETTER_QUEUE_KEY,
  name: WORK_QUEUE.deadLetter,
  dependsOn: [],
  attributes: () => ({
    FifoQueue: 'true',
    MessageRetentionPeriod: String(WORK_QUEUE_SETTINGS.deadLetterRetentionSeconds),
  }),
});

export const workQueueResource = queueResource({
  key: WORK_QUEUE_KEY,
  name: WORK_QUEUE.name,
  dependsOn: [DEAD_LETTER_QUEUE_KEY],
  attributes: (refs) => {
    const deadLetterArn = refs[DEAD_LETTER_QUEUE_KEY]?.arn;
    if (!deadLetterArn) return undefined;
    return {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: String(WORK_QUEUE_SETTINGS.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(WORK_QUEUE_SETTINGS.retentionSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: deadLetterArn,
        maxReceiveCount: WORK_QUEUE_SETTINGS.maxReceiveCount,
      }),
    };
  },
});
