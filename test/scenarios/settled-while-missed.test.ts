/**
 * Scenario: "settled" must not be said while resources of the stack's own are still in the account. EC2's
 * listings can miss the VPC and everything in it for longer than the not-found window while the Fargate
 * tier is torn down (after the ALB is gone, nothing found holds them): the stack forgets them, keeping
 * their `{id, nonce}` pairs, and deletes them once they are found again and proven its own (safety rule 3).
 * Meanwhile the Resource Groups Tagging API, an index of its own, still lists them with the stack's tags:
 * the stack is not settled while it does, and comes back soon to read again, rather than waiting for the
 * next full observation (docs/design.md, "Settled").
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import type { PassResult } from '../../reconciler/pass/outcome';
import {
  scenario,
  specInput,
  stackIdsOfType,
  STACK,
  type Scenario,
  settledOnFargate,
  leftInTheVpc,
} from './harness';
import { hideTheVpc } from './hide-the-vpc';

/**
 * Passes for `ms` of simulated time (the clock moved as each asks); each pass that says settled is kept
 * with what of the stack's the account held in the VPC when it said so.
 */
async function passesWatchingSettled(
  s: Scenario,
  ms: number,
): Promise<{ results: PassResult[]; settledWith: string[][] }> {
  const results: PassResult[] = [];
  const settledWith: string[][] = [];
  const until = s.account.now() + ms;
  while (s.account.now() < until) {
    const result = await s.pass();
    if (result !== 'crashed') {
      results.push(result);
      if (result.settled) settledWith.push(leftInTheVpc(s));
    }
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return { results, settledWith };
}

/** Passes until the stack's ALB is gone from the account (the Fargate tier's teardown under way). */
async function passUntilTheAlbIsGone(s: Scenario): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (stackIdsOfType(s, 'AWS::ElasticLoadBalancingV2::LoadBalancer').length === 0) return;
    const result = await s.pass();
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error('the ALB was not deleted in 100 passes');
}

/**
 * A stack settled on Fargate whose teardown `start` begins (an edit to Lambda, a delete request); once its
 * ALB is gone, EC2's listings miss the VPC and all in it for three not-found windows: the passes of that
 * time, the hook that hid them (its changes only those of that time), and the VPC's id.
 */
async function vpcMissedDuringTeardown(seed: number, start: (s: Scenario) => Promise<unknown>) {
  const s = scenario({ seed });
  const hook = hideTheVpc(s);
  const vpc = await settledOnFargate(s);

  await start(s);
  await passUntilTheAlbIsGone(s);
  expect(leftInTheVpc(s)).toContain(`AWS::EC2::VPC ${vpc}`);
  hook.changes.length = 0;

  hook.hide(vpc);
  hook.hideAllInIt(true);
  const during = await passesWatchingSettled(s, 3 * CONSISTENCY_WINDOW_MS);
  expect(hook.missed()).toBeGreaterThan(2);
  return { s, hook, vpc, during };
}

describe('scenario: the VPC and all in it missed past the not-found window during a teardown', () => {
  it('Fargate → Lambda: not settled while they remain; deleted soon after they show again', async () => {
    const { s, hook, vpc, during } = await vpcMissedDuringTeardown(211, (s) =>
      s.apply(specInput({ mode: 'lambda' })),
    );
    // Forgotten, and never deleted unseen: nothing was deleted in the VPC while its reads missed it.
    expect(
      hook.changes.filter((c) => /^Delete(Vpc|Subnet|RouteTable|SecurityGroup)$/.test(c.operation)),
    ).toEqual([]);
    expect(leftInTheVpc(s)).toContain(`AWS::EC2::VPC ${vpc}`);
    // Never settled while they were in the account.
    expect(during.settledWith).toEqual([]);
    // And says why: what it forgot that the Tagging API still lists. It comes back soon to read again.
    const record = (await s.store.get(STACK))!;
    expect(record.status?.phase).toBe('Lambda');
    expect(record.status?.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      message: expect.stringMatching(new RegExp(`vpc \\(${vpc}\\).*Tagging API still lists`)),
    });
    expect(during.results.at(-1)?.requeueAfterMs).toBeLessThanOrEqual(15_000);

    // The reads come back: within two minutes (not the ~11 minutes to the next full observation) the
    // forgotten resources are found, proven the stack's by their pairs, and deleted; then it settles.
    hook.hide(undefined);
    hook.hideAllInIt(false);
    const after = await passesWatchingSettled(s, 2 * 60_000);
    expect(leftInTheVpc(s)).toEqual([]);
    for (const left of after.settledWith) expect(left).toEqual([]);
    expect(after.results.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    await s.expectPlansNothing();
  });
});

describe('scenario: the VPC and all in it missed past the not-found window while the stack is deleted', () => {
  it('the deletion is not done, nor the record deleted, while they remain; done once they are deleted', async () => {
    const { s, hook, vpc, during } = await vpcMissedDuringTeardown(223, (s) => s.store.requestDelete(STACK));
    expect(during.results.filter((p) => p.outcome === 'deleted')).toEqual([]);
    expect(during.settledWith).toEqual([]);
    // The record, with the pairs that prove them the stack's, is kept.
    const record = await s.store.get(STACK);
    expect(record?.bookkeeping.forgotten?.vpc?.map((pair) => pair.id)).toEqual([vpc]);
    expect(leftInTheVpc(s)).toContain(`AWS::EC2::VPC ${vpc}`);

    hook.hide(undefined);
    hook.hideAllInIt(false);
    const after = await s.settle(100);
    expect(after.at(-1)?.outcome).toBe('deleted');
    expect(s.owned().map((item) => `${item.type} ${item.id}`)).toEqual([]);
    expect(await s.store.get(STACK)).toBeUndefined();
  });
});
