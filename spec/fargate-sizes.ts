/**
 * Fargate's allowed task cpu/memory combinations (Linux), from the ECS RegisterTaskDefinition reference
 * ("Invalid 'cpu' setting for task" otherwise). Checked here so that a bad pair is a spec error, not a
 * terminal AWS error in the middle of a scale-up.
 */

/**
 * Memory (MiB) allowed for one cpu value: `min` to `max` in steps of `step`. 256 is the one irregular
 * row (512, 1024, 2048: no 1536), so it is written as three one-value ranges.
 */
export interface MemoryRange {
  min: number;
  max: number;
  step: number;
}

export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly MemoryRange[]>> = {
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

export const FARGATE_CPUS: readonly number[] = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** Every memory value allowed for `cpu` (empty for an unknown cpu). */
export function allowedFargateMemory(cpu: number): number[] {
  const values: number[] = [];
  for (const range of FARGATE_MEMORY_BY_CPU[cpu] ?? []) {
    for (let m = range.min; m <= range.max; m += range.step) values.push(m);
  }
  return values;
}

export function isValidFargateSize(cpu: number, memoryMb: number): boolean {
  return allowedFargateMemory(cpu).includes(memoryMb);
}

/** "one of 512, 1024, 2048" for short lists, "between 4096 and 16384 in steps of 1024" otherwise. */
export function describeFargateMemory(cpu: number): string {
  const ranges = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
  const values = allowedFargateMemory(cpu);
  if (ranges.length !== 1 || values.length <= 4) return `one of ${values.join(', ')}`;
  const [range] = ranges;
  return `between ${range.min} and ${range.max} in steps of ${range.step}`;
}
