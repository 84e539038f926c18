/**
 * The pass's check of `lambda.reservedConcurrency` against the system record's ceiling
 * (`bootstrap --max-reserved-concurrency`): a spec asking more is invalid to the pass, whatever wrote it.
 */
import { loadStack } from '../../../reconciler/pass/load';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { StackRecord } from '../../../reconciler/state/types';
import { testSpec } from '../engine/fake-kinds';

function record(reservedConcurrency: number | undefined, extra: Record<string, unknown> = {}): StackRecord {
  const spec = testSpec({ mode: 'lambda' });
  return {
    stack: 'orders-api',
    spec: {
      ...spec,
      ...extra,
      lambda: {
        memoryMb: 512,
        ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
      },
    },
    generation: 2,
    version: 5,
    events: [],
    bookkeeping: emptyBookkeeping(),
  };
}

const ceiling = (maxReservedConcurrency: number): SystemRecord => ({
  hostedZones: [],
  zoneNames: {},
  maxReservedConcurrency,
});

describe("the pass's check of lambda.reservedConcurrency", () => {
  it('refuses a spec reserving more than the ceiling: invalid, naming the field, the ceiling and the fix', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(200));
    const loaded = await loadStack({ get: async () => record(201) }, 'orders-api', reader);
    expect(reader).toHaveBeenCalledTimes(1);
    expect(loaded).toMatchObject({
      kind: 'invalid',
      problems: [
        {
          path: 'lambda.reservedConcurrency',
          message: expect.stringContaining('201 is more than one stack may reserve'),
        },
      ],
    });
    const message = loaded.kind === 'invalid' ? loaded.message : '';
    expect(message).toMatch(/^lambda\.reservedConcurrency: 201 /);
    expect(message).toContain('at most 200');
    expect(message).toContain('`lambdaflex bootstrap --max-reserved-concurrency 201` raises it');
    expect(message).toContain('until then nothing of the stack is created, changed or deleted');
  });

  it('takes a spec at the ceiling or without a reservation, and reads no record for the latter', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(200));
    await expect(loadStack({ get: async () => record(200) }, 'orders-api', reader)).resolves.toMatchObject({
      kind: 'valid',
    });
    reader.mockClear();
    await expect(
      loadStack({ get: async () => record(undefined) }, 'orders-api', reader),
    ).resolves.toMatchObject({ kind: 'valid' });
    expect(reader).not.toHaveBeenCalled();
  });

  it('applies the default ceiling, 100, with no system record or one from before the ceiling', async () => {
    const none = async () => undefined;
    const old = async () => ({ hostedZones: [], zoneNames: {} });
    for (const reader of [none, old]) {
      await expect(loadStack({ get: async () => record(100) }, 'orders-api', reader)).resolves.toMatchObject({
        kind: 'valid',
      });
      await expect(loadStack({ get: async () => record(101) }, 'orders-api', reader)).resolves.toMatchObject({
        kind: 'invalid',
        message: expect.stringContaining('at most 100'),
      });
    }
  });

  it('names both problems when the dns is refused too, reading the record once', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(10));
    const dns = {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'api.example.com',
      ttlSeconds: 60,
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    };
    const loaded = await loadStack({ get: async () => record(11, { dns }) }, 'orders-api', reader);
    expect(reader).toHaveBeenCalledTimes(1);
    expect(loaded.kind === 'invalid' && loaded.problems.map((p) => p.path)).toEqual([
      'lambda.reservedConcurrency',
      'dns.hostedZoneId',
    ]);
  });
});
