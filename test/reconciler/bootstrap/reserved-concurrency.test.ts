/**
 * `bootstrap --max-reserved-concurrency N`: the value's parsing, and the system record's ceiling as read
 * from a record of every shape (one from before the ceiling existed reads as the default).
 */
import { parseMaxReservedConcurrencyOption } from '../../../reconciler/bootstrap/reserved-concurrency';
import { CEILINGS, ceilingOf, ceilingRefusal } from '../../../reconciler/state/ceilings';
import {
  DEFAULT_MAX_RESERVED_CONCURRENCY,
  type SystemRecord,
  toSystemRecord,
} from '../../../reconciler/state/system-record';
import { systemRecordItem } from '../../support/system-record-item';

const reservedConcurrencyCeiling = (system: SystemRecord | undefined) =>
  ceilingOf(CEILINGS.reservedConcurrency, system);

/** The refusal of a spec reserving `reservedConcurrency`, its Fargate tier the schema's default. */
const reservedConcurrencyRefusal = (
  reservedConcurrency: number | undefined,
  system: SystemRecord | undefined,
  command?: (rest: string) => string,
) =>
  ceilingRefusal(
    CEILINGS.reservedConcurrency,
    { lambda: { reservedConcurrency }, fargate: { cpu: 256, maxTasks: 10 } },
    system,
    command,
  );

describe('--max-reserved-concurrency', () => {
  it.each([
    ['250', 250],
    ['0', 0],
    [' 40 ', 40],
    ['007', 7],
    ['10000', 10_000],
  ])('takes %j as %d', (value, ceiling) => {
    expect(parseMaxReservedConcurrencyOption(value)).toBe(ceiling);
  });

  it.each(['', ' ', '-1', '1.5', '1e3', '0x10', '100abc', 'abc', '+5', '1_000', '99999999999999999999'])(
    'refuses %j, naming the option and the rule',
    (value) => {
      expect(() => parseMaxReservedConcurrencyOption(value)).toThrow(
        `--max-reserved-concurrency ${value}: a whole number of concurrent executions, 0 or more (0: no stack may reserve any)`,
      );
    },
  );
});

describe("the system record's ceiling", () => {
  it('reads as the default from a record written before the ceiling existed', () => {
    const old = toSystemRecord(systemRecordItem());
    expect(old).toEqual({ hostedZones: [], zoneNames: {} });
    expect(DEFAULT_MAX_RESERVED_CONCURRENCY).toBe(100);
    expect(reservedConcurrencyCeiling(old)).toBe(100);
  });

  it('is the one stored, 0 included', () => {
    expect(
      reservedConcurrencyCeiling(toSystemRecord(systemRecordItem({ maxReservedConcurrency: 250 }))),
    ).toBe(250);
    expect(reservedConcurrencyCeiling(toSystemRecord(systemRecordItem({ maxReservedConcurrency: 0 })))).toBe(
      0,
    );
  });

  it.each([['250'], [-5], [2.5], [null], [{ N: '250' }]])(
    'reads a hand-edited %j as the default, not as no ceiling',
    (stored) => {
      expect(
        reservedConcurrencyCeiling(toSystemRecord(systemRecordItem({ maxReservedConcurrency: stored }))),
      ).toBe(100);
    },
  );

  it('is the default without a system record (a table bootstrap never saw)', () => {
    expect(reservedConcurrencyCeiling(undefined)).toBe(100);
  });
});

describe("the reserved-concurrency ceiling's refusal", () => {
  const system = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 200 };

  it('allows no reservation, and any up to the ceiling', () => {
    expect(reservedConcurrencyRefusal(undefined, system)).toBeUndefined();
    expect(reservedConcurrencyRefusal(1, system)).toBeUndefined();
    expect(reservedConcurrencyRefusal(200, system)).toBeUndefined();
    expect(reservedConcurrencyRefusal(undefined, { ...system, maxReservedConcurrency: 0 })).toBeUndefined();
  });

  it('refuses more, naming the field, the ceiling and the bootstrap that raises it', () => {
    expect(reservedConcurrencyRefusal(201, system)).toBe(
      "lambda.reservedConcurrency: 201 is more than one stack may reserve of the region's Lambda concurrency, " +
        'at most 200 (the ceiling of `bootstrap --max-reserved-concurrency`, 100 by default; ' +
        '`lambdaflex bootstrap --max-reserved-concurrency 201` raises it)',
    );
    expect(reservedConcurrencyRefusal(1, { ...system, maxReservedConcurrency: 0 })).toContain('at most 0');
    expect(reservedConcurrencyRefusal(101, undefined)).toContain('at most 100');
    expect(reservedConcurrencyRefusal(300, system, (rest) => `lambdaflex --local ${rest}`)).toContain(
      '`lambdaflex --local bootstrap --max-reserved-concurrency 300` raises it',
    );
  });
});
