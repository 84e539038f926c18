/**
 * The reconciler's own API budget: token buckets per AWS service and kind of call (reads, changes),
 * sized from AWS's published account-wide limits, taken before every call by a middleware on each client.
 * Workers share the account's budget by count: each execution environment takes its share (the budget
 * divided by the workers that may run at once, reconciler/dispatch/budgets.ts), so that together they stay
 * under AWS's limits, and the SDK's adaptive retry mode slows a client that meets throttling anyway.
 *
 * Time and sleep are injected: the simulated clock in benchmarks, real time in Lambda.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AwsClients, ServiceName } from './clients';
import { isMutatingOperation } from './call-counter';
import { addToEachClient } from './middleware';
import { coalescableRead, ReadCoalescer } from './coalesce';
import {
  API_RATE_LIMITS,
  ELBV2_ACCOUNT,
  ELBV2_REGISTRATION,
  ELBV2_RESOURCE_INTENSIVE,
  ROUTE53_REQUESTS,
  type ServiceRates,
} from '../../aws-facts/api-rate-limits';
import {
  fullBucket,
  takeToken,
  tokenWait,
  type TokenBucketSize as Bucket,
  type TokenBucketState as BucketState,
} from '../../util/token-bucket';
import type { Turn } from '../../util/turn-book';

export type { TokenBucketSize as Bucket } from '../../util/token-bucket';

export interface ServiceBudget {
  read: Bucket;
  write: Bucket;
  /**
   * Each API action has buckets of these sizes of its own, as EC2 throttles ("each API is evaluated
   * individually"); otherwise every action of the service shares them.
   */
  perAction?: boolean;
  /**
   * Reads and changes take from one bucket (`read`), as AWS counts them for Lambda's and API Gateway's
   * control planes: a budget of reads and another of changes would let through twice what AWS allows.
   */
  oneBucket?: boolean;
  /**
   * A bucket every call of the service takes a token from as well as its own: ELBv2's account-level
   * bucket, "shared across all Elastic Load Balancing API actions", describes and changes alike.
   */
  shared?: Bucket;
  /**
   * Actions AWS throttles in a category of their own instead of their kind's reads or changes (ELBv2's
   * resource-intensive `CreateLoadBalancer`, 10 / 0.2): one bucket per category, by name.
   */
  categories?: Record<string, { actions: readonly string[]; bucket: Bucket }>;
}

/** A service's budget: the reads and changes of AWS's published figures (aws-facts/api-rate-limits.ts). */
const published = (service: keyof typeof API_RATE_LIMITS): ServiceBudget => {
  const rates: ServiceRates = API_RATE_LIMITS[service];
  return {
    read: rates.read,
    write: rates.write,
    ...(rates.perAction ? { perAction: true } : {}),
    ...(rates.oneBucket ? { oneBucket: true } : {}),
  };
};

/**
 * Route 53 throttles every request of the account from one bucket (aws-facts: 50 / 10), whoever makes it:
 * the console, the user's own DNS tools, another controller. The reconciler keeps to this part of it, half
 * for its reads and half for its changes (20 / 4 each), and leaves the rest to the account's other callers
 * so that a fleet switching tiers at once does not throttle them.
 */
export const ROUTE53_SHARE = 0.8;
const route53Part: Bucket = {
  capacity: (ROUTE53_REQUESTS.capacity * ROUTE53_SHARE) / 2,
  refillPerSecond: (ROUTE53_REQUESTS.refillPerSecond * ROUTE53_SHARE) / 2,
};

/**
 * AWS's published limits per account and region (aws-facts/api-rate-limits.ts); EC2's and SQS's are per
 * API action, as AWS counts them (a fleet building its Fargate tiers at once makes two CreateSubnet, two
 * CreateSecurityGroup, … per stack: counted per service, five EC2 changes a second would hold all of them
 * back behind each other); Lambda's and API Gateway's reads and changes share one bucket, as AWS gives one
 * rate for each control plane; ELBv2's describes and changes are a bucket each, and every call also takes
 * from the account-level bucket they share, CreateLoadBalancer from a bucket of its own category. Route 53: ROUTE53_SHARE of the account's bucket (below). IAM publishes none
 * (20/10 here).
 */
