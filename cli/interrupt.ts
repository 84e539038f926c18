/**
 * Ctrl-C while `reconcile` (or `apply --wait`) runs passes. A pass killed mid-work is survivable, since
 * every step is idempotent, but it leaves the stack's lease held until it expires (the next `reconcile`
 * skips its passes for minutes, "another reconciler holds the lease"), and with --local the simulated
 * account, saved when the command ends, forgets what AWS accepted during the command. So the first
 * Ctrl-C lets the pass under way finish (a pass takes seconds) and stops before the next one; a second
 * stops at once, as a killed Lambda would, after `onForce` (the simulated account saved).
 */
import type { CliIo } from './io';

/** Thrown between two passes once Ctrl-C was pressed. */
export class PassesInterrupted extends Error {
  override readonly name = 'PassesInterrupted';
  constructor() {
    super('interrupted by Ctrl-C');
  }
}

export class PassInterrupt {
  private pressed = false;
  private readonly aborter = new AbortController();
  private readonly unsubscribe: () => void;

  constructor(
    io: CliIo,
    say: (line: string) => void,
    /** What a second Ctrl-C does before the process ends at once. */
    onForce: () => void,
  ) {
    this.unsubscribe =
      io.onInterrupt?.(() => {
        if (this.pressed) {
          say('Ctrl-C again: stopping now, in the middle of the pass');
          onForce();
          process.exit(130);
        }
        this.pressed = true;
        say('Ctrl-C: stopping once the pass under way is done (Ctrl-C again stops now)');
        this.aborter.abort();
      }) ?? (() => undefined);
  }

  /** Ends a wait between two passes early when Ctrl-C is pressed. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** Between two passes: throws PassesInterrupted once Ctrl-C was pressed. */
  check(): void {
    if (this.pressed) throw new PassesInterrupted();
  }

  dispose(): void {
    this.unsubscribe();
  }
}
