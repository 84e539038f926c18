/**
 * `bootstrap --destroy` is refused while the table holds a stack, before anything is deleted. Its plan
 * deletes the table last, and the table refuses to go while it holds records; but by then the schedule,
 * the function, the work queue and the stacks' boundary and table policies would be gone: stacks left
 * with their tiers running (a Fargate tier costing by the hour) and no reconciler to scale them down or
 * delete them, their services' roles without the policy that lets them read their own record. A stack
 * whose deletion was requested counts too: the reconciler is what finishes it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../state';
import { isTableMissing } from '../state/errors';

/** The stacks the table holds (none when the table does not exist). */
export async function stacksLeft(dynamodb: DynamoDBClient, tableName: string): Promise<string[]> {
  try {
    return (await new DynamoStateStore({ client: dynamodb, tableName }).list()).map((r) => r.stack);
  } catch (error) {
    if (isTableMissing((error as { cause?: unknown }).cause ?? error)) return [];
    throw error;
  }
}

/**
 * Why --destroy stops before its first change, or undefined when no stack is left. `command` words a
 * command as this run was typed (`lambdaflex --local …` in a local folder), so that the advice, pasted,
 * goes to the same table.
 */
export function destroyRefusal(
  tableName: string,
  stacks: readonly string[],
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string | undefined {
  if (stacks.length === 0) return undefined;
  const shown =
    stacks.slice(0, 10).join(', ') + (stacks.length > 10 ? `, and ${stacks.length - 10} more` : '');
  const one = stacks.length === 1;
  const name = one ? stacks[0] : 'STACK';
  return (
    `table ${tableName} still holds ${one ? 'stack' : `${stacks.length} stacks`} ${shown}: ` +
    `delete ${one ? 'it' : 'them'} first (${command(`delete ${name}`)}${one ? '' : ' for each'}, then ` +
    `${command(`reconcile ${name} --until-settled`)} or let the scheduled reconciler finish), so that the ` +
    `reconciler removes ${one ? 'its' : 'their'} resources and ${one ? 'its record goes' : 'their records go'}; ` +
    'nothing was deleted'
  );
}
