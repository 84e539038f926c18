/**
 * The shift as a pass leaves it, once its writes to Route 53 have answered (or not): whether the records'
 * Fargate 0 is as a change of ours wrote it whose id is kept (`ShiftState.knownChange`, safety rule 2).
 *
 * - The pass asked for the weights to be written again (`rewriteWeights`) and the lambda record's step,
 *   which then always sends a change, was answered (its record comes back marked `rewritten`): that
 *   change's id is kept with this shift (the pending changes are written in the same record write), so
 *   its INSYNC is the one the drain starts from.
 * - A write of the records that failed may still have been taken by Route 53 (a timeout or a 5xx after
 *   it was accepted, an SDK retry refused by the change it had made): its id is not known, so neither is
 *   what the records' INSYNC says; the next pass writes them again.
 *
 * A pass that dies before its record write leaves the shift of the pass before: whatever it had taken
 * from Route 53 is then not known either, and that shift, not vouched for at Fargate 0 by such a change
 * (`shiftBeforeWrites` took the mark out of the record before the pass wrote), sends the next pass to
 * write the records again.
 */
import type { ApplyResult, Plan, PlanStep } from '../engine/types';
import { DNS_KEYS, LEFTOVERS_KEY, type ShiftState, type TrafficDecision } from './decision';

const RECORD_KEYS: readonly string[] = Object.values(DNS_KEYS);

/**
 * Whether a step may change what Route 53 answers for the stack: a write of the pair, or the removal of the
 * records left at a name the spec dropped (route53/dns-leftovers.ts), which takes traffic off Fargate there.
 */
function writesRecord(step: PlanStep): boolean {
  if (step.key === LEFTOVERS_KEY) return step.action === 'delete' && step.target === undefined;
  return (step.action === 'create' || step.action === 'update') && RECORD_KEYS.includes(step.key);
}

/**
 * The steps that, asked to write the weights again, always send a change and answer a record marked
 * `rewritten`: the lambda record's (the pair as held) and the leftovers' (their TXT as held, or the
 * removal of their records).
 */
const REWRITING_KEYS: readonly string[] = [DNS_KEYS.lambda, LEFTOVERS_KEY];

export function shiftAfterApply(
  traffic: Pick<TrafficDecision, 'shift' | 'rewriteWeights'>,
  plan: Plan,
  result: Pick<ApplyResult, 'outcomes' | 'observation'>,
): ShiftState {
  const shift = pairShiftAfterApply(traffic, plan, result);
  const oldName = oldNameAfterApply(traffic, plan, result);
  return oldName ? { ...shift, oldName } : shift;
}

/**
 * The old name's drain (old-name.ts) as the pass leaves it: vouched for by the change of its step that
 * removed the records there, or wrote the TXT again when asked to (answered `rewritten`), once that step
 * answered (its change's id goes into the same record write, `pendingChanges`). A step that failed may
 * still have been taken: not vouched for, its TXT is written again by the next pass.
 */
function oldNameAfterApply(
  traffic: Pick<TrafficDecision, 'shift' | 'rewriteWeights'>,
  plan: Plan,
  result: Pick<ApplyResult, 'outcomes' | 'observation'>,
): ShiftState['oldName'] {
  const oldName = traffic.shift.oldName;
  const step = plan.steps.find((s) => s.key === LEFTOVERS_KEY && writesRecord(s));
  if (oldName === undefined || oldName.waited || step === undefined) return oldName;
  const answered = (s: PlanStep) => ['done', 'waiting'].includes(result.outcomes[s.id]?.status ?? '');
  const writes = plan.steps.filter(writesRecord);
  if (!writes.every(answered)) return {};
  // Asked to write again, every step that does must have answered with its change (in the spec's zone
  // the pair's change stands for the old name's: route53/leftover-changes.ts).
  const rewritten = (s: PlanStep) => result.observation.resources[s.key]?.attributes.rewritten === true;
  const vouched =
    !traffic.rewriteWeights || writes.filter((s) => REWRITING_KEYS.includes(s.key)).every(rewritten);
  return vouched ? { knownChange: true } : {};
}

