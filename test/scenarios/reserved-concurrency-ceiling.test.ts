/**
 * Scenarios: the ceiling `lambdaflex bootstrap --max-reserved-concurrency` keeps in the table's system
 * record, as the reconciler applies it. A stack built reserving more than a ceiling set later (lowered,
 * or the default an upgrade brings: a record written before the ceiling existed has none) keeps its
 * reservation: its spec is invalid, nothing of it is changed (safety rule 5), and its status says which
 * field, what ceiling and which bootstrap raises it. Raised, the stack goes on from where it was.
 */
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { SYSTEM_RECORD_KEY, toSystemRecord } from '../../reconciler/state/system-record';
import { names } from '../../spec/names';
import { scenario, specInput, STACK, type Scenario } from './harness';

async function reserved(s: Scenario): Promise<number | undefined> {
  const answer = await s.clients.lambda.send(
    new GetFunctionConcurrencyCommand({ FunctionName: names(STACK).lambdaFunction }),
  );
  return answer.ReservedConcurrentExecutions;
}

/** The system record as a bootstrap before the ceiling wrote it: zones, ledger, no ceiling. */
const BEFORE_THE_CEILING = toSystemRecord({
  stack: SYSTEM_RECORD_KEY,
  hostedZones: [],
  zoneNames: {},
  owned: {},
  intents: {},
});

describe('the ceiling on one stack’s reserved concurrency', () => {
  it('an upgrade under a stack reserving 300: its reservation stays, its spec is invalid until the ceiling is raised', async () => {
    const s = scenario();
    s.store.systemRecord = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 500 };
    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 300 } }));
    await s.settle();
    expect(await reserved(s)).toBe(300);
    const built = s
      .owned()
      .map((item) => item.id)
      .sort();

    // The upgrade: the record has no ceiling, which reads as the default, 100.
    s.store.systemRecord = BEFORE_THE_CEILING;
    for (let i = 0; i < 3; i++) {
      expect(await s.pass()).toMatchObject({ outcome: 'invalid' });
      s.account.advance(60_000);
    }
    expect(await reserved(s)).toBe(300);
    expect(
      s
        .owned()
        .map((item) => item.id)
        .sort(),
    ).toEqual(built);
    const record = (await s.store.get(STACK))!;
    const specValid = record.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid?.status).toBe('False');
    expect(specValid?.message).toMatch(
      /^lambda\.reservedConcurrency: 300 is more than one stack may reserve/,
    );
    expect(specValid?.message).toContain('at most 100');
    expect(specValid?.message).toContain('`lambdaflex bootstrap --max-reserved-concurrency 300` raises it');
    // Said once, not once a pass.
    expect(record.events.filter((e) => e.reason === 'SpecInvalid')).toHaveLength(1);

    // Raised to the stack's reservation: the pass goes on, and the reservation is still 300.
    s.store.systemRecord = { ...BEFORE_THE_CEILING!, maxReservedConcurrency: 300 };
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ outcome: 'reconciled', settled: true });
    expect(await reserved(s)).toBe(300);
    const after = (await s.store.get(STACK))!.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(after?.status).toBe('True');
  });

  it('a ceiling of 0: no stack may reserve, and a stack without a reservation is built', async () => {
    const s = scenario();
    s.store.systemRecord = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 0 };
    await s.apply(specInput({ mode: 'lambda', lambda: { reservedConcurrency: 1 } }));
    expect(await s.pass()).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('at most 0'),
    });
    expect(s.owned()).toEqual([]);

    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ outcome: 'reconciled', settled: true });
    expect(await reserved(s)).toBeUndefined();
  });
});
