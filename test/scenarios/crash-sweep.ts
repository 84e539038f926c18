/**
 * The crash sweep made cheap: the simulator is deterministic, so a fault-free reference run is recorded
 * once, the account and the state store saved as each call left them, and each crash case ("the pass
 * died right after call k") starts from call k's snapshot instead of replaying the k calls before it.
 */
import type { StackRecord } from '../../reconciler/state';
import type { AccountState } from '../../sim/core/account';
import { scenario, type Scenario, type ScenarioOptions } from './harness';

export interface CallSnapshot {
  /** Calls since the snapshots began, this one included. */
  index: number;
  operation: string;
  account: AccountState;
  records: StackRecord[];
}

/** Runs `act` (fault-free) and saves the account and the records after every AWS call it makes. */
export async function snapshotEachCall(s: Scenario, act: () => Promise<unknown>): Promise<CallSnapshot[]> {
  const snapshots: CallSnapshot[] = [];
  s.account.setFaults({});
  s.account.observeCalls(({ operation, index }) => {
    snapshots.push({ index, operation, account: s.account.toJSON(), records: s.store.exportRecords() });
  });
  try {
    await act();
  } finally {
    s.account.observeCalls(undefined);
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
