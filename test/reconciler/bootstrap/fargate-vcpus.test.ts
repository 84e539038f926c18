/**
 * `bootstrap --max-fargate-vcpus N`: the value's parsing, the system record's ceiling on one stack's
 * Fargate vCPUs (fargate.maxTasks × the vCPUs of fargate.cpu) as read from a record of every shape (one
 * from before the ceiling existed reads as the default), and the refusal of a spec over it.
 */
import { parseMaxFargateVcpusOption } from '../../../reconciler/bootstrap/fargate-vcpus';
import {
  DEFAULT_MAX_FARGATE_VCPUS,
  fargateVcpus,
  fargateVcpusCeiling,
  fargateVcpusRefusal,
  SYSTEM_RECORD_KEY,
  toSystemRecord,
} from '../../../reconciler/state/system-record';

describe('--max-fargate-vcpus', () => {
  it.each([
    ['64', 64],
    ['4', 4],
    [' 40 ', 40],
    ['008', 8],
    ['16000', 16_000],
  ])('takes %j as %d', (value, ceiling) => {
    expect(parseMaxFargateVcpusOption(value)).toBe(ceiling);
  });

  it.each([
    '',
    ' ',
    '-1',
    '0',
    '3',
    '2.5',
    '1e3',
    '0x10',
    '100abc',
    'abc',
    '+5',
    '1_000',
    '99999999999999999999',
  ])('refuses %j, naming the option and the rule', (value) => {
    expect(() => parseMaxFargateVcpusOption(value)).toThrow(
      `--max-fargate-vcpus ${value}: a whole number of vCPUs, 4 or more`,
    );
  });
});

describe('fargateVcpus', () => {
  it('is maxTasks × the vCPUs of a task (cpu / 1024)', () => {
    expect(fargateVcpus({ cpu: 256, maxTasks: 10 })).toBe(2.5);
    expect(fargateVcpus({ cpu: 4096, maxTasks: 40 })).toBe(160);
    expect(fargateVcpus({ cpu: 16384, maxTasks: 1000 })).toBe(16_000);
  });
});

describe("the system record's Fargate ceiling", () => {
  const item = (extra: Record<string, unknown> = {}) => ({
    stack: SYSTEM_RECORD_KEY,
    hostedZones: [],
    zoneNames: {},
    owned: {},
    intents: {},
    ...extra,
  });

  it('reads as the default, 32, from a record written before the ceiling existed, or without a record', () => {
    expect(DEFAULT_MAX_FARGATE_VCPUS).toBe(32);
    expect(fargateVcpusCeiling(toSystemRecord(item()))).toBe(32);
    expect(fargateVcpusCeiling(toSystemRecord(item({ maxReservedConcurrency: 500 })))).toBe(32);
    expect(fargateVcpusCeiling(undefined)).toBe(32);
  });

  it('is the one stored, beside the reserved-concurrency one', () => {
    const record = toSystemRecord(item({ maxFargateVcpus: 64, maxReservedConcurrency: 200 }));
    expect(fargateVcpusCeiling(record)).toBe(64);
    expect(record?.maxReservedConcurrency).toBe(200);
  });

  it.each([['64'], [-5], [0], [3], [2.5], [null], [{ N: '64' }]])(
    'reads a hand-edited %j as the default, not as no ceiling',
    (stored) => {
      expect(fargateVcpusCeiling(toSystemRecord(item({ maxFargateVcpus: stored })))).toBe(32);
    },
  );
});

describe('fargateVcpusRefusal', () => {
  const system = { hostedZones: [], zoneNames: {}, maxFargateVcpus: 40 };

  it('allows any Fargate tier up to the ceiling', () => {
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 40 }, system)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 256, maxTasks: 160 }, system)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 256, maxTasks: 10 }, undefined)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 32 }, undefined)).toBeUndefined();
  });

  it('refuses more, naming the field, the value, the ceiling and the bootstrap that raises it', () => {
    expect(fargateVcpusRefusal({ cpu: 4096, maxTasks: 40 }, system)).toBe(
      'fargate.maxTasks: 40 tasks of fargate.cpu 4096 (4 vCPUs each) are 160 vCPUs, more than one stack ' +
        "may run of the region's Fargate vCPUs, at most 40 (the ceiling of `bootstrap --max-fargate-vcpus`, " +
        '32 by default; `lambdaflex bootstrap --max-fargate-vcpus 160` raises it)',
    );
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 33 }, undefined)).toContain('at most 32');
    // A fraction of a vCPU over: the command raises the ceiling to the next whole vCPU.
    expect(fargateVcpusRefusal({ cpu: 512, maxTasks: 81 }, system)).toContain(
      '81 tasks of fargate.cpu 512 (0.5 vCPU each) are 40.5 vCPUs',
    );
    expect(
      fargateVcpusRefusal({ cpu: 512, maxTasks: 81 }, system, (rest) => `lambdaflex --local ${rest}`),
    ).toContain('`lambdaflex --local bootstrap --max-fargate-vcpus 41` raises it');
  });
});
