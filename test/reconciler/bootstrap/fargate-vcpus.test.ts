/**
 * `bootstrap --max-fargate-vcpus N`: the value's parsing, the system record's ceiling on one stack's
 * Fargate vCPUs (fargate.maxTasks × the vCPUs of fargate.cpu, its rollout counted: twice as many tasks
 * under ECS's maximumPercent 200) as read from a record of every shape (one
 * from before the ceiling existed reads as the default), and the refusal of a spec over it.
 */
import { parseMaxFargateVcpusOption } from '../../../reconciler/bootstrap/fargate-vcpus';
import {
  DEFAULT_MAX_FARGATE_VCPUS,
  fargateVcpus,
  type SystemRecord,
  toSystemRecord,
} from '../../../reconciler/state/system-record';
import { systemRecordItem } from '../../support/system-record-item';
import {
  CEILINGS,
  ceilingOf,
  ceilingRefusal,
  fargateRolloutTasks,
  ROLLOUT_MAXIMUM_PERCENT,
  type CeilingSpec,
} from '../../../reconciler/state/ceilings';

const fargateVcpusCeiling = (system: SystemRecord | undefined) => ceilingOf(CEILINGS.fargateVcpus, system);

/** The refusal of a spec with this Fargate tier (and no reservation). */
const fargateVcpusRefusal = (
  fargate: CeilingSpec['fargate'],
  system: SystemRecord | undefined,
  command?: (rest: string) => string,
) => ceilingRefusal(CEILINGS.fargateVcpus, { lambda: {}, fargate }, system, command);

describe('--max-fargate-vcpus', () => {
  it.each([
    ['64', 64],
    ['8', 8],
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
    '4',
    '7',
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
      `--max-fargate-vcpus ${value}: a whole number of vCPUs, 8 or more`,
    );
  });
});

describe('fargateVcpus', () => {
  // Rule changed (the rollout is counted): each was maxTasks × cpu / 1024, half of what it is now.
  it("is the rollout's tasks (maxTasks × maximumPercent 200 / 100) × the vCPUs of a task (cpu / 1024)", () => {
    expect(ROLLOUT_MAXIMUM_PERCENT).toBe(200);
    expect(fargateVcpus({ cpu: 256, maxTasks: 10 })).toBe(5);
    expect(fargateVcpus({ cpu: 512, maxTasks: 40 })).toBe(40);
    expect(fargateVcpus({ cpu: 4096, maxTasks: 40 })).toBe(320);
    expect(fargateVcpus({ cpu: 4096, maxTasks: 1 })).toBe(8);
    expect(fargateVcpus({ cpu: 16384, maxTasks: 1000 })).toBe(32_000);
  });

  it('counts the tasks a rollout runs at once: twice maxTasks', () => {
    expect(fargateRolloutTasks(1)).toBe(2);
    expect(fargateRolloutTasks(8)).toBe(16);
    expect(fargateRolloutTasks(1000)).toBe(2000);
  });
});

describe("the system record's Fargate ceiling", () => {
  // Rule changed: the default was 32 of maxTasks alone; 64 counts the same specs with their rollout.
  it('reads as the default, 64, from a record written before the ceiling existed, or without a record', () => {
    expect(DEFAULT_MAX_FARGATE_VCPUS).toBe(64);
    expect(fargateVcpusCeiling(toSystemRecord(systemRecordItem()))).toBe(64);
    expect(fargateVcpusCeiling(toSystemRecord(systemRecordItem({ maxReservedConcurrency: 500 })))).toBe(64);
    expect(fargateVcpusCeiling(undefined)).toBe(64);
  });

  it.each([[4], [5], [7]])(
    'reads %j, which the option took before the rollout was counted, as the least, 8 (the same specs allowed)',
    (stored) => {
      expect(fargateVcpusCeiling(toSystemRecord(systemRecordItem({ maxFargateVcpus: stored })))).toBe(8);
      expect(
        fargateVcpusRefusal(
          { cpu: 4096, maxTasks: 1 },
          { hostedZones: [], zoneNames: {}, maxFargateVcpus: 8 },
        ),
      ).toBeUndefined();
      expect(
        fargateVcpusRefusal(
          { cpu: 2048, maxTasks: 3 },
          { hostedZones: [], zoneNames: {}, maxFargateVcpus: 8 },
        ),
      ).toContain('at most 8');
    },
  );

  it('is the one stored, beside the reserved-concurrency one', () => {
    const record = toSystemRecord(systemRecordItem({ maxFargateVcpus: 64, maxReservedConcurrency: 200 }));
    expect(fargateVcpusCeiling(record)).toBe(64);
    expect(record?.maxFargateVcpus).toBe(64);
    expect(record?.maxReservedConcurrency).toBe(200);
  });

  it.each([['64'], [-5], [0], [3], [2.5], [null], [{ N: '64' }]])(
    'reads a hand-edited %j as the default, not as no ceiling',
    (stored) => {
      expect(fargateVcpusCeiling(toSystemRecord(systemRecordItem({ maxFargateVcpus: stored })))).toBe(64);
    },
  );
});

describe("the Fargate vCPUs ceiling's refusal", () => {
  const system = { hostedZones: [], zoneNames: {}, maxFargateVcpus: 40 };

  // Rule changed: the tiers allowed are those of half the tasks (the rollout's doubled).
  it('allows any Fargate tier up to the ceiling, its rollout counted', () => {
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 20 }, system)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 256, maxTasks: 80 }, system)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 256, maxTasks: 10 }, undefined)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 32 }, undefined)).toBeUndefined();
    expect(fargateVcpusRefusal({ cpu: 512, maxTasks: 40 }, undefined)).toBeUndefined();
  });

  it('refuses more, naming the field, the value, the ceiling and the bootstrap that raises it', () => {
    expect(fargateVcpusRefusal({ cpu: 4096, maxTasks: 40 }, system)).toBe(
      'fargate.maxTasks: 40 tasks of fargate.cpu 4096 (4 vCPUs each) are 80 while a change rolls out ' +
        '(ECS starts the new tasks before it stops the old), 320 vCPUs, more than one stack ' +
        "may run of the region's Fargate vCPUs, at most 40 (the ceiling of `bootstrap --max-fargate-vcpus`, " +
        '64 by default; `lambdaflex bootstrap --max-fargate-vcpus 320` raises it)',
    );
    expect(fargateVcpusRefusal({ cpu: 1024, maxTasks: 33 }, undefined)).toContain('at most 64');
    // 16 tasks of 4 vCPUs, at the old default's ceiling: 32 tasks, 128 vCPUs, in a rollout.
    expect(fargateVcpusRefusal({ cpu: 4096, maxTasks: 16 }, undefined)).toContain(
      'are 32 while a change rolls out',
    );
    // A fraction of a vCPU over: the command raises the ceiling to the next whole vCPU.
    expect(fargateVcpusRefusal({ cpu: 256, maxTasks: 81 }, system)).toContain(
      '81 tasks of fargate.cpu 256 (0.25 vCPU each) are 162 while a change rolls out (ECS starts the new tasks before it stops the old), 40.5 vCPUs',
    );
    expect(
      fargateVcpusRefusal({ cpu: 256, maxTasks: 81 }, system, (rest) => `lambdaflex --local ${rest}`),
    ).toContain('`lambdaflex --local bootstrap --max-fargate-vcpus 41` raises it');
  });
});
