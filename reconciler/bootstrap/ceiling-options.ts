/**
 * bootstrap's ceiling options (`--max-reserved-concurrency N`, `--max-fargate-vcpus N`; state/ceilings.ts):
 * a value is parsed before anything is read or written, and a bad one is refused naming the option and
 * the rule.
 */
import type { Ceiling } from '../state/ceilings';

const WHOLE_NUMBER = /^\d+$/;

/** `250` → 250; anything but a whole number from the ceiling's least up is refused. */
export function parseCeilingOption(ceiling: Ceiling, value: string): number {
  const text = value.trim();
  const parsed = WHOLE_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < ceiling.least) {
    throw new Error(`${ceiling.option} ${value}: ${ceiling.optionRule}`);
  }
  return parsed;
}
