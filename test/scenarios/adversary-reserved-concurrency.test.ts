/**
 * Adversary scenario: one stack's spec taking the account's Lambda concurrency. Whoever holds a stack's API
 * token (or runs code with its role) may write any schema-valid spec (`PUT /desired-state`,
 * docs/security.md), and `lambda.reservedConcurrency` has no upper bound in the schema. Lambda's
 * concurrency is one pool per account and region (1,000 by default, docs/aws-facts.md): a reservation of
 * 900 would leave the 100 AWS keeps unreserved to every other function of the region, the reconciler's own
 * and every other stack's Lambda tier among them. Under load those 100 are taken, and the reconciler is
 * throttled: no pass, so no rollback from unhealthy Fargate targets (safety rule 1) for any stack, and the
 * other stacks' Lambda tiers, the fallback of safety rule 4, are throttled too.
 *
 * The ceiling the operator gives `lambdaflex bootstrap --max-reserved-concurrency` (kept in the table's
 * system record, 100 when none was given) bounds what one stack's spec may reserve: a spec asking more is
 * invalid to the pass (safety rule 5), whatever wrote it.
 */
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { names } from '../../spec/names';
import { scenario, specInput, STACK, type Scenario } from './harness';

async function reserved(s: Scenario): Promise<number | undefined> {
  const answer = await s.clients.lambda.send(
    new GetFunctionConcurrencyCommand({ FunctionName: names(STACK).lambdaFunction }),
  );
  return answer.ReservedConcurrentExecutions;
}

async function specValid(s: Scenario) {
  return (await s.store.get(STACK))?.status?.conditions.find((c) => c.type === 'SpecValid');
}

describe('adversary: one stack’s spec reserving most of the account’s Lambda concurrency', () => {
  it('a token holder’s spec asking 900 of 1,000 executions is invalid to the pass, and nothing is reserved', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 900 } }));
    await s.settle();
    // Nothing built, so nothing reserved: every function of the account shares the whole pool.
    expect(s.owned()).toEqual([]);
    expect(await specValid(s)).toMatchObject({
      status: 'False',
      message: expect.stringContaining('lambda.reservedConcurrency: 900 is more than one stack may reserve'),
    });
    expect((await specValid(s))?.message).toContain('at most 100');
  });

  it('a live stack’s spec raised past the ceiling keeps the reservation it had, and says why', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 50 } }));
    await s.settle();
    expect(await reserved(s)).toBe(50);

    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 900 } }));
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ outcome: 'invalid' });
    expect(await reserved(s)).toBe(50);
    expect(await specValid(s)).toMatchObject({
      status: 'False',
      message: expect.stringContaining('lambda.reservedConcurrency: 900'),
    });
  });
});
