/**
 * A simulated account and the options `runBootstrap` runs with on it, its table in the tests' dynalite.
 * Bootstrap's waits advance the account's clock (by a second at least, so a loop of waits moves on).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SYSTEM_STACK } from '../../../reconciler/bootstrap/names';
import type { BootstrapOptions } from '../../../reconciler/bootstrap/run';
import { createSimulatedAws } from '../../../aws-sim';

/** The function's code as the simulator takes it (it reads no zip). */
export const ZIP = new Uint8Array(Buffer.from('PK fake zip for the simulator'));

export function bootstrapWorld(dynamodb: DynamoDBClient, tableName: string, seed: number) {
  const { account, clients } = createSimulatedAws({ seed });
  const options = (extra: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
    clients,
    dynamodb,
    region: account.region,
    tableName,
    zip: ZIP,
    now: () => account.now(),
    wait: async (ms) => account.advance(Math.max(ms, 1_000)),
    ...extra,
  });
  /** What carries the system stack's tag: bootstrap's resources (or copies of their tags). */
  const systemItems = () => account.inventory().filter((i) => i.tags['lambdaflex:stack'] === SYSTEM_STACK);
  /** The same, as `type name`, sorted. */
  const system = () =>
    systemItems()
      .map((i) => `${i.type} ${i.name ?? i.id}`)
      .sort();
  return { account, clients, dynamodb, tableName, options, systemItems, system };
}
