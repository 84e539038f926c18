/** Finding ELBv2 resources by ARN or name, failing with the error code AWS uses for each kind. */
import { derivedIndex, groupBy } from '../../core/derived';
import type { OperationContext } from '../../core/service';
import type { TagMap } from '../../core/tags';
import type { Elbv2State, ListenerRecord, LoadBalancerRecord, TargetGroupRecord } from './state';

type Ctx = OperationContext<Elbv2State>;

export function loadBalancerOrFail(ctx: Ctx, arn: string): LoadBalancerRecord {
  return ctx.state.loadBalancers[arn] ?? ctx.fail('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
}

export function targetGroupOrFail(ctx: Ctx, arn: string): TargetGroupRecord {
  return ctx.state.targetGroups[arn] ?? ctx.fail('TargetGroupNotFound', `Target groups '${arn}' not found`);
}

export function listenerOrFail(ctx: Ctx, arn: string): ListenerRecord {
  return ctx.state.listeners[arn] ?? ctx.fail('ListenerNotFound', `Listener '${arn}' not found`);
}

/** Any taggable resource: the ARN's resource type (`loadbalancer/`, `targetgroup/`, `listener/`) says which. */
export function taggableByArn(ctx: Ctx, arn: string): { tags: TagMap } {
  const resource = arn.split(':')[5] ?? '';
  if (resource.startsWith('loadbalancer/')) return loadBalancerOrFail(ctx, arn);
  if (resource.startsWith('targetgroup/')) return targetGroupOrFail(ctx, arn);
  if (resource.startsWith('listener/')) return listenerOrFail(ctx, arn);
  return ctx.fail('ValidationError', `'${arn}' is not a valid load balancer, target group or listener ARN`);
}

/**
 * Listeners by load balancer and by the target groups they forward to: target health asks for a group's
 * listeners for every target at every refresh, which a scan of all listeners made quadratic in stacks.
 */
const listenerIndex = derivedIndex((listeners: Elbv2State['listeners']) => {
  const all = Object.values(listeners);
  return {
    byLoadBalancer: groupBy(all, (listener) => [listener.loadBalancerArn]),
    byTargetGroup: groupBy(all, forwardedTargetGroups),
  };
});

/** After CreateListener, ModifyListener, DeleteListener and DeleteLoadBalancer. */
export function listenersChanged(state: Elbv2State): void {
  listenerIndex.invalidate(state.listeners);
}

const NONE: readonly ListenerRecord[] = [];

/** Listeners of a load balancer, in creation order. */
export function listenersOf(state: Elbv2State, loadBalancerArn: string): readonly ListenerRecord[] {
  return listenerIndex.get(state.listeners).byLoadBalancer.get(loadBalancerArn) ?? NONE;
}

/** Target groups a listener's default actions forward to (plain `TargetGroupArn` or `ForwardConfig`). */
export function forwardedTargetGroups(listener: ListenerRecord): string[] {
  const arns = new Set<string>();
  for (const action of listener.defaultActions) {
    if (action.Type !== 'forward') continue;
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const weighted of action.ForwardConfig?.TargetGroups ?? []) {
      if (weighted.TargetGroupArn) arns.add(weighted.TargetGroupArn);
    }
  }
  return [...arns];
}

/** Listeners that forward to the target group, in creation order. */
export function listenersForwardingTo(state: Elbv2State, targetGroupArn: string): readonly ListenerRecord[] {
  return listenerIndex.get(state.listeners).byTargetGroup.get(targetGroupArn) ?? NONE;
}

/** Load balancers whose listeners forward to the target group (DescribeTargetGroups' LoadBalancerArns). */
export function loadBalancersOfTargetGroup(state: Elbv2State, targetGroupArn: string): string[] {
  return [...new Set(listenersForwardingTo(state, targetGroupArn).map((l) => l.loadBalancerArn))];
}
