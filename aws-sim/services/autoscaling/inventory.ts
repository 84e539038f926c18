/** Application Auto Scaling resources for `lambdaflex sim resources`, with CloudFormation type names. */
import type { InventoryItem } from '../../core/service';
import type { AutoscalingState } from './state';

export function autoscalingInventory(state: AutoscalingState): InventoryItem[] {
  const items: InventoryItem[] = [];
  for (const target of Object.values(state.targets)) {
    items.push({
      type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      id: target.arn,
      name: target.resourceId,
      arn: target.arn,
      state: `${target.minCapacity}-${target.maxCapacity}`,
      tags: { ...target.tags },
    });
  }
  for (const policy of Object.values(state.policies)) {
    items.push({
      type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      id: policy.arn,
      name: policy.name,
      arn: policy.arn,
      tags: {},
    });
  }
  return items;
}
