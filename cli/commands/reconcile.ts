import type { Command } from 'commander';
import type { PassResult } from '../../reconciler/reconcile';
import { UNREADABLE_MARK_REASON } from '../../reconciler/state/deletion-mark';
import { StackNotFoundError } from '../../reconciler/state/types';
import { reconcileStack } from '../../reconciler/reconcile';
import { reconcileUntilSettled } from '../../reconciler/run-until-settled';
import { SimulatedCrashError } from '../../aws-sim';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { CliError } from '../io';
import { reconcilerOptions } from '../reconciler-options';
import { parseDuration } from '../duration';
import { ReconcileProgress } from '../reconcile-progress';
import { helpAfter } from '../help-text';
import { PassesInterrupted, PassInterrupt } from '../interrupt';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('reconcile')
    .description('Run reconciler passes now: make AWS match the desired state of one stack, or of all.')
    .argument('[stack]', 'stack name (default: every stack in the table)', stackArgument)
    .option('--once', 'one pass per stack (the default)')
    .option('--until-settled', 'pass again, when the last pass asks to, until the stack settles')
    .option(
      '--timeout <duration>',
      'bound on --until-settled, e.g. 90m or 2h (default: 2h of simulated time with --local, 15m against AWS)',
    )
    .addHelpText(
      'after',
      helpAfter(`
With --local, waiting between passes advances the simulated clock instead of sleeping. Ctrl-C stops
once the pass under way is done (a second Ctrl-C stops at once); reconcile again to go on.

Exit codes: 0 done (with --until-settled: settled, or deleted), 1 error (an invalid spec, or a terminal
error that stops the stack until its spec changes: the condition's message is printed), 3 --until-settled
reached its bound (what the stack waits for is printed), 130 stopped by Ctrl-C.

Examples:
  $ lambdaflex --local reconcile orders-api --until-settled
  $ lambdaflex reconcile`),
    )
    .action(
      async (
        stack: string | undefined,
        options: { once?: boolean; untilSettled?: boolean; timeout?: string },
      ) => {
        if (options.once && options.untilSettled) {
          throw new CliError([
            '--once and --until-settled contradict each other: --once runs one pass, --until-settled as many as it takes',
            'choose one (one pass is the default)',
          ]);
        }
        if (options.timeout !== undefined && !options.untilSettled) {
          throw new CliError([
            '--timeout bounds --until-settled: add --until-settled, or leave --timeout out',
          ]);
        }
        const timeoutMs = parseDuration(options.timeout, ctx.options.local ? 2 * 3600_000 : 15 * 60_000);
        await runPasses(ctx, stack, { untilSettled: options.untilSettled === true, timeoutMs });
      },
    );
}

/**
 * Passes over one stack, or every stack of the table, printing their progress (reconcile-progress.ts).
 * Sets the exit code: 1 when a stack is stopped by an invalid spec or a terminal error, 3 when
 * --until-settled reached its bound, 130 when Ctrl-C stopped it between two passes. Also `apply --wait`.
 */
export async function runPasses(
  ctx: CliContext,
  stack: string | undefined,
  options: { untilSettled: boolean; timeoutMs: number },
): Promise<void> {
  const { untilSettled, timeoutMs } = options;
  const progress = new ReconcileProgress((line) => ctx.out(line));
  // The store first: without a table there is nothing to reconcile, and no simulated account to save.
  const reconciler = await reconcilerOptions(ctx, {
    onStep: (name, step, outcome) => progress.step(name, step, outcome),
  });
  const aws = ctx.openAws();
  // The stack and pass the command stopped after, for the message that says how to go on.
  let last: { stack: string; pass: number } | undefined;
  const report = async (r: PassResult, pass: number) => {
    last = { stack: r.stack, pass };
    progress.pass(r, pass, aws.now(), await reconciler.store.get(r.stack));
  };
  if (stack !== undefined && !(await reconciler.store.get(stack))) {
    throw new StackNotFoundError(stack, { tableName: reconciler.store.tableName });
  }
  const stacks = stack ? [stack] : (await reconciler.store.list()).map((r) => r.stack);
  if (stacks.length === 0)
    ctx.out(`no stacks in the table; apply one with \`${ctx.command('apply -f FILE')}\``);
  const interrupt = new PassInterrupt(
    ctx.io,
    (line) => ctx.err(line),
    () => aws.save(),
  );
  try {
    for (const name of stacks) {
      interrupt.check();
      if (!untilSettled) {
        const once = await reconcileStack(reconciler, name);
        await report(once, 1);
        failIfStopped(ctx, once);
        continue;
      }
      const result = await reconcileUntilSettled(reconciler, name, {
        timeoutMs,
        wait: async (ms) => {
          interrupt.check();
          await aws.wait(ms, interrupt.signal);
          interrupt.check();
        },
        onPass: async (r, n) => {
          await report(r, n);
          aws.save();
        },
      });
      if (failIfStopped(ctx, result.last)) continue;
      if (result.timedOut) {
        ctx.err(`${name}: not settled after ${Math.round(timeoutMs / 60_000)} min; still waiting for:`);
        for (const step of waitingSteps(result.last)) ctx.err(`  ${step}`);
        ctx.err('run reconcile again to go on, or give --timeout a longer bound');
        ctx.exitCode = 3;
      }
    }
  } catch (error) {
    if (error instanceof PassesInterrupted) {
      const where = last ? ` after pass ${last.pass} of ${last.stack}` : ' before the first pass';
      ctx.err(`stopped by Ctrl-C${where}: no pass was cut short, so the stack carries on from there`);
      ctx.err(`\`${ctx.command(`reconcile${stack ? ` ${stack}` : ''} --until-settled`)}\` goes on`);
      ctx.exitCode = 130;
      return;
    }
    if (error instanceof SimulatedCrashError) {
      throw new CliError([
        `${error.message} (LAMBDAFLEX_SIM_FAULTS): the pass died mid-work`,
        'run reconcile again (without the fault) to finish the job: every step is idempotent',
      ]);
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}

/**
 * An invalid spec or a terminal error stops the stack until its spec changes: exit 1 with the message of
 * the condition that says so. True when it did.
 */
function failIfStopped(ctx: CliContext, r: PassResult): boolean {
  if (r.outcome !== 'invalid' && r.outcome !== 'terminal') return false;
  // A deletion mark that is no time holds the stack, and its message says until when (pass/load.ts).
  if (r.heldBy === UNREADABLE_MARK_REASON) ctx.err(`${r.stack}: ${r.reason ?? 'no message'}`);
  else {
    const what = r.outcome === 'invalid' ? 'the spec is invalid' : 'stopped by a terminal error';
    ctx.err(`${r.stack}: ${what} until the spec changes: ${r.reason ?? 'no message'}`);
  }
  ctx.exitCode = 1;
  return true;
}

function waitingSteps(r: PassResult): string[] {
  const steps = (r.plan?.steps ?? []).map((s) => `${s.id}${s.waitsFor ? `: ${s.waitsFor}` : ''}`);
  return steps.length > 0 ? steps : [r.reason ?? 'unknown'];
}
