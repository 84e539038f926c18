/**
 * A lease that holds (safety rule 8), the whole reconciler against the simulated AWS:
 * - a lease lost mid-pass: the simulated clock moves past the lease while a pass builds the stack, and a
 *   second reconciler starts at once and takes the expired lease. The first pass makes no mutating call
 *   after that; the two never both create the VPC, internet gateway or route table. Run at many positions
 *   in the first pass, for several seeds.
 * - a pass longer than its lease keeps it, renewed by the heartbeat as the clock moves;
 * - the pass's time budget counts from the start of the pass, not from when it starts applying.
 */
import { reconcileStack, type PassResult } from '../../reconciler/reconcile';
import { DEFAULT_LEASE_TTL_MS } from '../../reconciler/state';
import { beforeEveryCall } from './call-hooks';
import { byType, scenario, specInput, STACK, type Scenario } from './harness';

const WATCHED = ['AWS::EC2::VPC', 'AWS::EC2::InternetGateway', 'AWS::EC2::RouteTable'];

/** Before the `at`-th AWS call (of anyone), `then` runs: the clock jump and the second reconciler. */
function beforeCall(s: Scenario, at: number, then: () => void): void {
  let calls = 0;
  beforeEveryCall(s.clients, 'leaseScenarioHook', () => {
    if (++calls === at) then();
  });
}

async function race(seed: number, at: number) {
  const s = scenario({ seed });
  await s.apply(specInput({ mode: 'fargate' }));
  let second: Promise<PassResult> | undefined;
  beforeCall(s, at, () => {
    s.account.advance(DEFAULT_LEASE_TTL_MS + 1_000);
    second = reconcileStack({ ...s.reconciler, holder: 'second' }, STACK);
  });
  const first: Pick<PassResult, 'outcome' | 'reason'> = await reconcileStack(
    { ...s.reconciler, holder: 'first' },
    STACK,
  ).catch((error: Error) => ({ outcome: 'threw' as never, reason: error.message }));
  const other = await second;
  const afterRace = byType(s.owned());
  // Then on as usual, until the stack is built.
  s.account.advance(15_000);
  await s.settle();
  return { first, other, afterRace, settled: byType(s.owned()) };
}

describe('scenario: a lease lost mid-pass', () => {
  let reference: Record<string, number>;
  let firstPassCalls: number;
  beforeAll(async () => {
    const s = scenario({ seed: 1 });
    await s.apply(specInput({ mode: 'fargate' }));
    firstPassCalls = (await reconcileStack(s.reconciler, STACK)).calls.total;
    s.account.advance(15_000);
    await s.settle();
    reference = byType(s.owned());
    expect(reference).toMatchObject(Object.fromEntries(WATCHED.map((type) => [type, 1])));
    expect(firstPassCalls).toBeGreaterThan(20);
  });

  it.each([1, 2, 3])(
    'never leaves a duplicate, wherever in the first pass it happens (seed %i)',
    async (seed) => {
      const positions = Array.from({ length: 12 }, (_, i) => 2 + Math.floor((i * (firstPassCalls - 2)) / 12));
      const wrong: unknown[] = [];
      for (const at of positions) {
        const { first, other, afterRace, settled } = await race(seed, at);
        const duplicates = WATCHED.filter((type) => (afterRace[type] ?? 0) > 1);
        if (duplicates.length > 0) wrong.push({ at, duplicates });
        if (JSON.stringify(settled) !== JSON.stringify(reference)) wrong.push({ at, settled });
        // The first pass knows it lost the lease and says so; the second one did the work.
        if (first.outcome !== 'skipped' || !/lease/.test(first.reason ?? '')) {
          wrong.push({ at, first: first.outcome, reason: first.reason });
        }
        if (other?.outcome !== 'reconciled')
          wrong.push({ at, second: other?.outcome, reason: other?.reason });
      }
      expect(wrong).toEqual([]);
    },
  );
});

describe('scenario: a pass longer than its lease', () => {
  it('keeps the lease, renewed by the heartbeat as the clock moves, and finishes its work', async () => {
    const s = scenario({ seed: 1 });
    await s.apply(specInput({ mode: 'fargate' }));
    // Every AWS call takes 10 s of the simulated clock: the pass lasts several leases.
    beforeEveryCall(s.clients, 'leaseScenarioHook', () => s.account.advance(10_000));
    const renewals = jest.spyOn(s.store, 'renewLease');
    const start = s.account.now();
    const result = await reconcileStack(s.reconciler, STACK);
    const lasted = s.account.now() - start;
    expect(lasted).toBeGreaterThan(2 * DEFAULT_LEASE_TTL_MS);
    expect(result).toMatchObject({ outcome: 'reconciled' });
    // Renewed every 30 s or so (each call moves the clock by 10 s), the lease never ran out.
    expect(renewals.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(lasted / 40_000));
    expect(renewals.mock.results.every((r) => r.type === 'return')).toBe(true);
    expect(await Promise.all(renewals.mock.results.map((r) => r.value))).not.toContain(false);
    // Its status written (fenced by the lease) and the lease given up.
    const record = await s.store.get(STACK);
    expect(record?.status?.lastPass?.at).toBe(start);
    expect(record?.lease).toBeUndefined();
  });
});

describe('scenario: the pass budget', () => {
  it('counts from the start of the pass: time spent observing is spent', async () => {
    const s = scenario({ seed: 1 });
    await s.apply(specInput({ mode: 'fargate' }));
    // Each AWS call takes a second of the pass's (fake) elapsed time; the budget is gone while observing.
    let elapsed = 0;
    beforeEveryCall(s.clients, 'leaseScenarioHook', () => (elapsed += 1_000));
    const started: string[] = [];
    const result = await reconcileStack(
      {
        ...s.reconciler,
        elapsed: () => elapsed,
        budgetMs: 5_000,
        onStep: (_stack, step, outcome) => {
          if (outcome.status === 'started') started.push(step.id);
        },
      },
      STACK,
    );
    expect(result.plan?.steps.length).toBeGreaterThan(10);
    expect(started).toEqual([]);
    expect(s.owned()).toEqual([]);
    expect(JSON.stringify((await s.store.get(STACK))?.status)).toContain('the pass ran out of time');
  });
});
