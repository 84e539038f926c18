/**
 * The first pass makes the `$default` stage and, right after, the custom domain's mapping to it. API
 * Gateway may not show a stage made a moment ago: CreateApiMapping then answers 400 "Invalid stage
 * identifier specified" (users report the mapping failing at times right after its stage; the simulator
 * hides a new stage for its consistency delay, docs/aws-facts.md). The pass must not end terminal on it,
 * nor make the stage again: the mapping is made by a later pass, once the stage is shown.
 */
import { GetApiMappingsCommand } from '@aws-sdk/client-apigatewayv2';
import { answersTo } from './call-hooks';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

describe('the mapping’s stage not shown yet by API Gateway', () => {
  it('is waited for: no terminal pass, one stage, and the mapping is made once the stage is shown', async () => {
    const s = scenario({ seed: 43 });
    const zone = await exampleZoneId(s);
    const mappings = answersTo(s.clients.apigatewayv2, 'CreateApiMappingCommand');
    const stages = answersTo(s.clients.apigatewayv2, 'CreateStageCommand');

    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    const passes = await s.settle();
    // The simulator on its own: the first mapping meets the stage just made, not shown yet.
    expect(mappings[0]).toBe('BadRequestException: Invalid stage identifier specified');
    expect(mappings.at(-1)).toBe('ok');
    expect(mappings.filter((answer) => answer === 'ok')).toHaveLength(1);
    // A stage not shown is not a stage gone: none is made a second time.
    expect(stages).toEqual(['ok']);
    expect(passes.filter((p) => p.outcome === 'terminal')).toEqual([]);
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    expect((await s.store.get(STACK))!.bookkeeping.terminal).toBeUndefined();
    const ours = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    expect(
      (await s.clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }))).Items,
    ).toEqual([expect.objectContaining({ ApiId: ours, Stage: '$default', ApiMappingKey: '' })]);
  });
});
