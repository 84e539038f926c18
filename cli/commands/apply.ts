import type { Command } from 'commander';
import { StackDeletingError } from '../../reconciler/state/types';
import type { CliContext } from '../context';
import { CliError } from '../io';
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
and nothing is written. A stack whose deletion was requested takes no new spec until it is gone.

Examples:
  $ lambdaflex apply -f orders-api.yaml
  $ lambdaflex --local apply -f orders-api.json`,
    )
    .action(async (options: { file: string }) => {
      // Validated before the store is opened: a bad file needs no AWS and writes nothing.
      const spec = await readValidSpec(options.file, ctx);
      const store = await ctx.store();
      await store.ensureTable();
      const record = await store.putSpec(spec).catch((error: unknown) => {
        if (!(error instanceof StackDeletingError)) throw error;
        throw new CliError(
          [
            error.message,
            `the reconciler is deleting it; apply again once \`lambdaflex get ${error.stackName}\` finds no such stack`,
          ],
          { cause: error },
        );
      });
      ctx.out(`stack ${record.stack} ${record.change} (generation ${record.generation})`);
    });
}
