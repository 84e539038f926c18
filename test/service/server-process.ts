/** Starts a service entry point as its own node process and waits for its "listening" log line. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** The port from the "listening" line; rejects if the process exits before it. */
  port: Promise<number>;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
}

export function startServerProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH, PORT: '0', ...env } });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
  return { child, port, output: () => out };
}
