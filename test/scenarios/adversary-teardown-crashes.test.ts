/**
 * Adversary scenario: a Fargate-to-Lambda teardown while EC2's listings miss the VPC and everything in it
 * past the not-found window (nothing found holds them once the ALB is gone: the stack forgets them,
 * keeping their pairs), with the pass killed after each of its calls in turn and the next pass run at once
 * (before EC2 shows what the dead pass did). Whatever the call the pass died after: nothing in the VPC is
 * deleted unseen (safety rules 3 and 6), the stack never says settled while any of it is in the account
 * (the Tagging API lists the forgotten pairs), and once the reads come back all of it is deleted and the
 * stack settles on Lambda with nothing left.
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { hideTheVpc } from './hide-the-vpc';
import { scenario, specInput, stackIdsOfType, STACK, type Scenario, leftInTheVpc } from './harness';

const next = (s: Scenario, result: Awaited<ReturnType<Scenario['pass']>>) =>
  s.account.advance(result === 'crashed' ? 0 : Math.max(5_000, result.requeueAfterMs ?? 15_000));

/** One run: the pass dies after its `calls`-th call once the VPC is hidden. What went wrong, in words. */
async function crashAfter(calls: number): Promise<{ crashed: boolean; broken: string[] }> {
  const s = scenario({ seed: 227, afterCrashMs: 0 });
  const hook = hideTheVpc(s);
  await s.apply(specInput({ mode: 'fargate' }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  await s.apply(specInput({ mode: 'lambda' }));
  for (let i = 0; i < 100 && stackIdsOfType(s, 'AWS::ElasticLoadBalancingV2::LoadBalancer').length > 0; i++) {
    next(s, await s.pass());
  }
  const vpc = (await s.store.get(STACK))!.bookkeeping.owned?.vpc?.id;
  const broken: string[] = [];
  if (!vpc) return { crashed: false, broken: ['no VPC recorded when the ALB was gone'] };
  hook.changes.length = 0;

  hook.hide(vpc);
  hook.hideAllInIt(true);
  s.account.setFaults({ crashAfterCalls: calls });
  let crashed = false;
  const until = s.account.now() + 3 * CONSISTENCY_WINDOW_MS;
  while (s.account.now() < until) {
    const result = await s.pass();
    if (result === 'crashed') crashed = true;
    else if (result.settled && leftInTheVpc(s).length > 0) broken.push(`settled with ${leftInTheVpc(s)}`);
    next(s, result);
  }
  const unseen = hook.changes.filter((c) =>
    /^Delete(Vpc|Subnet|RouteTable|SecurityGroup)$/.test(c.operation),
  );
  if (unseen.length > 0) broken.push(`deleted unseen: ${unseen.map((c) => c.operation)}`);

  hook.hide(undefined);
  hook.hideAllInIt(false);
  const last = (await s.settle(300)).at(-1);
  if (!last?.settled || last.phase !== 'Lambda') broken.push(`ended ${JSON.stringify(last?.phase)}`);
  if (leftInTheVpc(s).length > 0) broken.push(`left ${leftInTheVpc(s)}`);
  return { crashed: crashed || s.account.faults.crashAfterCalls === undefined, broken };
}

describe('adversary: a teardown with EC2 missing the VPC, a pass killed after each call, the next at once', () => {
  it('nothing deleted unseen, never settled with any of it left, all of it deleted once shown', async () => {
    const broken: string[] = [];
    let crashes = 0;
    for (let calls = 1; calls <= 30; calls++) {
      const r = await crashAfter(calls);
      if (r.crashed) crashes++;
      broken.push(...r.broken.map((b) => `crash after call ${calls}: ${b}`));
    }
    expect(crashes).toBe(30);
    expect(broken).toEqual([]);
  }, 180_000);
});
