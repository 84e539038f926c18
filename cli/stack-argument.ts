/**
 * The STACK argument of get, status, events, plan, delete and reconcile: a stack name by the spec's own
 * rule, checked as commander parses it, before the table is opened. Anything else is no stack's key: the
 * table's system record (`#lambdaflex-system`) would be read as a stack, or written to as one.
 */
import { InvalidArgumentError } from 'commander';
import { desiredStateSchema } from '../spec/schema';

const RULE = desiredStateSchema.properties.stack;
const PATTERN = new RegExp(RULE.pattern);

export const STACK_NAME_RULE = `a stack name is ${RULE.minLength}–${RULE.maxLength} characters: ${RULE['x-patternDescription']}`;

/** Whether `value` is a stack name by the spec's rule. */
export function isStackName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= RULE.minLength &&
    value.length <= RULE.maxLength &&
    PATTERN.test(value)
  );
}

/** commander's argument parser: the name as given, or an InvalidArgumentError saying the rule. */
export function stackArgument(value: string): string {
  if (!isStackName(value)) throw new InvalidArgumentError(STACK_NAME_RULE);
  return value;
}
