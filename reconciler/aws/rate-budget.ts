/**
 * The reconciler's own API budget: token buckets per AWS service and kind of call (reads, changes),
 * sized from AWS's published account-wide limits, taken before every call by a middleware on each client.
 * Workers share the account's budget by count: each execution environment takes its share (the budget
 * divided by the workers that may run at once, reconciler/dispatch/budgets.ts), so that together they stay
 * under AWS's limits, and the SDK's adaptive retry mode slows a client that meets throttling anyway.
 *
 * Time and sleep are injected: the simulated clock in benchmarks, real time in Lambda.
 */
import type { AwsClients, ServiceName } from './clients';
import { isMutatingOperation } from './call-counter';
import { fullBucket, takeToken, type Bucket, type BucketState } from './token-bucket';

export type { Bucket } from './token-bucket';

export interface ServiceBudget {
  read: Bucket;
  write: Bucket;
}

/**
 * AWS's published limits per account and region (where AWS publishes a rate but no burst, the burst is
 * one second's worth): EC2 per API action 100/20 describes and 50/5 changes (counted here per service,
 * which only errs on the safe side); ELBv2 describes 40/10; ECS about 20 a second sustained; Route 53
 * five requests a second; Lambda's control plane 15 a second; API Gateway 10 a second; CloudWatch
 * GetMetricData 50 a second; SQS FIFO 300 a second per action; the Tagging API publishes none ("a few a
 * second", 5 here); IAM publishes none (20/10 here).
 */
export const ACCOUNT_BUDGETS: Partial<Record<ServiceName, ServiceBudget>> = {
  ec2: { read: { capacity: 100, refillPerSecond: 20 }, write: { capacity: 50, refillPerSecond: 5 } },
  elbv2: { read: { capacity: 40, refillPerSecond: 10 }, write: { capacity: 40, refillPerSecond: 10 } },
  ecs: { read: { capacity: 50, refillPerSecond: 20 }, write: { capacity: 50, refillPerSecond: 20 } },
  autoscaling: { read: { capacity: 50, refillPerSecond: 20 }, write: { capacity: 50, refillPerSecond: 20 } },
  route53: { read: { capacity: 5, refillPerSecond: 5 }, write: { capacity: 5, refillPerSecond: 5 } },
  lambda: { read: { capacity: 15, refillPerSecond: 15 }, write: { capacity: 15, refillPerSecond: 15 } },
  apigatewayv2: { read: { capacity: 40, refillPerSecond: 10 }, write: { capacity: 40, refillPerSecond: 10 } },
  cloudwatch: { read: { capacity: 50, refillPerSecond: 50 }, write: { capacity: 50, refillPerSecond: 50 } },
  tagging: { read: { capacity: 5, refillPerSecond: 5 }, write: { capacity: 5, refillPerSecond: 5 } },
  iam: { read: { capacity: 20, refillPerSecond: 10 }, write: { capacity: 20, refillPerSecond: 10 } },
  sqs: { read: { capacity: 300, refillPerSecond: 300 }, write: { capacity: 300, refillPerSecond: 300 } },
};

/**
 * `portion` of a service's budget: that part of every bucket's rate, so that the parts together never
 * sustain more than the account's rate, and half the account's burst, so that one pass's look-ups are not
 * held back while the other parts sit idle (as they mostly do). Parts that all burst at the same instant
 * may meet throttling once; the SDK's adaptive retry absorbs it. (Shares by role: dispatch/budgets.ts.)
 */
export function portionOf(budget: ServiceBudget, portion: number): ServiceBudget {
  const cut = (b: Bucket): Bucket => ({
    capacity: Math.max(1, b.capacity / 2),
    refillPerSecond: b.refillPerSecond * portion,
  });
  return { read: cut(budget.read), write: cut(budget.write) };
}

export class CallBudget {
  private readonly state = new Map<string, BucketState>();
  /** Milliseconds spent waiting for tokens, by service (for reports). */
  readonly waitedMs: Record<string, number> = {};

  constructor(
    readonly budgets: Partial<Record<ServiceName, ServiceBudget>>,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits until a call of this kind to `service` is within budget, then takes its token. */
  async take(service: string, mutating: boolean): Promise<void> {
    const budget = this.budgets[service as ServiceName];
    if (!budget) return;
    const bucket = mutating ? budget.write : budget.read;
    const key = `${service}:${mutating ? 'write' : 'read'}`;
    for (;;) {
      const now = this.clock();
      const state = this.state.get(key) ?? fullBucket(bucket, now);
      this.state.set(key, state);
      const wait = takeToken(state, bucket, now);
      if (wait === 0) return;
      this.waitedMs[service] = (this.waitedMs[service] ?? 0) + wait;
      await this.sleep(wait);
    }
  }
}

interface StackClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; priority: 'high'; name: string }): void;
  };
}

const budgeted = new WeakSet<object>();

/** Every call through `clients` waits for its token in `budget` first (once per client). */
export function budgetClients(clients: AwsClients, budget: Pick<CallBudget, 'take'>): AwsClients {
  for (const [service, client] of Object.entries(clients) as [string, StackClient][]) {
    if (!client || budgeted.has(client)) continue;
    budgeted.add(client);
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          await budget.take(service, isMutatingOperation(operation));
          return next(args);
        },
      { step: 'initialize', priority: 'high', name: 'lambdaflexCallBudget' },
    );
  }
  return clients;
}
