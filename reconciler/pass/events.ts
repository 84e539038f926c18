/**
 * The pass's events: phase changes, new errors, rollbacks, and (without `dns`) the Fargate tier turning
 * unhealthy; a repeated error is not logged again.
 */
import type { StackEvent, StackStatus } from '../state/types';
import type { TrafficDecision } from '../traffic/shift';

export function eventsOf(
  before: StackStatus | undefined,
  after: StackStatus,
  now: number,
  traffic: Pick<TrafficDecision, 'rollback' | 'unhealthy'>,
): StackEvent[] {
  const events: StackEvent[] = [];
  if (traffic.rollback) {
    events.push({
      at: now,
      type: 'Warning',
      reason: 'RolledBack',
      message: `traffic moved back to Lambda: ${traffic.rollback}`,
    });
  }
  if (traffic.unhealthy && traffic.unhealthy.since === now) {
    events.push({
      at: now,
      type: 'Warning',
      reason: 'FargateUnhealthy',
      message:
        `the Fargate tier turned unhealthy (${traffic.unhealthy.why}); no custom domain, so no traffic to ` +
        "move back: clients calling the ALB's URL should call the API's URL until its targets are healthy again",
    });
  }
  if (before?.phase !== after.phase) {
    events.push({
      at: now,
      type: 'Normal',
      reason: 'PhaseChanged',
      message: `${before?.phase ?? 'none'} → ${after.phase}: ${String(after.reason ?? '')}`,
    });
  }
  const errorsBefore = before?.conditions.find((c) => c.type === 'Errors')?.message;
  const errorsAfter = after.conditions.find((c) => c.type === 'Errors');
  if (errorsAfter && errorsAfter.message !== errorsBefore) {
    events.push({ at: now, type: 'Warning', reason: errorsAfter.reason, message: errorsAfter.message });
  }
  return events;
}
