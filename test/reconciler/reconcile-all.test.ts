/**
 * reconcileAll's pool: at most `parallelism` stacks at once (DEFAULT_PARALLELISM when unset), every
 * stack once, a failing stack apart from the others, the stacks left when the time runs out skipped.
 * The pass itself (reconcile.ts) is replaced: what is tested here is only the pool around it.
 */
import { DEFAULT_PARALLELISM } from '../../reconciler/concurrency';
import { reconcileAll } from '../../reconciler/reconcile-all';
import type { PassResult, ReconcilerOptions } from '../../reconciler/reconcile';
import { reconcileStack } from '../../reconciler/reconcile';

jest.mock('../../reconciler/reconcile', () => ({ reconcileStack: jest.fn() }));
const pass = reconcileStack as jest.MockedFunction<typeof reconcileStack>;

function optionsWith(stacks: string[]): ReconcilerOptions {
  const store = { list: async () => stacks.map((stack) => ({ stack })) };
  return { store } as unknown as ReconcilerOptions;
}

/** Passes that wait until released, counting how many run at once. */
function gatedPasses() {
  let running = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  pass.mockImplementation(async (_options, stack) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((release) => gates.push(release));
    running -= 1;
    if (stack === 'broken') throw new Error('store outage');
    return {
      stack,
      outcome: 'reconciled',
      settled: true,
      calls: { total: 0, mutating: 0, byOperation: {} },
    } as PassResult;
  });
  /** Releases every waiting pass, again and again, until `done` settles. */
  const releaseAll = async <T>(done: Promise<T>): Promise<T> => {
    let settled = false;
    void done.finally(() => (settled = true));
    while (!settled) {
      gates.splice(0).forEach((release) => release());
      await new Promise((r) => setImmediate(r));
    }
    return done;
  };
  return { most: () => most, releaseAll };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('reconcileAll', () => {
  beforeEach(() => pass.mockReset());

  it('runs at most `parallelism` stacks at once, and each stack once', async () => {
    const stacks = Array.from({ length: 7 }, (_, i) => `s${i}`);
    const gate = gatedPasses();
    const done = reconcileAll(optionsWith(stacks), { parallelism: 3 });
    await flush();
    expect(pass).toHaveBeenCalledTimes(3);
    const result = await gate.releaseAll(done);
    expect(gate.most()).toBe(3);
    expect(pass.mock.calls.map(([, stack]) => stack).sort()).toEqual([...stacks].sort());
    expect(result.results.map((r) => r.stack).sort()).toEqual([...stacks].sort());
  });

  it('defaults to DEFAULT_PARALLELISM at once', async () => {
    const stacks = Array.from({ length: DEFAULT_PARALLELISM + 3 }, (_, i) => `s${i}`);
    const gate = gatedPasses();
    const done = reconcileAll(optionsWith(stacks));
    await flush();
    expect(pass).toHaveBeenCalledTimes(DEFAULT_PARALLELISM);
    await gate.releaseAll(done);
    expect(gate.most()).toBe(DEFAULT_PARALLELISM);
  });

  it('keeps one failing stack apart from the others', async () => {
    const gate = gatedPasses();
    const done = reconcileAll(optionsWith(['a', 'broken', 'b']), { parallelism: 2 });
    const result = await gate.releaseAll(done);
    expect(result.errors).toEqual([{ stack: 'broken', message: 'store outage' }]);
    expect(result.results.map((r) => r.stack).sort()).toEqual(['a', 'b']);
  });

  it('skips the stacks not started when the time has run out', async () => {
    let left = 1;
    pass.mockImplementation(async (_options, stack) => {
      left = 0; // the first pass uses the time up
      return {
        stack,
        outcome: 'reconciled',
        settled: true,
        calls: { total: 0, mutating: 0, byOperation: {} },
      } as PassResult;
    });
    const result = await reconcileAll(optionsWith(['a', 'b', 'c']), {
      parallelism: 1,
      remainingMs: () => left,
    });
    expect(result.results.map((r) => r.stack)).toEqual(['a']);
    expect(result.skipped).toEqual(['b', 'c']);
  });
});