export const ACCOUNT_BUDGETS: Partial<Record<ServiceName, ServiceBudget>> = {
  ec2: published('ec2'),
  elbv2: {
    ...published('elbv2'),
    shared: ELBV2_ACCOUNT,
    categories: {
      resourceIntensive: { actions: ['CreateLoadBalancer', 'SetSubnets'], bucket: ELBV2_RESOURCE_INTENSIVE },
      registration: { actions: ['RegisterTargets', 'DeregisterTargets'], bucket: ELBV2_REGISTRATION },
    },
  },
  ecs: published('ecs'),
  autoscaling: published('autoscaling'),
  route53: { read: route53Part, write: route53Part },
  lambda: published('lambda'),
  apigatewayv2: published('apigatewayv2'),
  cloudwatch: published('cloudwatch'),
  tagging: published('tagging'),
  iam: { read: { capacity: 20, refillPerSecond: 10 }, write: { capacity: 20, refillPerSecond: 10 } },
  sqs: published('sqs'),
};

/** The burst a part keeps at least (at most half the account's): one pass's look-ups of a service. */
export const PASS_BURST = 4;

/**
 * `portion` of a service's budget: that part of every bucket's rate, so that the parts together never
 * sustain more than the account allows, and that part of its burst, so that all of them bursting at the
 * same instant do not meet throttling either, but at least one pass's look-ups of the service
 * (`PASS_BURST`, at most half the account's burst), so that a pass alone (an edit's) is not held back
 * behind a burst of one or two tokens while the other parts sit idle. Half the burst each, the earlier
 * rule, met ELBv2's throttling on one describe in ten when ten workers switched a fleet at once.
 * (Shares by role: dispatch/budgets.ts.)
 */
export function portionOf(budget: ServiceBudget, portion: number): ServiceBudget {
  const cut = (b: Bucket): Bucket => ({
    capacity: Math.max(b.capacity * portion, Math.min(b.capacity / 2, PASS_BURST)),
    refillPerSecond: b.refillPerSecond * portion,
  });
  // A category's bucket: a pass makes one such call, so the parts' bursts are only their share of it.
  const cutCategory = (b: Bucket): Bucket => ({
    capacity: Math.max(b.capacity * portion, 1),
    refillPerSecond: b.refillPerSecond * portion,
  });
  return {
    read: cut(budget.read),
    write: cut(budget.write),
    ...(budget.perAction ? { perAction: true } : {}),
    ...(budget.oneBucket ? { oneBucket: true } : {}),
    ...(budget.shared ? { shared: cut(budget.shared) } : {}),
    ...(budget.categories
      ? {
          categories: Object.fromEntries(
            Object.entries(budget.categories).map(([name, c]) => [
              name,
              { actions: c.actions, bucket: cutCategory(c.bucket) },
            ]),
          ),
        }
      : {}),
  };
}

/** Whether the work under way is background work (`asBackground`). */
const backgroundWork = new AsyncLocalStorage<boolean>();

/**
 * Runs `work` as background work: each of its calls takes a token only while more than half the burst
 * would be left after it, so that it spends what refills while it runs and leaves half the burst. The
 * fleet's resync is such work (dispatch/worker.ts): nobody waits on it, and an environment's buckets
 * refill only while it runs an invocation (dispatch/budgets.ts), so a resync that spent the burst left
 * the next invocation of the environment (an edit's pass, which a person waits on) to wait a second for
 * every look-up beyond what had come back: 5.3 s from an edit to its first change at 1,000 stacks. Half,
 * not all of it: a resync that kept the whole burst made the edit 2.8 s but the minute's resyncs
 * 8 s slower (docs/scaling.md). Nothing is taken sooner or more often than before: the rates and bursts
 * are as they were; only the resync waits longer.
 */
export function asBackground<T>(work: () => Promise<T>): Promise<T> {
  return backgroundWork.run(true, work);
}

/** Whether the calls made from here are background work (`asBackground`). */
export function isBackgroundWork(): boolean {
  return backgroundWork.getStore() === true;
}

