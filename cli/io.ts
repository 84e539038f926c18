/** Where a command reads and writes: the process's streams, or buffers in tests. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: AsyncIterable<string | Buffer>;
  /** The folder `--local` keeps its data in (under `.lambdaflex/`). */
  cwd: string;
  /** Waits between two readings of a followed record (`status --watch`, `events -f`); real time by default. */
  sleep?(ms: number): Promise<void>;
  /**
   * Calls `handler` on each Ctrl-C (SIGINT) until the returned function is called; without it, Ctrl-C
   * ends the process as Node.js does by default. Commands that run passes stop between two (interrupt.ts).
   */
  onInterrupt?(handler: () => void): () => void;
}

/** A stream written to; a terminal says so, and how wide it is (--help is wrapped at its width). */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

/** A failure the user can fix: each line is printed as is on stderr, and the exit code is 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** What to do about it, printed last (see next-step.ts for the errors that do not say). */
  readonly nextStep?: string;
  constructor(
    readonly lines: string[],
    options?: { cause?: unknown; nextStep?: string },
  ) {
    super(lines.join('\n'), options);
    if (options?.nextStep) this.nextStep = options.nextStep;
  }
}
