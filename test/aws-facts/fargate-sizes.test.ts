/**
 * Fargate's cpu/memory table, defined once (aws-facts/) for the spec's validation and the simulated ECS,
 * checked against the corners AWS's table documents ("Task CPU and memory", Amazon ECS Developer Guide).
 */
import {
  FARGATE_CPUS,
  FARGATE_MEMORY_MAX_MB,
  FARGATE_MEMORY_MIN_MB,
  allowedFargateMemory,
  isValidFargateSize,
} from '../../aws-facts/fargate-sizes';

describe("Fargate's cpu/memory table", () => {
  it('offers the documented cpu values', () => {
    expect(FARGATE_CPUS).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
  });

  it.each([
    [256, 512],
    [256, 1024],
    [256, 2048],
    [512, 4096],
    [1024, 3072],
    [4096, 30720],
    [8192, 20480],
    [16384, 122880],
  ])('accepts %i CPU with %i MiB', (cpu, memory) => {
    expect(isValidFargateSize(cpu, memory)).toBe(true);
  });

  it.each([
    [256, 1536], // 256 is the irregular row: no 1536
    [256, 4096],
    [512, 512],
    [4096, 31744], // above 30 GB
    [8192, 18432], // 8 vCPU moves in 4 GB steps
    [16384, 126976],
    [128, 512], // no such cpu
  ])('refuses %i CPU with %i MiB', (cpu, memory) => {
    expect(isValidFargateSize(cpu, memory)).toBe(false);
  });

  it('bounds every row by the smallest and largest memory', () => {
    const all = FARGATE_CPUS.flatMap((cpu) => allowedFargateMemory(cpu));
    expect(Math.min(...all)).toBe(FARGATE_MEMORY_MIN_MB);
    expect(Math.max(...all)).toBe(FARGATE_MEMORY_MAX_MB);
  });
});
