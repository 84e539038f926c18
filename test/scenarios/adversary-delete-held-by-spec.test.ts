/**
 * Adversary: the stack's own code holding off its deletion. `lambdaflex delete` marks the record; from then
 * on a spec write is refused (`apply`, `PUT /desired-state`: deletion is final). But that refusal is the
 * state store's condition on the write, which IAM cannot impose: the stack roles may UpdateItem the spec's
 * attributes of their own item with any condition or none (docs/security.md), and the user's code runs
 * with them. So while its deletion waits for the next pass, the stack's code writes a spec the reconciler
 * will not act on (safety rule 5: an invalid spec changes nothing), and the deletion stops there, with
 * the function, its role, and the code itself still running.
 */
import { reconcileStack } from '../../reconciler/reconcile';
import { StackDeletingError } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { lambdaStackOnDynamo, specInput, STACK } from './harness';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe('adversary: the stack role writes an invalid spec once its deletion is asked for', () => {
  // DEFECT: the pass finds the spec invalid and deletes nothing, for good: `lambdaflex delete` asked
  // again changes nothing (the mark is there), and `lambdaflex apply` of a valid spec is refused because
  // the deletion is pending (StackDeletingError, 409 from the service). Only an edit of the item by hand
  // in the DynamoDB console gets the stack deleted, while its function, role and code keep running. The
  // role was the one to write it (UpdateItem of `spec`, which its grant allows; the condition that would
  // refuse it is the store's, not IAM's). What should happen: a stack whose deletion was asked for is
  // deleted from what it was when asked, whatever its spec says since (deletion needs the stack's name,
  // its remembered DNS names and its bookkeeping, not the spec's wishes): e.g. the pass that finds the
  // mark keeps the last valid spec in the bookkeeping and deletes by it when the spec turns invalid or
  // changes after the mark. Larger than a few lines (the pass's load, the bookkeeping, the docs).
  it('DEFECT: the deletion stops at the invalid spec, and apply can no longer fix it', async () => {
    const { s, store, options, edit } = await lambdaStackOnDynamo(db, 'adversary-delete-held');
    expect(s.owned().length).toBeGreaterThan(0);
    await store.requestDelete(STACK);
    // The stack's code, with its role: `spec` is an attribute its grant lets it write.
    await edit(
      'SET #spec.#fargate = :bad',
      { ':bad': { minTasks: -1 } },
      { '#spec': 'spec', '#fargate': 'fargate' },
    );
    // The operator's way out is closed: the deletion is pending.
    await expect(store.putSpec(specInput({ mode: 'lambda' }))).rejects.toBeInstanceOf(StackDeletingError);
    for (let i = 0; i < 20 && (await store.get(STACK)); i++) {
      await reconcileStack(options, STACK);
      s.account.advance(30_000);
    }
    expect(await store.get(STACK)).toBeUndefined();
    expect(s.owned()).toEqual([]);
  });
});
