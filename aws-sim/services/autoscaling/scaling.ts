/**
 * Target tracking, once per simulated minute. For ALBRequestCountPerTarget the capacity that meets the
 * target is ceil(requests in the last minute / TargetValue): requests per target per minute is the
 * metric, so capacity × metric / target = requests / target. It is kept within min and max and applied
 * subject to cooldowns ("Target tracking scaling policies", Application Auto Scaling user guide):
 * - scale out at most once per ScaleOutCooldown (default 60 s here);
 * - scale in (unless DisableScaleIn or suspended) only ScaleInCooldown (default 300 s) after the last
 *   scaling activity of either direction, so a service never shrinks right after growing;
 * - with several policies on one target, the largest capacity wins (AWS: "scale out if any policy
 *   says so, scale in only if all do").
 * The request count comes from the target group's `requestCountLastMinute`, written by the traffic model;
 * without it (no data) nothing changes, as an alarm in INSUFFICIENT_DATA triggers nothing.
 * Other metrics (CPU, memory) are not simulated and never trigger scaling.
 */
import type { SimAccount } from '../../core/account';
import { findTargetGroup } from '../elbv2/api';
import { currentCapacity, scaleTo } from './activities';
import type { AutoscalingState, ScalingPolicyRecord } from './state';

const DEFAULT_SCALE_OUT_COOLDOWN_S = 60;
const DEFAULT_SCALE_IN_COOLDOWN_S = 300;

interface Proposal {
  capacity: number;
  policy: ScalingPolicyRecord;
}

function requestCountOf(account: SimAccount, resourceLabel: string): number | undefined {
  const path = resourceLabel.slice(resourceLabel.indexOf('targetgroup/'));
  return findTargetGroup(account, account.arn('elasticloadbalancing', path))?.requestCountLastMinute;
}

function propose(account: SimAccount, policy: ScalingPolicyRecord): number | undefined {
  const config = policy.targetTracking;
  const metric = config?.PredefinedMetricSpecification;
  if (!config || metric?.PredefinedMetricType !== 'ALBRequestCountPerTarget' || !metric.ResourceLabel)
    return undefined;
  const requests = requestCountOf(account, metric.ResourceLabel);
  if (requests === undefined) return undefined;
  return Math.ceil(requests / config.TargetValue);
}

export function tickAutoscaling(state: AutoscalingState, account: SimAccount): void {
  const now = account.now();
  const byTarget = new Map<string, Proposal[]>();
  for (const policy of Object.values(state.policies)) {
    const capacity = propose(account, policy);
    if (capacity === undefined) continue;
    const list = byTarget.get(policy.targetKey) ?? [];
    list.push({ capacity, policy });
    byTarget.set(policy.targetKey, list);
  }
  for (const [key, proposals] of byTarget) {
    const target = state.targets[key];
    const current = target && currentCapacity(account, target);
    if (!target || current === undefined) continue;
    const best = proposals.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    const wanted = Math.min(target.maxCapacity, Math.max(target.minCapacity, best.capacity));
    const config = best.policy.targetTracking!;
    const cause = `monitor alarm ${best.policy.alarms[wanted > current ? 0 : 1]?.AlarmName ?? best.policy.name} in state ALARM triggered policy ${best.policy.name}`;
    if (wanted > current) {
      if (target.suspended.dynamicScalingOutSuspended) continue;
      const cooldownMs = (config.ScaleOutCooldown ?? DEFAULT_SCALE_OUT_COOLDOWN_S) * 1000;
      if (target.lastScaleOutAt !== undefined && now < target.lastScaleOutAt + cooldownMs) continue;
      scaleTo(account, state, target, key, wanted, cause);
    } else if (wanted < current) {
      if (config.DisableScaleIn || target.suspended.dynamicScalingInSuspended) continue;
      if (proposals.some((p) => p.policy.targetTracking?.DisableScaleIn)) continue;
      const cooldownMs = (config.ScaleInCooldown ?? DEFAULT_SCALE_IN_COOLDOWN_S) * 1000;
      const lastActivity = Math.max(target.lastScaleInAt ?? -Infinity, target.lastScaleOutAt ?? -Infinity);
      if (now < lastActivity + cooldownMs) continue;
      scaleTo(account, state, target, key, wanted, cause);
    }
  }
}
