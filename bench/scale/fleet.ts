/**
 * The scale benchmark's world: a fleet of settled stacks in one simulated account with AWS's documented
 * account-wide limits, and LambdaFlex fanned out on it as bootstrap sets it up (the table's change feed,
 * the FIFO work queue and its dead-letter queue, the function's two event source mappings, the
 * every-minute and requeue schedules), all on virtual time with a fixed latency per call.
 *
 * Each Lambda execution environment is its own handler with its own clients and its own share of the
 * account's API budget, as in Lambda; the dispatcher and the workers share the account.
 */
import { CreatePolicyCommand } from '@aws-sdk/client-iam';
import { POLICY_NAMES, stackRolePath } from '../../reconciler/iam/arns';
import {
  stackBoundaryPolicy,
  stackLogsPolicy,
  stackTablePolicy,
} from '../../reconciler/iam/stack-role-policies';
import type { Partition } from '../../reconciler/aws/partition';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { isMutatingOperation } from '../../reconciler/aws/call-counter';
import { takeRetryToken } from '../../reconciler/aws/rate-budget';
import { EnvironmentBudget, STREAM_RETRY_ATTEMPTS, WORKERS } from '../../reconciler/dispatch/budgets';
import { createHandler, type HandlerSummary } from '../../reconciler/handler';
import { invocationOf } from '../../reconciler/dispatch/fan-out';
import { WORK_QUEUE } from '../../reconciler/iam/scopes';
import { reconcileStack, type ReconcilerOptions } from '../../reconciler/reconcile';
import { ALL_RESOURCES } from '../../reconciler/resources';
import { InMemoryStateStore } from '../../reconciler/state';
import type { StateStore } from '../../reconciler/state/types';
import { WORK_QUEUE_SETTINGS } from '../../reconciler/bootstrap/work-queue';
import { clientsFor, SimAccount } from '../../aws-sim';
import type { AccountState } from '../../aws-sim/core/account';
import { ALL_SERVICES } from '../../aws-sim/services';
import type { SchedulerState } from '../../aws-sim/services/scheduler';
import { ChangeFeed } from '../../aws-sim/runtime/change-feed';
import { withChangeFeed } from '../../simulation/state-stream';
import { EventSourceRuntime } from '../../aws-sim/runtime/event-sources';
import { VirtualTime } from './virtual-time';

export const FUNCTION = 'lambdaflex-reconciler';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';

export function stackName(i: number): string {
  return `fleet-${String(i + 1).padStart(4, '0')}`;
}

export function specOf(stack: string, options: { mode?: 'lambda' | 'fargate'; tag?: string } = {}) {
  return { stack, image: `${IMAGE}:${options.tag ?? '1'}`, mode: options.mode ?? 'lambda' };
}

/** A clock that can be pointed at another account (the store outlives the build's account). */
export interface Clock {
  now: () => number;
}

export interface Fleet {
  state: AccountState;
  store: InMemoryStateStore;
  clock: Clock;
  stacks: string[];
  /** Real milliseconds the build took. */
  buildMs: number;
}

/** The stack-role policies bootstrap installs in the region (the boundary, logs and table policies). */
async function installStackPolicies(account: SimAccount): Promise<void> {
  const where = {
    partition: account.partition as Partition,
    region: account.region,
    account: account.accountId,
    tableName: 'lambdaflex',
  };
  const iam = clientsFor(account).iam;
  for (const [name, document] of [
    [POLICY_NAMES.boundary(account.region), stackBoundaryPolicy(where)],
    [POLICY_NAMES.stackLogs(account.region), stackLogsPolicy(where)],
    [POLICY_NAMES.stackTable(account.region), stackTablePolicy(where)],
  ] as const) {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: name,
        Path: stackRolePath(account.region),
        PolicyDocument: JSON.stringify(document),
      }),
    );
  }
}

/**
 * `count` stacks on the Lambda tier, settled, each with its snapshot, built by the reconciler's own
 * passes in an account without rate limits (so that the build is quick), passes spread over time.
 */
