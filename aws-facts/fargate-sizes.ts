/**
 * Fargate's task cpu/memory combinations (Linux), as AWS documents them ("Task CPU and memory", Amazon ECS
 * Developer Guide; RegisterTaskDefinition answers "Invalid 'cpu' setting for task" otherwise). Written
 * once: spec/ checks a spec against it (a bad pair is a spec error, not a terminal AWS error in the middle
 * of a scale-up), and aws-sim/ answers RegisterTaskDefinition with it.
 */

/** The task cpu values (CPU units, 1024 = 1 vCPU) Fargate accepts. */
export const FARGATE_CPUS = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** Memory (MiB) allowed for one cpu value: `min` to `max` in steps of `step`. */
export interface MemoryRange {
  min: number;
  max: number;
  step: number;
}

/**
 * The memory allowed for each cpu value. 256 is the one irregular row (512, 1024, 2048: no 1536), so it
 * is written as three one-value ranges.
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<(typeof FARGATE_CPUS)[number], readonly MemoryRange[]>> =
  {
    256: [
      { min: 512, max: 512, step: 512 },
      { min: 1024, max: 1024, step: 1024 },
      { min: 2048, max: 2048, step: 2048 },
    ],
    512: [{ min: 1024, max: 4096, step: 1024 }],
    1024: [{ min: 2048, max: 8192, step: 1024 }],
    2048: [{ min: 4096, max: 16384, step: 1024 }],
    4096: [{ min: 8192, max: 30720, step: 1024 }],
    8192: [{ min: 16384, max: 61440, step: 4096 }],
    16384: [{ min: 32768, max: 122880, step: 8192 }],
  };

/** The smallest and largest task memory (MiB) of any row. */
export const FARGATE_MEMORY_MIN_MB = 512;
export const FARGATE_MEMORY_MAX_MB = 122880;

/** The memory ranges allowed for `cpu`: empty for a cpu Fargate does not offer. */
export function fargateMemoryRanges(cpu: number): readonly MemoryRange[] {
  const row = FARGATE_CPUS.find((known) => known === cpu);
  return row === undefined ? [] : FARGATE_MEMORY_BY_CPU[row];
}

/** Every memory value allowed for `cpu` (empty for an unknown cpu). */
export function allowedFargateMemory(cpu: number): number[] {
  const values: number[] = [];
  for (const range of fargateMemoryRanges(cpu)) {
    for (let m = range.min; m <= range.max; m += range.step) values.push(m);
  }
  return values;
}

export function isValidFargateSize(cpu: number, memoryMb: number): boolean {
  return allowedFargateMemory(cpu).includes(memoryMb);
}
