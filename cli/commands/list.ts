import { Option, type Command } from 'commander';
import type { CliContext } from '../context';
import { phaseOf, renderTable, yamlText } from '../render';
import { helpAfter } from '../help-text';

const LIST_FORMATS = ['table', 'json', 'yaml'] as const;
type ListFormat = (typeof LIST_FORMATS)[number];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description(
      "List every stack of the table with its mode, generation, its record's incarnation and phase.",
    )
    .addOption(
      new Option('-o, --output <format>', 'table, or every record as JSON or YAML')
        .choices(LIST_FORMATS)
        .default('table'),
    )
    .addHelpText(
      'after',
      helpAfter(`
Examples:
  $ lambdaflex list
  $ lambdaflex list -o json | jq '.[].status.phase'
  $ lambdaflex --table lambdaflex-staging --region eu-west-1 list`),
    )
    .action(async (options: { output: ListFormat }) => {
      const store = await ctx.store();
      const records = await store.list();
      if (options.output === 'json') return ctx.out(JSON.stringify(records, null, 2));
      if (options.output === 'yaml') return ctx.out(yamlText(records));
      if (records.length === 0) {
        ctx.out(`no stacks in table ${store.tableName}; record one with \`${ctx.command('apply -f FILE')}\``);
        return;
      }
      const rows = records.map((r) => [
        r.stack,
        String((r.spec as { mode?: unknown }).mode ?? '-'),
        String(r.generation),
        // A stack deleted and made again starts again at generation 1: only the incarnation tells the two
        // apart. A record from before incarnations has none.
        r.incarnation ?? '-',
        phaseOf(r),
      ]);
      ctx.out(renderTable(['STACK', 'MODE', 'GENERATION', 'INCARNATION', 'PHASE'], rows));
    });
}