export async function buildFleet(count: number, seed = 17): Promise<Fleet> {
  const started = Date.now();
  const account = new SimAccount(
    ALL_SERVICES.map((service) => ({ ...service, buckets: {} })),
    { seed },
  );
  const clock: Clock = { now: () => account.now() };
  await installStackPolicies(account);
  const store = new InMemoryStateStore(() => clock.now());
  const options: ReconcilerOptions = {
    store,
    clients: clientsFor(account),
    region: account.region,
    kinds: ALL_RESOURCES,
    holder: 'build',
    now: () => account.now(),
    monotonic: () => account.now(),
  };
  const stacks = Array.from({ length: count }, (_, i) => stackName(i));
  for (const stack of stacks) await store.putSpec(specOf(stack));
  // Until settled, then once more: a settled full pass leaves the snapshot the steady minutes confirm.
  const pending = new Set(stacks);
  const snapshotless = new Set(stacks);
  for (let round = 0; round < 40 && snapshotless.size > 0; round++) {
    for (const stack of [...snapshotless]) {
      const result = await reconcileStack(options, stack);
      if (result.settled || result.outcome !== 'reconciled') pending.delete(stack);
      const record = await store.get(stack);
      if (!pending.has(stack) && record?.bookkeeping.observationSnapshot) snapshotless.delete(stack);
    }
    account.advance(15_000);
  }
  if (snapshotless.size > 0) throw new Error(`${snapshotless.size} of ${count} stacks did not settle`);
  return { state: account.toJSON(), store, clock, stacks, buildMs: Date.now() - started };
}

export interface CallRecord {
  service: string;
  operation: string;
  at: number;
  mutating: boolean;
  throttled: boolean;
  /** The execution environment that made it (1, 2, …), the role it acted in, and the attempt. */
  environment?: number;
  role?: string;
  attempt?: number;
  /** What it asked for, for `--dump-calls` (the names, ARNs or filters of its input, shortened). */
  input?: string;
}

export interface WorldOptions {
  /** Simulated latency of each AWS control-plane call. */
  latencyMs: number;
  /** Simulated latency of each state-store call (DynamoDB). */
  storeLatencyMs: number;
  /** Attempts per call, as the SDK (throttled calls are retried after a backoff). */
  maxAttempts?: number;
  /** Keep every wait for a budget token in `tokenWaits` (`--dump-edit`); off, nothing is kept. */
  recordTokenWaits?: boolean;
}

const THROTTLED = /Throttl|RequestLimitExceeded|TooManyRequests|RequestThrottled/;

