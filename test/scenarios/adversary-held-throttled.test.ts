/**
 * Adversary scenarios: the hold's reads failing or racing a delete.
 *
 * - DescribeVpcs leaves out the stack's VPC for three not-found windows (a replica behind), and every
 *   other pass DescribeSubnets, DescribeSecurityGroups and DescribeRouteTables are throttled
 *   (RequestLimitExceeded, past the SDK's retries): a pass that could not read what holds the VPC has no
 *   read to contradict the miss, but none to confirm it either. Counting it would forget the VPC and make a
 *   second one beside the first, still holding the subnets ("Missed, while a dependent names it").
 * - The stack deleted while DescribeVpcs misses its VPC for two minutes: the delete must still end with
 *   nothing of the stack's left in the account, the VPC included (not forgotten and left behind).
 */
import { simError } from '../../aws-sim/core/errors';
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import { beforeEveryCall, READ, type HookClient } from './call-hooks';
import { scenario, specInput, STACK, type Scenario, settledOnFargate } from './harness';

/** The stack's EC2 calls: DescribeVpcs without `hidden`, the `throttled` reads refused; changes kept. */
function ec2Hooks(s: Scenario) {
  const state = { hidden: undefined as string | undefined, throttled: false, missed: 0, refused: 0 };
  const changes: string[] = [];
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ.test(operation)) changes.push(operation);
      if (
        state.throttled &&
        /^Describe(Subnets|SecurityGroups|RouteTables|InternetGateways)$/.test(operation)
      ) {
        state.refused++;
        throw simError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.', { httpStatusCode: 503 });
      }
      const answer = (await next(args)) as { output: { Vpcs?: { VpcId?: string }[] } };
      const vpcs = answer.output.Vpcs;
      if (state.hidden && operation === 'DescribeVpcs' && vpcs) {
        const shown = vpcs.filter((vpc) => vpc.VpcId !== state.hidden);
        state.missed += vpcs.length - shown.length;
        answer.output = { ...answer.output, Vpcs: shown };
      }
      return answer;
    },
    { step: 'initialize', name: 'ec2Hooks', priority: 'high' },
  );
  return { state, changes };
}

const vpcsOfStack = (s: Scenario): string[] =>
  s
    .owned()
    .filter((item) => item.type === 'AWS::EC2::VPC')
    .map((item) => item.id);

describe('adversary: the hold’s reads throttled, or racing the stack’s delete', () => {
  it('a pass that could not read the VPC’s dependents does not count its miss: no second VPC', async () => {
    const s = scenario({ seed: 94 });
    const { state, changes } = ec2Hooks(s);
    const original = await settledOnFargate(s);
    changes.length = 0;

    // An edit, so that every pass reads everything; the VPC unseen, the dependents throttled every other pass.
    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    state.hidden = original;
    const until = s.account.now() + 3 * CONSISTENCY_WINDOW_MS;
    for (let i = 0; s.account.now() < until; i++) {
      state.throttled = i % 2 === 1;
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    state.throttled = false;
    expect(state.missed).toBeGreaterThan(2);
    expect(state.refused).toBeGreaterThan(0);
    expect(changes.filter((c) => c === 'CreateVpc')).toEqual([]);
    expect(vpcsOfStack(s)).toEqual([original]);

    state.hidden = undefined;
    expect((await s.settle(300)).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(vpcsOfStack(s)).toEqual([original]);
  });

  it('the stack deleted while DescribeVpcs misses its VPC for two minutes leaves nothing behind', async () => {
    const s = scenario({ seed: 95 });
    const { state } = ec2Hooks(s);
    const original = await settledOnFargate(s);

    await s.store.requestDelete(STACK);
    state.hidden = original;
    const shownAt = s.account.now() + 2 * 60_000;
    let outcome: string | undefined;
    for (let i = 0; i < 300 && outcome !== 'deleted'; i++) {
      if (s.account.now() >= shownAt) state.hidden = undefined;
      const result = await s.pass();
      if (result !== 'crashed') outcome = result.outcome;
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(state.missed).toBeGreaterThan(0);
    expect(outcome).toBe('deleted');
    expect(s.owned().map((item) => `${item.type} ${item.id}`)).toEqual([]);
  });

  it('the stack deleted, DescribeVpcs missing its VPC once nothing holds it (its subnets deleted), leaves nothing behind', async () => {
    const s = scenario({ seed: 96 });
    const { state, changes } = ec2Hooks(s);
    const original = await settledOnFargate(s);

    await s.store.requestDelete(STACK);
    // From the stack's first DeleteSubnet, for two minutes: a replica behind, the VPC's own delete to come.
    let hiddenUntil: number | undefined;
    beforeEveryCall({ ec2: s.clients.ec2 }, 'missTheVpcOnceUnheld', (operation) => {
      if (operation === 'DeleteSubnet') hiddenUntil ??= s.account.now() + 2 * 60_000;
      state.hidden = hiddenUntil !== undefined && s.account.now() < hiddenUntil ? original : undefined;
    });
    let outcome: string | undefined;
    for (let i = 0; i < 300 && outcome !== 'deleted'; i++) {
      const result = await s.pass();
      if (result !== 'crashed') outcome = result.outcome;
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(state.missed).toBeGreaterThan(0);
    expect(outcome).toBe('deleted');
    expect(changes.filter((c) => c === 'DeleteVpc').length).toBeGreaterThan(0);
    expect(s.owned().map((item) => `${item.type} ${item.id}`)).toEqual([]);
  });
});
