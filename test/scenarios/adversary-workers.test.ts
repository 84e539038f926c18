/**
 * Adversary scenarios: two workers on one stack (the SQS FIFO fan-out hands a message out again after its
 * visibility timeout while the first worker still runs). The first worker is paused mid-pass, between two
 * AWS calls, for longer than its lease; meanwhile the second takes the lease and moves the stack's traffic
 * (the spec edited back to Lambda while traffic was shifting to Fargate). When the first wakes up it must
 * not write anything: no mutating AWS call, no write of the record (safety rule 8), so that the traffic
 * the second moved back to Lambda is never moved to Fargate again by a worker that lost its lease.
 * The same with the first worker's wall clock stepped back when it wakes: the lease is judged on a
 * monotonic clock, so it still writes nothing.
 */
import { clientsFor } from '../../aws-sim';
import type { AccountState } from '../../aws-sim/core/account';
import { reconcileStack, type ReconcilerOptions } from '../../reconciler/reconcile';
import {
  DEFAULT_LEASE_TTL_MS,
  LeaseLostError,
  type StackRecord,
  type StateStore,
} from '../../reconciler/state';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';
import { READ, type HookClient } from './call-hooks';

interface Moment {
  account: AccountState;
  records: StackRecord[];
  zone: string;
  /** The spec the second worker's editor writes while the first worker sleeps. */
  editedTo: 'lambda' | 'fargate';
}

/**
 * The account and the record right before the first pass (after `setUp`) that calls `operation`: the pass
 * the paused worker makes.
 */
async function momentBefore(
  mode: 'lambda' | 'fargate',
  operation: string,
  editedTo: Moment['editedTo'],
): Promise<Moment> {
  const s = scenario({ seed: 43 });
  const zone = await exampleZoneId(s);
  if (mode === 'lambda') {
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD) }));
    await s.settle();
  }
  await s.apply(specInput({ mode, dns: exampleDns(zone, EXAMPLE_RECORD) }));
  let called = false;
  s.account.observeCalls((call) => (called ||= call.operation === operation));
  for (let i = 0; i < 200; i++) {
    const before = { account: s.account.toJSON(), records: s.store.exportRecords(), zone, editedTo };
    const weights = await recordWeights(s, zone, EXAMPLE_RECORD);
    const result = await s.pass();
    if (result === 'crashed') throw new Error('no faults here');
    // Scaling up, the pass that moves traffic on from a partial share; down, the one that deletes.
    const partly = (weights.fargate ?? 0) > 0 && (weights.fargate ?? 0) < 100;
    if (called && (mode === 'lambda' || partly)) return before;
    called = false;
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error(`no pass called ${operation}`);
}

/** A store that records the writes that went through (a fenced write that threw wrote nothing). */
function watchedStore(store: StateStore, writes: string[], watching: () => boolean): StateStore {
  const watched = Object.create(store) as StateStore;
  for (const method of [
    'writeReconcilerState',
    'writeStatus',
    'appendEvents',
    'deleteRecord',
    'renewLease',
    'acquireLease',
  ] as const) {
    const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (watched as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const result = await original(...args);
      // A refused renewal or acquisition (false) wrote nothing.
      if (watching() && result !== false) writes.push(method);
      return result;
    };
  }
  return watched;
}

/**
 * The first worker's pass, paused before its `pauseAtCall`th AWS call while the second takes the stack.
 * `clockStepsBack`: it wakes with its wall clock stepped back (NTP, a VM resumed after a pause) by the
 * pause's length and a minute more, so that by that clock its lease would still have a minute left; the
 * lease is judged on the monotonic clock (the harness's, left unskewed), so it must still write nothing.
 */
