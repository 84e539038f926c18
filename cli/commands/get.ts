import { Option, type Command } from 'commander';
import { StackNotFoundError } from '../../reconciler/state';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { OUTPUT_FORMATS, renderRecord, type OutputFormat } from '../render';
import { helpAfter } from '../help-text';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description("Show one stack: its desired state's essentials, the reconciler's status and recent events.")
    .argument('<stack>', 'stack name', stackArgument)
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('summary'),
    )
    .addHelpText(
      'after',
      helpAfter(`
Examples:
  $ lambdaflex get orders-api
  $ lambdaflex get orders-api -o yaml`),
    )
    .action(async (stack: string, options: { output: OutputFormat }) => {
      const store = await ctx.store();
      const record = await store.get(stack);
      if (!record) throw new StackNotFoundError(stack, { tableName: store.tableName });
      ctx.out(renderRecord(record, options.output, (rest) => ctx.command(rest)));
    });
}
