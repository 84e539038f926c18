import type { Command } from 'commander';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { helpAfter } from '../help-text';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('delete')
    .description("Request a stack's deletion: the reconciler removes its AWS resources, then its record.")
    .argument('<stack>', 'stack name', stackArgument)
    .addHelpText(
      'after',
      helpAfter(`
Only records the request; nothing in AWS changes until the reconciler's next pass.

Examples:
  $ lambdaflex delete orders-api`),
    )
    .action(async (stack: string) => {
      const store = await ctx.store();
      // Read first only to say so: requestDelete replaces a mark that is no time whatever this read found.
      const found = (await store.get(stack))?.unreadableDeletionMark;
      await store.requestDelete(stack);
      if (found !== undefined)
        ctx.out(`the deletionRequestedAt found (${found}) was no time; this request replaced it`);
      ctx.out(
        `deletion of stack ${stack} requested; the reconciler will delete its resources, then its record`,
      );
    });
}
