/**
 * The custom domain's root mapping pointed by hand at another API's stage: the reconciler finds it at the
 * periodic full observation (mappings are untagged: the Tagging API does not list them) and moves it back
 * with UpdateApiMapping, the same mapping id, no mapping made or deleted. Runs the mapping kind's update
 * against the simulator's UpdateApiMapping (a moved mapping, as AWS answers it).
 */
import {
  CreateApiCommand,
  CreateStageCommand,
  GetApiMappingsCommand,
  UpdateApiMappingCommand,
} from '@aws-sdk/client-apigatewayv2';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { READ, type HookClient } from './call-hooks';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

describe('the custom domain’s mapping moved by hand', () => {
  it('is moved back to the stack’s API and $default stage with UpdateApiMapping, keeping its id', async () => {
    const s = scenario({ seed: 41 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const ours = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    const [root] = (
      await s.clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }))
    ).Items!;
    expect(root).toMatchObject({ ApiId: ours, Stage: '$default', ApiMappingKey: '' });

    // By hand: another API with a stage, and the root mapping pointed at it.
    s.account.advance(3_000); // CreateApi: one call per 3 s
    const other = (
      await s.clients.apigatewayv2.send(new CreateApiCommand({ Name: 'by-hand', ProtocolType: 'HTTP' }))
    ).ApiId!;
    await s.clients.apigatewayv2.send(new CreateStageCommand({ ApiId: other, StageName: 'live' }));
    // API Gateway shows a new stage only after a while (the simulator: its consistency delay).
    s.account.advance(2_000);
    await s.clients.apigatewayv2.send(
      new UpdateApiMappingCommand({
        DomainName: EXAMPLE_RECORD,
        ApiMappingId: root!.ApiMappingId,
        ApiId: other,
        Stage: 'live',
      }),
    );

    const changes: { operation: string; input: Record<string, unknown> }[] = [];
    (s.clients.apigatewayv2 as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        if (!READ.test(operation)) changes.push({ operation, input: args.input });
        return next(args);
      },
      { step: 'initialize', name: 'watchChanges', priority: 'high' },
    );
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });

    expect(changes).toEqual([
      {
        operation: 'UpdateApiMapping',
        input: {
          ApiMappingId: root!.ApiMappingId,
          DomainName: EXAMPLE_RECORD,
          ApiId: ours,
          Stage: '$default',
        },
      },
    ]);
    expect(
      (await s.clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }))).Items,
    ).toEqual([{ ApiMappingId: root!.ApiMappingId, ApiId: ours, Stage: '$default', ApiMappingKey: '' }]);
    const after = (await s.store.get(STACK))!;
    expect(after.status?.conflicts ?? []).toEqual([]);
    expect(after.status?.resources['api-mapping']?.id).toBe(root!.ApiMappingId);
  });
});
