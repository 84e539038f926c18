/**
 * How many workers run at once, and with how many stacks each: set from the account's API budgets. A
 * worker's calls share the account's per-service budget (aws/rate-budget.ts) with every other worker and
 * the dispatcher: each execution environment takes a share, so that all of them together stay under what
 * AWS allows (and the SDK's adaptive retry mode absorbs the rest).
 *
 * The shares follow what an invocation does, not who the environment is (Lambda hands any environment
 * any event): the every-minute dispatcher's sweep lists the whole fleet's tags and describes its ECS
 * services (dispatch/sweep.ts), so while it runs it holds a fixed part of those two services' rates; the
 * workers and the change feed's dispatcher share the rest.
 */
import {
  ACCOUNT_BUDGETS,
  CallBudget,
  portionOf,
  type ServiceBudget,
  type TurnAnswer,
  type TurnKeeper,
} from '../aws/rate-budget';
import type { ServiceName } from '../aws/clients';

type Budgets = Partial<Record<ServiceName, ServiceBudget>>;

export const WORKERS = {
  /**
   * Stacks per worker invocation (at most 10 for a FIFO queue): a pass spends most of its time waiting
   * on AWS, so a few at once use the invocation well.
   */
  batchSize: 5,
  /** Worker invocations at once (the event source mapping's MaximumConcurrency, 2–1000). */
  maximumConcurrency: 10,
} as const;

/** The dispatcher's stream mapping: a failing batch is split and retried this often, then skipped. */
export const STREAM_RETRY_ATTEMPTS = 5;

/**
 * The part of a service's account rate that the sweep holds: a 1,000-stack fleet's tags are about 30
 * pages of the Tagging API (five calls a second for the account), which an eleventh of it would take a
 * minute to read; a thousand Fargate services are 100 DescribeServices calls.
 */
export const SWEEP_PORTION: Partial<Record<ServiceName, number>> = { tagging: 0.5, ecs: 0.25 };

/** What an invocation does: the scheduled dispatcher's sweep, or anything else (a worker, the change feed). */
export type EnvironmentRole = 'sweep' | 'worker' | 'dispatch';
/** The shares: the sweep's, and the one every other invocation takes. */
export type Share = 'sweep' | 'other';

/**
 * The services a dispatcher calls: the sweep's look-ups (the Tagging API, ECS, Route 53, CloudWatch for
 * auto mode's decider), its sends and the requeue schedule. The others (EC2, ELBv2, IAM, Lambda, API
 * Gateway, Application Auto Scaling) only the workers' passes call.
 */
export const DISPATCHER_SERVICES = [
  'tagging',
  'ecs',
  'route53',
  'cloudwatch',
  'sqs',
  'scheduler',
] as const satisfies readonly ServiceName[];

const calledByDispatchers = new Set<ServiceName>(DISPATCHER_SERVICES);

/**
 * Each role's share of the account's budget. Of a service a dispatcher calls: the sweep its
 * `SWEEP_PORTION` (one part in workers + 2 of the others), every other environment an equal part of what
 * is left among the workers and the change feed's dispatcher. One sweep runs at a time (the requeue
 * schedule's runs do not sweep), so all together never sustain more than the account's rate. Of a service
 * only passes call, each worker an equal part of the whole (a fleet switching tiers at once spends ELBv2's
 * and IAM's budgets, not the sweep's); a dispatcher's role keeps the same part, which it never draws.
 */
export function roleShares(
  budgets: Budgets = ACCOUNT_BUDGETS,
  workers: number = WORKERS.maximumConcurrency,
): Record<Share, Budgets> {
  const sweep: Budgets = {};
  const other: Budgets = {};
  for (const [service, budget] of Object.entries(budgets) as [ServiceName, ServiceBudget][]) {
    if (!calledByDispatchers.has(service)) {
      sweep[service] = other[service] = portionOf(budget, 1 / workers);
      continue;
    }
    const portion = SWEEP_PORTION[service] ?? 1 / (workers + 2);
    sweep[service] = portionOf(budget, portion);
    other[service] = portionOf(budget, (1 - portion) / (workers + 1));
  }
  return { sweep, other };
}

