/**
 * The execution environments' shares of the account's API budget (reconciler/dispatch/budgets.ts): the
 * every-minute sweep holds its part of the Tagging API and ECS, every other environment an equal part of
 * the rest, and all of them together never sustain more than the account's rate.
 */
import {
  ACCOUNT_BUDGETS,
  PASS_BURST,
  TURN_WAIT_MS,
  TurnNotYetError,
} from '../../../reconciler/aws/rate-budget';
import { InMemoryStateStore } from '../../../reconciler/state';
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

/**
 * Virtual time for a few concurrent callers: `sleep` resolves when the clock gets there, and `run` moves
 * the clock from wake-up to wake-up once every caller that can run has run.
 */
function virtualTime() {
  let now = 0;
  let seq = 0;
  const wakeUps: { at: number; seq: number; resolve: () => void }[] = [];
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => wakeUps.push({ at: now + Math.max(0, ms), seq: seq++, resolve }));
  const run = async (until: number) => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      wakeUps.sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (wakeUps.length === 0 || wakeUps[0]!.at > until) return;
      now = wakeUps[0]!.at;
      while (wakeUps.length > 0 && wakeUps[0]!.at <= now) wakeUps.shift()!.resolve();
    }
  };
  return { clock: () => now, sleep, run };
}

