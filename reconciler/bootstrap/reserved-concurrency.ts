/**
 * `bootstrap --max-reserved-concurrency N`: the most one stack's spec may reserve of the region's Lambda
 * concurrency (`lambda.reservedConcurrency`). Lambda's concurrency is one pool per account and region,
 * and a reservation takes from every other function's share, the reconciler's own included: without a
 * ceiling, whoever may write one stack's spec could leave the rest of the region the 100 executions AWS
 * keeps unreserved. Kept in the system record like the hosted zones; a bootstrap without the option keeps
 * the ceiling the last one gave (DEFAULT_MAX_RESERVED_CONCURRENCY when none ever did). One of the system
 * record's ceilings (state/ceilings.ts).
 */
import { CEILINGS } from '../state/ceilings';
import { parseCeilingOption } from './ceiling-options';

/** `250` → 250; anything but a whole number from 0 up is refused, naming the option and the rule. */
export function parseMaxReservedConcurrencyOption(value: string): number {
  return parseCeilingOption(CEILINGS.reservedConcurrency, value);
}