/** The ms until `state` holds a token beyond half its burst, for background work; refills it to `now`. */
function burstKeptWait(state: BucketState, size: Bucket, now: number): number {
  const wait = tokenWait(state, size, now);
  const level = 1 + Math.floor(size.capacity / 2);
  if (wait > 0 || state.tokens >= level) return wait;
  return Math.ceil(((level - state.tokens) / size.refillPerSecond) * 1000);
}

/**
 * Where the buckets shared by every execution environment are kept: the state store's book of turns
 * (StateStore.claimTurn, util/turn-book.ts).
 */
export interface TurnKeeper {
  claimTurn(bucket: string, size: Bucket, holder: string, maxWaitMs: number): Promise<Turn>;
}

/**
 * Categories whose whole account bucket is shared through the table's book instead of cut into a part per
 * environment: ELBv2's resource-intensive actions, `CreateLoadBalancer` above all, ten at once and then
 * one every 5 s for the account. Cut into ten workers' parts, each had one token every 50 s of its run
 * time: a worker whose batch held three stacks ready for their ALB made them one after the other, 50 s
 * apart, while the parts of workers with none to make filled up unused. A hundred stacks switching at once
 * left the account's bucket idle for 320 s in all (docs/scaling.md). One call a turn, a few a minute: the
 * book's read and write cost nothing beside them.
 */
export const SHARED_CATEGORIES: Partial<Record<ServiceName, readonly string[]>> = {
  elbv2: ['resourceIntensive'],
};

/**
 * How long a pass waits for its turn of a shared category (`CallBudget.turnFor`): a turn further off is
 * kept for the stack, which comes back for it (`TURN_COME_BACK_EARLY_MS` before), instead of holding its
 * worker and the batch's other stacks.
 */
export const TURN_WAIT_MS = 15_000;
/** How long before its turn a stack that keeps one comes back: its message takes seconds to be worked on. */
export const TURN_COME_BACK_EARLY_MS = 10_000;

/** A turn taken for a call about to be made: that call takes no other token of its category. */
interface TakenTurn {
  bucket: string;
  /** Whose turn it is (the stack): a retry of the call takes that holder's next turn. */
  holder: string;
  used: boolean;
}

/**
 * A retry of a call made in its turn (AWS throttled it anyway: calls that came late to their turns may
 * bunch) whose next turn is further off than a pass waits: the retry is not made, the call ends with
 * AWS's throttling answer (the SDK's retry strategy throws that when asked for a retry token fails), and
 * the turn is kept for the holder's next pass. Waited for, the turns of a 300-stack fleet are twenty
 * minutes out, and the retries held the workers that long.
 */
export class TurnNotYetError extends Error {
  constructor(
    readonly bucket: string,
    readonly at: number,
  ) {
    super(`the account's next turn of ${bucket} comes at ${new Date(at).toISOString()}`);
    this.name = 'TurnNotYetError';
  }
}
const turnTaken = new AsyncLocalStorage<TakenTurn>();

/** What `turnFor` answers: go (the turn is now: run the call within `within`), or come back at `at`. */
export type TurnAnswer =
  { go: true; within: <T>(call: () => Promise<T>) => Promise<T> } | { go: false; at: number };

export class CallBudget {
  private readonly state = new Map<string, BucketState>();
  /** Milliseconds spent waiting for tokens, by service (for reports). */
  readonly waitedMs: Record<string, number> = {};

  constructor(
    readonly budgets: Partial<Record<ServiceName, ServiceBudget>>,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** The table's book: the categories of SHARED_CATEGORIES take their turns there, whole-account sized. */
    private readonly turns?: TurnKeeper,
    /** The clock of the book's turns, the store's (a part's `clock` may count only its run time). */
    private readonly turnClock: () => number = clock,
  ) {}

  /** The shared category `operation` of `service` is in, with its whole-account bucket, if it has a book. */
  private sharedCategory(service: string, operation: string): { bucket: string; size: Bucket } | undefined {
    if (!this.turns) return undefined;
    const categories = ACCOUNT_BUDGETS[service as ServiceName]?.categories ?? {};
    for (const name of SHARED_CATEGORIES[service as ServiceName] ?? []) {
      const category = categories[name];
      if (category?.actions.includes(operation))
        return { bucket: `${service}:${name}`, size: category.bucket };
    }
    return undefined;
  }

