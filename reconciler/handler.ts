/**
 * The reconciler Lambda: the target of the every-minute EventBridge Scheduler schedule (and of the
 * one-off requeue schedule). With the work queue bootstrap makes, it is fanned out (dispatch/fan-out.ts):
 * a scheduled invocation is the dispatcher, the table's change feed invokes the dispatcher for edited
 * stacks, and the queue's event source mapping invokes workers. Without it, each invocation reconciles
 * every stack in the table, several at once, within the invocation's remaining time less a margin.
 * Either way, when a stack is mid-transition and asks to come back sooner than the next minute, the
 * one-off schedule moves to that time.
 *
 * Clients, store, logger and metrics are made once per execution environment (outside the handler), and
 * injected in tests through `createHandler`.
 *
 * @example
 * // tests: the simulated AWS and the in-memory store
 * const handler = createHandler({ store, clients, region, logger, metrics, schedulerRoleArn });
 * await handler({}, { getRemainingTimeInMillis: () => 60_000, invokedFunctionArn: arn } as Context);
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createAwsClients, requestHandlerOptions, type AwsClients } from './aws/clients';
import { HANDLER_ENV } from './bootstrap/names';
import { pinnedTier } from './decide/pinned';
import { upsertRequeueSchedule } from './bootstrap/requeue-schedule';
import { prepareAutoDecide } from './decide/auto-decider';
import { reconcileAll, type ReconcileAllOptions, type ReconcileAllResult } from './reconcile-all';
import { invocationOf, roleOf, runFanOut, type FanOutOutcome, type FanOutSettings } from './dispatch/fan-out';
import { ACCOUNT_BUDGETS, budgetClients, CallBudget } from './aws/rate-budget';
import { DEFAULT_PARALLELISM } from './concurrency';
import { EnvironmentBudget, roleShares } from './dispatch/budgets';
import type { PassResult, ReconcilerOptions } from './reconcile';
import { ALL_RESOURCES } from './resources';
import type { ManagedResource } from './resources/types';
import { DynamoStateStore, type StateStore } from './state';

export interface HandlerDeps {
  store: StateStore;
  clients: AwsClients;
  region: string;
  logger: Logger;
  metrics: Metrics;
  kinds?: readonly ManagedResource[];
  /** Lease holder: unique per execution environment. */
  holder?: string;
  /** Time as AWS sees it (the simulated clock in tests). */
  now?: () => number;
  /**
   * The lease's clock, one that never steps back: performance.now() in production (defaultDeps), the
   * simulated clock in tests. Required: defaulted to `now`, a composition that forgot it would judge
   * the lease on the wall clock.
   */
  monotonic: () => number;
  /** Stacks reconciled at once (DEFAULT_PARALLELISM). */
  parallelism?: number;
  /** Time kept back from the invocation's remaining time, so that status writes and metrics get out. */
  marginMs?: number;
  /** Role that EventBridge Scheduler assumes for the requeue schedule; without it there is no requeue. */
  schedulerRoleArn?: string;
  decide?: ReconcilerOptions['decide'];
  prepareDecide?: ReconcileAllOptions['prepareDecide'];
  /** The work queue and its settings: with a queue URL, a scheduled invocation dispatches (dispatch/). */
  fanOut?: FanOutSettings;
  /**
   * The call budget of `clients` (aws/rate-budget.ts): clients built by createAwsClients have one already;
   * others (the simulated account's) are held by this one when it is given. Fanned out, an execution
   * environment's share of the account's budget, by the role of each invocation (dispatch/budgets.ts).
   */
  budget?: CallBudget | EnvironmentBudget;
}

export interface HandlerSummary {
  stacks: number;
  reconciled: number;
  skipped: string[];
  errors: { stack: string; message: string }[];
  transitions: { stack: string; from?: string; to?: string }[];
  requeueAt?: number;
  apiCalls: number;
  durationMs: number;
  /** A dispatcher invocation: the stacks sent to the work queue, and why. */
  dispatched?: { stack: string; reason: string }[];
  /** A worker invocation: the messages to hand out again (Lambda's partial batch response). */
  batchItemFailures?: { itemIdentifier: string }[];
}

/** Time kept back from the invocation for status writes and metrics, unless LAMBDAFLEX_MARGIN_MS says otherwise. */
const DEFAULT_MARGIN_MS = 10_000;

/** The regular schedule comes within a minute: only sooner requests need the one-off schedule. */
const REGULAR_INTERVAL_MS = 60_000;
/** Scheduler fires at whole seconds at best; anything sooner is "as soon as possible". */
const MIN_REQUEUE_MS = 1_000;