describe('EnvironmentBudget', () => {
  it('keeps the workers together under the account’s rate while Lambda hands batches to environments that sat idle', async () => {
    // Lambda keeps more execution environments than worker invocations run at once (the dispatcher's
    // invocations, from the schedules and the change feed, took some), and hands a batch to any of them:
    // here the one idle longest. Each batch makes ELBv2 describes as fast as its part allows.
    const t = virtualTime();
    const environments = Array.from(
      { length: WORKERS.maximumConcurrency + 3 },
      () => new EnvironmentBudget(roleShares(), t.clock, t.sleep),
    );
    const free = [...environments];
    const calls: number[] = [];
    const batch = async (environment: EnvironmentBudget) => {
      environment.actAs('worker');
      for (let i = 0; i < 12; i++) {
        await environment.take('elbv2', false, 'DescribeTargetGroups');
        calls.push(t.clock());
        await t.sleep(50);
      }
      environment.end();
      free.push(environment);
    };
    const minutes = 10;
    const lambda = (async () => {
      const running = new Set<Promise<void>>();
      while (t.clock() < minutes * 60_000) {
        while (running.size < WORKERS.maximumConcurrency) {
          const started = batch(free.shift()!).then(() => void running.delete(started));
          running.add(started);
        }
        await Promise.race(running);
      }
      await Promise.all(running);
    })();
    await t.run(minutes * 60_000 + 60_000);
    await lambda;
    // What AWS's bucket lets through in any minute (its burst and a minute's refill), after the first
    // minute (in which each environment spends its first burst once).
    const { capacity, refillPerSecond } = ACCOUNT_BUDGETS.elbv2!.read;
    let busiest = 0;
    for (let from = 60_000; from + 60_000 <= minutes * 60_000; from += 1_000) {
      busiest = Math.max(busiest, calls.filter((at) => at >= from && at < from + 60_000).length);
    }
    expect(busiest).toBeGreaterThan(60 * refillPerSecond * 0.9);
    expect(busiest).toBeLessThanOrEqual(capacity + 60 * refillPerSecond);
  });

  it('refills a part only while its environment runs an invocation in that role', async () => {
    const t = virtualTime();
    const budget = new EnvironmentBudget(roleShares(), t.clock, t.sleep);
    const waited = () => budget.waitedMs().elbv2 ?? 0;
    budget.actAs('worker');
    // A worker's ELBv2 part: four describes of burst, then one a second.
    for (let i = 0; i < PASS_BURST; i++) await budget.take('elbv2', false);
    expect(waited()).toBe(0);
    budget.end();
    // A minute frozen between invocations, then ten seconds of a change feed's invocation: no refill.
    await Promise.all([t.sleep(60_000), t.run(60_000)]);
    budget.actAs('dispatch');
    await Promise.all([t.sleep(10_000), t.run(70_000)]);
    budget.actAs('worker');
    const taken = budget.take('elbv2', false);
    await t.run(80_000);
    await taken;
    expect(waited()).toBe(1_000);
  });

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
    budget.actAs('worker');
    // Its own bucket (two and a half tokens of burst), then one every 4.4 s: the third call waits for
    // half a token.
    for (let i = 0; i < 3; i++) await budget.take('tagging', false);
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(2_200, 6);
    // What both roles waited, by service, for reports.
    expect(budget.waitedMs()).toEqual({ tagging: 2_800 });
  });

  it('shares CreateLoadBalancer’s account bucket through the table: turns, not a tenth of it per environment', async () => {
    // Three environments, five stacks each, every stack's ALB ready to be made at once. Cut into parts,
    // each environment had one token and then one every 50 s: its five ALBs took 200 s.
    const t = virtualTime();
    const table = new InMemoryStateStore(t.clock);
    const environments = Array.from(
      { length: 3 },
      () => new EnvironmentBudget(roleShares(), t.clock, t.sleep, table, t.clock),
    );
    const made: { stack: string; at: number }[] = [];
    const kept: { stack: string; at: number }[] = [];
    const pass = async (environment: EnvironmentBudget, stack: string) => {
      const turn = await environment.turnFor('elbv2', 'CreateLoadBalancer', stack);
      if (!turn?.go) return void kept.push({ stack, at: turn!.at });
      await turn.within(() => environment.take('elbv2', true, 'CreateLoadBalancer'));
      made.push({ stack, at: t.clock() });
    };
    for (const environment of environments) environment.actAs('worker');
    const passes = Promise.all(
      environments.flatMap((environment, e) =>
        Array.from({ length: 5 }, (_, i) => pass(environment, `stack-${e}-${i}`)),
      ),
    );
    await t.run(120_000);
    await passes;
    // The account's burst of ten at once (the fifth call of two environments waiting a second for its
    // part of ELBv2's account-level bucket, four of burst each), then one every 5 s while within a
    // pass's wait (15 s) ...
    expect(made.map((m) => m.at)).toEqual([
      ...Array.from({ length: 8 }, () => 0),
      1_000,
      1_000,
      5_000,
      10_000,
      15_000,
    ]);
    expect(TURN_WAIT_MS).toBe(15_000);
    // ... and the turns beyond kept for their stacks, each its own.
    expect(kept.map((k) => k.at).sort((a, b) => a - b)).toEqual([20_000, 25_000]);

    // A stack that comes back for its turn gets the same one, and its call takes no other token.
    const back = kept[0]!;
    const returning = (async () => {
      await t.sleep(back.at - TURN_WAIT_MS + 1_000 - t.clock());
      await pass(environments[0]!, back.stack);
    })();
    await t.run(back.at + 1_000);
    await returning;
    expect(made.at(-1)).toEqual({ stack: back.stack, at: back.at });
  });

  it('takes a turn of the book for a call of the shared category no pass asked one for (an update’s SetSubnets)', async () => {
    const t = virtualTime();
    const table = new InMemoryStateStore(t.clock);
    const environment = new EnvironmentBudget(roleShares(), t.clock, t.sleep, table, t.clock);
    environment.actAs('worker');
    // The burst spent by others through the table.
    for (let i = 0; i < 10; i++)
      await table.claimTurn(
        'elbv2:resourceIntensive',
        { capacity: 10, refillPerSecond: 0.2 },
        `other-${i}`,
        Infinity,
      );
    const call = environment.take('elbv2', true, 'SetSubnets');
    await t.run(60_000);
    await call;
    expect(environment.waitedMs().elbv2).toBe(5_000);
    // Other ELBv2 changes keep to the environment's part, not the book.
    await environment.take('elbv2', true, 'CreateListener');
    expect(environment.waitedMs().elbv2).toBe(5_000);
  });

  it('a retry of a call made in its turn takes the stack’s next turn, and is not made when that is far off', async () => {
    const t = virtualTime();
    const table = new InMemoryStateStore(t.clock);
    const environment = new EnvironmentBudget(roleShares(), t.clock, t.sleep, table, t.clock);
    environment.actAs('worker');
    const size = { capacity: 10, refillPerSecond: 0.2 };
    // Nine turns gone: the stack's is the last of the burst, and the account's next is 5 s off.
    for (let i = 0; i < 9; i++)
      await table.claimTurn('elbv2:resourceIntensive', size, `other-${i}`, Infinity);
    const turn = await environment.turnFor('elbv2', 'CreateLoadBalancer', 'orders-api');
    expect(turn?.go).toBe(true);
    // The call, throttled by AWS anyway, and its retry (the SDK's asks the budget for a token again).
    const retried = turn!.go
      ? turn!.within(async () => {
          await environment.take('elbv2', true, 'CreateLoadBalancer');
          await environment.take('elbv2', true, 'CreateLoadBalancer');
          return t.clock();
        })
      : Promise.reject(new Error('no turn'));
    await t.run(60_000);
    expect(await retried).toBe(5_000);
    // Its next call and a retry of it, while others spend the book 20 s ahead in between: the retry is
    // not made, and the turn is kept for the stack's next pass.
    const settled = (async () => {
      const again = await environment.turnFor('elbv2', 'CreateLoadBalancer', 'orders-api');
      if (!again?.go) return again;
      return again.within(async () => {
        await environment.take('elbv2', true, 'CreateLoadBalancer');
        for (let i = 0; i < 3; i++)
          await table.claimTurn('elbv2:resourceIntensive', size, `late-${i}`, Infinity);
        await environment.take('elbv2', true, 'CreateLoadBalancer');
      });
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    await t.run(200_000);
    const error = await settled;
    expect(error).toBeInstanceOf(TurnNotYetError);
    const kept = (error as TurnNotYetError).at;
    expect(kept - t.clock()).toBeGreaterThan(TURN_WAIT_MS);
    expect(await table.claimTurn('elbv2:resourceIntensive', size, 'orders-api', 0)).toEqual({
      at: kept,
      go: false,
    });
  });
});
