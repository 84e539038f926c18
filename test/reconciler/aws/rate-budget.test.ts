/**
 * The reconciler's API budget (reconciler/aws/rate-budget.ts): reads and changes per service in buckets
 * of their own, waiting (on an injected clock) rather than calling past the budget; shares by count.
 */
import { DescribeVpcsCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { ACCOUNT_BUDGETS, budgetClients, CallBudget, shareOf } from '../../../reconciler/aws/rate-budget';
import { createSimulatedAws } from '../../../aws-sim';

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

  it('splits the account rate in equal shares, each with half the burst', () => {
    const share = shareOf(ACCOUNT_BUDGETS, 10);
    expect(share.ec2).toEqual({
      read: { capacity: 50, refillPerSecond: 2 },
      write: { capacity: 25, refillPerSecond: 0.5 },
    });
    expect(share.tagging!.read).toEqual({ capacity: 2.5, refillPerSecond: 0.5 });
    expect(shareOf(ACCOUNT_BUDGETS, 1).tagging!.read).toEqual({ capacity: 5, refillPerSecond: 5 });
  });
});
