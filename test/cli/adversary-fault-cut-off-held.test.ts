/**
 * Adversary (faults): bootstrap refuses, before writing, to cut off stacks whose DNS the zones it would
 * grant no longer allow (--cut-off-stacks when meant). But the pass refuses more than the spec's `dns`:
 * a stack being deleted is held while its kept spec's zone is not granted, and so is a stack whose records
 * left at a name its spec dropped (the old name still draining, `bookkeeping.dnsNames`) are in a zone no
 * longer granted (docs/design.md, "A stack being deleted" and the rules after it; pass/load.ts refusedDns).
 * A bootstrap that drops such a zone without --cut-off-stacks held those stacks for good, saying nothing;
 * fixed: it reads every name the pass checks (pass/load.ts heldDnsNames).
 */
import { stacksCutOffByZones } from '../../cli/commands/bootstrap-stacks';
import { DynamoStateStore } from '../../reconciler/state';
import type { SystemRecord } from '../../reconciler/state/system-record';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { IMAGE } from './run-cli';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/5f7e4b8a-2c1d-4e3f-9a6b-7c8d9e0f1a2b';
const ZONE = 'Z0EXAMPLE1';
const OTHER = 'Z0EXAMPLE2';

const granting = (...ids: string[]): SystemRecord => ({
  hostedZones: ids.map((id) => ({ id, recordNames: ['*.example.test', 'example.test'] })),
  zoneNames: Object.fromEntries(ids.map((id) => [id, 'example.test'])),
  maxReservedConcurrency: 100,
});

let db: TestDynamo;
let tables = 0;
beforeAll(async () => {
  db = await startTestDynamo();
});
afterAll(async () => {
  await db.stop();
});

async function table(): Promise<DynamoStateStore> {
  const store = new DynamoStateStore({ client: db.client, tableName: `cut-off-${++tables}` });
  await store.ensureTable();
  return store;
}

/** The stacks bootstrap names as cut off when the zones granted go from ZONE and OTHER to OTHER alone. */
const cutOffDroppingZone = (store: DynamoStateStore) =>
  stacksCutOffByZones(db.client, store.tableName, granting(ZONE, OTHER), granting(OTHER), (rest) => rest);

describe('adversary: bootstrap dropping a zone that a held stack still needs', () => {
  it('a stack being deleted with dns in the zone dropped is named (was: held for good, bootstrap saying nothing)', async () => {
    const store = await table();
    await store.putSpec({
      stack: 'orders-api',
      image: IMAGE,
      mode: 'lambda',
      dns: { hostedZoneId: ZONE, recordName: 'orders-api.example.test', certificateArn: CERTIFICATE },
    });
    await store.requestDelete('orders-api');
    const cutOff = await cutOffDroppingZone(store);
    expect(cutOff).toEqual([expect.stringContaining('stack orders-api')]);
  });

  it('a stack whose dropped name still drains in the zone dropped is named (was: held for good, bootstrap saying nothing)', async () => {
    const store = await table();
    await store.putSpec({ stack: 'shop', image: IMAGE, mode: 'fargate' });
    await store.writeReconcilerState('shop', (current) => ({
      bookkeeping: {
        ...current.bookkeeping,
        dnsNames: [{ hostedZoneId: ZONE, recordName: 'shop.example.test.' }],
      },
    }));
    const cutOff = await cutOffDroppingZone(store);
    expect(cutOff).toEqual([expect.stringContaining('stack shop')]);
  });

  it('a stack whose spec names the zone dropped is named (the case bootstrap covers)', async () => {
    const store = await table();
    await store.putSpec({
      stack: 'orders-api',
      image: IMAGE,
      mode: 'lambda',
      dns: { hostedZoneId: ZONE, recordName: 'orders-api.example.test', certificateArn: CERTIFICATE },
    });
    const cutOff = await cutOffDroppingZone(store);
    expect(cutOff).toEqual([expect.stringContaining('stack orders-api')]);
  });
});
