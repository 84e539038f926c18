/**
 * Which stacks of the table a bootstrap just cut off: bootstrap replaces the hosted zones the reconciler
 * may write in with the ones given, and a stack whose `dns` names another is refused by every pass from
 * then on (reconciler/pass/load.ts); so is a stack asking more than a ceiling (reserved Lambda
 * concurrency over `--max-reserved-concurrency`, a Fargate tier of more vCPUs than `--max-fargate-vcpus`,
 * or their defaults after an upgrade from a version without them). Said at
 * once, with the bootstrap that allows it, rather than found later in the stack's status.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../reconciler/state';
import { isTableMissing } from '../../reconciler/state/errors';
import { ceilingRefusals } from '../../reconciler/state/ceilings';
import { dnsRefusal, type SystemRecord } from '../../reconciler/state/system-record';
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
      ...ceilingRefusals(validation.spec, system, command),
      dnsRefusal(validation.spec.dns, system, command),
    ];
    for (const refusal of refusals) {
      if (refusal)
        lines.push(`stack ${record.stack}: ${refusal}; its passes change nothing of it until then`);
    }
  }
  return lines;
}

/** A store call refused because the table is not made yet (the store keeps the SDK's error as the cause). */
export function isNoTableYet(error: unknown): boolean {
  return isTableMissing(error) || isTableMissing((error as Error | undefined)?.cause);
}

/**
 * The stacks whose `dns` the bootstrap about to run would newly refuse: allowed by the table's system
 * record as it is (`kept`, or none, which restricts nothing, as in a table the sandbox or `apply` made), not
 * by the one this bootstrap would write. Read before anything is written, so that bootstrap can refuse
 * rather than leave a running stack unreconciled by surprise. None when the table does not exist yet.
 */
export async function stacksCutOffByZones(
  dynamodb: DynamoDBClient,
  tableName: string,
  kept: SystemRecord | undefined,
  next: SystemRecord,
  command: (rest: string) => string,
): Promise<string[]> {
  let records;
  try {
    records = await new DynamoStateStore({ client: dynamodb, tableName }).list();
  } catch (error) {
    if (isNoTableYet(error)) return [];
    throw error;
  }
  const lines: string[] = [];
  for (const record of records) {
    const validation = validateSpec(record.spec);
    if (!validation.ok || record.deletionRequestedAt !== undefined) continue;
    const dns = validation.spec.dns;
    if (dnsRefusal(dns, kept, command) !== undefined) continue; // already refused: not this bootstrap's doing
    const refusal = dnsRefusal(dns, next, command);
    if (refusal) lines.push(`stack ${record.stack}: ${refusal}`);
  }
  return lines;
}
