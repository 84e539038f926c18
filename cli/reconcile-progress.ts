/**
 * What `reconcile` (and `apply --wait`) print while passes run: a line when a step's state changes (created,
 * waiting on AWS, retrying, failed), never the same state twice, and per pass one line with the phase and
 * what the stack waits for (the shift step and its health, the drain's time left, a deletion held by
 * lingering network interfaces). Steps blocked behind another are not printed: the pass line names what
 * they all wait for.
 */
import type { PlanStep, StepOutcome } from '../reconciler/engine/types';
import type { PassResult } from '../reconciler/reconcile';
import type { StackRecord } from '../reconciler/state/types';
import { causeWords } from './step-words';
import { oneLine } from './terminal-text';
import { expectedWait, isExpectedWait, waitingFor } from './stack-view';

const SYMBOL = { create: '+', update: '~', delete: '-', wait: '…', conflict: '!' } as const;
const DONE = { create: 'created', update: 'updated', delete: 'deleted', wait: 'done', conflict: 'resolved' };

/** The state a step is in, in words; undefined for states not worth a line (started, blocked). */
function stateOf(step: PlanStep, outcome: StepOutcome | { status: 'started' }): string | undefined {
  switch (outcome.status) {
    case 'started':
    case 'blocked':
      return undefined;
    case 'done':
      return DONE[step.action];
    case 'waiting':
      // In words, as "waiting for" says it: no step ids, no call prefix or error class (step-words.ts).
      return `waiting: ${causeWords(outcome.reason)}`;
    case 'backoff':
      return isExpectedWait(outcome.reason)
        ? `waiting: ${expectedWait(outcome.reason)}`
        : 'retrying later (backing off)';
    case 'retryable':
      return isExpectedWait(outcome.message)
        ? `waiting: ${expectedWait(outcome.message)}`
        : `retrying: ${outcome.message}`;
    case 'terminal':
      return `failed: ${outcome.message}`;
  }
}

export class ReconcileProgress {
  /** `<stack> <resource key>` → the state last printed. */
  private readonly printed = new Map<string, string>();

  private readonly out: (line: string) => void;

  /** `out` is handed one line at a time: a message's line breaks are written as a visible `\n`. */
  constructor(out: (line: string) => void) {
    this.out = (line) => out(oneLine(line));
  }

  step(stack: string, step: PlanStep, outcome: StepOutcome | { status: 'started' }): void {
    const state = stateOf(step, outcome);
    if (state === undefined) return;
    // By resource, not step: `+ alb` waiting, then `… alb` waiting for the same thing, is one state.
    const key = `${stack} ${step.key}`;
    if (this.printed.get(key) === state) return;
    this.out(`  ${stack}: ${SYMBOL[step.action]} ${step.key}: ${state}`);
    // A step done is forgotten, so that the same step in a later change prints again.
    if (outcome.status === 'done') this.printed.delete(key);
    else this.printed.set(key, state);
  }

  /** One line per pass; `record` is the stack's record after it (undefined once deleted). */
  pass(r: PassResult, pass: number, now: number, record: StackRecord | undefined): void {
    const clock = new Date(now).toISOString().slice(11, 19);
    const calls = `${r.calls.total} API calls, ${r.calls.mutating} mutating`;
    const outcome = r.outcome === 'reconciled' ? '' : `${r.outcome}, `;
    const next =
      r.requeueAfterMs !== undefined && !r.settled
        ? `, next pass in ${Math.round(r.requeueAfterMs / 1000)} s`
        : '';
    if (r.outcome === 'deleted') {
      // The pass that removes the record reports the phase it began in (Deleting), settled: printed, that
      // read as a deletion still under way.
      this.out(
        `[${clock}] ${r.stack} pass ${pass}: deleted: its resources and then its record are gone; ${calls}`,
      );
      return;
    }
    const waits = r.settled ? [] : waitingFor(record);
    const detail = r.reason
      ? ` — ${r.reason}`
      : waits.length > 0
        ? ` — waiting for: ${waits.join('; ')}`
        : '';
    this.out(
      `[${clock}] ${r.stack} pass ${pass}: ${outcome}phase ${r.phase ?? '-'}${r.settled ? ' (settled)' : ''}; ${calls}${next}${detail}`,
    );
  }
}
