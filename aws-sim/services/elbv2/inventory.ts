/** ELBv2 resources for `lambdaflex sim resources`, with CloudFormation type names. */
import type { SimAccount } from '../../core/account';
import type { InventoryItem } from '../../core/service';
import { loadBalancerStateCode } from './shapes';
import type { Elbv2State } from './state';

export function elbv2Inventory(state: Elbv2State, account: SimAccount): InventoryItem[] {
  const items: InventoryItem[] = [];
  for (const lb of Object.values(state.loadBalancers)) {
    items.push({
      type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      id: lb.arn,
      name: lb.name,
      arn: lb.arn,
      state: loadBalancerStateCode(lb, account.now()),
      tags: { ...lb.tags },
    });
  }
  for (const group of Object.values(state.targetGroups)) {
    items.push({
      type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      id: group.arn,
      name: group.name,
      arn: group.arn,
      tags: { ...group.tags },
    });
  }
  for (const listener of Object.values(state.listeners)) {
    items.push({
      type: 'AWS::ElasticLoadBalancingV2::Listener',
      id: listener.arn,
      name: `${listener.protocol}:${listener.port}`,
      arn: listener.arn,
      tags: { ...listener.tags },
    });
  }
  return items;
}
