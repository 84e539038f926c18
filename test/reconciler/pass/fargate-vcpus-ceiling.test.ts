/**
 * The pass's check of the Fargate tier's vCPUs (fargate.maxTasks × the vCPUs of fargate.cpu) against the
 * system record's ceiling (`bootstrap --max-fargate-vcpus`): a spec asking more is invalid to the pass,
 * whatever wrote it, and whatever its mode (a mode is one edit away).
 */
import { loadStack } from '../../../reconciler/pass/load';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { StackRecord } from '../../../reconciler/state/types';
import { testSpec } from '../engine/fake-kinds';

function record(
  fargate: { cpu: number; memoryMb: number; maxTasks: number },
  extra: Record<string, unknown> = {},
): StackRecord {
  const spec = testSpec({ mode: 'fargate' });
  return {
    stack: 'orders-api',
    spec: { ...spec, ...extra, fargate: { ...spec.fargate, ...fargate } },
    generation: 2,
    version: 5,
    events: [],
    bookkeeping: emptyBookkeeping(),
  };
}

const ceiling = (maxFargateVcpus: number, maxReservedConcurrency = 100): SystemRecord => ({
  hostedZones: [],
  zoneNames: {},
  maxReservedConcurrency,
  maxFargateVcpus,
});

const FOUR_VCPU = { cpu: 4096, memoryMb: 8192 };

describe("the pass's check of the Fargate tier's vCPUs", () => {
  it('refuses a spec asking more than the ceiling: invalid, naming the field, the value, the ceiling and the fix', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(64));
    const loaded = await loadStack(
      { get: async () => record({ ...FOUR_VCPU, maxTasks: 9 }) },
      'orders-api',
      reader,
    );
    expect(reader).toHaveBeenCalledTimes(1);
    expect(loaded).toMatchObject({
      kind: 'invalid',
      problems: [
        {
          path: 'fargate.maxTasks',
          // Rule changed: the rollout's 18 tasks are counted (it was 17 tasks, 68 vCPUs).
          message: expect.stringContaining(
            '9 tasks of fargate.cpu 4096 (4 vCPUs each) are 18 while a change rolls out (ECS starts the new tasks before it stops the old), 72 vCPUs',
          ),
        },
      ],
    });
    const message = loaded.kind === 'invalid' ? loaded.message : '';
    expect(message).toMatch(/^fargate\.maxTasks: 9 tasks /);
    expect(message).toContain('at most 64');
    expect(message).toContain('`lambdaflex bootstrap --max-fargate-vcpus 72` raises it');
    expect(message).toContain('until then nothing of the stack is created, changed or deleted');
  });

  it('refuses it in mode lambda too', async () => {
    const loaded = await loadStack(
      { get: async () => record({ ...FOUR_VCPU, maxTasks: 5 }, { mode: 'lambda' }) },
      'orders-api',
      async () => ceiling(32),
    );
    expect(loaded).toMatchObject({ kind: 'invalid', problems: [{ path: 'fargate.maxTasks' }] });
  });

  // Rule changed: "within 8 vCPUs", the rollout counted (was 4), and 8 tasks at a ceiling of 64 (was 16).
  it('takes a spec at the ceiling, and reads no record for one within 8 vCPUs, which no ceiling refuses', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(64));
    await expect(
      loadStack({ get: async () => record({ ...FOUR_VCPU, maxTasks: 8 }) }, 'orders-api', reader),
    ).resolves.toMatchObject({ kind: 'valid' });
    expect(reader).toHaveBeenCalledTimes(1);
    reader.mockClear();
    // The schema's default tier: 10 tasks of 0.25 vCPU (5 with its rollout).
    await expect(
      loadStack({ get: async () => record({ cpu: 256, memoryMb: 512, maxTasks: 10 }) }, 'orders-api', reader),
    ).resolves.toMatchObject({ kind: 'valid' });
    await expect(
      loadStack({ get: async () => record({ ...FOUR_VCPU, maxTasks: 1 }) }, 'orders-api', reader),
    ).resolves.toMatchObject({ kind: 'valid' });
    expect(reader).not.toHaveBeenCalled();
  });

  // Rule changed: the default is 64 with the rollout counted; 8 tasks of 4 vCPUs still fit, 9 do not.
  it('applies the default ceiling, 64, with no system record or one from before the ceiling', async () => {
    const none = async () => undefined;
    const old = async () => ({ hostedZones: [], zoneNames: {}, maxReservedConcurrency: 100 });
    for (const reader of [none, old]) {
      await expect(
        loadStack({ get: async () => record({ ...FOUR_VCPU, maxTasks: 8 }) }, 'orders-api', reader),
      ).resolves.toMatchObject({ kind: 'valid' });
      await expect(
        loadStack({ get: async () => record({ ...FOUR_VCPU, maxTasks: 9 }) }, 'orders-api', reader),
      ).resolves.toMatchObject({ kind: 'invalid', message: expect.stringContaining('at most 64') });
    }
  });

  it('names both ceilings when both refuse, reading the record once', async () => {
    const reader = jest.fn().mockResolvedValue(ceiling(16, 10));
    const loaded = await loadStack(
      {
        get: async () =>
          record({ ...FOUR_VCPU, maxTasks: 3 }, { lambda: { memoryMb: 512, reservedConcurrency: 11 } }),
      },
      'orders-api',
      reader,
    );
    expect(reader).toHaveBeenCalledTimes(1);
    expect(loaded.kind === 'invalid' && loaded.problems.map((p) => p.path)).toEqual([
      'lambda.reservedConcurrency',
      'fargate.maxTasks',
    ]);
  });
});
