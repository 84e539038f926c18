/**
 * `npm start`: the local sandbox in the foreground. Ctrl-C (or SIGTERM) saves the simulated account and
 * the history, closes the server and dynalite, and exits; the next start carries on from there.
 */
import { parseSettings, SandboxHelpRequested, SandboxUsageError } from './options';
import { PortInUseError } from './port';
import { startSandbox } from './sandbox';
import { terminalText } from '../cli/terminal-text';

// The SDK warns on every client that Node.js 20 support ends in 2027: noise in the sandbox's console.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  let settings;
  try {
    settings = parseSettings(process.argv.slice(2), process.env, process.cwd());
  } catch (error) {
    if (!(error instanceof SandboxHelpRequested)) throw error;
    process.stdout.write(`${error.message}\n`);
    return;
  }
  // Loading the SDK clients and compiling the sources takes some seconds on a cold start: say so at once.
  process.stdout.write('starting the LambdaFlex sandbox (local DynamoDB, simulated AWS, service)…\n');
  const sandbox = await startSandbox(settings);
  const speed = settings.speed === 60 ? 'one simulated minute per second' : `${settings.speed}× real time`;
  process.stdout.write(
    [
      `LambdaFlex sandbox: ${speed} (LAMBDAFLEX_SPEED or --speed to change), state in .lambdaflex/`,
      `  dashboard     ${sandbox.url}/`,
      `  API docs      ${sandbox.url}/docs`,
      `  stack status  ${sandbox.url}/stack-status`,
      'Ctrl-C stops; the next `npm start` carries on from the same state.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now": the state saved at the last tick is kept.
      process.stdout.write(`${signal} again: exiting without the final save\n`);
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`${signal}: saving and stopping…\n`);
    sandbox.stop().then(
      () => {
        process.stdout.write('stopped; state saved in .lambdaflex/\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(
          terminalText(`stopping the sandbox: ${error instanceof Error ? error.message : String(error)}\n`),
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const plain = error instanceof SandboxUsageError || error instanceof PortInUseError;
  // The message may echo what it was given (an option's value, a saved file's content): escaped as the
  // console's other lines are (cli/terminal-text.ts).
  process.stderr.write(terminalText(`${plain ? '' : 'starting the sandbox: '}${message}\n`));
  process.exit(error instanceof SandboxUsageError ? 2 : 1);
});
