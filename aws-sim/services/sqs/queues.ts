/**
 * SQS queue operations: create (idempotent for the same attributes), look-ups by name and URL, attributes
 * (settable ones checked against SQS's names and ranges, FIFO ones only on FIFO queues, a redrive policy's
 * dead-letter queue of the same type), tags, and delete (the name is blocked for 60 seconds after).
 */
import type { Operation, OperationContext } from '../../core/service';
import type { OperationInput } from '../common/input';
import {
  FIFO_DEFAULTS,
  NAME_REUSE_DELAY_MS,
  NUMERIC_RANGES,
  QUEUE_DEFAULTS,
  type SqsQueueRecord,
  type SqsState,
} from './state';

type Ctx = OperationContext<SqsState>;

const SETTABLE = new Set([
  ...Object.keys(QUEUE_DEFAULTS),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
]);
const FIFO_ONLY = new Set([...Object.keys(FIFO_DEFAULTS), 'FifoQueue']);

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export function queueUrl(ctx: Pick<Ctx, 'account'>, name: string): string {
  return `https://sqs.${ctx.account.region}.${ctx.account.dnsSuffix}/${ctx.account.accountId}/${name}`;
}

function doesNotExist(ctx: Ctx): never {
  return ctx.fail('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** The queue a QueueUrl names (this account's only), or QueueDoesNotExist. */
export function queueByUrl(ctx: Ctx, url: unknown): SqsQueueRecord {
  const match = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/.exec(String(url ?? ''));
  if (!match) {
    return ctx.fail('InvalidAddress', `The address ${String(url)} is not valid for this endpoint.`);
  }
  if (match[1] !== ctx.account.accountId) doesNotExist(ctx);
  return ctx.state.queues[match[2]!] ?? doesNotExist(ctx);
}

/** The queue an ARN names in this account and region, if any. */
export function queueByArn(state: SqsState, arn: string): SqsQueueRecord | undefined {
  return Object.values(state.queues).find((q) => q.arn === arn);
}

interface Redrive {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** A queue's redrive policy, parsed (it is stored as SQS answers it: a JSON string). */
export function redriveOf(queue: SqsQueueRecord): Redrive | undefined {
  const raw = queue.attributes.RedrivePolicy;
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
  return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
}

function invalidValue(ctx: Ctx, name: string, value: string, reason: string): never {
  return ctx.fail(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}. Reason: ${reason} (value: ${value})`,
  );
}

/** Checks settable attributes; returns them as strings. `fifo`: the queue's type. */
function checkedAttributes(
  ctx: Ctx,
  given: Record<string, unknown> | undefined,
  fifo: boolean,
  options: { creating: boolean; self?: string },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given ?? {})) {
    const value = String(raw);
    if (!SETTABLE.has(name) && !FIFO_ONLY.has(name))
      ctx.fail('InvalidAttributeName', `Unknown Attribute ${name}.`);
    if (FIFO_ONLY.has(name) && !fifo) ctx.fail('InvalidAttributeName', `Unknown Attribute ${name}.`);
    if (name === 'FifoQueue' && !options.creating) {
      ctx.fail('InvalidAttributeName', 'FifoQueue can only be set when the queue is created.');
    }
    const range = NUMERIC_RANGES[name];
    if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) {
      invalidValue(ctx, name, value, `must be an integer from ${range[0]} to ${range[1]}`);
    }
    if ((name === 'ContentBasedDeduplication' || name === 'FifoQueue') && !/^(true|false)$/.test(value)) {
      invalidValue(ctx, name, value, 'must be true or false');
    }
    if (name === 'DeduplicationScope' && !/^(queue|messageGroup)$/.test(value)) {
      invalidValue(ctx, name, value, 'must be queue or messageGroup');
    }
    if (name === 'FifoThroughputLimit' && !/^(perQueue|perMessageGroupId)$/.test(value)) {
      invalidValue(ctx, name, value, 'must be perQueue or perMessageGroupId');
    }
    if (name === 'RedrivePolicy' && value !== '') checkRedrive(ctx, value, fifo, options.self);
    out[name] = value;
  }
  if (out.FifoThroughputLimit === 'perMessageGroupId' && out.DeduplicationScope === 'queue') {
    invalidValue(ctx, 'FifoThroughputLimit', 'perMessageGroupId', 'needs DeduplicationScope messageGroup');
  }
  return out;
}

function checkRedrive(ctx: Ctx, value: string, fifo: boolean, self: string | undefined): void {
  let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    policy = JSON.parse(value) as typeof policy;
  } catch {
    return invalidValue(ctx, 'RedrivePolicy', value, 'not valid JSON');
  }
  const count = Number(policy.maxReceiveCount);
  if (!(Number.isInteger(count) && count >= 1 && count <= 1000)) {
    invalidValue(ctx, 'RedrivePolicy', value, 'maxReceiveCount must be an integer from 1 to 1000');
  }
  const target = queueByArn(ctx.state, String(policy.deadLetterTargetArn ?? ''));
  if (!target) invalidValue(ctx, 'RedrivePolicy', value, 'Dead letter target does not exist');
  if (target.fifo !== fifo) {
    invalidValue(
      ctx,
      'RedrivePolicy',
      value,
      'Dead-letter target must be of the same type as the source queue',
    );
  }
  if (self !== undefined && target.name === self) {
    invalidValue(ctx, 'RedrivePolicy', value, 'a queue cannot be its own dead-letter queue');
  }
}

function defaultsFor(fifo: boolean): Record<string, string> {
  return fifo ? { ...QUEUE_DEFAULTS, ...FIFO_DEFAULTS, FifoQueue: 'true' } : { ...QUEUE_DEFAULTS };
}

function sameSettings(queue: SqsQueueRecord, attributes: Record<string, string>): boolean {
  const wanted = { ...defaultsFor(queue.fifo), ...attributes };
  const keys = new Set([...Object.keys(wanted), ...Object.keys(queue.attributes)]);
  return [...keys].every((k) => (wanted[k] ?? '') === (queue.attributes[k] ?? ''));
}

/** Counts of the messages as GetQueueAttributes reports them (approximate in AWS, exact here). */
function counts(queue: SqsQueueRecord, now: number): Record<string, string> {
  let visible = 0;
  let inFlight = 0;
  let delayed = 0;
  for (const m of queue.messages) {
    if (m.visibleAt <= now) visible += 1;
    else if (m.receiveCount > 0) inFlight += 1;
    else delayed += 1;
  }
  return {
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
  };
}

function allAttributes(queue: SqsQueueRecord, now: number): Record<string, string> {
  return {
    ...queue.attributes,
    ...counts(queue, now),
    QueueArn: queue.arn,
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.updatedAt / 1000)),
  };
}

export const queueOperations: Record<string, Operation<SqsState>> = {
  CreateQueue: {
    mutating: true,
    required: ['QueueName'],
    handle: (input: OperationInput, ctx) => {
      const name = String(input.QueueName);
      const given = (input.Attributes ?? {}) as Record<string, unknown>;
      const fifo = String(given.FifoQueue ?? 'false') === 'true';
      if (!(fifo ? FIFO_NAME : NAME).test(name)) {
        ctx.fail(
          'InvalidParameterValue',
          fifo
            ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
            : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
        );
      }
      const attributes = checkedAttributes(ctx, given, fifo, { creating: true, self: name });
      const existing = ctx.state.queues[name];
      if (existing) {
        if (sameSettings(existing, attributes)) return { QueueUrl: existing.url };
        ctx.fail(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute(s)`,
        );
      }
      const deletedAt = ctx.state.deletedAt[name];
      if (deletedAt !== undefined && ctx.now - deletedAt < NAME_REUSE_DELAY_MS) {
        ctx.fail(
          'QueueDeletedRecently',
          'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
        );
      }
      const queue: SqsQueueRecord = {
        name,
        url: queueUrl(ctx, name),
        arn: ctx.account.arn('sqs', name),
        fifo,
        attributes: { ...defaultsFor(fifo), ...attributes },
        tags: { ...((input.tags ?? {}) as Record<string, string>) },
        createdAt: ctx.now,
        updatedAt: ctx.now,
        messages: [],
        deduplication: {},
        nextSequence: 1,
      };
      ctx.state.queues[name] = queue;
      return { QueueUrl: queue.url };
    },
  },
  GetQueueUrl: {
    mutating: false,
    required: ['QueueName'],
    handle: (input: OperationInput, ctx) => {
      const queue = ctx.state.queues[String(input.QueueName)] ?? doesNotExist(ctx);
      return { QueueUrl: queue.url };
    },
  },
  ListQueues: {
    mutating: false,
    handle: (input: OperationInput, ctx) => {
      const prefix = String(input.QueueNamePrefix ?? '');
      const urls = Object.values(ctx.state.queues)
        .filter((q) => q.name.startsWith(prefix))
        .map((q) => q.url)
        .sort();
      return urls.length > 0 ? { QueueUrls: urls } : {};
    },
  },
  GetQueueAttributes: {
    mutating: false,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      const all = allAttributes(queue, ctx.now);
      const names = (input.AttributeNames ?? []) as string[];
      if (names.includes('All')) return { Attributes: all };
      const picked: Record<string, string> = {};
      for (const name of names) {
        if (!(name in all) && !SETTABLE.has(name) && !FIFO_ONLY.has(name)) {
          ctx.fail('InvalidAttributeName', `Unknown Attribute ${name}.`);
        }
        if (all[name] !== undefined) picked[name] = all[name]!;
      }
      return Object.keys(picked).length > 0 ? { Attributes: picked } : {};
    },
  },
  SetQueueAttributes: {
    mutating: true,
    required: ['QueueUrl', 'Attributes'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      const attributes = checkedAttributes(ctx, input.Attributes, queue.fifo, {
        creating: false,
        self: queue.name,
      });
      for (const [name, value] of Object.entries(attributes)) {
        // An empty RedrivePolicy removes it, as in SQS.
        if (name === 'RedrivePolicy' && value === '') delete queue.attributes.RedrivePolicy;
        else queue.attributes[name] = value;
      }
      queue.updatedAt = ctx.now;
    },
  },
  DeleteQueue: {
    mutating: true,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      delete ctx.state.queues[queue.name];
      ctx.state.deletedAt[queue.name] = ctx.now;
    },
  },
  ListDeadLetterSourceQueues: {
    mutating: false,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      const target = queueByUrl(ctx, input.QueueUrl);
      return {
        queueUrls: Object.values(ctx.state.queues)
          .filter((q) => redriveOf(q)?.deadLetterTargetArn === target.arn)
          .map((q) => q.url)
          .sort(),
      };
    },
  },
  TagQueue: {
    mutating: true,
    required: ['QueueUrl', 'Tags'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      Object.assign(queue.tags, input.Tags as Record<string, string>);
    },
  },
  UntagQueue: {
    mutating: true,
    required: ['QueueUrl', 'TagKeys'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      for (const key of input.TagKeys as string[]) delete queue.tags[key];
    },
  },
  ListQueueTags: {
    mutating: false,
    required: ['QueueUrl'],
    handle: (input: OperationInput, ctx) => {
      const queue = queueByUrl(ctx, input.QueueUrl);
      return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
    },
  },
};
