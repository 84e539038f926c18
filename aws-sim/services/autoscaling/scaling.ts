/**
 * Target tracking, once per simulated minute, as the CloudWatch alarms Application Auto Scaling creates
 * decide it (target-tracking.ts; docs/aws-facts.md): each minute adds a datapoint of ALBRequestCountPerTarget
 * (the ALB's requests over the healthy targets) to the policy; the scale-out alarm fires after 3
 * consecutive datapoints above the target, the scale-in alarm after 15 below 90 % of it, and the capacity
 * asked for is ceil(requests in the latest minute / TargetValue), kept within min and max and applied
 * subject to cooldowns ("Target tracking scaling policies", Application Auto Scaling user guide):
 * - scale out at most once per ScaleOutCooldown (300 s by default for ECS services, as AWS's);
 * - scale in (unless DisableScaleIn or suspended) only ScaleInCooldown (300 s by default) after the last
 *   scaling activity of either direction, so a service never shrinks right after growing;
 * - with several policies on one target, the largest capacity wins (AWS: "scale out if any policy
 *   says so, scale in only if all do").
 * The alarms see a minute once the simulated CloudWatch has published it (its metric delay, 2 minutes by
 * default), as the reconciler's metric reads do.
 * The request count comes from the target group's `requestCountLastMinute`, written by the traffic model;
 * without it, or without a healthy target to count per, the minute has no datapoint: it breaks the
 * alarms' runs, and target tracking does not scale on insufficient data.
 * Other metrics (CPU, memory) are not simulated and never trigger scaling.
 */
import type { SimAccount } from '../../core/account';
import type { CloudwatchState } from '../cloudwatch/state';
import { MINUTE_MS } from '../../../util/time';
import { findTargetGroup, healthyTargetCount } from '../elbv2/api';
import { currentCapacity, scaleTo } from './activities';
import type { AutoscalingState, ScalableTargetRecord, ScalingPolicyRecord } from './state';
import {
  cooldownAllows,
  keepDatapoints,
  publishedDatapoints,
  trackingProposal,
  type RequestCountDatapoint,
  type TrackingCooldowns,
} from './target-tracking';

// AWS's defaults for ECS services; the reconciler sets both explicitly.
const DEFAULT_SCALE_OUT_COOLDOWN_S = 300;
const DEFAULT_SCALE_IN_COOLDOWN_S = 300;

interface Proposal {
  capacity: number;
  policy: ScalingPolicyRecord;
}

function datapointOf(account: SimAccount, resourceLabel: string): RequestCountDatapoint | null {
  const path = resourceLabel.slice(resourceLabel.indexOf('targetgroup/'));
  const arn = account.arn('elasticloadbalancing', path);
  const requests = findTargetGroup(account, arn)?.requestCountLastMinute;
  if (requests === undefined) return null;
  const healthyTargets = healthyTargetCount(account, arn);
  return healthyTargets > 0 ? { requests, healthyTargets } : null;
}

/**
 * Whole minutes the simulated CloudWatch takes to publish a minute's metrics: the alarms evaluate only
 * what it has published, as the reconciler's metric reads do.
 */
function publishDelayMinutes(account: SimAccount): number {
  const delayMs = account.stateOf<CloudwatchState | undefined>('cloudwatch')?.config.metricDelayMs ?? 0;
  return Math.ceil(delayMs / MINUTE_MS);
}

/** Records the minute's datapoint on the policy and returns the capacity its alarms ask for, if any. */
function propose(account: SimAccount, policy: ScalingPolicyRecord, current: number): number | undefined {
  const config = policy.targetTracking;
  const metric = config?.PredefinedMetricSpecification;
  if (!config || metric?.PredefinedMetricType !== 'ALBRequestCountPerTarget' || !metric.ResourceLabel)
    return undefined;
  const delay = publishDelayMinutes(account);
  const datapoints = [...(policy.datapoints ?? []), datapointOf(account, metric.ResourceLabel)];
  policy.datapoints = keepDatapoints(datapoints, undefined, delay);
  const published = publishedDatapoints(policy.datapoints, delay);
  return trackingProposal(published, config.TargetValue, current)?.capacity;
}

function cooldownsOf(
  target: ScalableTargetRecord,
  config: NonNullable<ScalingPolicyRecord['targetTracking']>,
): TrackingCooldowns {
  return {
    scaleOutMs: (config.ScaleOutCooldown ?? DEFAULT_SCALE_OUT_COOLDOWN_S) * 1000,
    scaleInMs: (config.ScaleInCooldown ?? DEFAULT_SCALE_IN_COOLDOWN_S) * 1000,
    ...(target.lastScaleOutAt === undefined ? {} : { lastScaleOutAt: target.lastScaleOutAt }),
    ...(target.lastScaleInAt === undefined ? {} : { lastScaleInAt: target.lastScaleInAt }),
  };
}

export function tickAutoscaling(state: AutoscalingState, account: SimAccount): void {
  const now = account.now();
  const byTarget = new Map<string, Proposal[]>();
  for (const policy of Object.values(state.policies)) {
    const target = state.targets[policy.targetKey];
    const current = target && currentCapacity(account, target);
    if (current === undefined) continue;
    const capacity = propose(account, policy, current);
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
      if (!cooldownAllows('out', now, cooldownsOf(target, config))) continue;
      scaleTo(account, state, target, key, wanted, cause);
    } else if (wanted < current) {
      if (config.DisableScaleIn || target.suspended.dynamicScalingInSuspended) continue;
      if (proposals.some((p) => p.policy.targetTracking?.DisableScaleIn)) continue;
      if (!cooldownAllows('in', now, cooldownsOf(target, config))) continue;
      scaleTo(account, state, target, key, wanted, cause);
    }
  }
}
