/**
 * Following a record as it changes (`status --watch`, `events -f`): read it every interval and hand each
 * reading on, until the record is gone or the command is interrupted. With --local the table is opened
 * for each reading and closed again, because the local DynamoDB's folder admits one process at a time
 * and the `reconcile` being watched needs it; a reading that finds the folder busy is skipped.
 */
import type { StackRecord } from '../reconciler/state/types';
import type { CliContext } from './context';
import { openStore } from './context';

/** How often a record is read while followed. */
export const WATCH_INTERVAL_MS = 2_000;

export async function followRecord(
  ctx: CliContext,
  stack: string,
  onRecord: (record: StackRecord | undefined) => void,
  intervalMs = WATCH_INTERVAL_MS,
): Promise<void> {
  const sleep = ctx.io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    await sleep(intervalMs);
    let record: StackRecord | undefined;
    try {
      record = await readOnce(ctx, stack);
    } catch (error) {
      if (ctx.options.local && /in use by another lambdaflex process/.test(String(error))) continue;
      throw error;
    }
    onRecord(record);
    if (!record) return;
  }
}

/** One reading; with --local the table is closed again at once, so that others can open it. */
export async function readOnce(ctx: CliContext, stack: string): Promise<StackRecord | undefined> {
  if (!ctx.options.local) return (await ctx.store()).get(stack);
  const opened = await openStore(ctx.options, ctx.io.cwd);
  try {
    return await opened.store.get(stack);
  } finally {
    await opened.close();
  }
}
