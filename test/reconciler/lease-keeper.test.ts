/**
 * LeaseKeeper: the heartbeat (driven by the injected clock) and the fence it puts before mutating calls.
 * Against the in-memory store, which keeps the DynamoDB store's lease contract, and once against dynalite.
 */
import type { HandlerDeps } from '../../reconciler/handler';
import { LeaseKeeper } from '../../reconciler/lease-keeper';
import type { ReconcilerOptions } from '../../reconciler/reconcile';
import { InMemoryStateStore, LeaseLostError, StateStoreError } from '../../reconciler/state';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './state/fixtures';

const TTL = 120_000;
const CALL = 70_000;

async function setup() {
  const clock = { now: 1_000_000 };
  const store = new InMemoryStateStore(() => clock.now);
  await store.putSpec({ stack: 'orders-api', image: 'nginx:1.27' });
  const renewals = jest.spyOn(store, 'renewLease');
  const keeper = new LeaseKeeper({
    store,
    stack: 'orders-api',
    holder: 'a',
    monotonic: () => clock.now,
    ttlMs: TTL,
    callBoundMs: CALL,
  });
  expect(await keeper.acquire()).toBe(true);
  return { clock, store, renewals, keeper };
}

describe('LeaseKeeper', () => {
  it('renews the lease every quarter of its length while calls are made, and only then', async () => {
    const { clock, store, renewals, keeper } = await setup();
    const start = clock.now;
    for (let t = 0; t <= 300_000; t += 10_000) {
      clock.now = start + t;
      await keeper.beforeCall(t % 20_000 === 0 ? 'DescribeVpcs' : 'CreateVpc', t % 20_000 !== 0);
    }
    // At 30 s, 60 s, … 300 s: ten renewals, each extending the lease from when it was sent.
    expect(renewals).toHaveBeenCalledTimes(10);
    expect(renewals).toHaveBeenLastCalledWith('orders-api', 'a', TTL);
    expect((await store.get('orders-api'))?.lease).toEqual({ holder: 'a', expiresAt: start + 300_000 + TTL });
    expect(keeper.lost).toBeUndefined();
  });

  it('stops mutating calls once a renewal is refused, and lets reads through', async () => {
    const { clock, store, keeper } = await setup();
    clock.now += TTL + 1; // the process stalled past its lease …
    expect(await store.acquireLease('orders-api', 'b')).toBe(true); // … and another reconciler took it
    await expect(keeper.beforeCall('DescribeVpcs', false)).resolves.toBeUndefined();
    const refused = await keeper.beforeCall('CreateVpc', true).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LeaseLostError);
    expect((refused as Error).message).toBe(
      'calling CreateVpc (orders-api): lease no longer held by a (it ran out before it could be renewed)',
    );
    expect((await store.get('orders-api'))?.lease?.holder).toBe('b');
  });

  it('stops mutating calls when the table refuses the renewal (the lease was taken meanwhile)', async () => {
    const { clock, store, keeper } = await setup();
    jest.spyOn(store, 'renewLease').mockResolvedValueOnce(false);
    clock.now += 30_000;
    await expect(keeper.beforeCall('CreateVpc', true)).rejects.toThrow(
      'calling CreateVpc (orders-api): lease no longer held by a (renewing it was refused: it expired or another reconciler took it)',
    );
    expect(keeper.lost).toBeDefined();
    // Lost stays lost: no renewal is tried again, nothing mutating goes out.
    clock.now += 1_000;
    await expect(keeper.beforeCall('CreateSubnet', true)).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('keeps a lease whose renewal failed (throttled) as known, until too little of it is left for a call', async () => {
    const { clock, store, renewals, keeper } = await setup();
    const start = clock.now;
    renewals.mockRejectedValue(new StateStoreError('renewing lease (orders-api): ThrottlingException'));
    clock.now = start + 30_000;
    await expect(keeper.beforeCall('CreateVpc', true)).resolves.toBeUndefined();
    expect(renewals).toHaveBeenCalledTimes(1);
    // Tried again after a short wait, not on every call.
    clock.now = start + 32_000;
    await keeper.beforeCall('CreateVpc', true);
    expect(renewals).toHaveBeenCalledTimes(1);
    clock.now = start + 35_000;
    await keeper.beforeCall('CreateVpc', true);
    expect(renewals).toHaveBeenCalledTimes(2);
    // 50 s left of the lease is less than one call may take (70 s): refused, though not known lost.
    clock.now = start + TTL - 50_000;
    await expect(keeper.beforeCall('CreateVpc', true)).rejects.toThrow(
      'lease no longer held by a (it ends in 50 s, and one call may take 70 s)',
    );
    expect(keeper.lost).toBeUndefined();
    // The table answers again: renewed, and calls go on.
    renewals.mockRestore();
    clock.now += 5_000;
    await expect(keeper.beforeCall('CreateVpc', true)).resolves.toBeUndefined();
    expect((await store.get('orders-api'))?.lease?.expiresAt).toBe(clock.now + TTL);
  });

  it('renews once for calls made at the same time', async () => {
    const { clock, renewals, keeper } = await setup();
    clock.now += 30_000;
    await Promise.all([
      keeper.beforeCall('A', true),
      keeper.beforeCall('B', true),
      keeper.beforeCall('C', false),
    ]);
    expect(renewals).toHaveBeenCalledTimes(1);
  });

  it('refuses a lease too short for a heartbeat and a call', () => {
    const store = new InMemoryStateStore();
    expect(
      () =>
        new LeaseKeeper({
          store,
          stack: 's',
          holder: 'a',
          monotonic: () => 0,
          ttlMs: 90_000,
          callBoundMs: 70_000,
        }),
    ).toThrow('lease of 90000 ms too short: renewed every 22500 ms, one call may take 70000 ms');
  });
});

describe('the lease’s monotonic clock', () => {
  it('is required of every composition: leaving it out is a type error, not a fall back to the wall clock', () => {
    type Missing<T, K extends keyof T> = Omit<T, K> extends T ? false : true;
    // Each line fails `tsc` when `monotonic` turns optional again (the type would accept it missing).
    const reconciler: Missing<ReconcilerOptions, 'monotonic'> = true;
    const handler: Missing<HandlerDeps, 'monotonic'> = true;
    expect([reconciler, handler]).toEqual([true, true]);
  });

  it('is not the wall clock in the Lambda’s own dependencies: a stepped Date.now does not move it', async () => {
    const { defaultDeps } = await import('../../reconciler/handler');
    const deps = defaultDeps({ LAMBDAFLEX_TABLE: 'lambdaflex', AWS_REGION: 'eu-west-1' });
    const wall = jest.spyOn(Date, 'now').mockReturnValue(0);
    try {
      const before = deps.monotonic();
      wall.mockReturnValue(365 * 24 * 3_600_000);
      // A year's step of the wall clock: a clock that followed it would have moved by as much.
      expect(deps.monotonic() - before).toBeLessThan(3_600_000);
    } finally {
      wall.mockRestore();
    }
  });
});

describe('LeaseKeeper over the DynamoDB store (dynalite)', () => {
  let db: TestDynamo;
  beforeAll(async () => (db = await startTestDynamo()));
  afterAll(() => db.stop());

  it('renews through the table, and stops mutating calls once another reconciler took the lease', async () => {
    const { store, clock } = await newStore(db);
    await store.putSpec(specDoc());
    const keeper = new LeaseKeeper({ store, stack: 'orders-api', holder: 'a', monotonic: () => clock.now });
    expect(await keeper.acquire()).toBe(true);
    const start = clock.now;
    clock.now = start + 30_000;
    await keeper.beforeCall('CreateVpc', true);
    expect((await store.get('orders-api'))?.lease).toEqual({ holder: 'a', expiresAt: start + 30_000 + TTL });
    clock.now = start + 30_000 + TTL + 1;
    expect(await store.acquireLease('orders-api', 'b')).toBe(true);
    await expect(keeper.beforeCall('CreateVpc', true)).rejects.toBeInstanceOf(LeaseLostError);
    await keeper.release();
    expect((await store.get('orders-api'))?.lease?.holder).toBe('b');
  });
});
