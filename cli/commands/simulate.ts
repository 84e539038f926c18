import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { SpecValidationError } from '../../reconciler/state/types';
import { formatSpecErrors } from '../../spec';
import type { DesiredStateInput } from '../../spec/types';
import { exampleSpec, simulateTrace } from '../../simulation/simulate';
import { chartLines, summaryLines } from '../../simulation/simulate/render';
import { TraceFormatError, loadTrace, type Trace } from '../../simulation/traffic';
import type { CliContext } from '../context';
import { CliError } from '../io';
import { readValidSpec } from './validate';
import { LOCAL_REGION } from '../local';
import { helpAfter } from '../help-text';

/** Runs shorter than this print no progress: they are over before anyone would look. */
const PROGRESS_FROM_MINUTES = 240;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description(
      'Run the reconciler against a simulated AWS, one pass per minute of a traffic trace, and compare its cost ' +
        'with always-Lambda, always-Fargate and the offline optimum. Needs no AWS and touches no --local state.',
    )
    .requiredOption('--trace <file>', 'CSV trace "minute,rps,duration_ms", one row per minute from 0')
    .option('-f, --file <file>', 'desired-state document (default: examples/orders-api.json in mode auto)')
    .option('--json', 'print one JSON document instead of the summary and chart')
    .option('--seed <n>', 'seed of the simulated account', '1')
    .addHelpText(
      'after',
      helpAfter(`
The spec's dns is replaced by a record in the simulated account's own zone (example.test), so that the
traffic follows the Route 53 weights the reconciler sets. Progress goes to stderr on long runs.

Examples:
  $ lambdaflex simulate --trace examples/traces/diurnal.csv
  $ lambdaflex simulate --trace examples/traces/spike.csv -f examples/orders-api.json --json > spike.json`),
    )
    .action(async (options: { trace: string; file?: string; json?: boolean; seed: string }) => {
      const seed = Number(options.seed);
      if (!Number.isInteger(seed)) throw new CliError([`--seed: '${options.seed}' is not an integer`]);
      const trace = await readTrace(options.trace);
      // The simulated account is in the local one's region: the image must be one Lambda runs there.
      const spec: DesiredStateInput = options.file
        ? await readValidSpec(options.file, ctx, LOCAL_REGION)
        : exampleSpec();
      const progress = progressReporter(ctx, trace.rows.length);
      let result;
      try {
        result = await simulateTrace({ trace, spec, seed, onMinute: progress });
      } catch (error) {
        // The user's spec is valid, but the simulation's dns could still clash with it (a bad TTL).
        if (error instanceof SpecValidationError) throw new CliError(formatSpecErrors(error.errors));
        throw error;
      }
      for (const e of result.passErrors)
        ctx.err(`warning: the pass of minute ${e.minute} failed: ${e.message}`);
      if (options.json) {
        ctx.out(JSON.stringify(result, null, 2));
        return;
      }
      const title = `${result.stack}: ${result.minutes} min of ${basename(options.trace)}, seed ${seed}`;
      for (const line of summaryLines(result, title)) ctx.out(line);
      ctx.out('');
      for (const line of chartLines(result.timeline)) ctx.out(line);
    });
}

/** The trace, or a CliError naming the file and, for a malformed row, its line. */
async function readTrace(file: string): Promise<Trace> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    // Its own next step: the general one offers `-f -`, which here would read the spec, not the trace.
    throw new CliError([`${file}: cannot read the file: ${reason}`], {
      cause: error,
      nextStep: 'check the path (relative to the current folder); sample traces are in examples/traces/',
    });
  }
  try {
    return loadTrace(text);
  } catch (error) {
    if (error instanceof TraceFormatError) {
      const what = error.message.replace(/^trace line \d+: /, '');
      throw new CliError([`${file}:${error.line}: ${what}`], { cause: error });
    }
    throw error;
  }
}

/** Every tenth of a long run on stderr; on a terminal, one line rewritten in place. */
function progressReporter(ctx: CliContext, total: number): ((done: number) => void) | undefined {
  if (total < PROGRESS_FROM_MINUTES) return undefined;
  const tty = (ctx.io.stderr as { isTTY?: boolean }).isTTY === true;
  const step = Math.ceil(total / 10);
  return (done) => {
    if (done % step !== 0 && done !== total) return;
    const text = `simulating: minute ${done} of ${total} (${Math.round((100 * done) / total)} %)`;
    if (tty) ctx.io.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
    else ctx.err(text);
  };
}
