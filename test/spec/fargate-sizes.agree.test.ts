/**
 * Fargate's cpu/memory table is written twice on purpose: once in spec/ (what a spec may ask for) and once
 * in aws-sim/ (what the simulated ECS accepts, playing AWS). The simulator may not import our code (the
 * layer rule of docs/architecture.md): a simulator that shares our tables shares our mistakes. This test
 * is what keeps the two readings of AWS's table in step.
 */
import { isValidFargateSize } from '../../aws-sim/services/ecs/fargate-sizes';
import { allowedFargateMemory, FARGATE_CPUS } from '../../spec/fargate-sizes';

const CANDIDATE_CPUS = Array.from({ length: 16384 / 128 }, (_, i) => (i + 1) * 128);
const CANDIDATE_MEMORY = Array.from({ length: 131072 / 256 }, (_, i) => (i + 1) * 256);

describe('the Fargate size table of the spec and of the simulated ECS', () => {
  it('accept exactly the same cpu/memory pairs', () => {
    const disagreements: string[] = [];
    for (const cpu of CANDIDATE_CPUS) {
      const allowed = new Set(allowedFargateMemory(cpu));
      for (const memory of CANDIDATE_MEMORY) {
        if (allowed.has(memory) !== isValidFargateSize(cpu, memory)) disagreements.push(`${cpu}/${memory}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('is not vacuous: both accept the documented corners and refuse their neighbours', () => {
    expect(FARGATE_CPUS).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    for (const [cpu, memory] of [
      [256, 512],
      [256, 2048],
      [4096, 30720],
      [16384, 122880],
    ]) {
      expect([allowedFargateMemory(cpu).includes(memory), isValidFargateSize(cpu, memory)]).toEqual([
        true,
        true,
      ]);
    }
    for (const [cpu, memory] of [
      [256, 1536],
      [4096, 31744],
      [8192, 18432],
    ]) {
      expect([allowedFargateMemory(cpu).includes(memory), isValidFargateSize(cpu, memory)]).toEqual([
        false,
        false,
      ]);
    }
  });
});
