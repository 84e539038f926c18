/**
 * Adversary scenario: the pass that finishes a stack's deletion stalls (a Lambda frozen, a long GC pause)
 * between its last status write and the record's delete. Meanwhile the stack's record goes (another
 * pass, once the lease ran out, finished the deletion) and the stack is created again: a new record,
 * starting again at version 1, which the new stack's passes raise by one each. When the stalled pass
 * wakes, its delete is conditional on the version it wrote; should the new record be at that very
 * version, a condition on the version alone names the new record, and the new stack's desired state is
 * deleted under its owner's feet. The record's incarnation (written once, when the record is created)
 * tells the two apart: the delete must be conditional on it as well.
 */
import type { StackRecord } from '../../reconciler/state/types';
import { scenario, specInput, STACK } from './harness';

/** A status as a pass of the new stack writes it: what raises the record's version. */
const newStackStatus = (record: StackRecord) => ({
  observedGeneration: record.generation,
  phase: 'Pending' as const,
  conditions: [],
  resources: {},
});

describe('adversary: the stack deleted and created again while the pass deleting its record stalls', () => {
  it('the stalled delete never removes the record made again at the version it expected', async () => {
    const s = scenario({ seed: 91 });
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const old = (await s.store.get(STACK))!;
    await s.store.requestDelete(STACK);

    const deleteRecord = s.store.deleteRecord.bind(s.store);
    let remade: StackRecord | undefined;
    s.store.deleteRecord = async (stack, options) => {
      if (remade === undefined) {
        const expectedVersion = options?.expectedVersion ?? 0;
        // While the pass stalls: the record deleted by another pass, the stack created again, and its
        // passes' status writes bring the new record to the version the stalled pass expects.
        await deleteRecord(stack);
        await s.store.putSpec(specInput({ mode: 'fargate' }));
        for (let r = (await s.store.get(stack))!; r.version < expectedVersion;) {
          r = await s.store.writeStatus(stack, newStackStatus);
        }
        remade = (await s.store.get(stack))!;
        expect(remade.version).toBe(expectedVersion);
      }
      return deleteRecord(stack, options);
    };

    for (let i = 0; i < 100 && remade === undefined; i++) {
      // The stalled pass's own delete may fail (its record is gone): what matters is what it deleted.
      const result = await s.pass().catch((error: unknown) => error);
      if (remade === undefined && result instanceof Error) throw result;
      s.account.advance(15_000);
    }
    expect(remade).toBeDefined();
    expect(remade!.incarnation).not.toBe(old.incarnation);

    // The stack made again is there, as its owner wrote it.
    const after = await s.store.get(STACK);
    expect(after).toMatchObject({
      incarnation: remade!.incarnation,
      generation: 1,
      spec: { mode: 'fargate' },
    });
    expect(after?.deletionRequestedAt).toBeUndefined();
  });
});