  /**
   * The turn of `holder` (a stack) for a call of `operation` whose category is shared through the table
   * (SHARED_CATEGORIES): within TURN_WAIT_MS it is waited for, and the call made `within` it takes no other
   * token of the category; further off, it is kept for the holder, who comes back for it. Undefined when
   * the call's category is not shared (its token is taken at the call, as any other's).
   */
  async turnFor(service: string, operation: string, holder: string): Promise<TurnAnswer | undefined> {
    const shared = this.sharedCategory(service, operation);
    if (!shared) return undefined;
    const turn = await this.turns!.claimTurn(shared.bucket, shared.size, holder, TURN_WAIT_MS);
    if (!turn.go) return { go: false, at: turn.at };
    await this.waitForTurn(service, turn.at);
    const taken: TakenTurn = { bucket: shared.bucket, holder, used: false };
    return { go: true, within: (call) => turnTaken.run(taken, call) };
  }

  /**
   * A call of a category shared through the table: the turn taken for it (`turnFor`), once. A retry of
   * that call: the holder's next turn, within TURN_WAIT_MS, or TurnNotYetError (the turn kept for it). A
   * call no pass asked a turn for (an update's SetSubnets): a turn of its own, waited for however far.
   */
  private async takeSharedTurn(service: string, shared: { bucket: string; size: Bucket }): Promise<void> {
    const taken = turnTaken.getStore();
    const inTurn = taken?.bucket === shared.bucket ? taken : undefined;
    if (inTurn && !inTurn.used) {
      inTurn.used = true;
      return;
    }
    const turn = await this.turns!.claimTurn(
      shared.bucket,
      shared.size,
      inTurn?.holder ?? `call:${randomUUID()}`,
      inTurn ? TURN_WAIT_MS : Infinity,
    );
    if (!turn.go) throw new TurnNotYetError(shared.bucket, turn.at);
    await this.waitForTurn(service, turn.at);
  }

  /** Sleeps until the turn's instant `at` (the book's clock), counting the wait for the reports. */
  private async waitForTurn(service: string, at: number): Promise<void> {
    const wait = at - this.turnClock();
    if (wait <= 0) return;
    this.waitedMs[service] = (this.waitedMs[service] ?? 0) + wait;
    await this.sleep(wait);
  }

  /**
   * Waits until a call of this kind to `service` (the API action `operation`) is within budget, then
   * takes its token.
   */
  async take(service: string, mutating: boolean, operation?: string): Promise<void> {
    const budget = this.budgets[service as ServiceName];
    if (!budget) return;
    const kind = budget.oneBucket ? 'all' : mutating ? 'write' : 'read';
    const action = budget.perAction && operation ? `:${operation}` : '';
    const category = Object.entries(budget.categories ?? {}).find(
      ([, c]) => operation !== undefined && c.actions.includes(operation),
    );
    const shared = operation === undefined ? undefined : this.sharedCategory(service, operation);
    if (shared) await this.takeSharedTurn(service, shared);
    const buckets = [
      ...(shared
        ? []
        : category
          ? [{ key: `${service}:${category[0]}`, size: category[1].bucket }]
          : [{ key: `${service}:${kind}${action}`, size: kind === 'write' ? budget.write : budget.read }]),
      ...(budget.shared ? [{ key: `${service}:shared`, size: budget.shared }] : []),
    ];
    const background = isBackgroundWork();
    for (;;) {
      const now = this.clock();
      const held = buckets.map(({ key, size }) => {
        const state = this.state.get(key) ?? fullBucket(size, now);
        this.state.set(key, state);
        return { state, size };
      });
      // A token of each at once: none is taken while another is empty (background work: not full).
      const wait = Math.max(
        ...held.map(({ state, size }) =>
          background ? burstKeptWait(state, size, now) : tokenWait(state, size, now),
        ),
      );
      if (wait === 0) {
        for (const { state, size } of held) takeToken(state, size, now);
        return;
      }
      this.waitedMs[service] = (this.waitedMs[service] ?? 0) + wait;
      await this.sleep(wait);
    }
  }
}

