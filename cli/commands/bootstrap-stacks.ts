/**
 * Which stacks of the table a bootstrap just cut off: bootstrap replaces the hosted zones the reconciler
 * may write in with the ones given, and a stack holding a DNS name in another is refused by every pass
 * from then on (reconciler/pass/load.ts): the `dns` of the spec its pass acts on (for a stack being
 * deleted, the spec it was last reconciled with) and every name it remembers writing records at that
 * this spec no longer wants (`heldDnsNames`, the names its pass checks). So is a stack asking more than
 * a ceiling (reserved Lambda concurrency over `--max-reserved-concurrency`, a Fargate tier of more vCPUs
 * than `--max-fargate-vcpus`, or their defaults after an upgrade from a version without them). Said at
 * once, with the bootstrap that allows it, rather than found later in the stack's status.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../reconciler/state';
import { isTableMissing } from '../../reconciler/state/errors';
import { ceilingRefusals } from '../../reconciler/state/ceilings';
import type { SystemRecord } from '../../reconciler/state/system-record';
import type { StackRecord } from '../../reconciler/state/types';
import { heldDnsNameRefusal, heldDnsNames } from '../../reconciler/pass/load';
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
    const ceilings =
      validation.ok && record.deletionRequestedAt === undefined
        ? ceilingRefusals(validation.spec, system, command)
        : []; // a stack being deleted deletes whatever it asks of a ceiling
    const dns = heldDnsNames(record).map((name) => heldDnsNameRefusal(name, system, command));
    for (const refusal of [...ceilings, ...dns]) {
      if (refusal)
        lines.push(`${stackNamed(record)}: ${refusal}; its passes change nothing of it until then`);
    }
  }
  return lines;
}

/** A store call refused because the table is not made yet (the store keeps the SDK's error as the cause). */
export function isNoTableYet(error: unknown): boolean {
  return isTableMissing(error) || isTableMissing((error as Error | undefined)?.cause);
}

/**
 * The stacks holding a DNS name the bootstrap about to run would newly refuse (`heldDnsNames`: the
 * acted-on spec's `dns`, a deletion's included, and the records left at a name it no longer wants, each
 * named in its line): allowed by the table's system record as it is (`kept`, or none, which restricts
 * nothing, as in a table the sandbox or `apply` made), not by the one this bootstrap would write. Read
 * before anything is written, so that bootstrap can refuse rather than leave a running stack unreconciled
 * by surprise. None when the table does not exist yet.
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
    for (const name of heldDnsNames(record)) {
      // Already refused: not this bootstrap's doing.
      if (heldDnsNameRefusal(name, kept, command) !== undefined) continue;
      const refusal = heldDnsNameRefusal(name, next, command);
      if (refusal) lines.push(`${stackNamed(record)}: ${refusal}`);
    }
  }
  return lines;
}

/** How a line names the stack: a stack being deleted says so (its deletion runs from its kept spec). */
function stackNamed(record: StackRecord): string {
  return record.deletionRequestedAt === undefined
    ? `stack ${record.stack}`
    : `stack ${record.stack} (being deleted, from the spec it was last reconciled with)`;
}