export function createHandler(deps: HandlerDeps | (() => HandlerDeps)) {
  let resolved: HandlerDeps | undefined;
  const get = () => {
    if (!resolved) {
      resolved = typeof deps === 'function' ? deps() : deps;
      // Every call of this execution environment waits for its share of the account's budget.
      if (resolved.budget) budgetClients(resolved.clients, resolved.budget);
    }
    return resolved;
  };
  let cold = true;

  return async function handler(event: unknown, context: Context): Promise<HandlerSummary> {
    const d = get();
    const { logger, metrics } = d;
    const now = d.now ?? Date.now;
    logger.addContext(context);
    if (cold) metrics.captureColdStartMetric(context.functionName);
    cold = false;
    const started = Date.now();
    const marginMs = d.marginMs ?? DEFAULT_MARGIN_MS;
    const phasesBefore = new Map<string, string | undefined>();
    const reconciler: ReconcilerOptions = {
      store: d.store,
      clients: d.clients,
      region: d.region,
      kinds: d.kinds ?? ALL_RESOURCES,
      holder: d.holder ?? `lambda:${randomUUID()}`,
      now,
      monotonic: d.monotonic,
      decide: d.decide,
      // Fanned out, the creates the account makes one at a time take their turns in the table's book.
      ...(d.budget instanceof EnvironmentBudget ? { turns: d.budget } : {}),
    };
    try {
      // With the work queue: a dispatcher or a worker (dispatch/fan-out.ts); otherwise every stack here.
      const invocation = invocationOf(event);
      if (d.budget instanceof EnvironmentBudget) d.budget.actAs(roleOf(invocation));
      const fanOut = await runFanOut(invocation, d.fanOut ?? {}, {
        store: d.store,
        sqs: d.clients.sqs,
        reconciler,
        remainingMs: () => context.getRemainingTimeInMillis() - marginMs,
        ...(d.prepareDecide ? { prepareDecide: d.prepareDecide } : {}),
      });
      if (fanOut) {
        const summary = fanOutSummary(fanOut, started);
        const soonest = fanOut.dispatch?.nextDueAt;
        if (soonest !== undefined)
          summary.requeueAt = await scheduleRequeue(d, context, now, soonest - now());
        reportFanOut(logger, metrics, summary, fanOut);
        return summary;
      }
      const result = await reconcileAll(reconciler, {
        parallelism: d.parallelism,
        remainingMs: () => context.getRemainingTimeInMillis() - marginMs,
        // Called once with every record: the phases before the pass, to count transitions.
        prepareDecide: async (records) => {
          for (const r of records) phasesBefore.set(r.stack, r.status?.phase);
          if (d.prepareDecide) return d.prepareDecide(records);
          return d.decide ?? pinnedDecide;
        },
      });
      const summary = summarise(result, phasesBefore, started);
      summary.requeueAt = await requeue(d, context, result, now);
      report(logger, metrics, summary, result);
      return summary;
    } catch (error) {
      // The table unreachable, say: nothing was reconciled, and the next minute tries again.
      metrics.addMetric('Errors', MetricUnit.Count, 1);
      logger.error('reconciler pass failed', error as Error);
      throw error;
    } finally {
      // Frozen until the next invocation: its buckets refill no more meanwhile (dispatch/budgets.ts).
      if (d.budget instanceof EnvironmentBudget) d.budget.end();
      metrics.addMetric('PassDuration', MetricUnit.Milliseconds, Date.now() - started);
      metrics.publishStoredMetrics();
    }
  };
}

/** What reconcileStack does without a decider (reconcileAll needs a function back from prepareDecide). */
const pinnedDecide: NonNullable<ReconcilerOptions['decide']> = (input) =>
  pinnedTier(input.spec, {
    deletionRequested: false,
    observation: input.observation,
    kinds: input.kinds,
    lastTier: input.record.status?.lastDecision?.tier,
  });

