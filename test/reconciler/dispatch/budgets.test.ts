/**
 * The execution environments' shares of the account's API budget (reconciler/dispatch/budgets.ts): the
 * every-minute sweep holds its part of the Tagging API and ECS, every other environment an equal part of
 * the rest, and all of them together never sustain more than the account's rate.
 */
import { ACCOUNT_BUDGETS, PASS_BURST } from '../../../reconciler/aws/rate-budget';
import {
  DISPATCHER_SERVICES,
  EnvironmentBudget,
  roleShares,
  WORKERS,
} from '../../../reconciler/dispatch/budgets';

describe('roleShares', () => {
  const shares = roleShares();

  it('gives the sweep half the Tagging API and a quarter of ECS, rate and burst', () => {
    expect(shares.sweep.tagging?.read).toEqual({ capacity: 2.5, refillPerSecond: 2.5 });
    expect(shares.sweep.ecs?.read).toEqual({ capacity: 12.5, refillPerSecond: 5 });
    // A worker's: its share of the rate, and at least one pass's look-ups of burst.
    expect(shares.other.iam?.read).toEqual({ capacity: PASS_BURST, refillPerSecond: 1 });
    expect(shares.other.tagging?.read.refillPerSecond).toBeCloseTo(2.5 / (WORKERS.maximumConcurrency + 1));
  });

  it('never sums above the account’s rate or burst: one sweep and every worker and the change feed at once', () => {
    for (const service of DISPATCHER_SERVICES) {
      const budget = ACCOUNT_BUDGETS[service];
      if (!budget) continue;
      for (const kind of ['read', 'write'] as const) {
        const total = (field: 'refillPerSecond' | 'capacity') =>
          shares.sweep[service]![kind][field] +
          (WORKERS.maximumConcurrency + 1) * shares.other[service]![kind][field];
        expect(total('refillPerSecond')).toBeCloseTo(budget[kind].refillPerSecond, 9);
        // Bursts: each part's share, or one pass's look-ups (PASS_BURST, at most half the account's).
        const least = Math.min(budget[kind].capacity / 2, PASS_BURST);
        if (shares.other[service]![kind].capacity > least)
          expect(total('capacity')).toBeLessThanOrEqual(budget[kind].capacity + 1e-9);
      }
    }
  });

  it('splits what only passes call (the stacks’ own services) among the workers alone', () => {
    const passesOnly = Object.keys(ACCOUNT_BUDGETS).filter(
      (s) => !DISPATCHER_SERVICES.includes(s as (typeof DISPATCHER_SERVICES)[number]),
    ) as (keyof typeof ACCOUNT_BUDGETS)[];
    expect(passesOnly).toEqual(expect.arrayContaining(['ec2', 'elbv2', 'iam', 'lambda', 'apigatewayv2']));
    for (const service of passesOnly) {
      for (const kind of ['read', 'write'] as const) {
        expect(WORKERS.maximumConcurrency * shares.other[service]![kind].refillPerSecond).toBeCloseTo(
          ACCOUNT_BUDGETS[service]![kind].refillPerSecond,
          9,
        );
        const budget = ACCOUNT_BUDGETS[service]![kind];
        expect(shares.other[service]![kind].capacity).toBe(
          Math.max(budget.capacity / WORKERS.maximumConcurrency, Math.min(budget.capacity / 2, PASS_BURST)),
        );
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
    // Its own bucket (two and a half tokens of burst), then one every 4.4 s: the third call waits for
    // half a token.
    for (let i = 0; i < 3; i++) await budget.take('tagging', false);
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(2_200, 6);
    // What both roles waited, by service, for reports.
    expect(budget.waitedMs()).toEqual({ tagging: 2_800 });
  });
});