/** A call's input in a line, for `--dump-calls`: which stacks' resources it asked about. */
function inputSummary(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  const text = JSON.stringify(input);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const silentLogger = {
  addContext: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
} as unknown as Logger;
const silentMetrics = {
  addMetric: () => undefined,
  publishStoredMetrics: () => undefined,
  captureColdStartMetric: () => undefined,
} as unknown as Metrics;

interface MiddlewareClient {
  middlewareStack: {
    add(m: unknown, o: { step: 'initialize'; priority: 'high' | 'low'; name: string }): void;
  };
}

/** The fleet in an account with AWS's documented limits, fanned out, on virtual time. */
export class ScaleWorld {
  readonly account: SimAccount;
  readonly vt: VirtualTime;
  readonly feed: ChangeFeed;
  readonly store: StateStore;
  readonly runtime: EventSourceRuntime;
  readonly calls: CallRecord[] = [];
  /** Dispatcher runs of the schedule: when each started and ended, and how many stacks it sent. */
  readonly dispatches: { startedAt: number; endedAt: number; sent: number; stacks: string[] }[] = [];
  readonly errors: string[] = [];
  /** Every invocation of the function (schedule, change feed, queue): when it started and how long it ran. */
  readonly invocations: { at: number; ms: number; environment?: number; kind?: string }[] = [];
  private readonly environmentOf = new WeakMap<object, number>();
  queueUrl = '';
  private readonly free: ((event: unknown, context: Context) => Promise<HandlerSummary>)[] = [];
  private environments = 0;

  /** Execution environments made so far (Lambda keeps each one for later invocations). */
  get environmentCount(): number {
    return this.environments;
  }
  private running = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    readonly fleet: Fleet,
    readonly options: WorldOptions,
  ) {
    this.account = new SimAccount(ALL_SERVICES, { rateLimits: 'documented' });
    this.account.restore({ ...fleet.state, rateLimits: 'documented' });
    fleet.clock.now = () => this.account.now();
    this.vt = new VirtualTime(this.account);
    const tableArn = this.account.arn('dynamodb', 'table/lambdaflex');
    this.feed = new ChangeFeed({
      streamArn: `${tableArn}/stream/2026-01-01T00:00:00.000`,
      region: this.account.region,
      partitionKey: 'stack',
      now: () => this.account.now(),
    });
    this.store = this.withStoreLatency(withChangeFeed(fleet.store, this.feed));
    this.runtime = new EventSourceRuntime({
      account: this.account,
      code: { [FUNCTION]: (event, context) => this.invoke(event, context) },
      feeds: [this.feed],
    });
  }

  /** Every state-store call takes `storeLatencyMs`; a scan a page per hundred records. */
  private withStoreLatency(store: StateStore): StateStore {
    const vt = this.vt;
    const latency = this.options.storeLatencyMs;
    const fleetSize = this.fleet.stacks.length;
    return new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const pages = property === 'list' ? Math.max(1, Math.ceil(fleetSize / 100)) : 1;
          await vt.sleep(latency * pages);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** An execution environment's clients: latency, throttling retried with backoff, every call recorded. */
  private clients(environment?: number, budget?: EnvironmentBudget) {
    const clients = clientsFor(this.account, { maxAttempts: 1 });
    const half = this.options.latencyMs / 2;
    const attempts = this.options.maxAttempts ?? 3;
    for (const [service, client] of Object.entries(clients) as [string, MiddlewareClient][]) {
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: unknown) => {
            const operation = (context.commandName ?? '').replace(/Command$/, '');
            for (let attempt = 1; ; attempt++) {
              await this.vt.sleep(half);
              const record: CallRecord = {
                service,
                operation,
                at: this.account.now(),
                mutating: isMutatingOperation(operation),
                throttled: false,
                ...(environment !== undefined ? { environment } : {}),
                ...(budget ? { role: budget.actingAs } : {}),
                attempt,
                input: inputSummary((args as { input?: unknown }).input),
              };
              this.calls.push(record);
              try {
                const answer = await next(args);
                await this.vt.sleep(half);
                return answer;
              } catch (error) {
                await this.vt.sleep(half);
                const throttled = THROTTLED.test((error as { name?: string }).name ?? '');
                record.throttled = throttled;
                if (!throttled || attempt >= attempts) throw error;
                // As the SDK's retry strategy of a budgeted client does (aws/rate-budget.ts): the retry
                // waits for a token of the call's budget, then the SDK's backoff (up to 100 ms × 2^attempt,
                // here its mean).
                try {
                  await takeRetryToken();
                } catch {
                  // No token for a retry (a shared category's next turn too far off): the SDK's retry
                  // strategy then throws the call's own error.
                  throw error;
                }
                await this.vt.sleep(50 * 2 ** attempt);
              }
            }
          },
        // Inside the call budget (and its gathering of reads): what is recorded is what reaches AWS.
        { step: 'initialize', priority: 'low', name: 'benchLatency' },
      );
    }
    return clients;
  }

  /**
   * Every wait for a budget token, when `recordTokenWaits` (for `--dump-edit`): who waited, for what, from
   * when, how long.
   */
  readonly tokenWaits: {
    environment: number;
    service: string;
    operation?: string;
    role: string;
    startedAt: number;
    waited: number;
  }[] = [];

  /** Every execution environment's budget, for the time calls waited on it. */
  private readonly budgets: EnvironmentBudget[] = [];

  private budgetOf(): EnvironmentBudget {
    // As in Lambda (reconciler/handler.ts defaultDeps): what is shared through the table, through its store.
    const budget = new EnvironmentBudget(
      undefined,
      () => this.account.now(),
      (ms) => this.vt.sleep(ms),
      this.store.claimTurn ? (this.store as Required<Pick<StateStore, 'claimTurn'>>) : undefined,
      () => this.account.now(),
    );
    this.budgets.push(budget);
    if (!this.options.recordTokenWaits) return budget;
    const environment = this.budgets.length;
    const take = budget.take.bind(budget);
    budget.take = async (service, mutating, operation) => {
      const startedAt = this.account.now();
      await take(service, mutating, operation);
      const waited = this.account.now() - startedAt;
      if (waited > 0)
        this.tokenWaits.push({ environment, service, operation, role: budget.actingAs, startedAt, waited });
    };
    return budget;
  }

  /** Milliseconds calls have waited for their budget's tokens so far, by service, over every environment. */
  budgetWaits(): Record<string, number> {
    const total: Record<string, number> = {};
    for (const budget of this.budgets) {
      for (const [service, ms] of Object.entries(budget.waitedMs()))
        total[service] = (total[service] ?? 0) + ms;
    }
    return total;
  }

  private environment() {
    const id = ++this.environments;
    const budget = this.budgetOf();
    const handler = createHandler({
      store: this.store,
      clients: this.clients(id, budget),
      region: this.account.region,
      kinds: ALL_RESOURCES,
      holder: `environment-${id}`,
      now: () => this.account.now(),
      monotonic: () => this.account.now(),
      logger: silentLogger,
      metrics: silentMetrics,
      schedulerRoleArn: this.account.arn('iam', 'role/lambdaflex-reconciler-scheduler-us-east-1', {
        region: false,
      }),
      budget,
      fanOut: {
        queueUrl: this.queueUrl,
        maxReceiveCount: WORK_QUEUE_SETTINGS.maxReceiveCount,
        deadLetterQueue: WORK_QUEUE.deadLetter,
      },
    });
    this.environmentOf.set(handler, id);
    return handler;
  }

  /** Lambda's invocation: a free execution environment, or a new one. */
  private async invoke(event: unknown, context: Context): Promise<HandlerSummary> {
    const handler = this.free.pop() ?? this.environment();
    const at = this.account.now();
    try {
      const summary = await handler(event, context);
      for (const e of summary.errors) this.errors.push(`${e.stack}: ${e.message}`);
      return summary;
    } finally {
      this.invocations.push({
        at,
        ms: this.account.now() - at,
        environment: this.environmentOf.get(handler),
        kind: invocationOf(event).kind,
      });
      this.free.push(handler);
    }
  }

  private context(): Context {
    const deadline = this.account.now() + 120_000;
    return {
      functionName: FUNCTION,
      invokedFunctionArn: this.account.arn('lambda', `function:${FUNCTION}`),
      awsRequestId: 'schedule',
      getRemainingTimeInMillis: () => deadline - this.account.now(),
    } as unknown as Context;
  }

  /** The fan-out's resources, as bootstrap makes them. */
  async setUp(): Promise<void> {
    const clients = clientsFor(this.account);
    await clients.sqs.send(
      new CreateQueueCommand({ QueueName: WORK_QUEUE.deadLetter, Attributes: { FifoQueue: 'true' } }),
    );
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: WORK_QUEUE.name,
        Attributes: {
          FifoQueue: 'true',
          VisibilityTimeout: String(WORK_QUEUE_SETTINGS.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: this.account.arn('sqs', WORK_QUEUE.deadLetter),
            maxReceiveCount: WORK_QUEUE_SETTINGS.maxReceiveCount,
          }),
        },
      }),
    );
    this.queueUrl = QueueUrl!;
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: FUNCTION,
        Role: this.account.arn('iam', 'role/lambdaflex-reconciler-us-east-1', { region: false }),
        PackageType: 'Zip',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Timeout: 120,
        Code: { ZipFile: new Uint8Array([1]) },
      }),
    );
    await clients.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: FUNCTION,
        EventSourceArn: this.account.arn('sqs', WORK_QUEUE.name),
        BatchSize: WORKERS.batchSize,
        ScalingConfig: { MaximumConcurrency: WORKERS.maximumConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    await clients.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: FUNCTION,
        EventSourceArn: this.feed.streamArn,
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    this.account.advance(60_000 - ((this.account.now() - this.account.startTime) % 60_000));
    this.calls.length = 0;
  }

  /** Starts Lambda's pollers and the schedules; they run as virtual time goes on. */
  start(): void {
    this.running = true;
    const loop = (body: () => Promise<void>) => {
      this.loops.push(
        (async () => {
          while (this.running) await body();
        })(),
      );
    };
    // SQS: long polls keep the workers' concurrency filled.
    loop(async () => {
      this.runtime.startQueueInvocations();
      await this.vt.sleep(100);
    });
    // DynamoDB Streams: Lambda reads each shard about four times a second.
    loop(async () => {
      await this.runtime.pollStreams();
      this.runtime.releaseRead();
      await this.vt.sleep(250);
    });
    // The every-minute schedule.
    loop(async () => {
      const elapsed = (this.account.now() - this.account.startTime) % 60_000;
      await this.vt.sleep(60_000 - elapsed);
      void this.scheduled();
    });
    // The one-off requeue schedule, fired when due and deleted after (ActionAfterCompletion DELETE).
    loop(async () => {
      await this.vt.sleep(1_000);
      const schedules = this.account.stateOf<SchedulerState>('scheduler').schedules;
      for (const [key, schedule] of Object.entries(schedules)) {
        const at = /^at\((.+)\)$/.exec(schedule.scheduleExpression)?.[1];
        if (at && Date.parse(`${at}Z`) <= this.account.now()) {
          delete schedules[key];
          void this.invoke({ source: 'lambdaflex.requeue' }, this.context());
        }
      }
    });
  }

  /** A scheduled dispatcher run, and its pass: until the work it sent is done (queue empty, no worker). */
  private async scheduled(): Promise<void> {
    const startedAt = this.account.now();
    const summary = await this.invoke({ source: 'lambdaflex.schedule' }, this.context());
    const stacks = (summary.dispatched ?? []).map((d) => d.stack);
    while (this.running && !this.idle()) await this.vt.sleep(100);
    this.dispatches.push({ startedAt, endedAt: this.account.now(), sent: stacks.length, stacks });
  }

  /** Stops the loops at their next wake-up. */
  async stop(): Promise<void> {
    this.running = false;
    await this.vt.run(this.account.now() + 61_000, () => false);
  }

  /** Whether the queue is empty and no worker runs. */
  idle(): boolean {
    return this.runtime.runningInvocations() === 0 && this.pendingMessages() === 0;
  }

  pendingMessages(): number {
    const sqs = this.account.stateOf<{ queues: Record<string, { messages: unknown[] }> }>('sqs');
    return sqs.queues[WORK_QUEUE.name]?.messages.length ?? 0;
  }
}