/**
 * An execution environment's budget: its role's share, switched at the start of each invocation, each
 * role's buckets refilled only while the environment runs an invocation in that role.
 *
 * Lambda keeps more environments than worker invocations run at once (the dispatcher's invocations, from
 * the schedules and the change feed, took some), and hands a batch to any of them. Time passes while an
 * environment is frozen between invocations; buckets refilled by it came back full from every idle spell,
 * so that thirteen environments of which ten ran workers at any instant drew like thirteen: ELBv2 12–13
 * describes a second against its 10 while 300 stacks switched, and the SDK's retries of the calls AWS
 * throttled (they take no token) kept its bucket empty. Counted on the time each role runs, the workers'
 * parts refill at no more than their share times the invocations that run at once. (A change feed's
 * invocation has its own buckets, as a worker's: it never draws on what only passes call, and its time
 * does not refill a worker's.)
 */
export class EnvironmentBudget {
  private role: EnvironmentRole = 'worker';
  /** The invocation running, and since when (the clock's ms); none while frozen between invocations. */
  private running: { role: EnvironmentRole; since: number } | undefined;
  /** Each role's run time before the running invocation. */
  private readonly ranMs: Record<EnvironmentRole, number> = { sweep: 0, worker: 0, dispatch: 0 };
  private readonly byRole: Record<EnvironmentRole, CallBudget>;

  constructor(
    readonly shares: Record<Share, Budgets> = roleShares(),
    private readonly clock: () => number = Date.now,
    sleep?: (ms: number) => Promise<void>,
    /**
     * The table's book of turns (StateStore.claimTurn): the categories too small to cut into parts
     * (SHARED_CATEGORIES, ELBv2's CreateLoadBalancer) are shared through it by every environment, on the
     * clock (`turnClock`, AWS's: the book's turns are instants every environment agrees on).
     */
    turns?: TurnKeeper,
    turnClock: () => number = Date.now,
  ) {
    const runTime = (role: EnvironmentRole) => () =>
      this.ranMs[role] + (this.running?.role === role ? this.clock() - this.running.since : 0);
    this.byRole = {
      sweep: new CallBudget(shares.sweep, runTime('sweep'), sleep, turns, turnClock),
      worker: new CallBudget(shares.other, runTime('worker'), sleep, turns, turnClock),
      dispatch: new CallBudget(shares.other, runTime('dispatch'), sleep, turns, turnClock),
    };
  }

  /** `holder`'s turn for a call of a category shared through the table (CallBudget.turnFor). */
  turnFor(service: string, operation: string, holder: string): Promise<TurnAnswer | undefined> {
    if (!this.running) this.actAs(this.role);
    return this.byRole[this.role].turnFor(service, operation, holder);
  }

  /** The role of the invocation about to run (Lambda runs one invocation at a time per environment). */
  actAs(role: EnvironmentRole): void {
    this.end();
    this.role = role;
    this.running = { role, since: this.clock() };
  }

  /** The invocation is over: the environment's buckets stay as they are until the next one. */
  end(): void {
    if (!this.running) return;
    this.ranMs[this.running.role] += Math.max(0, this.clock() - this.running.since);
    this.running = undefined;
  }

  get actingAs(): EnvironmentRole {
    return this.role;
  }

  take(service: string, mutating: boolean, operation?: string): Promise<void> {
    // A call outside an invocation (a caller that never said when one runs) runs the role's time, or
    // it would wait for ever.
    if (!this.running) this.actAs(this.role);
    return this.byRole[this.role].take(service, mutating, operation);
  }

  /** Milliseconds spent waiting for tokens, by service, whatever the role (for reports). */
  waitedMs(): Record<string, number> {
    const total: Record<string, number> = {};
    for (const budget of Object.values(this.byRole)) {
      for (const [service, ms] of Object.entries(budget.waitedMs))
        total[service] = (total[service] ?? 0) + ms;
    }
    return total;
  }
}
