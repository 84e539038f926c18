/**
 * Adversary scenario: one stack's spec taking the account's Lambda concurrency. `lambda.reservedConcurrency`
 * has no upper bound in the schema, and whoever holds a stack's API token (or runs code with its role) may
 * write any valid spec (`PUT /desired-state`, docs/security.md). Lambda's concurrency is one pool per
 * account and region (1,000 by default, docs/aws-facts.md): a reservation of 900 leaves the 100 AWS keeps
 * unreserved to every other function of the region, the reconciler's own (bootstrap reserves it none) and
 * every other stack's Lambda tier among them. Under load those 100 are taken, and the reconciler is
 * throttled: no pass, so no rollback from unhealthy Fargate targets (safety rule 1) for any stack, and
 * the other stacks' Lambda tiers, the fallback of safety rule 4, are throttled too. One stack's token
 * holder can so stop every stack of the region.
 */
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { names } from '../../spec/names';
import { scenario, specInput, STACK } from './harness';

describe('adversary: one stack’s spec reserving most of the account’s Lambda concurrency', () => {
  // DEFECT: the spec is taken (the store's validation, the service's PUT and the reconciler's all accept
  // 900), and the pass reserves 900 of the account's 1,000 concurrent executions for this one function,
  // leaving 100 to the reconciler and every other stack's function. It should be refused like a dns the
  // system record does not allow: a ceiling the operator gives `lambdaflex bootstrap` (kept in the system
  // record, as the hosted zones are) bounds what one stack's spec may reserve, and a spec asking more is
  // invalid to the pass (SpecValid=False naming lambda.reservedConcurrency and the ceiling), nothing
  // reserved; bootstrap could also reserve the reconciler's own function a share, so that no stack's
  // reservation can throttle it. Larger than a few lines (a bootstrap option, the system record, the
  // pass's check, docs): left for the coordinator.
  it.skip('DEFECT: a token holder’s spec reserves 900 of 1,000 executions; the reconciler and the other stacks share 100', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 900 } }));
    await s.settle();
    const answer = await s.clients.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: names(STACK).lambdaFunction }),
    );
    expect(answer.ReservedConcurrentExecutions).not.toBe(900);
    const specValid = (await s.store.get(STACK))?.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid).toMatchObject({
      status: 'False',
      message: expect.stringContaining('lambda.reservedConcurrency'),
    });
  });
});
