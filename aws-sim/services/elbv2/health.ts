/**
 * Target health, computed from timestamps at the moment it is asked (so the answer does not depend on how
 * finely the clock was advanced). Reason codes from the ELBv2 API reference, TargetHealth:
 * - no listener forwards to the group: `unused` / Target.NotInUse;
 * - load balancer not yet active: `initial` / Elb.RegistrationInProgress;
 * - then `initial` / Elb.InitialHealthChecking for HealthCheckIntervalSeconds × HealthyThresholdCount,
 *   then `healthy` (or, with the `unhealthy` fault, `unhealthy` after × UnhealthyThresholdCount);
 * - deregistered: `draining` / Target.DeregistrationInProgress for the deregistration delay, then gone.
 */
import type { FaultConfig } from '../../core/faults';
import { listenersForwardingTo } from './lookup';
import type { Elbv2State, RegisteredTarget, TargetGroupRecord } from './state';

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining';

export interface TargetHealth {
  State: TargetState;
  Reason?: string;
  Description?: string;
}

export function deregistrationDelayMs(group: TargetGroupRecord): number {
  return Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300') * 1000;
}

/** Whether a deregistered target has finished draining at `now`. */
export function isGone(group: TargetGroupRecord, target: RegisteredTarget, now: number): boolean {
  return target.deregisteredAt !== undefined && now >= target.deregisteredAt + deregistrationDelayMs(group);
}

/** When the group started receiving traffic from an active load balancer, or undefined if it does not. */
function inServiceSince(
  state: Elbv2State,
  group: TargetGroupRecord,
  now: number,
): number | 'no-listener' | undefined {
  const listeners = listenersForwardingTo(state, group.arn);
  if (listeners.length === 0) return 'no-listener';
  let since: number | undefined;
  for (const listener of listeners) {
    const activeAt = state.loadBalancers[listener.loadBalancerArn]?.activeAt;
    if (activeAt === undefined || activeAt > now) continue;
    const start = Math.max(activeAt, listener.createdAt);
    since = since === undefined ? start : Math.min(since, start);
  }
  return since;
}

/** Since when a target has been healthy, or undefined if it is not healthy now. */
export function healthySince(
  state: Elbv2State,
  group: TargetGroupRecord,
  target: RegisteredTarget,
  now: number,
  faults: FaultConfig,
): number | undefined {
  if (faults.unhealthy || target.deregisteredAt !== undefined) return undefined;
  const since = inServiceSince(state, group, now);
  if (typeof since !== 'number') return undefined;
  const healthyAt =
    Math.max(since, target.registeredAt) +
    group.healthCheck.intervalSeconds * 1000 * group.healthCheck.healthyThresholdCount;
  return healthyAt <= now ? healthyAt : undefined;
}

export function targetHealth(
  state: Elbv2State,
  group: TargetGroupRecord,
  target: RegisteredTarget,
  now: number,
  faults: FaultConfig,
): TargetHealth | undefined {
  if (target.deregisteredAt !== undefined) {
    if (isGone(group, target, now)) return undefined;
    return {
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    };
  }
  const since = inServiceSince(state, group, now);
  if (since === 'no-listener') {
    return {
      State: 'unused',
      Reason: 'Target.NotInUse',
      Description: 'Target group is not configured to receive traffic from the load balancer',
    };
  }
  if (since === undefined) {
    return {
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    };
  }
  const start = Math.max(since, target.registeredAt);
  const intervalMs = group.healthCheck.intervalSeconds * 1000;
  if (faults.unhealthy) {
    if (now >= start + intervalMs * group.healthCheck.unhealthyThresholdCount) {
      return {
        State: 'unhealthy',
        Reason: 'Target.ResponseCodeMismatch',
        Description: 'Health checks failed with these codes: [502]',
      };
    }
  } else if (now >= start + intervalMs * group.healthCheck.healthyThresholdCount) {
    return { State: 'healthy' };
  }
  return {
    State: 'initial',
    Reason: 'Elb.InitialHealthChecking',
    Description: 'Initial health checks in progress',
  };
}
