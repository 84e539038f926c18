/**
 * A worker's passes (reconciler/dispatch/worker.ts): a stack sent for the fleet's resync alone is worked on
 * as background work, which leaves the environment's burst to the next pass (aws/rate-budget.ts
 * asBackground); an edit's pass, or a resync sent together with an edit, is not.
 */
import { isBackgroundWork } from '../../../reconciler/aws/rate-budget';
import { workBatch } from '../../../reconciler/dispatch/worker';
import { stackRecord as record, workMessage as message } from './worker-fixture';
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../../../reconciler/reconcile';
import type { StateStore } from '../../../reconciler/state/types';

jest.mock('../../../reconciler/reconcile', () => ({ reconcileStack: jest.fn() }));
const pass = reconcileStack as jest.MockedFunction<typeof reconcileStack>;

describe('a worker’s passes and the budget’s burst', () => {
  it('works on a stack sent for the resync alone as background work, an edited one not', async () => {
    const background = new Map<string, boolean>();
    pass.mockImplementation(async (_options, stack) => {
      background.set(stack, isBackgroundWork());
      return { stack } as unknown as PassResult;
    });
    const store = { get: async (stack: string) => record(stack) } as unknown as StateStore;
    const reconciler = { store, now: () => 2_000, budgetMs: 60_000 } as unknown as ReconcilerOptions;
    const result = await workBatch({ reconciler }, [
      message('resynced', 'periodic resync'),
      message('edited', 'spec changed'),
      message('both', 'periodic resync'),
      message('both', 'spec changed'),
    ]);
    expect(result.errors).toEqual([]);
    expect(Object.fromEntries(background)).toEqual({ resynced: true, edited: false, both: false });
    // Nothing outside the pass is left marked.
    expect(isBackgroundWork()).toBe(false);
  });
});
