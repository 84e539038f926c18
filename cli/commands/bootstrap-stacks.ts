/**
 * Which stacks of the table a bootstrap just cut off: bootstrap replaces the hosted zones the reconciler
 * may write in with the ones given, and a stack whose `dns` names another is refused by every pass from
 * then on (reconciler/pass/load.ts); so is a stack reserving more Lambda concurrency than the ceiling
 * (`--max-reserved-concurrency`, or its default after an upgrade from a version without it). Said at
 * once, with the bootstrap that allows it, rather than found later in the stack's status.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../reconciler/state';
import { dnsRefusal, reservedConcurrencyRefusal } from '../../reconciler/state/system-record';
import { validateSpec } from '../../spec';

export async function stacksLeftOut(
  dynamodb: DynamoDBClient,
  tableName: string,
  command: (rest: string) => string,
): Promise<string[]> {
  const store = new DynamoStateStore({ client: dynamodb, tableName });
  const system = await store.getSystemRecord();
  const lines: string[] = [];
  for (const record of await store.list()) {
    const validation = validateSpec(record.spec);
    if (!validation.ok || record.deletionRequestedAt !== undefined) continue;
    const refusals = [
      reservedConcurrencyRefusal(validation.spec.lambda.reservedConcurrency, system, command),
      dnsRefusal(validation.spec.dns, system, command),
    ];
    for (const refusal of refusals) {
      if (refusal)
        lines.push(`stack ${record.stack}: ${refusal}; its passes change nothing of it until then`);
    }
  }
  return lines;
}
