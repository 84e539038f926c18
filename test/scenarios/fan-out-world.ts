/**
 * A simulated account with LambdaFlex's fan-out wired as bootstrap wires it in AWS: the state table's
 * change feed (DynamoDB Streams), the work queue (SQS FIFO) and its dead-letter queue, the reconciler
 * function with both event source mappings, and the every-minute schedule's invocation. The function's
 * code is the real handler (reconciler/handler.ts); the pollers are aws-sim/runtime/event-sources.ts.
 */
import type { EnvironmentBudget } from '../../reconciler/dispatch/budgets';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createHandler, type HandlerDeps, type HandlerSummary } from '../../reconciler/handler';
import { encodeWorkItem } from '../../reconciler/dispatch/work-items';
import { ALL_RESOURCES } from '../../reconciler/resources';
import { InMemoryStateStore } from '../../reconciler/state';
import type { StateStore } from '../../reconciler/state/types';
import { createSimulatedAws, type FaultConfig } from '../../aws-sim';
import { ChangeFeed } from '../../aws-sim/runtime/change-feed';
import { withChangeFeed } from '../../simulation/state-stream';
import { EventSourceRuntime } from '../../aws-sim/runtime/event-sources';

export const FUNCTION = 'lambdaflex-reconciler';
export const QUEUE = 'lambdaflex-work.fifo';
export const DLQ = 'lambdaflex-work-dlq.fifo';
export const MAX_RECEIVE_COUNT = 3;
/** Longer than the lease (two minutes), so that a dead worker's lease has run out when its message returns. */
export const VISIBILITY_TIMEOUT_S = 150;

export interface FanOutWorld {
  account: ReturnType<typeof createSimulatedAws>['account'];
  clients: ReturnType<typeof createSimulatedAws>['clients'];
  store: StateStore;
  feed: ChangeFeed;
  runtime: EventSourceRuntime;
  queueUrl: string;
  dlqUrl: string;
  /** What the every-minute schedule does: invokes the function with the schedule's input. */
  schedule(): Promise<HandlerSummary>;
  /** Invokes the function directly with an event (as if Lambda had delivered it). */
  invoke(event: unknown): Promise<HandlerSummary>;
}

export async function fanOutWorld(
  options: {
    seed?: number;
    faults?: FaultConfig;
    /** Wraps the store the handler uses (a store that fails for one stack, say). */
    wrapStore?: (store: StateStore) => StateStore;
    batchSize?: number;
    maximumConcurrency?: number;
    /** The execution environments' API budget (none by default: calls are not held). */
    budget?: EnvironmentBudget;
  } = {},
): Promise<FanOutWorld> {
  const { account, clients } = createSimulatedAws({ seed: options.seed ?? 11, faults: options.faults });
  const tableArn = account.arn('dynamodb', 'table/lambdaflex');
  const feed = new ChangeFeed({
    streamArn: `${tableArn}/stream/2026-01-01T00:00:00.000`,
    region: account.region,
    partitionKey: 'stack',
    now: () => account.now(),
  });
  const store = withChangeFeed(new InMemoryStateStore(() => account.now()), feed);
  await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: DLQ,
      Attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600' },
    }),
  );
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: QUEUE,
      Attributes: {
        FifoQueue: 'true',
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_S),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: account.arn('sqs', DLQ),
          maxReceiveCount: MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: FUNCTION,
      Role: account.arn('iam', 'role/lambdaflex-reconciler-us-east-1', { region: false }),
      PackageType: 'Zip',
      Runtime: 'nodejs20.x',
      Handler: 'handler.handler',
      Timeout: 120,
      Code: { ZipFile: new Uint8Array([1]) },
    }),
  );
  await clients.lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: FUNCTION,
      EventSourceArn: account.arn('sqs', QUEUE),
      BatchSize: options.batchSize ?? 10,
      ScalingConfig: { MaximumConcurrency: options.maximumConcurrency ?? 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }),
  );
  await clients.lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: FUNCTION,
      EventSourceArn: feed.streamArn,
      StartingPosition: 'LATEST',
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }),
  );
  account.advance(2_000);

  const deps: HandlerDeps = {
    store: options.wrapStore ? options.wrapStore(store) : store,
    clients,
    region: account.region,
    kinds: ALL_RESOURCES,
    now: () => account.now(),
    monotonic: () => account.now(),
    // No holder: each invocation is its own execution environment with its own lease holder.
    logger: new Logger({ serviceName: 'lambdaflex-reconciler', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'LambdaFlex', serviceName: 'lambdaflex-reconciler' }),
    fanOut: { queueUrl: QueueUrl!, maxReceiveCount: MAX_RECEIVE_COUNT, deadLetterQueue: DLQ },
    ...(options.budget ? { budget: options.budget } : {}),
  };
  const handler = createHandler(deps);
  const runtime = new EventSourceRuntime({
    account,
    code: { [FUNCTION]: handler as (event: unknown, context: Context) => Promise<unknown> },
    feeds: [feed],
  });
  const context = (): Context =>
    ({
      functionName: FUNCTION,
      invokedFunctionArn: account.arn('lambda', `function:${FUNCTION}`),
      awsRequestId: 'schedule',
      getRemainingTimeInMillis: () => 120_000,
    }) as unknown as Context;
  return {
    account,
    clients,
    store,
    feed,
    runtime,
    queueUrl: QueueUrl!,
    dlqUrl: QueueUrl!.replace(QUEUE, DLQ),
    schedule: () => handler({ source: 'lambdaflex.schedule' }, context()),
    invoke: (event) => handler(event, context()),
  };
}

/** Silences Powertools' EMF output (metrics are printed on stdout) for the test's duration. */
export function quietMetrics(): () => void {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return () => spy.mockRestore();
}

/**
 * Sends the work queue a resync of `stack`, as a dispatcher run does, in the FIFO message group `group`
 * and with the deduplication id `dedupId`.
 */
export async function sendResync(
  w: FanOutWorld,
  group: string,
  stack: string,
  dedupId: string,
): Promise<void> {
  await w.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: w.queueUrl,
      MessageBody: encodeWorkItem({
        stack,
        reason: 'periodic resync',
        sentAt: w.account.now(),
        generation: 1,
      }),
      MessageGroupId: group,
      MessageDeduplicationId: dedupId,
    }),
  );
}