function summarise(
  result: ReconcileAllResult,
  before: Map<string, string | undefined>,
  started: number,
): HandlerSummary {
  const transitions = result.results
    .filter((r) => r.phase !== undefined && r.phase !== before.get(r.stack))
    .map((r) => ({ stack: r.stack, from: before.get(r.stack), to: r.phase }));
  return {
    stacks: before.size,
    reconciled: result.results.filter((r) => r.outcome === 'reconciled' || r.outcome === 'deleted').length,
    skipped: [
      ...result.skipped,
      ...result.results.filter((r) => r.outcome === 'skipped').map((r) => r.stack),
    ],
    errors: [
      ...result.errors,
      ...result.results
        .filter((r) => r.outcome === 'terminal' || r.outcome === 'invalid')
        .map((r) => ({ stack: r.stack, message: r.reason ?? r.outcome })),
    ],
    transitions,
    apiCalls: result.results.reduce((sum, r) => sum + r.calls.total, 0),
    durationMs: Date.now() - started,
  };
}

/** Moves the one-off schedule when a stack asked to come back within the minute, or time ran out. */
async function requeue(
  d: HandlerDeps,
  context: Context,
  result: ReconcileAllResult,
  now: () => number,
): Promise<number | undefined> {
  const soonest = result.skipped.length > 0 ? 0 : result.requeueAfterMs;
  return scheduleRequeue(d, context, now, soonest);
}

/** Moves the one-off schedule to `soonest` ms from now, when that is sooner than the regular minute. */
async function scheduleRequeue(
  d: HandlerDeps,
  context: Context,
  now: () => number,
  soonest: number | undefined,
): Promise<number | undefined> {
  if (soonest === undefined || soonest >= REGULAR_INTERVAL_MS) return undefined;
  if (!d.schedulerRoleArn) {
    d.logger.warn('a stack asked to come back sooner, but no scheduler role is configured', {
      requeueAfterMs: soonest,
    });
    return undefined;
  }
  const at = now() + Math.max(MIN_REQUEUE_MS, soonest);
  try {
    // A schedule already due sooner is kept: each change feed's run knows only the stacks of its batch,
    // and moved later it left a stack that asked for sooner waiting for the minute's run (up to 60 s
    // late while 100 stacks switched). The sooner run sends what is due then and schedules the next
    // soonest from the whole table.
    const how = await upsertRequeueSchedule(
      d.clients.scheduler,
      at,
      { functionArn: context.invokedFunctionArn, roleArn: d.schedulerRoleArn },
      { keepSoonerThan: { now: now() } },
    );
    d.logger.info('requeue scheduled', { at: new Date(at).toISOString(), how });
    return at;
  } catch (error) {
    // Not fatal: the every-minute schedule comes anyway.
    d.logger.warn('could not schedule the requeue', error as Error);
    d.metrics.addMetric('Errors', MetricUnit.Count, 1);
    return undefined;
  }
}

/** One log line per pass, the same whether the pass ran in the loop or as a worker of the fan-out. */
function logPass(logger: Logger, r: PassResult): void {
  logger.info('stack reconciled', {
    stack: r.stack,
    outcome: r.outcome,
    phase: r.phase,
    settled: r.settled,
    requeueAfterMs: r.requeueAfterMs,
    apiCalls: r.calls.total,
    mutatingCalls: r.calls.mutating,
    ...(r.reason ? { reason: r.reason } : {}),
  });
}

function report(logger: Logger, metrics: Metrics, s: HandlerSummary, result: ReconcileAllResult): void {
  for (const r of result.results) logPass(logger, r);
  for (const t of s.transitions) logger.info('phase transition', t);
  for (const e of s.errors) logger.error('stack failed', e);
  if (s.skipped.length > 0) logger.warn('stacks not reached', { stacks: s.skipped });
  metrics.addMetric('Stacks', MetricUnit.Count, s.stacks);
  metrics.addMetric('Passes', MetricUnit.Count, s.reconciled);
  metrics.addMetric('Transitions', MetricUnit.Count, s.transitions.length);
  metrics.addMetric('Errors', MetricUnit.Count, s.errors.length);
  metrics.addMetric('SkippedStacks', MetricUnit.Count, s.skipped.length);
  metrics.addMetric('ApiCalls', MetricUnit.Count, s.apiCalls);
  metrics.addMetric(
    'MutatingApiCalls',
    MetricUnit.Count,
    result.results.reduce((sum, r) => sum + r.calls.mutating, 0),
  );
}

