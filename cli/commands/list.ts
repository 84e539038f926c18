import type { Command } from 'commander';
import type { CliContext } from '../context';
import { phaseOf, renderTable } from '../render';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('List every stack of the table with its mode, generation and phase.')
    .addHelpText(
      'after',
      `
Examples:
  $ lambdaflex list
  $ lambdaflex --table lambdaflex-staging --region eu-west-1 list`,
    )
    .action(async () => {
      const store = await ctx.store();
      const records = await store.list();
      if (records.length === 0) {
        ctx.out(`no stacks in table ${store.tableName}`);
        return;
      }
      const rows = records.map((r) => [
        r.stack,
        String((r.spec as { mode?: unknown }).mode ?? '-'),
        String(r.generation),
        phaseOf(r),
      ]);
      ctx.out(renderTable(['STACK', 'MODE', 'GENERATION', 'PHASE'], rows));
    });
}
