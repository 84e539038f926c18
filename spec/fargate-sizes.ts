/**
 * How a validation message words the memory Fargate allows for a cpu. The table itself is AWS's, defined
 * once in aws-facts/fargate-sizes.ts for the spec and the simulated ECS alike.
 */
import { allowedFargateMemory, fargateMemoryRanges } from '../aws-facts/fargate-sizes';

/** "one of 512, 1024, 2048" for short lists, "between 4096 and 16384 in steps of 1024" otherwise. */
export function describeFargateMemory(cpu: number): string {
  const ranges = fargateMemoryRanges(cpu);
  const values = allowedFargateMemory(cpu);
  if (ranges.length !== 1 || values.length <= 4) return `one of ${values.join(', ')}`;
  const [range] = ranges;
  return `between ${range.min} and ${range.max} in steps of ${range.step}`;
}