function pairShiftAfterApply(
  traffic: Pick<TrafficDecision, 'shift' | 'rewriteWeights'>,
  plan: Plan,
  result: Pick<ApplyResult, 'outcomes' | 'observation'>,
): ShiftState {
  const { knownChange: _vouched, ...unvouched } = traffic.shift;
  const writes = plan.steps.filter(writesRecord);
  const status = (step: PlanStep) => result.outcomes[step.id]?.status;
  if (writes.some((step) => status(step) === 'retryable' || status(step) === 'terminal')) return unvouched;
  // Every step that writes again must have answered with its change: one of the stack's names left
  // unwritten has no change of this pass's behind it.
  const rewrites = writes.filter((step) => REWRITING_KEYS.includes(step.key));
  const rewritten =
    rewrites.length > 0 &&
    rewrites.every((step) => result.observation.resources[step.key]?.attributes.rewritten === true);
  if (traffic.rewriteWeights && traffic.shift.fargateWeight === 0 && rewritten) {
    return { ...unvouched, knownChange: true };
  }
  return traffic.shift;
}

/**
 * The shift to keep in the record while a pass writes the weighted records, or undefined when the record
 * needs no write for it (the plan writes no record, or the shift has no mark to drop). Without this, the
 * mark of an earlier known change outlives a later write whose id is lost with its pass: a drain started
 * from a known change, then a pass asking for Fargate again and one asking for Lambda again, both dying
 * after Route 53 took their change, leave the records at Fargate 0 "in sync" by the old change, and the
 * next pass would go on draining from it while servers still answer Fargate from the lost ones. The
 * drain goes too: one already waited out lets the next pass delete the Fargate tier without the mark. A
 * pass that lives to its record write puts back what it vouches for (`shiftAfterApply`); one that dies
 * leaves records the next pass writes again and waits on (longer, never shorter).
 */
export function shiftBeforeWrites(shift: ShiftState | undefined, plan: Plan): ShiftState | undefined {
  if (shift === undefined || !plan.steps.some(writesRecord)) return undefined;
  // The old name's drain alike (old-name.ts), but once waited out: what a pass writes there then is the
  // TXT's removal, which takes no lookup away from the ALB.
  const oldName = shift.oldName;
  const oldNameMarked =
    oldName !== undefined && !oldName.waited && (oldName.knownChange || oldName.since !== undefined);
  if (shift.knownChange === undefined && shift.drain === undefined && !oldNameMarked) return undefined;
  const { knownChange: _mark, drain: _drain, oldName: _oldName, ...unmarked } = shift;
  return { ...unmarked, ...(oldName ? { oldName: oldNameMarked ? {} : oldName } : {}) };
}

/**
 * Whether the records' Fargate 0 is as a change of ours wrote it whose id was kept (`knownChange`), so
 * that their INSYNC is that change's. Route 53 lists no change of a zone: a pass that dies after Route 53
 * took the change moving traffic off Fargate, before its id is kept, leaves the next pass the records
 * at 0 and nothing to ask GetChange about, up to a whole propagation before every Route 53 server has
 * them; a write whose answer never came (a timeout, a 5xx) leaves the same. Counted from such an
 * "in sync", the drain would start early. So the records are written again (the same UPSERT, guarded by
 * the ownership TXT) and the drain waits on that change: it carries the same values, so once it is
 * INSYNC every server answers them, whichever of the two changes it applied last (docs/design.md, "How
 * traffic moves"). Of the three ways to close the gap this is the simplest correct one: journaling
 * an intent before each change would only tell that a change may be lost, after which the records
 * must be written again all the same; and no bound on the lost change's propagation holds, Route 53
 * promises 60 s only "under normal conditions".
 */
export function vouchedDown(previous: ShiftState | undefined): boolean {
  return previous?.fargateWeight === 0 && previous.knownChange === true;
}