function fanOutSummary(outcome: FanOutOutcome, started: number): HandlerSummary {
  const work = outcome.work;
  const results = work?.results ?? [];
  return {
    stacks: results.length + (work?.acknowledged.length ?? 0) + (outcome.dispatch?.notDue ?? 0),
    reconciled: results.filter((r) => r.outcome === 'reconciled' || r.outcome === 'deleted').length,
    skipped: results.filter((r) => r.outcome === 'skipped').map((r) => r.stack),
    errors: [
      ...(work?.errors ?? []),
      ...(outcome.dispatch?.failed ?? []),
      ...results
        .filter((r) => r.outcome === 'terminal' || r.outcome === 'invalid')
        .map((r) => ({ stack: r.stack, message: r.reason ?? r.outcome })),
    ],
    transitions: [],
    apiCalls: results.reduce((sum, r) => sum + r.calls.total, 0),
    durationMs: Date.now() - started,
    ...(outcome.dispatch
      ? { dispatched: outcome.dispatch.sent.map((i) => ({ stack: i.stack, reason: i.reason })) }
      : {}),
    ...(work ? { batchItemFailures: work.batchItemFailures } : {}),
  };
}

function reportFanOut(logger: Logger, metrics: Metrics, s: HandlerSummary, outcome: FanOutOutcome): void {
  for (const r of outcome.work?.results ?? []) logPass(logger, r);
  for (const a of outcome.work?.acknowledged ?? []) logger.info('work item acknowledged without a pass', a);
  for (const stack of outcome.work?.deadLettered ?? []) logger.error('stack dead-lettered', { stack });
  if (s.dispatched) logger.info('stacks dispatched', { stacks: s.dispatched });
  for (const problem of outcome.problems ?? []) logger.warn('batched discovery incomplete', { problem });
  for (const e of s.errors) logger.error('stack failed', e);
  metrics.addMetric('Dispatched', MetricUnit.Count, s.dispatched?.length ?? 0);
  metrics.addMetric('Passes', MetricUnit.Count, s.reconciled);
  metrics.addMetric('Errors', MetricUnit.Count, s.errors.length);
  metrics.addMetric('DeadLettered', MetricUnit.Count, outcome.work?.deadLettered.length ?? 0);
  metrics.addMetric('ApiCalls', MetricUnit.Count, s.apiCalls);
}

/** The Lambda's own dependencies, from its environment (set by bootstrap, reconciler/bootstrap/). */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  const tableName = env[HANDLER_ENV.table];
  if (!tableName) throw new Error(`${HANDLER_ENV.table} is not set`);
  const region = env.AWS_REGION ?? 'us-east-1';
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  const queueUrl = env[HANDLER_ENV.queueUrl];
  // Alone, the account's whole budget; fanned out, many environments run at once and each keeps to its share.
  // The table holds the lease: its calls time out like AWS's, so a hung renewal can't stall the pass.
  const store = new DynamoStateStore({
    client: new DynamoDBClient({ region, requestHandler: requestHandlerOptions() }),
    tableName,
  });
  // Fanned out, what is too small to cut into parts (CreateLoadBalancer's turns) is shared through the table.
  const budget = queueUrl
    ? new EnvironmentBudget(roleShares(), Date.now, undefined, store)
    : new CallBudget(ACCOUNT_BUDGETS);
  const clients = createAwsClients({ region, budget });
  return {
    store,
    clients,
    region,
    // Auto mode: one batched GetMetricData call for every auto stack of the pass.
    prepareDecide: prepareAutoDecide({ clients, now: Date.now }),
    logger: new Logger({ serviceName: 'lambdaflex-reconciler' }),
    metrics: new Metrics({ namespace: 'LambdaFlex', serviceName: 'lambdaflex-reconciler' }),
    holder: `lambda:${env.AWS_LAMBDA_LOG_STREAM_NAME ?? randomUUID()}`,
    monotonic: () => performance.now(),
    parallelism: number(HANDLER_ENV.parallelism, DEFAULT_PARALLELISM),
    marginMs: number(HANDLER_ENV.marginMs, DEFAULT_MARGIN_MS),
    schedulerRoleArn: env[HANDLER_ENV.schedulerRoleArn] || undefined,
    budget,
    fanOut: {
      ...(queueUrl ? { queueUrl } : {}),
      ...(env[HANDLER_ENV.maxReceiveCount]
        ? { maxReceiveCount: number(HANDLER_ENV.maxReceiveCount, 5) }
        : {}),
      ...(env[HANDLER_ENV.deadLetterQueue] ? { deadLetterQueue: env[HANDLER_ENV.deadLetterQueue] } : {}),
    },
  };
}

/**
 * In Lambda the environment is built during init (free of the invocation's time); anywhere else (tests
 * importing `createHandler`) only when the default handler is first called.
 */
const inLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
export const handler = createHandler(inLambda ? defaultDeps() : () => defaultDeps());
