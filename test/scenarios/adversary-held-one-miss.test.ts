/**
 * Adversary scenario: "missed by the next pass with nothing naming it, that is one miss, not two"
 * (docs/ownership.md, "Missed, while a dependent names it"). One pass misses the stack's VPC while its
 * subnets name it (held); the next misses the VPC and everything in it (a replica behind for all of
 * EC2's listings). The second pass's miss is the first that counts: the VPC is unknown for it, not
 * forgotten, and no second VPC is made; shown again, the stack settles on the one it has.
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { hideTheVpc } from './hide-the-vpc';
import { scenario, specInput, STACK, settledOnFargate } from './harness';

describe('adversary: a held VPC, then missed with all in it by the next pass', () => {
  // Was a defect: the held pass's own wait step (engine/apply.ts, `wait` on a key in `unknown`)
  // looked the VPC up again and the ledger judged that look-up a miss (missedAt recorded, no review after
  // it), so the held pass counted as the first miss: the next pass forgot the VPC and made a second one
  // (the ledger now keeps what the pass held: engine/ownership.ts heldNow).
  it('counts the second pass’s miss as the first: no second VPC', async () => {
    const s = scenario({ seed: 97 });
    const { hide, hideAllInIt, changes } = hideTheVpc(s);
    const original = await settledOnFargate(s);
    changes.length = 0;

    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    hide(original);
    const held = await s.pass();
    expect(held !== 'crashed' && held.plan!.steps.find((step) => step.key === 'vpc')?.waitsFor).toContain(
      `${original} was not found, but`,
    );
    s.account.advance(15_000);
    hideAllInIt(true);
    await s.pass();
    expect(changes.filter((c) => c.operation === 'CreateVpc')).toEqual([]);
    expect((await s.store.get(STACK))!.bookkeeping.owned?.vpc?.id).toBe(original);

    hide(undefined);
    hideAllInIt(false);
    s.account.advance(CONSISTENCY_WINDOW_MS / 5);
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(changes.filter((c) => c.operation === 'CreateVpc')).toEqual([]);
  });
});
