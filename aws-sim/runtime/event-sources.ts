/**
 * What Lambda's pollers do for the event source mappings of the simulated account: for an SQS mapping,
 * receive batches (as many at once as its MaximumConcurrency), invoke the function with each, and delete
 * what it processed: everything when it returns, nothing when it throws (the messages come back after
 * their visibility timeout and, past maxReceiveCount, go to the dead-letter queue), all but the reported
 * failures with ReportBatchItemFailures. For a stream mapping, hand the function the feed's records in
 * order and in batches, from TRIM_HORIZON or from when the mapping was made (LATEST), retrying a batch
 * that failed before going on.
 *
 * The function's code is given by name (what the deployment package would run). Nothing here moves the
 * clock: a test moves it (visibility timeouts), or bench/ runs the whole on a virtual-time scheduler.
 *
 * @example
 * const runtime = new EventSourceRuntime({ account, code: { 'lambdaflex-reconciler': handler }, feeds: [feed] });
 * await runtime.drain(); // streams, then queues, until nothing is left to deliver
 */
import type { Context } from 'aws-lambda';
import type { SimAccount } from '../core/account';
import { SimulatedCrashError } from '../core/errors';
import {
  mappingsOf,
  mappingState,
  type EventSourceMappingRecord,
} from '../services/lambda/event-source-mappings';
import type { LambdaState } from '../services/lambda/state';
import { deleteMessage, receiveMessages, systemAttributes } from '../services/sqs/messages';
import { queueByArn } from '../services/sqs/queues';
import type { SqsMessageRecord, SqsQueueRecord, SqsState } from '../services/sqs/state';
import type { ChangeFeed } from './change-feed';

export type FunctionCode = (event: unknown, context: Context) => Promise<unknown>;

export interface EventSourceRuntimeOptions {
  account: SimAccount;
  /** Function name → the code it runs. */
  code: Record<string, FunctionCode>;
  /** The change feeds standing for the DynamoDB streams the mappings read, by their stream ARN. */
  feeds?: readonly ChangeFeed[];
  /** Batches at once for an SQS mapping without MaximumConcurrency (Lambda starts with five pollers). */
  defaultConcurrency?: number;
}

export interface Invocation {
  mapping: string;
  source: 'sqs' | 'dynamodb';
  functionName: string;
  records: number;
  /** Messages or records reported failed (all of them when the function threw). */
  failed: number;
  error?: string;
  /** Simulated time at start and end. */
  startedAt: number;
  endedAt: number;
}

interface StreamPosition {
  next: number;
  attempts: number;
}

export class EventSourceRuntime {
  readonly invocations: Invocation[] = [];
  private readonly positions = new Map<string, StreamPosition>();
  /** Invocations running now, by SQS mapping. */
  private readonly running = new Map<string, number>();
  private requestCounter = 0;

  constructor(private readonly options: EventSourceRuntimeOptions) {}

  private get account(): SimAccount {
    return this.options.account;
  }

  private mappings(kind: 'sqs' | 'dynamodb'): EventSourceMappingRecord[] {
    this.account.refresh();
    const state = this.account.stateOf<LambdaState>('lambda');
    return Object.values(mappingsOf(state)).filter(
      (m) => m.kind === kind && mappingState(m) === 'Enabled' && state.functions[m.functionName],
    );
  }

