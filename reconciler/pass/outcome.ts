/**
 * The pass's last stage, its pure part: what the pass says it did, once its status is written.
 */
import type { CallCounts } from '../aws/call-counter';
import type { ApplyResult, Plan } from '../engine/types';
import type { ManagedResource } from '../resources/types';
import type { TerminalState } from '../state/bookkeeping';
import type { StackStatus } from '../state/types';
import { isStable } from '../status';
import type { Phase } from '../state/types';

export interface PassResult {
  stack: string;
  outcome: 'reconciled' | 'skipped' | 'invalid' | 'terminal' | 'deleted';
  /** Why a pass was skipped or stopped early. */
  reason?: string;
  /**
   * An invalid pass held by what is no spec's problem: the SpecValid condition's reason
   * (UNREADABLE_MARK_REASON, a deletion mark that is no time), so that callers tell it apart without
   * reading the message.
   */
  heldBy?: string;
  phase?: StackStatus['phase'];
  settled: boolean;
  requeueAfterMs?: number;
  plan?: Plan;
  calls: CallCounts;
}

export const NO_CALLS: CallCounts = { total: 0, mutating: 0, byOperation: {} };

/**
 * Settled means a fresh observation planned nothing. A pass that applied steps has not seen their effect
 * (a new task definition revision makes the service differ), so only the next pass can say.
 */
export function isSettled(input: {
  terminal: TerminalState | undefined;
  plan: Plan;
  result: Pick<ApplyResult, 'settled'>;
  trafficPhase: Phase;
}): boolean {
  return (
    !input.terminal && input.plan.steps.length === 0 && input.result.settled && isStable(input.trafficPhase)
  );
}

/** The messages of the steps that ended terminally in this pass. */
export function terminalMessages(result: Pick<ApplyResult, 'outcomes'>): string[] {
  return Object.values(result.outcomes).flatMap((o) => (o.status === 'terminal' ? [o.message] : []));
}

/**
 * Nothing of the stack is left: every kind was seen absent (or foreign), and no duplicate of the stack's
 * remains. One that could not be observed may remain.
 */
export function nothingLeft(
  kinds: readonly ManagedResource[],
  result: Pick<ApplyResult, 'observation'>,
): boolean {
  const { resources, unknown, duplicates } = result.observation;
  return (
    kinds.every((k) => !(k.key in unknown) && (!resources[k.key] || resources[k.key]!.foreign)) &&
    Object.keys(duplicates ?? {}).length === 0
  );
}

/**
 * A stack to delete whose resources are all seen gone: its deletion is done, and its record goes (unless
 * what it forgot is still listed, pass/missed-but-listed.ts).
 */
export function deletionDone(input: {
  deletionRequested: boolean;
  kinds: readonly ManagedResource[];
  result: Pick<ApplyResult, 'settled' | 'observation'>;
}): boolean {
  return input.deletionRequested && input.result.settled && nothingLeft(input.kinds, input.result);
}

export interface OutcomeInput {
  stack: string;
  deletionRequested: boolean;
  terminal: TerminalState | undefined;
  plan: Plan;
  result: ApplyResult;
  kinds: readonly ManagedResource[];
  /** The status the pass wrote. */
  status: StackStatus;
  settled: boolean;
  /**
   * Resources the stack forgot are still listed by the Tagging API (pass/missed-but-listed.ts): a stack to
   * delete is not done, nor its record deleted, while they may remain.
   */
  stillListed?: boolean;
  calls: CallCounts;
}

/**
 * What the pass reports, and whether the stack's record goes: a stack to delete whose resources are all
 * gone is deleted; a terminal error (this pass's, or one carried over) ends it as terminal.
 */
export function passOutcome(input: OutcomeInput): { result: PassResult; deleteRecord: boolean } {
  const { stack, plan, result, status, calls } = input;
  if (deletionDone(input) && !input.stillListed) {
    return {
      result: { stack, outcome: 'deleted', phase: 'Deleting', settled: true, plan, calls },
      deleteRecord: true,
    };
  }
  const now = terminalMessages(result);
  if (input.terminal || (now.length > 0 && !input.deletionRequested)) {
    return {
      result: {
        stack,
        outcome: 'terminal',
        reason: [...new Set([...(input.terminal?.messages ?? []), ...now])].join('; '),
        phase: status.phase,
        settled: false,
        calls,
      },
      deleteRecord: false,
    };
  }
  return {
    result: {
      stack,
      outcome: 'reconciled',
      phase: status.phase,
      settled: input.settled && isStable(status.phase),
      requeueAfterMs: status.lastPass?.requeueAfterMs,
      plan,
      calls,
    },
    deleteRecord: false,
  };
}
