/**
 * The `lambdaflex` command. Each subcommand lives in `commands/` and registers itself; this file only
 * builds the program, runs it, and turns failures into messages and an exit code.
 */
import { Command, CommanderError } from 'commander';
import * as applyCommand from './commands/apply';
import * as bootstrapCommand from './commands/bootstrap';
import * as deleteCommand from './commands/delete';
import * as eventsCommand from './commands/events';
import * as getCommand from './commands/get';
import * as listCommand from './commands/list';
import * as planCommand from './commands/plan';
import * as reconcileCommand from './commands/reconcile';
import * as simCommand from './commands/sim';
import * as simulateCommand from './commands/simulate';
import * as statusCommand from './commands/status';
import * as validateCommand from './commands/validate';
import * as versionCommand from './commands/version';
import { packageVersion } from './commands/version';
import { CliContext, type GlobalOptions } from './context';
import { assertGlobalOptions } from './global-options';
import { helpAfter, helpWidth } from './help-text';
import { CliError, processIo, type CliIo } from './io';
import { assertNoSandbox } from './local';
import { nextStepFor } from './next-step';
import { terminalText } from './terminal-text';

/** Commands that never read or write the folder's local state, so a running sandbox does not stop them. */
const WITHOUT_LOCAL_STATE = new Set(['validate', 'simulate', 'version', 'help']);

/** In the order `--help` lists them. */
const COMMANDS = [
  validateCommand,
  applyCommand,
  getCommand,
  listCommand,
  deleteCommand,
  planCommand,
  reconcileCommand,
  statusCommand,
  eventsCommand,
  simCommand,
  simulateCommand,
  bootstrapCommand,
  versionCommand,
];

export function buildProgram(io: CliIo): { program: Command; ctx: CliContext } {
  const program = new Command('lambdaflex');
  const ctx = new CliContext(io, () => program.opts<GlobalOptions>());
  program
    .description(
      'Keeps an HTTP service on the cheapest AWS tier for its traffic: Lambda when quiet, Fargate at peak. ' +
        "This command edits the stacks' desired state in DynamoDB; the reconciler does the rest.",
    )
    .version(packageVersion(), '-V, --version', 'print the version of lambdaflex')
    .option(
      '--table <name>',
      "DynamoDB table of the stacks: 3–255 letters, digits, '_', '-' or '.'",
      'lambdaflex',
    )
    .option(
      '--region <region>',
      'AWS region such as eu-west-1 (default: AWS_REGION, else AWS_DEFAULT_REGION, else the profile)',
    )
    .option('--local', 'use the local sandbox: DynamoDB kept under ./.lambdaflex/, no AWS needed')
    .addHelpText(
      'after',
      helpAfter(`
The AWS SDK's own settings apply: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL (e.g. LocalStack), credentials.

Examples:
  $ lambdaflex --local apply -f examples/orders-api.json
  $ lambdaflex --local get orders-api
  $ lambdaflex list --region eu-west-1`),
    )
    .showHelpAfterError('(run with --help for usage)')
    // Errors become an exit code here rather than a process.exit inside commander.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
    });
  for (const command of COMMANDS) command.register(program, ctx);
  // One writer per local account: while `npm start` runs in this folder, it alone reads and writes the
  // local table and the simulated account; every --local command is sent to it instead.
  program.hook('preAction', (_program, action) => {
    assertGlobalOptions(ctx.options);
    let top: Command = action;
    while (top.parent && top.parent !== program) top = top.parent;
    if (ctx.options.local && !WITHOUT_LOCAL_STATE.has(top.name())) assertNoSandbox(io.cwd);
  });
  return { program, ctx };
}

/** Runs the CLI and returns its exit code; `argv` as in process.argv (node, script, arguments...). */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync(helpAsOption(argv, program));
    return ctx.exitCode;
  } catch (err) {
    return report(err, io, ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * `help sim advance` as `sim advance --help`: commander's help command looks up one name, so it printed
 * the help of `sim` for it, and for `help sim nonsense` too, without a word about `nonsense`: a name that
 * is no subcommand is left for commander to refuse, as `sim nonsense` is.
 */
function helpAsOption(argv: string[], program: Command): string[] {
  // A global option that takes a value (`--table`, `--region`, as program declares them) is followed by
  // it, which is no command.
  const takesValue = (arg: string) =>
    program.options.some((o) => o.long === arg && (o.required || o.optional));
  let at = 2;
  while (at < argv.length && argv[at].startsWith('-')) at += takesValue(argv[at]) ? 2 : 1;
  const names = argv.slice(at + 1);
  if (argv[at] !== 'help' || names.length < 2 || names.some((name) => name.startsWith('-'))) return argv;
  let command: Command | undefined = program;
  for (const name of names) command = command?.commands.find((c) => c.name() === name);
  return [...argv.slice(0, at), ...names, ...(command ? ['--help'] : [])];
}

/** The entry point of bin/lambdaflex.js: sets process.exitCode and leaves the process to end by itself. */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await run(argv);
}

function report(err: unknown, io: CliIo, ctx: CliContext): number {
  // Commander has already printed its own message (or the help, with exit code 0).
  if (err instanceof CommanderError) return err.exitCode;
  const lines = err instanceof CliError ? err.lines : [err instanceof Error ? err.message : String(err)];
  const next = nextStepFor(err, lines, (rest) => ctx.command(rest));
  for (const line of next ? [...lines, next] : lines) io.stderr.write(`${terminalText(line)}\n`);
  return 1;
}