  private context(functionName: string): Context {
    const fn = this.account.stateOf<LambdaState>('lambda').functions[functionName];
    const deadline = this.account.now() + (fn?.timeout ?? 120) * 1000;
    this.requestCounter += 1;
    return {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn?.arn ?? this.account.arn('lambda', `function:${functionName}`),
      memoryLimitInMB: String(fn?.memorySize ?? 512),
      awsRequestId: `sim-invocation-${this.requestCounter}`,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `sim/${this.requestCounter}`,
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - this.account.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }

  /**
   * Runs the function. A simulated crash during the invocation ends its execution environment: whatever
   * the code did after it, Lambda gets no answer (the invocation failed), and the account "restarts".
   */
  private async invoke(functionName: string, event: unknown): Promise<{ result?: unknown; error?: Error }> {
    const code = this.options.code[functionName];
    if (!code) throw new Error(`no code given for the simulated function ${functionName}`);
    let outcome: { result?: unknown; error?: Error };
    try {
      outcome = { result: await code(event, this.context(functionName)) };
    } catch (error) {
      outcome = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (this.account.crashed) {
      const crash = new SimulatedCrashError(0);
      this.account.restart();
      return { error: outcome.error instanceof SimulatedCrashError ? outcome.error : crash };
    }
    return outcome;
  }

  /**
   * One round of every enabled SQS mapping: its concurrency's worth of batches received at once, then
   * each handed to the function, all concurrently. Returns how many messages were delivered.
   */
  async pollQueues(): Promise<number> {
    const { delivered, invocations } = this.startQueueInvocations();
    await Promise.all(invocations);
    return delivered;
  }

  /**
   * Receives as many batches as each enabled SQS mapping has invocations free (MaximumConcurrency less
   * those still running) and starts the function on each, without waiting: Lambda's pollers, which keep
   * the concurrency filled as invocations end. Returns the messages delivered and the invocations.
   */
  startQueueInvocations(): { delivered: number; invocations: Promise<void>[] } {
    let delivered = 0;
    const invocations: Promise<void>[] = [];
    const sqs = this.account.stateOf<SqsState>('sqs');
    for (const mapping of this.mappings('sqs')) {
      const queue = queueByArn(sqs, mapping.eventSourceArn);
      if (!queue) continue;
      const concurrency = mapping.maximumConcurrency ?? this.options.defaultConcurrency ?? 5;
      while ((this.running.get(mapping.uuid) ?? 0) < concurrency) {
        const batch = receiveMessages(this.account, sqs, queue, this.account.now(), {
          max: mapping.batchSize,
        });
        if (batch.length === 0) break;
        delivered += batch.length;
        this.running.set(mapping.uuid, (this.running.get(mapping.uuid) ?? 0) + 1);
        invocations.push(
          this.invokeWithBatch(mapping, queue, batch).finally(() =>
            this.running.set(mapping.uuid, (this.running.get(mapping.uuid) ?? 1) - 1),
          ),
        );
      }
    }
    return { delivered, invocations };
  }

  /** Invocations of a mapping running now. */
  runningInvocations(): number {
    return [...this.running.values()].reduce((n, r) => n + r, 0);
  }

  private async invokeWithBatch(
    mapping: EventSourceMappingRecord,
    queue: SqsQueueRecord,
    batch: SqsMessageRecord[],
  ): Promise<void> {
    // Handles as received: a message received again meanwhile is not deleted by this invocation.
    const handles = batch.map((m) => ({ id: m.messageId, handle: m.receiptHandle! }));
    const event = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: systemAttributes(this.account, m),
        messageAttributes: {},
        md5OfBody: m.md5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: this.account.region,
      })),
    };
    const startedAt = this.account.now();
    const { result, error } = await this.invoke(mapping.functionName, event);
    const failed = error
      ? new Set(handles.map((h) => h.id))
      : this.reportedFailures(mapping, result, handles);
    for (const { id, handle } of handles) {
      if (!failed.has(id)) deleteMessage(queue, handle);
    }
    this.invocations.push({
      mapping: mapping.uuid,
      source: 'sqs',
      functionName: mapping.functionName,
      records: batch.length,
      failed: failed.size,
      ...(error ? { error: error.message } : {}),
      startedAt,
      endedAt: this.account.now(),
    });
  }

  /** The ids a partial batch response names; an answer naming nothing of the batch fails it whole. */
  private reportedFailures(
    mapping: EventSourceMappingRecord,
    result: unknown,
    handles: { id: string }[],
  ): Set<string> {
    if (!mapping.functionResponseTypes.includes('ReportBatchItemFailures')) return new Set();
    const failures = (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)
      ?.batchItemFailures;
    if (!Array.isArray(failures)) return new Set();
    const ids = new Set(handles.map((h) => h.id));
    const named = failures.map((f) => f.itemIdentifier ?? '');
    if (named.some((id) => !ids.has(id))) return ids;
    return new Set(named);
  }

  /** Every enabled stream mapping's new records, in order, in batches. Returns how many were delivered. */
  async pollStreams(): Promise<number> {
    let delivered = 0;
    for (const mapping of this.mappings('dynamodb')) {
      const feed = this.options.feeds?.find((f) => f.streamArn === mapping.eventSourceArn);
      if (!feed) continue;
      const position = this.positionOf(mapping, feed);
      while (position.next < feed.length) {
        const batch = feed.read(position.next, mapping.batchSize);
        const startedAt = this.account.now();
        const { result, error } = await this.invoke(mapping.functionName, { Records: batch });
        delivered += batch.length;
        let failedFrom: number | undefined = error ? 0 : undefined;
        if (!error && mapping.functionResponseTypes.includes('ReportBatchItemFailures')) {
          const failures = (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)
            ?.batchItemFailures;
          const indexes = (failures ?? []).map((f) =>
            batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier),
          );
          if (indexes.length > 0) failedFrom = indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
        }
        this.invocations.push({
          mapping: mapping.uuid,
          source: 'dynamodb',
          functionName: mapping.functionName,
          records: batch.length,
          failed: failedFrom === undefined ? 0 : batch.length - failedFrom,
          ...(error ? { error: error.message } : {}),
          startedAt,
          endedAt: this.account.now(),
        });
        if (failedFrom === undefined) {
          position.next += batch.length;
          position.attempts = 0;
          continue;
        }
        // A failed batch is tried again from the first failed record; past MaximumRetryAttempts it is
        // skipped (-1, the default: until the records expire, here: the next round).
        position.next += failedFrom;
        position.attempts += 1;
        const limit = mapping.maximumRetryAttempts ?? -1;
        if (limit >= 0 && position.attempts > limit) {
          position.next += batch.length - failedFrom;
          position.attempts = 0;
          continue;
        }
        break;
      }
    }
    return delivered;
  }

  private positionOf(mapping: EventSourceMappingRecord, feed: ChangeFeed): StreamPosition {
    let position = this.positions.get(mapping.uuid);
    if (!position) {
      const made = mapping.lastModified;
      const latest = feed.writtenAt.findIndex((at) => at >= made);
      position = {
        next:
          mapping.startingPosition === 'TRIM_HORIZON'
            ? feed.dropped
            : latest < 0
              ? feed.length
              : feed.dropped + latest,
        attempts: 0,
      };
      this.positions.set(mapping.uuid, position);
    }
    return position;
  }

  /** Lets the feeds go of what every mapping reading them has read (a long run's memory). */
  releaseRead(): void {
    for (const feed of this.options.feeds ?? []) {
      const readers = this.mappings('dynamodb').filter((m) => m.eventSourceArn === feed.streamArn);
      const positions = readers.map((m) => this.positions.get(m.uuid)?.next);
      if (positions.length > 0 && positions.every((p) => p !== undefined)) {
        feed.release(Math.min(...(positions as number[])));
      }
    }
  }

  /** Streams, then queues, round after round until a round delivers nothing (or `maxRounds`). */
  async drain(maxRounds = 50): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const delivered = (await this.pollStreams()) + (await this.pollQueues());
      if (delivered === 0) break;
      total += delivered;
    }
    return total;
  }
}