/** What the SDK's retry middleware asks of a client's retry strategy (smithy's RetryStrategyV2). */
interface RetryStrategyV2 {
  acquireInitialRetryToken(scope: string): Promise<unknown>;
  refreshRetryTokenForRetry(token: unknown, errorInfo: unknown): Promise<unknown>;
  recordSuccess(token: unknown): void;
}

/** How the call under way takes a token of its budget: what an SDK retry of it waits for. */
const callUnderWay = new AsyncLocalStorage<() => Promise<void>>();

/**
 * Waits for a token of the budget of the call under way (the service, kind and action that the budget's
 * middleware took its first attempt's token for), if any: each retry of a call is a request AWS counts
 * against the same limit. The SDK's retry strategy of every budgeted client calls it before a retry
 * (`withRetryTokens`); so do the benchmark's own retries.
 */
export async function takeRetryToken(): Promise<void> {
  await callUnderWay.getStore()?.();
}

/**
 * `strategy`, with each retry it allows waiting for a budget token first (`takeRetryToken`) as well as
 * for its own backoff. The SDK retries throttled calls inside the middleware that took the first
 * attempt's token, so without this its retries took none: at 300 stacks switching at once, once ELBv2's
 * bucket at AWS was empty, the retries of the throttled describes (a fifth of the calls of that minute)
 * kept it empty.
 */
function withRetryTokens(strategy: RetryStrategyV2): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: (scope) => strategy.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token, errorInfo) {
      // Throws when the strategy allows no retry: no token is taken for a call that is not made.
      const retry = await strategy.refreshRetryTokenForRetry(token, errorInfo);
      await takeRetryToken();
      return retry;
    },
    recordSuccess: (token) => strategy.recordSuccess(token),
  };
}

/** A client's resolved retry configuration, as the SDK's retry middleware reads it at each call. */
interface RetryConfigured {
  config: { retryStrategy?: () => Promise<unknown> };
}

const retriesBudgeted = new WeakSet<object>();

/** Makes each of `clients`' retries wait for a budget token (`withRetryTokens`), once per client. */
function budgetRetries(clients: AwsClients): void {
  for (const client of Object.values(clients) as (RetryConfigured | undefined)[]) {
    if (!client || retriesBudgeted.has(client)) continue;
    retriesBudgeted.add(client);
    const resolve = client.config.retryStrategy;
    if (typeof resolve !== 'function') continue;
    let wrapped: Promise<unknown> | undefined;
    client.config.retryStrategy = () =>
      (wrapped ??= resolve().then((strategy) =>
        isRetryStrategyV2(strategy) ? withRetryTokens(strategy) : strategy,
      ));
  }
}

function isRetryStrategyV2(strategy: unknown): strategy is RetryStrategyV2 {
  const s = strategy as Partial<RetryStrategyV2> | undefined;
  return (
    typeof s?.acquireInitialRetryToken === 'function' &&
    typeof s.refreshRetryTokenForRetry === 'function' &&
    typeof s.recordSuccess === 'function'
  );
}

/**
 * Every call through `clients` waits for its token in `budget` first (once per client), and so does each
 * SDK retry of it (`withRetryTokens`); reads that AWS answers for many resources at once are gathered
 * while they wait (aws/coalesce.ts).
 */
export function budgetClients(clients: AwsClients, budget: Pick<CallBudget, 'take'>): AwsClients {
  const coalescer = new ReadCoalescer();
  budgetRetries(clients);
  return addToEachClient(
    clients,
    'lambdaflexCallBudget',
    'high',
    (service) => (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const take = () => budget.take(service, isMutatingOperation(operation), operation);
      const call = args as { input: Record<string, unknown> };
      const read = coalescableRead(`${service}:${operation}`, call.input);
      return callUnderWay.run(take, async () => {
        if (read) return coalescer.run(`${service}:${operation}`, read, call, next as never, take);
        await take();
        return next(args);
      });
    },
  );
}
