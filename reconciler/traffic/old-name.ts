/**
 * Safety rule 2 at a name the spec dropped while the stack stays on Fargate (or goes there): `dns` taken
 * out of the spec takes `dns.certificateArn` with it, so the HTTPS listener is no longer wanted; but the
 * records left at the old name (route53/dns-leftovers.ts) send resolvers to the ALB, over HTTPS for
 * clients that used the name, until their removal is INSYNC and resolvers have let go of the answer.
 * So the old name drains as the way down drains the records (drain.ts), with the same pieces:
 *
 * - its records go and its ownership TXT stays (`Intent.drainingRecords`), so that a pass that lost the
 *   id of the change that removed them (it died after Route 53 took it) finds something of the stack's
 *   there to write again and wait on (`rewriteWeights`, as known-change.ts does for the pair);
 * - the removal is in sync by a change whose id a pass kept (`OldNameDrain.knownChange`, set by
 *   known-change.ts once the step answered, dropped before a pass writes there again);
 * - then TTL × 2 and the deregistration delay on both clocks (drain-clock.ts);
 * - until then the HTTPS listener the spec no longer wants is waited on, not deleted, and the load
 *   balancer's security group keeps its port (pass/plan.ts, elbv2/listener.ts); once over, the TXT and
 *   the listener go (nothing of the stack's the spec no longer wants is left).
 *
 * A stack asked for Lambda while the old name drains goes down with the TXT still there: the way down
 * reads it (records.ts), writes it again to wait on a change it knows, and waits the whole drain before
 * the Fargate tier goes (longer than what was left, never shorter).
 */
import type { ObservedResource } from '../resources/types';
import { LEFTOVERS_KEY, type OldNameDrain, type Routed, type TrafficInput } from './decision';
import { drainWaitMs, onOurClock, waitLeftMs } from './drain-clock';

/** What the old name asks of this pass: its drain to keep, whether it still drains, and a write to wait on. */
export interface OldNameVerdict {
  /** The drain to keep in the shift; undefined when nothing is left to drain (or never was). */
  oldName?: OldNameDrain;
  /** The old name may still send lookups to the ALB: its TXT and the HTTPS listener stay. */
  drains: boolean;
  /** Its removal is in sync by no change this reconciler knows: the TXT is written again to wait on. */
  rewrite?: true;
  /** What the drain waits for, in words. */
  awaiting?: string;
}

/** Whether any weighted record of the stack is still left at a name the spec dropped. */
function recordsLeft(leftovers: ObservedResource): boolean {
  const extra = leftovers.extra as { leftovers?: { records?: unknown[] }[] } | undefined;
  return (extra?.leftovers ?? []).some((left) => (left.records?.length ?? 0) > 0);
}

/** The old name's drain as this pass finds it (pure). */
export function oldNameVerdict(input: TrafficInput): OldNameVerdict {
  const { observation, previous } = input;
  const before = previous?.oldName;
  if (LEFTOVERS_KEY in observation.unknown) {
    // Unknown is not absent (safety rule 6): what was kept is kept, and nothing it guards goes.
    return before?.waited
      ? { oldName: before, drains: false }
      : { ...(before ? { oldName: before } : {}), drains: true };
  }
  const found = observation.resources[LEFTOVERS_KEY];
  const leftovers = found && !found.foreign ? found : undefined;
  if (leftovers && recordsLeft(leftovers)) {
    // Records still there (or back): the drain starts again from their removal.
    return { oldName: {}, drains: true, awaiting: 'the records at the old name to be removed' };
  }
  if (leftovers) {
    // Only the TXT left, or the removal's change PENDING.
    if (before?.waited) return { oldName: before, drains: false };
    if (!leftovers.ready) {
      return {
        oldName: before?.knownChange ? { knownChange: true } : {},
        drains: true,
        awaiting: 'Route 53 to have the old name’s records removed',
      };
    }
    if (!before?.knownChange) {
      return {
        oldName: {},
        drains: true,
        rewrite: true,
        awaiting: 'a change of ours at the old name to wait on (its records gone by a change not known)',
      };
    }
    return waitFrom(input, before);
  }
  // Nothing of the stack's at the old name any more: a drain under way runs out; one over is done.
  if (before === undefined || before.waited) return { drains: false };
  return waitFrom(input, before);
}

/** In sync by a known change (or nothing left there): TTL × 2 and the deregistration delay from then. */
function waitFrom(input: TrafficInput, before: OldNameDrain): OldNameVerdict {
  const aws = input.awsTime;
  if (before.since === undefined && !aws)
    return { oldName: before, drains: true, awaiting: 'an AWS answer dated this pass' };
  // `before` is never waited here (both callers return first): only its known change is carried on.
  const kept =
    before.since !== undefined
      ? onOurClock({ ...before, since: before.since }, input.now)
      : { ...before, since: aws!.latest, localSince: input.now };
  const left = waitLeftMs(kept, drainWaitMs(input.spec, input.observation), input);
  if (left > 0) {
    const seconds = Number.isFinite(left)
      ? `${Math.ceil(left / 1000)} s more of`
      : 'an AWS answer dated this pass for';
    return {
      oldName: kept,
      drains: true,
      awaiting: `${seconds} the old name’s drain (TTL × 2 + deregistration delay, in AWS's time)`,
    };
  }
  return { oldName: { ...kept, waited: true }, drains: false };
}

/**
 * The decision of the way up with the old name's drain in it: the drain kept in the shift, and while it
 * lasts the flag that keeps the TXT and the HTTPS listener (and asks for a write to wait on, when needed).
 */
export function withOldNameDrain(input: TrafficInput, routed: Routed): Routed {
  const verdict = oldNameVerdict(input);
  const { oldName: _before, ...shift } = routed.shift;
  return {
    ...routed,
    shift: verdict.oldName ? { ...shift, oldName: verdict.oldName } : shift,
    ...(verdict.drains ? { oldNameDrains: true as const } : {}),
    ...(verdict.rewrite ? { rewriteWeights: true as const } : {}),
    ...(verdict.drains && verdict.awaiting && routed.awaiting === undefined
      ? { awaiting: verdict.awaiting }
      : {}),
  };
}
