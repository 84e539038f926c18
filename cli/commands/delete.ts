import type { Command } from 'commander';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { helpAfter } from '../help-text';
import { requestedAtText, type DeleteRequest } from '../../reconciler/state';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('delete')
    .description("Request a stack's deletion: the reconciler removes its AWS resources, then its record.")
    .argument('<stack>', 'stack name', stackArgument)
    .addHelpText(
      'after',
      helpAfter(`
Only records the request; nothing in AWS changes until the reconciler's next pass. Asked again, it keeps
the first request and says when that was.

Examples:
  $ lambdaflex delete orders-api`),
    )
    .action(async (stack: string) => {
      const store = await ctx.store();
      // Read first only to say so: requestDelete replaces a mark that is no time whatever this read found.
      const found = (await store.get(stack))?.unreadableDeletionMark;
      const request = await store.requestDelete(stack);
      if (found !== undefined)
        ctx.out(`the deletionRequestedAt found (${found}) was no time; this request replaced it`);
      ctx.out(deleteRequestText(stack, request, (rest) => ctx.command(rest)));
    });
}

/**
 * What `delete` answers, the first time and again: the request, or the one already there with its time
 * (as a refused spec write names it), and what happens next. `command` names a lambdaflex command with
 * this run's global options.
 */
function deleteRequestText(stack: string, request: DeleteRequest, command: (rest: string) => string): string {
  const next = 'the reconciler will delete its resources, then its record';
  const at = request.record.deletionRequestedAt;
  if (!request.alreadyRequested || at === undefined) return `deletion of stack ${stack} requested; ${next}`;
  return (
    `deletion of stack ${stack} was already ${requestedAtText(at)}; nothing changed: ${next} ` +
    `(\`${command(`status ${stack}`)}\` shows how far it is)`
  );
}
