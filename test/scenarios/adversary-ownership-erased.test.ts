/**
 * adversary: a record whose `bookkeeping` (or only its `owned` part) was erased or overwritten by hand in
 * the DynamoDB console, or restored from an export without it. A record without `owned` reads as one from
 * before ownership was recorded, whose next full observation adopts whatever its tags claim (docs/ownership.md,
 * "Stacks from before"). But every record with an incarnation was created by a version that records
 * ownership (incarnations came after it), so such a record is no stack from before: adopting there would
 * take, and delete as unwanted, a VPC someone made with the stack's tags copied (safety rule 3), or another
 * installation's stack of the same name.
 */
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { lambdaStackOnDynamo, scenario, STACK } from './harness';
import { vpcWithCopiedTags } from './copied-tags';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());
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
      const { s, store, settle, edit } = await lambdaStackOnDynamo(db, 'adversary-erased');
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
