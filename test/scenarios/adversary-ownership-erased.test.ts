/**
 * adversary: a record whose `bookkeeping` (or only its `owned` part) was erased or overwritten by hand in
 * the DynamoDB console, or restored from an export without it. A record without `owned` reads as one from
 * before ownership was recorded, whose next full observation adopts whatever its tags claim (docs/ownership.md,
 * "Stacks from before"). But every record with an incarnation was created by a version that records
 * ownership (incarnations came after it), so such a record is no stack from before: adopting there would
 * take, and delete as unwanted, a VPC someone made with the stack's tags copied (safety rule 3), or another
 * installation's stack of the same name.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../cli/local';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { reconcileStack } from '../../reconciler/reconcile';
import { DynamoStateStore } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { scenario, specInput, STACK } from './harness';
import { vpcWithCopiedTags } from './copied-tags';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());
let tables = 0;

async function lambdaStackOnDynamo() {
  const s = scenario();
  const store = new DynamoStateStore({
    client: db.client,
    tableName: `adversary-erased-${++tables}`,
    now: () => s.account.now(),
  });
  await store.ensureTable();
  const options = { ...s.reconciler, store };
  const settle = async () => {
    for (let i = 0; i < 60; i++) {
      const result = await reconcileStack(options, STACK);
      if (result.settled) return;
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    throw new Error('not settled in 60 passes');
  };
  await store.putSpec(specInput({ mode: 'lambda' }));
  await settle();
  // A client of its own: a document client made on the store's would replace its marshalling options.
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(db.endpoint)));
  const edit = (UpdateExpression: string, values?: Record<string, unknown>) =>
    doc.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { stack: STACK },
        UpdateExpression,
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  return { s, store, settle, edit };
}

async function vpcExists(s: ReturnType<typeof scenario>, id: string): Promise<boolean> {
  const answer = await s.account.withoutFaults(() =>
    s.clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [id] }] })),
  );
  return (answer.Vpcs ?? []).length > 0;
}

describe('adversary: the ownership record erased by hand from a record with an incarnation', () => {
  it.each([
    ['bookkeeping removed', 'REMOVE bookkeeping', undefined],
    ['bookkeeping.owned removed', 'REMOVE bookkeeping.owned', undefined],
    ['bookkeeping overwritten by a string', 'SET bookkeeping = :v', { ':v': 'oops' }],
    ['bookkeeping.owned overwritten by a list', 'SET bookkeeping.owned = :v', { ':v': ['x'] }],
  ] as const)(
    '%s: a VPC carrying copied tags is neither adopted nor deleted',
    async (_name, expression, values) => {
      const { s, store, settle, edit } = await lambdaStackOnDynamo();
      expect((await store.get(STACK))!.incarnation).toBeDefined();
      const foreign = await vpcWithCopiedTags(s.clients.ec2, '10.77.0.0/16', '0123456789abcdef');
      await edit(expression, values);
      // Past the snapshot's life: the next pass observes in full (the one that would adopt).
      s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS + 60_000);
      await settle();
      s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS + 60_000);
      await settle();
      expect(await vpcExists(s, foreign)).toBe(true);
      const record = (await store.get(STACK))!;
      expect(record.bookkeeping.owned?.vpc).toBeUndefined();
      // The Lambda tier the stack made is still its own: nothing of it was given up or made twice.
      expect(s.owned().filter((item) => item.type === 'AWS::Lambda::Function')).toHaveLength(1);
    },
  );
});
