/**
 * The reconciler's API budget (reconciler/aws/rate-budget.ts): reads and changes per service in buckets
 * of their own, waiting (on an injected clock) rather than calling past the budget; shares by count.
 */
import { DescribeVpcsCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import {
  ACCOUNT_BUDGETS,
  asBackground,
  budgetClients,
  CallBudget,
  PASS_BURST,
  portionOf,
  takeRetryToken,
} from '../../../reconciler/aws/rate-budget';
import { createSimulatedAws } from '../../../aws-sim';
import { createAwsClients, SERVICE_NAMES } from '../../../reconciler/aws/clients';
import { EnvironmentBudget, roleShares } from '../../../reconciler/dispatch/budgets';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

function clockAndSleep() {
  let now = 0;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

describe('CallBudget', () => {
  it('lets a burst through, then waits for the refill, reads and changes apart', async () => {
    const t = clockAndSleep();
    const budget = new CallBudget(
      { ec2: { read: { capacity: 2, refillPerSecond: 1 }, write: { capacity: 1, refillPerSecond: 0.5 } } },
      t.clock,
      t.sleep,
    );
    await budget.take('ec2', false);
    await budget.take('ec2', false);
    await budget.take('ec2', true);
    expect(t.waits).toEqual([]);
    await budget.take('ec2', false);
    expect(t.waits).toEqual([1000]);
    await budget.take('ec2', true);
    expect(t.waits).toEqual([1000, 1000]);
    expect(budget.waitedMs).toEqual({ ec2: 2000 });
    // A service without a budget is not held.
    await budget.take('scheduler', true);
    expect(t.waits).toHaveLength(2);
  });

  it('keeps half the burst for the next pass: background work (the fleet resync) takes no more', async () => {
    const t = clockAndSleep();
    const budget = new CallBudget(
      { iam: { read: { capacity: 4, refillPerSecond: 1 }, write: { capacity: 4, refillPerSecond: 1 } } },
      t.clock,
      t.sleep,
    );
    // A resync's six reads: two from the burst, never below two tokens, then one a second.
    await asBackground(async () => {
      for (let i = 0; i < 6; i++) await budget.take('iam', false);
    });
    expect(t.waits).toEqual([1000, 1000, 1000, 1000]);
    // The edit's pass after it, in the same environment: two reads at once, then one a second.
    t.waits.length = 0;
    for (let i = 0; i < 4; i++) await budget.take('iam', false);
    expect(t.waits).toEqual([1000, 1000]);
    expect(budget.waitedMs).toEqual({ iam: 6000 });
    // A bucket of one token (a part's least burst) is taken from as by any other work.
    const small = new CallBudget(
      { tagging: { read: { capacity: 1, refillPerSecond: 1 }, write: { capacity: 1, refillPerSecond: 1 } } },
      t.clock,
      t.sleep,
    );
    t.waits.length = 0;
    await asBackground(() => small.take('tagging', false));
    expect(t.waits).toEqual([]);
  });

  it('gives each API action a bucket of its own where AWS evaluates each action individually (EC2)', async () => {
    const t = clockAndSleep();
    const budget = new CallBudget(
      {
        ec2: {
          read: { capacity: 1, refillPerSecond: 1 },
          write: { capacity: 1, refillPerSecond: 1 },
          perAction: true,
        },
      },
      t.clock,
      t.sleep,
    );
    await budget.take('ec2', false, 'DescribeVpcs');
    await budget.take('ec2', false, 'DescribeSubnets');
    await budget.take('ec2', true, 'CreateVpc');
    await budget.take('ec2', true, 'CreateSubnet');
    expect(t.waits).toEqual([]);
    // The same action again waits for its own bucket.
    await budget.take('ec2', true, 'CreateSubnet');
    expect(t.waits).toEqual([1000]);
  });

  it("takes reads and changes from one bucket where AWS gives one rate for both (Lambda's, API Gateway's control planes)", async () => {
    const t = clockAndSleep();
    const budget = new CallBudget(
      {
        lambda: {
          read: { capacity: 2, refillPerSecond: 1 },
          write: { capacity: 2, refillPerSecond: 1 },
          oneBucket: true,
        },
      },
      t.clock,
      t.sleep,
    );
    await budget.take('lambda', false, 'GetPolicy');
    await budget.take('lambda', false, 'ListTags');
    expect(t.waits).toEqual([]);
    // The reads emptied the bucket a change takes from too.
    await budget.take('lambda', true, 'UpdateFunctionCode');
    expect(t.waits).toEqual([1000]);
    expect(ACCOUNT_BUDGETS.lambda?.oneBucket).toBe(true);
    expect(ACCOUNT_BUDGETS.apigatewayv2?.oneBucket).toBe(true);
    expect(ACCOUNT_BUDGETS.elbv2?.oneBucket).toBeUndefined();
    expect(portionOf(ACCOUNT_BUDGETS.lambda!, 0.1).oneBucket).toBe(true);
  });

  it("takes an ELBv2 call's token from its category's bucket and from the account-level bucket all its actions share", async () => {
    const t = clockAndSleep();
    const budget = new CallBudget(
      {
        elbv2: {
          read: { capacity: 3, refillPerSecond: 1 },
          write: { capacity: 3, refillPerSecond: 1 },
          shared: { capacity: 2, refillPerSecond: 1 },
          categories: {
            resourceIntensive: {
              actions: ['CreateLoadBalancer'],
              bucket: { capacity: 1, refillPerSecond: 0.2 },
            },
          },
        },
      },
      t.clock,
      t.sleep,
    );
    await budget.take('elbv2', false, 'DescribeTags');
    await budget.take('elbv2', true, 'CreateLoadBalancer');
    expect(t.waits).toEqual([]);
    // The account-level bucket is empty: a change whose own bucket is full waits for it.
    await budget.take('elbv2', true, 'CreateListener');
    expect(t.waits).toEqual([1000]);
    // CreateLoadBalancer's category refills at 0.2 a second: it waits for that, not for the others.
    await budget.take('elbv2', true, 'CreateLoadBalancer');
    expect(t.waits).toEqual([1000, 4000]);
    expect(ACCOUNT_BUDGETS.elbv2?.shared).toEqual({ capacity: 40, refillPerSecond: 10 });
    expect(ACCOUNT_BUDGETS.elbv2?.write).toEqual({ capacity: 20, refillPerSecond: 3 });
    expect(ACCOUNT_BUDGETS.elbv2?.categories?.resourceIntensive?.bucket).toEqual({
      capacity: 10,
      refillPerSecond: 0.2,
    });
    // A worker's part of CreateLoadBalancer's bucket: its share, one at least, never four.
    const part = portionOf(ACCOUNT_BUDGETS.elbv2!, 0.1).categories?.resourceIntensive?.bucket;
    expect(part?.capacity).toBe(1);
    expect(part?.refillPerSecond).toBeCloseTo(0.02);
  });

  it('keeps EC2 per action in the account budgets, as AWS documents it', () => {
    expect(ACCOUNT_BUDGETS.ec2?.perAction).toBe(true);
    expect(ACCOUNT_BUDGETS.elbv2?.perAction).toBeUndefined();
  });

  it('holds every call of budgeted clients, once per client', async () => {
    const t = clockAndSleep();
    const { clients } = createSimulatedAws();
    const budget = new CallBudget(
      { ec2: { read: { capacity: 1, refillPerSecond: 2 }, write: { capacity: 1, refillPerSecond: 1 } } },
      t.clock,
      t.sleep,
    );
    budgetClients(clients, budget);
    budgetClients(clients, budget);
    await clients.ec2.send(new DescribeVpcsCommand({}));
    await clients.ec2.send(new DescribeVpcsCommand({}));
    await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    expect(t.waits).toEqual([500]);
  });

  it('holds each SDK retry of a call for a token of the same bucket, as AWS counts every attempt', async () => {
    const { clients, account } = createSimulatedAws({ maxAttempts: 3 });
    const taken: string[] = [];
    const recording = {
      take: async (service: string, mutating: boolean, operation?: string) => {
        taken.push(`${service}:${mutating ? 'write' : 'read'}:${operation}`);
      },
    };
    budgetClients(clients, recording);
    account.setFaults({ throttle: 1 });
    await expect(clients.ec2.send(new DescribeVpcsCommand({}))).rejects.toThrow();
    // The first attempt and both retries.
    expect(taken).toEqual(Array(3).fill('ec2:read:DescribeVpcs'));
    account.setFaults({});
    taken.length = 0;
    await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    // Answered at once: no retry, one token.
    expect(taken).toEqual(['ec2:write:CreateVpc']);
    // Outside any call (nothing under way), a retry token is nobody's: nothing is taken.
    await takeRetryToken();
    expect(taken).toHaveLength(1);
  });

  it('gives a portion of every bucket’s rate and burst, the burst at least one pass’s look-ups (at most half)', () => {
    expect(portionOf(ACCOUNT_BUDGETS.ec2!, 0.1)).toEqual({
      read: { capacity: 10, refillPerSecond: 2 },
      write: { capacity: 5, refillPerSecond: 0.5 },
      perAction: true,
    });
    expect(portionOf(ACCOUNT_BUDGETS.iam!, 0.1).read).toEqual({ capacity: PASS_BURST, refillPerSecond: 1 });
    // Half the account's burst at most.
    expect(portionOf(ACCOUNT_BUDGETS.tagging!, 0.05).read).toEqual({ capacity: 2.5, refillPerSecond: 0.25 });
    expect(portionOf(ACCOUNT_BUDGETS.tagging!, 0.5).read).toEqual({ capacity: 2.5, refillPerSecond: 2.5 });
  });
});

describe('the clients for AWS', () => {
  it('hold every call, look-ups included, in one call budget: the one given, else the account’s', async () => {
    const held: string[] = [];
    const refusing = {
      take: async (service: string, mutating: boolean) => {
        held.push(`${service}:${mutating ? 'write' : 'read'}`);
        throw new Error('held by the budget');
      },
    } as unknown as CallBudget;
    const clients = createAwsClients({ region: 'us-east-1', budget: refusing, credentials });
    await expect(clients.ec2.send(new DescribeVpcsCommand({}))).rejects.toThrow('held by the budget');
    await expect(clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).rejects.toThrow(
      'held by the budget',
    );
    expect(held).toEqual(['ec2:read', 'ec2:write']);

    const unbudgeted = createAwsClients({ region: 'us-east-1', credentials });
    for (const name of SERVICE_NAMES) {
      expect(unbudgeted[name].middlewareStack.identify().join(' ')).toContain('lambdaflexCallBudget');
    }
  });

  it('in the reconciler Lambda: the account’s budget, or its share of it when fanned out', async () => {
    const { defaultDeps } = await import('../../../reconciler/handler');
    const alone = defaultDeps({ LAMBDAFLEX_TABLE: 't', AWS_REGION: 'eu-west-1' });
    expect(alone.budget).toBeInstanceOf(CallBudget);
    expect((alone.budget as CallBudget).budgets).toEqual(ACCOUNT_BUDGETS);
    const fanned = defaultDeps({
      LAMBDAFLEX_TABLE: 't',
      AWS_REGION: 'eu-west-1',
      LAMBDAFLEX_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo',
    });
    expect(fanned.budget).toBeInstanceOf(EnvironmentBudget);
    expect((fanned.budget as EnvironmentBudget).shares).toEqual(roleShares());
  });
});
