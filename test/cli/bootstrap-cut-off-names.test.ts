/**
 * Which stacks a bootstrap about to run would newly cut off (cli/commands/bootstrap-stacks.ts
 * `stacksCutOffByZones`), against a table in dynalite: one line per name a stack holds (its pass's names,
 * reconciler/pass/load.ts `heldDnsNames`) that the record kept allows and the next one does not; a stack
 * being deleted said so, with the name of the spec it is deleted from; a name the kept record already
 * refuses is not this bootstrap's doing; a stack holding nothing in the zone is not named.
 */
import { stacksCutOffByZones } from '../../cli/commands/bootstrap-stacks';
import { DynamoStateStore } from '../../reconciler/state';
import type { SystemRecord } from '../../reconciler/state/system-record';
import { writtenName } from '../../reconciler/resources/route53/written-dns-names';
import { validateSpec } from '../../spec';
import type { DesiredState } from '../../spec/types';
import { testSpec } from '../reconciler/engine/fake-kinds';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const TABLE = 'lambdaflex-cut-off-names';

let db: TestDynamo;
let store: DynamoStateStore;
beforeAll(async () => {
  db = await startTestDynamo();
  store = new DynamoStateStore({ client: db.client, tableName: TABLE });
  await store.ensureTable();
});
afterAll(async () => {
  await db.stop();
});

function spec(stack: string, recordName?: string): DesiredState {
  const dns = recordName
    ? {
        dns: {
          hostedZoneId: ZONE,
          recordName,
          ttlSeconds: 60,
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      }
    : {};
  const result = validateSpec(testSpec({ stack, ...dns }));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

/** A stack applied with `built`, reconciled with its records at `remembered`, then applied `now`. */
async function stack(name: string, built: DesiredState, remembered: string[], now = built): Promise<void> {
  await store.putSpec(built);
  await store.writeReconcilerState(name, (current) => ({
    bookkeeping: {
      ...current.bookkeeping,
      reconciledSpec: { generation: current.generation, spec: built },
      dnsNames: remembered.map((n) => writtenName(ZONE, n)),
    },
  }));
  if (now !== built) await store.putSpec(now);
}

const grant = (...recordNames: string[]): SystemRecord => ({
  hostedZones: [{ id: ZONE, recordNames }],
  zoneNames: { [ZONE]: 'example.com' },
});

describe('the stacks a bootstrap would cut off', () => {
  it('names each name a stack holds that the next bootstrap takes away, and only those', async () => {
    // Live, its spec naming the name.
    await stack('live', spec('live', 'live.example.com'), ['live.example.com']);
    // Its deletion asked for: deleted from the spec that named the name.
    await stack('leaving', spec('leaving', 'leaving.example.com'), ['leaving.example.com']);
    await store.requestDelete('leaving');
    // Its spec dropped dns; its records are still at the old name.
    await stack('dropped', spec('dropped', 'dropped.example.com'), ['dropped.example.com'], spec('dropped'));
    // Holding a name the next bootstrap keeps.
    await stack('kept', spec('kept', 'kept.example.com'), ['kept.example.com']);
    // Holding a name the kept record already refuses: not this bootstrap's doing.
    await stack('refused', spec('refused', 'refused.example.com'), ['refused.example.com']);

    const kept = grant('live.example.com', 'leaving.example.com', 'dropped.example.com', 'kept.example.com');
    const lines = await stacksCutOffByZones(
      db.client,
      TABLE,
      kept,
      grant('kept.example.com'),
      (rest) => rest,
    );
    const adds = (name: string) => `(\`bootstrap --hosted-zone ${ZONE}='kept.example.com,${name}'\` adds it)`;
    const notAllowed = (name: string) =>
      `${name} is not a name the reconciler may write in ${ZONE}; allowed: kept.example.com ${adds(name)}`;
    expect([...lines].sort()).toEqual(
      [
        `stack dropped: dns: the records the stack wrote at dropped.example.com in ${ZONE}, which its spec no longer wants, can't be removed: ${notAllowed('dropped.example.com')}`,
        `stack leaving (being deleted, from the spec it was last reconciled with): dns.recordName: ${notAllowed('leaving.example.com')}`,
        `stack live: dns.recordName: ${notAllowed('live.example.com')}`,
      ].sort(),
    );
  });
});
