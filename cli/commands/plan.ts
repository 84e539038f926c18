import type { Command } from 'commander';
import { formatPlan } from '../../reconciler/engine/format';
import { planChangesSomething } from '../../reconciler/engine/plan';
import { planStack } from '../../reconciler/reconcile';
import { StackNotFoundError } from '../../reconciler/state/types';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { reconcilerOptions } from '../reconciler-options';
import { helpAfter } from '../help-text';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('Show what the next reconciler pass would do for a stack, without doing it (a dry run).')
    .argument('<stack>', 'stack name', stackArgument)
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      helpAfter(`
Exit codes, like terraform plan -detailed-exitcode: 0 nothing would change, 2 something would, 1 error.

Examples:
  $ lambdaflex --local plan orders-api
  $ lambdaflex plan orders-api --json`),
    )
    .action(async (stack: string, options: { json?: boolean }) => {
      const reconciler = await reconcilerOptions(ctx);
      // Looked up first, as the other commands do, so that the error names the table it looked in.
      if (!(await reconciler.store.get(stack))) {
        throw new StackNotFoundError(stack, { tableName: reconciler.store.tableName });
      }
      const { plan, decision } = await planStack(reconciler, stack);
      ctx.out(
        options.json
          ? JSON.stringify({ ...plan, decision }, null, 2)
          : `${formatPlan(plan)}\n  (${decision.reason})`,
      );
      ctx.exitCode = planChangesSomething(plan) ? 2 : 0;
    });
}
