/**
 * Adversary (security): an anonymous caller taking every stack's Lambda tier down through one stack's API.
 * API Gateway throttles the requests of all the account's APIs of a region together: 10,000 requests a
 * second with a burst of 5,000, "across HTTP APIs, REST APIs, WebSocket APIs" (API Gateway quotas,
 * account-level, per Region; 2,500 in some Regions). A stage may be held to a share of it by its own
 * throttling (`DefaultRouteSettings.ThrottlingRateLimit`/`ThrottlingBurstLimit`), and the reconciler sets
 * none on the stacks' `$default` stages. The stacks' execute-api URLs are public and answer without a
 * token (`/health`, the user's routes): whoever floods one of them past the account's rate has API Gateway
 * answer 429 to every other stack's Lambda tier in the region, the tier safety rule 4 falls back to, and
 * keeps that stack's function taking executions from the region's unreserved Lambda pool, which the
 * reconciler's own function shares (docs/security.md, "The reconciler's own function reserves nothing").
 * One stack's API should be held to its share (for instance what its function can serve: its reserved
 * concurrency, or a ceiling the operator gives, as for the reservation). Found: no throttling on the stage.
 */
import { GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { scenario, specInput, STACK } from './harness';

/** API Gateway's account-level rate in most Regions (requests per second). */
const ACCOUNT_RATE = 10_000;

describe('adversary (security): one stack’s public API and the account’s API Gateway rate', () => {
  it.skip('DEFECT: the stack’s $default stage has no throttling of its own: one stack’s callers can take the whole account’s rate', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    const apiId = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    expect(apiId).toBeDefined();
    const stage = await s.clients.apigatewayv2.send(
      new GetStageCommand({ ApiId: apiId, StageName: '$default' }),
    );
    const rate = stage.DefaultRouteSettings?.ThrottlingRateLimit;
    expect(rate).toBeDefined();
    expect(rate!).toBeLessThan(ACCOUNT_RATE);
    expect(stage.DefaultRouteSettings?.ThrottlingBurstLimit).toBeDefined();
  });
});
