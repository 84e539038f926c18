/**
 * The first pass makes the `$default` stage and, right after, the custom domain's mapping to it. API
 * Gateway may not show a stage made a moment ago: CreateApiMapping then answers 400 "Invalid stage
 * identifier specified" (users report the mapping failing at times right after its stage). The pass must
 * not end terminal on it: the mapping is made by a later pass, once the stage is shown.
 */
import { GetApiMappingsCommand } from '@aws-sdk/client-apigatewayv2';
import { type HookClient } from './call-hooks';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

describe('the mapping’s stage not shown yet by API Gateway', () => {
  it('is waited for: no terminal pass, and the mapping is made once the stage is shown', async () => {
    const s = scenario({ seed: 43 });
    const zone = await exampleZoneId(s);
    const answers: string[] = [];
    (s.clients.apigatewayv2 as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'CreateApiMappingCommand') return next(args);
        // The first one as a replica that has not seen the stage answers: the simulator's answer for a
        // stage the API lacks.
        const input = answers.length === 0 ? { ...args.input, Stage: 'not-shown-yet' } : args.input;
        try {
          const answer = await next({ ...args, input });
          answers.push('made');
          return answer;
        } catch (error) {
          answers.push(`${(error as Error).name}: ${(error as Error).message}`);
          throw error;
        }
      },
      { step: 'initialize', name: 'stageNotShown', priority: 'high' },
    );

    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    const passes = await s.settle();
    expect(answers).toEqual(['BadRequestException: Invalid stage identifier specified', 'made']);
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
    const ours = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    expect(
      (await s.clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }))).Items,
    ).toEqual([expect.objectContaining({ ApiId: ours, Stage: '$default', ApiMappingKey: '' })]);
  });
});
