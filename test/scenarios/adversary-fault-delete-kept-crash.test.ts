/**
 * Adversary (faults): a stack deleted from Fargate with `dns`, its record's spec then replaced by one
 * without `dns` (the stack's role may UpdateItem its spec past the store's condition): the deletion runs
 * from the spec it was last reconciled with (`reconciledSpec`, docs/design.md "A stack being deleted").
 * The reconciler dies right after every single AWS call or record write of the deletion, and the next pass
 * comes at once, from the same worker or a second one (its wall clock a day ahead). Whatever the call:
 * nothing serving the Fargate tier goes before the name drained for TTL × 2 + the deregistration delay,
 * and the deletion ends with the record gone and nothing left at the name.
 */
import { reconcileStack } from '../../reconciler/reconcile';
import {
  resumeAfterCrash,
  snapshotEachCall,
  workerAfterCrash,
  type CallSnapshot,
  type Worker,
} from './crash-sweep';
import {
  atTheExampleName,
  callsBeforeDrained,
  settledOnFargateWithDns,
  watchDrain,
  type DrainWatch,
} from './drain-watch';
import { EXAMPLE_RECORD, specInput, STACK } from './harness';

const SEED = 93;
interface Reference {
  zone: string;
  snapshots: CallSnapshot[];
  watch: DrainWatch;
}

async function reference(): Promise<Reference> {
  const { s, zone, watch } = await settledOnFargateWithDns({ seed: SEED });
  await s.store.requestDelete(STACK);
  // The record's spec replaced after the mark: mode lambda, no dns.
  const records = s.store.exportRecords();
  const record = records.find((r) => r.stack === STACK)!;
  s.store.importRecords(
    records.map((r) => (r === record ? { ...r, spec: { ...specInput({ mode: 'lambda' }) } } : r)),
  );
  const snapshots = await snapshotEachCall(s, async () => {
    for (let i = 0; i < 100 && (await s.store.get(STACK)); i++) {
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
  });
  expect(await s.store.get(STACK)).toBeUndefined();
  return { zone, snapshots, watch };
}

async function resume(ref: Reference, snapshot: CallSnapshot, worker: Worker) {
  const s = resumeAfterCrash(snapshot, { seed: SEED, afterCrashMs: 0 });
  const watch = watchDrain(s.account, s.clients, ref.zone, EXAMPLE_RECORD, ref.watch);
  const { store, options } = workerAfterCrash(s, snapshot, worker);
  for (let i = 0; i < 200 && (await store.get(STACK)); i++) {
    const last = await reconcileStack(options, STACK);
    s.account.advance(Math.max(5_000, Math.min(last.requeueAfterMs ?? 15_000, 60_000)));
  }
  return {
    gone: (await store.get(STACK)) === undefined,
    early: callsBeforeDrained(watch),
    left: await atTheExampleName(s, ref.zone),
    owned: s.owned().map((item) => item.type),
  };
}

describe('adversary: a crash after each call of a deletion from the kept spec, the next pass at once', () => {
  let ref: Reference;
  beforeAll(async () => {
    ref = await reference();
    expect(ref.snapshots.length).toBeGreaterThan(20);
    expect(ref.watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(callsBeforeDrained(ref.watch)).toEqual([]);
  });

  it.each<Worker>(['same worker', 'second worker'])(
    '%s: the name drains before the serving path goes, and the deletion ends with nothing left',
    async (worker) => {
      const broken: string[] = [];
      for (const snapshot of ref.snapshots) {
        const outcome = await resume(ref, snapshot, worker);
        const ok =
          outcome.gone &&
          outcome.early.length === 0 &&
          outcome.left.length === 0 &&
          outcome.owned.length === 0;
        if (!ok)
          broken.push(
            `crash after call ${snapshot.index} (${snapshot.operation}): ${JSON.stringify(outcome)}`,
          );
      }
      expect(broken).toEqual([]);
    },
  );
});
