/**
 * The in-memory store keeps what it holds apart from what its callers hold, as the DynamoDB store does by
 * nature: changing a record it handed out, or one handed to it, never changes the store.
 */
import {
  InMemoryStateStore,
  type Bookkeeping,
  type StackRecord,
  type StackStatus,
} from '../../../reconciler/state';
import { specDoc } from './fixtures';

const STATUS: StackStatus = {
  observedGeneration: 1,
  phase: 'Lambda',
  conditions: [{ type: 'Ready', status: 'True', reason: 'Settled', message: 'ok', lastTransitionTime: 5 }],
  resources: { vpc: { kind: 'vpc', id: 'vpc-0abc' } },
  traffic: { lambda: 100, fargate: 0 },
};
const BOOKKEEPING: Bookkeeping = {
  shift: { fargateWeight: 25, inEffectSince: 7 },
  pendingChanges: { 'dns-lambda': 'C123' },
  retries: { 'create:alb': { attempts: 2, retryAt: 99, lastError: 'Throttling' } },
  intents: { 'subnet-a': [{ nonce: 'n2', at: 6 }] },
};

/** Changes every part of a record, at every depth. */
function scribble(record: StackRecord): void {
  (record.spec as Record<string, unknown>).image = 'changed';
  record.version += 100;
  record.events.push({ at: 1, type: 'Warning', reason: 'Scribbled', message: 'changed' });
  if (record.status) {
    record.status.phase = 'Fargate';
    record.status.conditions[0]!.status = 'False';
    record.status.resources.vpc!.id = 'vpc-changed';
  }
  record.bookkeeping.retries['create:alb']!.attempts = 99;
  record.bookkeeping.intents!['subnet-a']!.push({ nonce: 'changed', at: 0 });
}

async function storeWithOneStack(): Promise<{ store: InMemoryStateStore; before: StackRecord }> {
  const store = new InMemoryStateStore(() => 1_000);
  await store.putSpec(specDoc('orders-api', { lambda: { memoryMb: 1024 } }));
  await store.appendEvents('orders-api', [{ at: 2, type: 'Normal', reason: 'Created', message: 'made' }]);
  await store.writeReconcilerState('orders-api', () => ({
    status: structuredClone(STATUS),
    bookkeeping: structuredClone(BOOKKEEPING),
  }));
  // A copy of our own, so that it cannot change with the store's.
  const before = structuredClone((await store.get('orders-api'))!);
  return { store, before };
}

describe('InMemoryStateStore keeps its records apart from its callers’', () => {
  it('in what get, list and exportRecords hand out', async () => {
    const { store, before } = await storeWithOneStack();
    scribble((await store.get('orders-api'))!);
    scribble((await store.list())[0]!);
    scribble(store.exportRecords()[0]!);
    expect(await store.get('orders-api')).toEqual(before);
  });

  it('in what putSpec, requestDelete and writeReconcilerState answer', async () => {
    const { store, before } = await storeWithOneStack();
    const put = await store.putSpec(specDoc('orders-api', { lambda: { memoryMb: 1024 } }));
    expect(put.change).toBe('unchanged');
    scribble(put);
    const written = await store.writeReconcilerState('orders-api', () => ({}));
    scribble(written);
    expect(await store.get('orders-api')).toEqual({ ...before, version: before.version + 1 });
    const deleting = await store.requestDelete('orders-api');
    scribble(deleting.record);
    expect((await store.get('orders-api'))!.status).toEqual(before.status);
  });

  it('in what a writer is handed, and in what it writes', async () => {
    const { store, before } = await storeWithOneStack();
    const status = structuredClone(STATUS);
    const bookkeeping = structuredClone(BOOKKEEPING);
    await store.writeReconcilerState('orders-api', (current) => {
      scribble(current);
      return { status, bookkeeping };
    });
    status.conditions[0]!.status = 'False';
    status.resources.vpc!.id = 'vpc-changed';
    bookkeeping.retries['create:alb']!.attempts = 99;
    const after = (await store.get('orders-api'))!;
    expect(after.status).toEqual(STATUS);
    expect(after.bookkeeping).toEqual(BOOKKEEPING);
    expect(after.spec).toEqual(before.spec);
    expect(after.events).toEqual(before.events);
  });

  it('in what importRecords was given', async () => {
    const { store, before } = await storeWithOneStack();
    const records = store.exportRecords();
    const other = new InMemoryStateStore(() => 1_000);
    other.importRecords(records);
    scribble(records[0]!);
    expect(await other.get('orders-api')).toEqual(before);
  });

  it('in the system record it hands out', async () => {
    const store = new InMemoryStateStore();
    store.systemRecord = {
      hostedZones: [{ zoneId: 'Z123', names: ['*.example.com'] }],
      zoneNames: { Z123: 'example.com' },
    } as unknown as typeof store.systemRecord;
    const kept = structuredClone(store.systemRecord);
    const got = (await store.getSystemRecord())!;
    got.zoneNames.Z123 = 'changed.com';
    (got.hostedZones[0] as unknown as { names: string[] }).names.push('*');
    expect(await store.getSystemRecord()).toEqual(kept);
  });
  it('in the events it was given, and in the events a listed record shows later', async () => {
    const { store, before } = await storeWithOneStack();
    const [listed] = await store.list();
    // The events a listed record shows are the record's as it was listed, whenever they are read.
    const appended = { at: 3, type: 'Normal' as const, reason: 'Later', message: 'after the list' };
    await store.appendEvents('orders-api', [appended]);
    expect(listed!.events).toEqual(before.events);
    // An event changed by its writer after it was appended is not changed in the store.
    appended.message = 'changed';
    expect((await store.get('orders-api'))!.events.at(-1)!.message).toBe('after the list');
    // Listed events replaced or changed by the caller: the store and other listed copies keep theirs.
    const [again] = await store.list();
    again!.events = [];
    const [third] = await store.list();
    third!.events.push({ at: 9, type: 'Warning', reason: 'Scribbled', message: 'changed' });
    expect(again!.events).toEqual([]);
    expect((await store.get('orders-api'))!.events).toHaveLength(before.events.length + 1);
    expect(JSON.parse(JSON.stringify((await store.list())[0]))).toEqual(await store.get('orders-api'));
  });
});
