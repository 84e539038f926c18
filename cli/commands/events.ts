import type { Command } from 'commander';
import { StackNotFoundError, type StackEvent } from '../../reconciler/state';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { CliError } from '../io';
import { clock, eventLines, eventText } from '../stack-view';
import { followRecord, parseWatchInterval, readOnce, WATCH_INTERVAL_MS } from '../watch';
import { helpAfter } from '../help-text';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('events')
    .description(
      "A stack's events, oldest first: spec changes, phase changes, rollbacks, errors. Repeats are collapsed, and the " +
        'expected waits of a teardown read as progress.',
    )
    .argument('<stack>', 'stack name', stackArgument)
    .option('-f, --follow', 'keep printing new events until the stack is deleted (Ctrl-C stops)')
    .option('--interval <duration>', 'how often --follow reads the record', `${WATCH_INTERVAL_MS / 1000}s`)
    .addHelpText(
      'after',
      helpAfter(`
Examples:
  $ lambdaflex events orders-api
  $ lambdaflex events orders-api -f`),
    )
    .action(async (stack: string, options: { follow?: boolean; interval: string }, command: Command) => {
      if (command.getOptionValueSource('interval') === 'cli' && !options.follow) {
        throw new CliError(['--interval paces --follow: add --follow (-f), or leave --interval out']);
      }
      const intervalMs = parseWatchInterval(options.interval);
      const record = await readOnce(ctx, stack);
      if (!record) throw new StackNotFoundError(stack, { tableName: ctx.options.table ?? 'lambdaflex' });
      if (record.events.length === 0 && !options.follow) ctx.out(`no events for ${stack} yet`);
      const print = (events: readonly StackEvent[]) => {
        for (const e of eventLines(events)) ctx.out(`${clock(e.at)}  ${e.type.padEnd(8)} ${eventText(e)}`);
      };
      print(record.events);
      if (!options.follow) return;
      const seen = new Set(record.events.map(key));
      await followRecord(
        ctx,
        stack,
        (now) => {
          if (!now) return ctx.out(`${stack}: deleted (the record is gone)`);
          const fresh = now.events.filter((e) => !seen.has(key(e)));
          for (const e of fresh) seen.add(key(e));
          print(fresh);
        },
        intervalMs,
        record,
      );
    });
}

function key(e: StackEvent): string {
  return `${e.at} ${e.type} ${e.reason} ${e.message}`;
}
