/**
 * A worker's batch reads the table's system record once (reconciler/dispatch/worker.ts): it changes only at
 * bootstrap, and each of the batch's passes that needs it (`dns`, a reserved concurrency) would otherwise
 * make its own GetItem. A failed read is not kept: the next pass that needs it reads again.
 */
import { workBatch } from '../../../reconciler/dispatch/worker';
import { stackRecord as record, workMessage as message } from './worker-fixture';
import { reconcileStack, type PassResult, type ReconcilerOptions } from '../../../reconciler/reconcile';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { StateStore } from '../../../reconciler/state/types';

jest.mock('../../../reconciler/reconcile', () => ({ reconcileStack: jest.fn() }));
const pass = reconcileStack as jest.MockedFunction<typeof reconcileStack>;

const SYSTEM = { maxReservedConcurrency: 50 } as unknown as SystemRecord;

/** Each pass reads the system record twice through the reader it is given, as loadStack may. */
function passesReading(seen: Map<string, SystemRecord | undefined>): void {
  pass.mockImplementation(async (options, stack) => {
    if (!options.systemRecord) throw new Error(`the pass of ${stack} got no system record reader`);
    await options.systemRecord();
    seen.set(stack, await options.systemRecord());
    return { stack } as unknown as PassResult;
  });
}

describe('the system record in a worker’s batch', () => {
  it('is read once for all the stacks of the batch', async () => {
    const seen = new Map<string, SystemRecord | undefined>();
    passesReading(seen);
    const getSystemRecord = jest.fn(async () => SYSTEM);
    const store = { get: async (stack: string) => record(stack), getSystemRecord } as unknown as StateStore;
    const reconciler = { store, now: () => 2_000, budgetMs: 60_000 } as unknown as ReconcilerOptions;

    const result = await workBatch({ reconciler }, [message('a'), message('b'), message('c')]);

    expect(result.errors).toEqual([]);
    expect(Object.fromEntries(seen)).toEqual({ a: SYSTEM, b: SYSTEM, c: SYSTEM });
    expect(getSystemRecord).toHaveBeenCalledTimes(1);
  });

  it('is read afresh by each batch, after a read that failed too', async () => {
    const seen = new Map<string, SystemRecord | undefined>();
    passesReading(seen);
    const getSystemRecord = jest
      .fn<Promise<SystemRecord | undefined>, []>()
      .mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'))
      .mockResolvedValue(SYSTEM);
    const store = { get: async (stack: string) => record(stack), getSystemRecord } as unknown as StateStore;
    const reconciler = { store, now: () => 2_000, budgetMs: 60_000 } as unknown as ReconcilerOptions;

    const first = await workBatch({ reconciler }, [message('a')]);
    const second = await workBatch({ reconciler }, [message('b')]);
    const third = await workBatch({ reconciler }, [message('c')]);

    expect(first.errors).toEqual([{ stack: 'a', message: 'ProvisionedThroughputExceededException' }]);
    expect(second.errors).toEqual([]);
    expect(third.errors).toEqual([]);
    expect(Object.fromEntries(seen)).toEqual({ b: SYSTEM, c: SYSTEM });
    // The failed read, then one per batch after it.
    expect(getSystemRecord).toHaveBeenCalledTimes(3);
  });
});
