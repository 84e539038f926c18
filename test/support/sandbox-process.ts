/**
 * `npm start` in a child process, in a folder of the test's own: the sandbox as a user runs it, for tests
 * about what other processes see while it runs (the CLI refused, the README's flow).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface SandboxProcess {
  /** `http://localhost:<port>`, as the sandbox printed it. */
  url: string;
  pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for it to save and exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `npm start -- <args>` (without npm: the same script) in `cwd`; resolves once it listens. */
export async function startSandboxProcess(cwd: string, args: string[] = []): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', require.resolve('@swc-node/register'), join(ROOT, 'sandbox', 'main.ts'), ...args],
    {
      cwd,
      // @swc-node/register reads the compiler settings (decorators) from the tsconfig of the working folder.
      env: { ...process.env, PORT: '0', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /dashboard +(http:\/\/localhost:\d+)\//.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`the sandbox exited (${code}) before listening:\n${output}`)),
    );
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
