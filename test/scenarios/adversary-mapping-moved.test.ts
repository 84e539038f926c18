/**
 * Adversary scenarios: the custom domain's root mapping pointed by hand at another API's stage, moved
 * back by the mapping kind's update (UpdateApiMapping, same id), when the update's answer is lost (the
 * pass killed right after it took effect, the next at once; a 5xx after it took effect, which the SDK
 * retries), or when the stack's API is deleted by hand once nothing maps it (DeleteApi is refused while a
 * mapping does) so that the mapping is moved to a new API. Each ends with one root mapping, the one the
 * domain had, at the stack's API and `$default`, nothing reported as in the way, one API of the stack.
 */
import {
  CreateApiCommand,
  CreateStageCommand,
  DeleteApiCommand,
  GetApiMappingsCommand,
  UpdateApiMappingCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { FaultConfig } from '../../aws-sim';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

const API_TYPE = 'AWS::ApiGatewayV2::Api';

const CASES: { name: string; faults: FaultConfig; deleteOurApi: boolean }[] = [
  {
    name: 'the pass killed right after UpdateApiMapping',
    faults: { crashAfterOperation: 'UpdateApiMapping' },
    deleteOurApi: false,
  },
  {
    name: 'a 5xx after UpdateApiMapping took effect',
    faults: { error5xxAfterOperation: 'UpdateApiMapping' },
    deleteOurApi: false,
  },
  { name: 'the stack’s API deleted by hand once unmapped', faults: {}, deleteOurApi: true },
];

describe('adversary: the custom domain’s mapping moved by hand', () => {
  it.each(CASES)('$name: moved back to the stack’s API, keeping its id', async ({ faults, deleteOurApi }) => {
    const s = scenario({ seed: 43, afterCrashMs: 0 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const api = s.clients.apigatewayv2;
    const mappings = async () =>
      (await api.send(new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }))).Items;
    const [root] = (await mappings())!;
    const before = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;

    s.account.advance(3_000); // CreateApi: one call per 3 s
    const other = (await api.send(new CreateApiCommand({ Name: 'by-hand', ProtocolType: 'HTTP' }))).ApiId!;
    await api.send(new CreateStageCommand({ ApiId: other, StageName: 'live' }));
    // API Gateway shows a new stage only after a while (the simulator: its consistency delay).
    s.account.advance(2_000);
    await api.send(
      new UpdateApiMappingCommand({
        DomainName: EXAMPLE_RECORD,
        ApiMappingId: root!.ApiMappingId,
        ApiId: other,
        Stage: 'live',
      }),
    );
    if (deleteOurApi) await api.send(new DeleteApiCommand({ ApiId: before }));

    s.account.setFaults(faults);
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    // The fault was met (spent), not left waiting.
    expect(s.account.faults).toEqual({});

    const ours = (await s.store.get(STACK))!.bookkeeping.owned?.['http-api']?.id;
    if (deleteOurApi) expect(ours).not.toBe(before);
    else expect(ours).toBe(before);
    expect(
      s
        .owned()
        .filter((i) => i.type === API_TYPE)
        .map((i) => i.id),
    ).toEqual([ours]);
    expect(await mappings()).toEqual([
      { ApiMappingId: root!.ApiMappingId, ApiId: ours, Stage: '$default', ApiMappingKey: '' },
    ]);
    const record = (await s.store.get(STACK))!;
    expect(record.status?.conflicts ?? []).toEqual([]);
    expect(record.status?.conditions.find((c) => c.type === 'Errors')).toBeUndefined();
  });
});
