import type { Command } from 'commander';
import type { CliContext } from '../context';
import { readValidSpec } from './validate';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description("Create or update a stack's desired state; the reconciler then makes AWS match it.")
    .requiredOption('-f, --file <file>', 'JSON or YAML document; "-" reads stdin')
    .addHelpText(
      'after',
      `
Creates the table when it is missing. An invalid document is reported, one line per problem,
and nothing is written.

Examples:
  $ lambdaflex apply -f orders-api.yaml
  $ lambdaflex --local apply -f orders-api.json`,
    )
    .action(async (options: { file: string }) => {
      // Validated before the store is opened: a bad file needs no AWS and writes nothing.
      const spec = await readValidSpec(options.file, ctx);
      const store = await ctx.store();
      await store.ensureTable();
      const record = await store.putSpec(spec);
      ctx.out(`stack ${record.stack} ${record.change} (generation ${record.generation})`);
      if (record.deletionRequestedAt !== undefined) {
        ctx.err(`note: deletion of ${record.stack} is still requested; the reconciler will delete it`);
      }
    });
}
