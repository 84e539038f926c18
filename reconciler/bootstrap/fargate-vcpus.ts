/**
 * `bootstrap --max-fargate-vcpus N`: the most vCPUs one stack's Fargate tier may run at its largest,
 * `fargate.maxTasks` tasks of `fargate.cpu` (1024 units a vCPU), and twice as many while a change rolls
 * out (state/ceilings.ts fargateVcpus). Fargate's On-Demand vCPU quota is one per
 * account and region, shared by every stack's tasks: without a ceiling, whoever may write one stack's spec
 * could ask for tasks that take the whole quota (and the cost that goes with it), and the other stacks'
 * tasks could not be placed. Kept in the system record like the hosted zones; a bootstrap without the
 * option keeps the ceiling the last one gave (DEFAULT_MAX_FARGATE_VCPUS when none ever did). One of the
 * system record's ceilings (state/ceilings.ts).
 */
import { CEILINGS } from '../state/ceilings';
import { parseCeilingOption } from './ceiling-options';

/** `64` → 64; anything but a whole number from 8 up is refused, naming the option and the rule. */
export function parseMaxFargateVcpusOption(value: string): number {
  return parseCeilingOption(CEILINGS.fargateVcpus, value);
}
