/** Where a command reads and writes: the process's streams, or buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: AsyncIterable<string | Buffer>;
  /** The folder `--local` keeps its data in (under `.lambdaflex/`). */
  cwd: string;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}

/** A failure the user can fix: each line is printed as is on stderr, and the exit code is 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly lines: string[],
    options?: { cause?: unknown },
  ) {
    super(lines.join('\n'), options);
  }
}
