/**
 * Which stacks a dispatcher run sends to the work queue, and why (pure). Like controller-runtime's work
 * queue, a stack is due when something happened to it (its spec changed, its deletion was asked for), when
 * the last pass asked to come back by now, while it is between tiers, or at the periodic resync; a
 * settled stack is otherwise left alone.
 *
 * A stack whose work item went to the dead-letter queue (the reconciler kept failing on it) is not sent
 * again at every run: only when its spec changes, or at the dead-letter retry interval.
 */
import { isStable } from '../status';
import type { Condition, StackRecord } from '../state/types';

/** The condition the worker sets when a stack's work item is about to go to the dead-letter queue. */
export const DEAD_LETTERED = 'DeadLettered';

export type DueReason =
  | 'new stack'
  | 'spec changed'
  | 'deletion requested'
  /** A deletion mark edited by hand into no time, or such a one taken away (state/deletion-mark.ts). */
  | 'deletion mark changed'
  | 'requeue time reached'
  | 'between tiers'
  | 'stopped by a terminal error: traffic watched'
  | 'periodic resync'
  | 'dead-letter retry';

export interface DueOptions {
  /** How often a settled stack gets a pass anyway (controller-runtime's resync period). */
  resyncEveryMs: number;
  /** How often a dead-lettered stack is tried again while its spec is unchanged. */
  deadLetterRetryMs: number;
  /**
   * Slack for a schedule that fires about every minute: a pass made a little less than `resyncEveryMs`
   * ago counts as due, so that a stack is not skipped for a whole extra period.
   */
  slackMs?: number;
}

export const DEFAULT_DUE_OPTIONS: DueOptions = {
  resyncEveryMs: 60_000,
  deadLetterRetryMs: 15 * 60_000,
  slackMs: 10_000,
};

export type DueVerdict = { due: true; reason: DueReason } | { due: false; nextAt?: number };

function conditionOf(record: StackRecord, type: string): Condition | undefined {
  return record.status?.conditions.find((c) => c.type === type);
}

/** Whether `record` is due at `now`, and why; if not, when it next will be (when known). */
export function dueVerdict(
  record: StackRecord,
  now: number,
  options: DueOptions = DEFAULT_DUE_OPTIONS,
): DueVerdict {
  const slack = options.slackMs ?? 0;
  const status = record.status;
  // The reconciler kept failing on this spec: tried again at the retry interval, or once it is edited.
  const dead = record.bookkeeping.deadLettered;
  const deleteAfter =
    record.deletionRequestedAt !== undefined && record.deletionRequestedAt > (dead?.at ?? 0);
  if (dead && dead.generation === record.generation && !deleteAfter) {
    const at = dead.at + options.deadLetterRetryMs;
    return now + slack >= at ? { due: true, reason: 'dead-letter retry' } : { due: false, nextAt: at };
  }
  if (record.deletionRequestedAt !== undefined) return { due: true, reason: 'deletion requested' };
  const lastPass = status?.lastPass;
  if (!status || !lastPass) {
    // A record never passed, or only judged invalid: an invalid spec waits for its next edit (the
    // change feed), and is looked at again at the resync.
    const invalid = status && conditionOf(record, 'SpecValid')?.status === 'False';
    if (!invalid) return { due: true, reason: 'new stack' };
  }
  const invalidNow = conditionOf(record, 'SpecValid')?.status === 'False';
  if (status && status.observedGeneration !== record.generation && !invalidNow) {
    return { due: true, reason: 'spec changed' };
  }
  const since = lastPass?.at ?? conditionOf(record, 'SpecValid')?.lastTransitionTime ?? 0;
  const terminal = record.bookkeeping.terminal;
  if (terminal && terminal.generation === record.generation) {
    return { due: true, reason: 'stopped by a terminal error: traffic watched' };
  }
  const requeueAt =
    lastPass?.requeueAfterMs === undefined ? undefined : lastPass.at + lastPass.requeueAfterMs;
  if (requeueAt !== undefined && now >= requeueAt) return { due: true, reason: 'requeue time reached' };
  if (status && !isStable(status.phase)) {
    // Its last pass said when it has something to look at (an ALB takes three minutes to provision): a
    // resync before then would only ask AWS the same question, a thousand times over in a fleet switching
    // tiers at once. A pass that died before saying leaves the earlier pass's time, long reached.
    if (requeueAt === undefined) return { due: true, reason: 'between tiers' };
    return { due: false, nextAt: requeueAt };
  }
  const resyncAt = since + options.resyncEveryMs;
  if (now + slack >= resyncAt) return { due: true, reason: 'periodic resync' };
  return { due: false, nextAt: Math.min(resyncAt, requeueAt ?? Infinity) };
}
