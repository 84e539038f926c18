/**
 * The crash sweep made cheap: the simulator is deterministic, so a fault-free reference run is recorded
 * once, the account and the state store saved as each call left them, and each crash case ("the pass
 * died right after call k") starts from call k's snapshot instead of replaying the k calls before it.
 */
import type { ReconcilerOptions } from '../../reconciler/reconcile';
import { InMemoryStateStore, type StackRecord } from '../../reconciler/state';
import type { AccountState } from '../../aws-sim/core/account';
import { scenario, type Scenario, type ScenarioOptions } from './harness';

export interface CallSnapshot {
  /** Calls since the snapshots began, this one included. */
  index: number;
  operation: string;
  account: AccountState;
  records: StackRecord[];
}

/**
 * Runs `act` (fault-free) and saves the account and the records after every AWS call it makes, and after
 * every write of the reconciler's part of the record (a create's intent is written before its call: a
 * pass can die between the two). A moment that left them as the one before did is one case: a crash right
 * after a read (most calls of a pass that waits) leaves what a crash right after the change before it
 * left, at the same simulated instant.
 */
export async function snapshotEachCall(s: Scenario, act: () => Promise<unknown>): Promise<CallSnapshot[]> {
  const snapshots: CallSnapshot[] = [];
  let last = '';
  const save = (index: number, operation: string) => {
    const account = s.account.toJSON();
    const records = s.store.exportRecords();
    // What a crash leaves: the resources and the records (not call counts or rate-limit buckets).
    const left = JSON.stringify([account.now, account.services, records]);
    if (left === last) return;
    last = left;
    snapshots.push({ index, operation, account, records });
  };
  s.account.setFaults({});
  s.account.observeCalls(({ operation, index }) => save(index, operation));
  const store = s.store;
  const write = store.writeReconcilerState.bind(store);
  store.writeReconcilerState = async (...args) => {
    const written = await write(...args);
    save(snapshots.at(-1)?.index ?? 0, 'writing the record');
    return written;
  };
  try {
    await act();
  } finally {
    s.account.observeCalls(undefined);
    store.writeReconcilerState = write;
  }
  return snapshots;
}

/**
 * A scenario in the state a pass left when it died right after the snapshot's call: the next pass comes
 * `afterCrashMs` later (0: at the same simulated instant, before EC2's eventual consistency shows what
 * the dead pass made), as `scenario().pass()` times it after a crash.
 */
export function resumeAfterCrash(
  snapshot: CallSnapshot,
  options: ScenarioOptions & { afterCrashMs: number },
): Scenario {
  const s = scenario(options);
  s.account.restore(snapshot.account);
  s.store.importRecords(snapshot.records);
  // The dead pass's end, then the schedule's next run (scenario().pass() and settle() wait the same).
  s.account.advance(2 * options.afterCrashMs);
  return s;
}

/** Who runs the pass after the crash: the worker that died, or a second one that takes the stack over. */
export type Worker = 'same worker' | 'second worker';

const DAY_MS = 24 * 3_600_000;

/**
 * The reconciler's options for the pass after the crash, run by `worker`, and the store it reads (the
 * snapshot's records). A second worker is another process: its wall clock a day ahead, so that the dead
 * pass's lease looks run out to it at once, and its own monotonic clock. The table's time is that of the
 * worker who calls it, as with DynamoDB's conditional writes on leases.
 */
export function workerAfterCrash(
  s: Scenario,
  snapshot: CallSnapshot,
  worker: Worker,
): { store: InMemoryStateStore; options: ReconcilerOptions } {
  const second = worker === 'second worker';
  const now = () => s.account.now() + (second ? DAY_MS : 0);
  const store = new InMemoryStateStore(now);
  store.importRecords(snapshot.records);
  const options: ReconcilerOptions = {
    ...s.reconciler,
    store,
    holder: second ? 'second' : 'scenario',
    now,
    monotonic: () => s.account.now() + (second ? -987_654_321 : 0),
  };
  return { store, options };
}
