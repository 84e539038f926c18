/** Scaling activities: what changed a target's capacity and why (DescribeScalingActivities). */
import type { SimAccount } from '../../core/account';
import { findEcsService, setServiceDesiredCount } from '../ecs/api';
import { ecsServiceOf } from './resource-id';
import { MAX_ACTIVITIES, type AutoscalingState, type ScalableTargetRecord } from './state';

/** Sets the ECS service's desired count and records the activity; false when the service is gone. */
export function scaleTo(
  account: SimAccount,
  state: AutoscalingState,
  target: ScalableTargetRecord,
  key: string,
  capacity: number,
  cause: string,
): boolean {
  const { clusterName, serviceName } = ecsServiceOf(target.resourceId);
  const current = findEcsService(account, clusterName, serviceName)?.desiredCount;
  if (current === undefined || current === capacity) return false;
  if (!setServiceDesiredCount(account, clusterName, serviceName, capacity)) return false;
  state.activities.push({
    id: account.newId('', 32),
    targetKey: key,
    description: `Setting desired count to ${capacity}.`,
    cause,
    at: account.now(),
  });
  if (state.activities.length > MAX_ACTIVITIES)
    state.activities.splice(0, state.activities.length - MAX_ACTIVITIES);
  if (capacity > current) target.lastScaleOutAt = account.now();
  else target.lastScaleInAt = account.now();
  return true;
}

/** Current desired count of the target's ECS service, or undefined when the service is gone. */
export function currentCapacity(account: SimAccount, target: ScalableTargetRecord): number | undefined {
  const { clusterName, serviceName } = ecsServiceOf(target.resourceId);
  const service = findEcsService(account, clusterName, serviceName);
  return service?.status === 'ACTIVE' ? service.desiredCount : undefined;
}
