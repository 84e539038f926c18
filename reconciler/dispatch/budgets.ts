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
import { ACCOUNT_BUDGETS, CallBudget, portionOf, type ServiceBudget } from '../aws/rate-budget';
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
export type EnvironmentRole = 'sweep' | 'other';

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
): Record<EnvironmentRole, Budgets> {
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

/** An execution environment's budget: its role's share, switched at the start of each invocation. */
export class EnvironmentBudget {
  private role: EnvironmentRole = 'other';
  private readonly byRole: Record<EnvironmentRole, CallBudget>;

  constructor(
    readonly shares: Record<EnvironmentRole, Budgets> = roleShares(),
    clock?: () => number,
    sleep?: (ms: number) => Promise<void>,
  ) {
    this.byRole = {
      sweep: new CallBudget(shares.sweep, clock, sleep),
      other: new CallBudget(shares.other, clock, sleep),
    };
  }

  /** The role of the invocation about to run (Lambda runs one invocation at a time per environment). */
  actAs(role: EnvironmentRole): void {
    this.role = role;
  }

  get actingAs(): EnvironmentRole {
    return this.role;
  }

  take(service: string, mutating: boolean, operation?: string): Promise<void> {
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
