/**
 * The execution environments' shares of the account's API budget (reconciler/dispatch/budgets.ts): the
 * every-minute sweep holds its part of the Tagging API and ECS, every other environment an equal part of
 * the rest, and all of them together never sustain more than the account's rate.
 */
import { ACCOUNT_BUDGETS } from '../../../reconciler/aws/rate-budget';
import { EnvironmentBudget, roleShares, WORKERS } from '../../../reconciler/dispatch/budgets';

describe('roleShares', () => {
  const shares = roleShares();

  it('gives the sweep half the Tagging API and a quarter of ECS, each with half the burst', () => {
    expect(shares.sweep.tagging?.read).toEqual({ capacity: 2.5, refillPerSecond: 2.5 });
    expect(shares.sweep.ecs?.read).toEqual({ capacity: 25, refillPerSecond: 5 });
    expect(shares.other.tagging?.read.refillPerSecond).toBeCloseTo(2.5 / (WORKERS.maximumConcurrency + 1));
  });

  it('never sums above the account’s rate: one sweep and every worker and the change feed at once', () => {
    for (const [service, budget] of Object.entries(ACCOUNT_BUDGETS)) {
      const name = service as keyof typeof ACCOUNT_BUDGETS;
      for (const kind of ['read', 'write'] as const) {
        const total =
          shares.sweep[name]![kind].refillPerSecond +
          (WORKERS.maximumConcurrency + 1) * shares.other[name]![kind].refillPerSecond;
        expect(total).toBeCloseTo(budget![kind].refillPerSecond, 9);
      }
    }
  });
});

describe('EnvironmentBudget', () => {
  it('draws on the share of the role it acts as', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = new EnvironmentBudget(
      roleShares(),
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    budget.actAs('sweep');
    // Two and a half tokens of burst, then one every 400 ms.
    for (let i = 0; i < 4; i++) await budget.take('tagging', false);
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(600, 6);
    waits.length = 0;
    budget.actAs('other');
    // Its own bucket (a full burst), then one every 4.4 s: the third call waits for half a token.
    for (let i = 0; i < 3; i++) await budget.take('tagging', false);
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(2_200, 6);
    // What both roles waited, by service, for reports.
    expect(budget.waitedMs()).toEqual({ tagging: 2_800 });
  });
});
