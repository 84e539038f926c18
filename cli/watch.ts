/**
 * Following a record as it changes (`status --watch`, `events -f`): read it every interval and hand each
 * reading on, until the record is gone or the command is interrupted. With --local the table is opened
 * for each reading and closed again, because the local DynamoDB's folder admits one process at a time
 * and the `reconcile` being watched needs it; a reading that finds the folder busy is skipped, and the
 * user told so (once, and again when the readings resume): a watch that goes quiet with no word reads as
 * a stack that does not change. A `reconcile` holds the folder for its whole run, so a watch beside it
 * resumes only when it ends.
 *
 * A record deleted and made again between two readings is another record (another incarnation,
 * reconciler/state/incarnation.ts): its lines would read as the followed stack's next ones, a deletion
 * never said. It ends the watch as a deletion does, saying that a new record of the name exists.
 */
import type { StackRecord } from '../reconciler/state/types';
import type { CliContext } from './context';
import { openStore } from './context';
import { parseDuration } from './duration';
import { CliError } from './io';

/** How often a record is read while followed. */
export const WATCH_INTERVAL_MS = 2_000;

/** The shortest interval: `1ms` typed for `1m` read the table in a tight loop (locally, opening it each time). */
export const MIN_WATCH_INTERVAL_MS = 1_000;

/** `--interval` of a watch: a duration of at least MIN_WATCH_INTERVAL_MS. */
export function parseWatchInterval(text: string | undefined): number {
  const ms = parseDuration(text, WATCH_INTERVAL_MS, '--interval');
  if (ms < MIN_WATCH_INTERVAL_MS)
    throw new CliError([
      `--interval: at least 1s, got '${text}': each interval reads the stack's record again`,
      'give it in seconds or minutes, such as 5s or 1m',
    ]);
  return ms;
}

export async function followRecord(
  ctx: CliContext,
  stack: string,
  onRecord: (record: StackRecord | undefined) => void,
  intervalMs: number,
  /** The record as the command read it first: a reading of another incarnation ends the watch. */
  first: StackRecord,
): Promise<void> {
  const { incarnation } = first;
  const sleep = ctx.io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let skipped = 0;
  for (;;) {
    await sleep(intervalMs);
    let record: StackRecord | undefined;
    try {
      // Skipped at once when the folder is busy: the next reading comes an interval later anyway.
      record = await readOnce(ctx, stack, { folderWaitMs: 0 });
    } catch (error) {
      if (!ctx.options.local || !/in use by another lambdaflex process/.test(String(error))) throw error;
      if (skipped++ === 0) {
        ctx.err(
          'readings skipped: the local folder is in use by another lambdaflex command (a reconcile holds it ' +
            `until it ends); reading again every ${formatInterval(intervalMs)}`,
        );
      }
      continue;
    }
    if (skipped > 0) ctx.err(`reading again (${skipped} ${skipped === 1 ? 'reading' : 'readings'} skipped)`);
    skipped = 0;
    if (record && record.incarnation !== incarnation) {
      onRecord(undefined);
      ctx.out(
        `${stack}: made again since, as another record (incarnation ${record.incarnation ?? 'none'}): run the command again to follow it`,
      );
      return;
    }
    onRecord(record);
    if (!record) return;
  }
}

function formatInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** One reading; with --local the table is closed again at once, so that others can open it. */
export async function readOnce(
  ctx: CliContext,
  stack: string,
  access: { folderWaitMs?: number } = {},
): Promise<StackRecord | undefined> {
  if (!ctx.options.local) return (await ctx.store()).get(stack);
  const opened = await openStore(ctx.options, ctx.io.cwd, access);
  try {
    return await opened.store.get(stack);
  } finally {
    await opened.close();
  }
}
