/**
 * `lambdaflex plan` on a record whose spec names another stack (edited by hand past the service): the pass
 * refuses such a record (pass/load.ts), and the dry run must refuse it the same way rather than plan the
 * other stack's resources from this record.
 */
import { planStack } from '../../reconciler/reconcile';
import { SpecValidationError } from '../../reconciler/state/types';
import { scenario, specInput, STACK } from './harness';

describe('plan of a record whose spec names another stack', () => {
  it('is refused naming the field and the record’s key, as the pass refuses it', async () => {
    const s = scenario({ seed: 5 });
    await s.apply(specInput());
    const before = s.account.inventory();
    s.store.importRecords(
      s.store.exportRecords().map((record) => ({ ...record, spec: { ...record.spec, stack: 'payments' } })),
    );

    const planned = planStack(s.reconciler, STACK);
    await expect(planned).rejects.toBeInstanceOf(SpecValidationError);
    await expect(planned).rejects.toMatchObject({
      errors: [{ path: 'stack', message: expect.stringContaining(`must be ${STACK}`) }],
    });
    expect(s.account.inventory()).toEqual(before);
  });
});