async function pausedWorker(
  saved: Moment,
  pauseAtCall: number,
  clockStepsBack = false,
): Promise<{
  calls: number;
  changes: string[];
  lateChanges: string[];
  lateWrites: string[];
  weights: Record<string, number>;
}> {
  const s: Scenario = scenario({ seed: 43 });
  s.account.restore(saved.account);
  s.store.importRecords(saved.records);
  const firstClients = clientsFor(s.account);
  let calls = 0;
  let woke = false;
  let skew = 0;
  const lateChanges: string[] = [];
  const changes: string[] = [];
  const lateWrites: string[] = [];

  // The second worker, while the first sleeps: the lease has run out; the spec is edited back to Lambda
  // and the second worker takes the stack and moves every request back.
  const secondWorker = async () => {
    s.account.advance(DEFAULT_LEASE_TTL_MS + 1_000);
    await s.apply(specInput({ mode: saved.editedTo, dns: exampleDns(saved.zone, EXAMPLE_RECORD) }));
    for (let i = 0; i < 3; i++) {
      const result = await reconcileStack({ ...s.reconciler, holder: 'second' }, STACK);
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
  };
  for (const client of Object.values(firstClients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls += 1;
        if (calls === pauseAtCall) {
          const pausedAt = s.account.now();
          await secondWorker();
          if (clockStepsBack) skew = -(DEFAULT_LEASE_TTL_MS + 1_000) - 60_000 - (s.account.now() - pausedAt);
          woke = true;
        }
        const command = (context.commandName ?? '').replace(/Command$/, '');
        // Counted once past the lease fence (inside this hook): a call the fence refused was never sent.
        const sent = () => {
          if (READ.test(command)) return;
          changes.push(command);
          if (woke) lateChanges.push(command);
        };
        try {
          const answer = await next(args);
          sent();
          return answer;
        } catch (error) {
          if (!(error instanceof LeaseLostError)) sent();
          throw error;
        }
      },
      { step: 'initialize', name: 'pausedWorker', priority: 'high' },
    );
  }
  const first: ReconcilerOptions = {
    ...s.reconciler,
    clients: firstClients,
    holder: 'first',
    store: watchedStore(s.store, lateWrites, () => woke),
  };
  await reconcileStack({ ...first, now: () => s.account.now() + skew }, STACK).catch(() => undefined);
  const weights = await recordWeights(s, saved.zone, EXAMPLE_RECORD);
  return { calls, changes, lateChanges, lateWrites, weights };
}

describe.each([
  ['', false],
  [' and whose wall clock then steps back', true],
] as const)(
  'adversary: a worker paused mid-pass past its lease%s, while a second worker takes the stack',
  (_clock, clockStepsBack) => {
    it.each([
      // Traffic shifting to Fargate, the spec edited back to Lambda: the second worker moves it all back.
      ['shifting traffic to Fargate', 'fargate', 'ChangeResourceRecordSets', 'lambda'],
      // Deleting the Fargate tier, the spec edited back to Fargate: the second worker keeps or rebuilds it.
      ['deleting the Fargate tier', 'lambda', 'DeleteLoadBalancer', 'fargate'],
    ] as const)(
      'while %s: once it wakes, no AWS change and no write, wherever in its pass it slept',
      async (_label, mode, operation, editedTo) => {
        const saved = await momentBefore(mode, operation, editedTo);
        // Left alone, its pass makes the change it must not make once it lost the lease.
        const alone = await pausedWorker(saved, Number.MAX_SAFE_INTEGER, clockStepsBack);
        expect(alone.changes).toContain(operation);

        const wrong: unknown[] = [];
        for (let at = 1; at <= alone.calls; at++) {
          const { lateChanges, lateWrites, weights } = await pausedWorker(saved, at, clockStepsBack);
          if (lateChanges.length > 0 || lateWrites.length > 0) wrong.push({ at, lateChanges, lateWrites });
          // Traffic is where the second worker left it: all on Lambda after it moved it back.
          if (editedTo === 'lambda' && ((weights.fargate ?? 0) !== 0 || weights.lambda !== 100))
            wrong.push({ at, weights });
        }
        expect(wrong).toEqual([]);
      },
    );
  },
);
