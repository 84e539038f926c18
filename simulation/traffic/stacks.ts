/**
 * The resources that carry one stack's traffic, found by the `lambdaflex:stack` tag in the simulated
 * services' states: Lambda function, HTTP API, custom domain, ALB, target group and ECS service.
 */
import { TAG_STACK } from '../../spec/names';
import type { SimAccount } from '../../aws-sim/core/account';
import type { Apigatewayv2State, DomainNameRecord, HttpApiRecord } from '../../aws-sim/services/apigatewayv2';
import type { EcsState } from '../../aws-sim/services/ecs';
import type { Elbv2State, LoadBalancerRecord, TargetGroupRecord } from '../../aws-sim/services/elbv2';
import type { LambdaFunctionRecord, LambdaState } from '../../aws-sim/services/lambda';

export interface EcsServiceRef {
  clusterName: string;
  serviceName: string;
}

export interface StackResources {
  stack: string;
  fn?: LambdaFunctionRecord;
  api?: HttpApiRecord;
  domain?: DomainNameRecord;
  loadBalancer?: LoadBalancerRecord;
  targetGroup?: TargetGroupRecord;
  ecsService?: EcsServiceRef;
}

function stackOf(tags: Record<string, string>): string | undefined {
  return tags[TAG_STACK];
}

/** Every stack that owns a resource, or has traffic of its own, with its resources. */
export function discoverStacks(account: SimAccount, extraStacks: string[]): Map<string, StackResources> {
  const stacks = new Map<string, StackResources>();
  const entry = (stack: string) => {
    let found = stacks.get(stack);
    if (!found) stacks.set(stack, (found = { stack }));
    return found;
  };
  for (const stack of extraStacks) entry(stack);

  for (const fn of Object.values(account.stateOf<LambdaState>('lambda').functions)) {
    const stack = stackOf(fn.tags);
    if (stack !== undefined) entry(stack).fn ??= fn;
  }
  const apigw = account.stateOf<Apigatewayv2State>('apigatewayv2');
  for (const api of Object.values(apigw.apis)) {
    const stack = stackOf(api.tags);
    if (stack !== undefined) entry(stack).api ??= api;
  }
  for (const domain of Object.values(apigw.domainNames)) {
    const stack = stackOf(domain.tags);
    if (stack !== undefined) entry(stack).domain ??= domain;
  }
  const elbv2 = account.stateOf<Elbv2State>('elbv2');
  for (const lb of Object.values(elbv2.loadBalancers)) {
    const stack = stackOf(lb.tags);
    if (stack !== undefined) entry(stack).loadBalancer ??= lb;
  }
  for (const tg of Object.values(elbv2.targetGroups)) {
    const stack = stackOf(tg.tags);
    if (stack !== undefined) entry(stack).targetGroup ??= tg;
  }
  // A target group without the tag belongs to the stack whose load balancer forwards to it.
  for (const listener of Object.values(elbv2.listeners)) {
    const owner = [...stacks.values()].find((s) => s.loadBalancer?.arn === listener.loadBalancerArn);
    if (!owner || owner.targetGroup) continue;
    const arn = listener.defaultActions.flatMap((a) => [
      ...(a.TargetGroupArn ? [a.TargetGroupArn] : []),
      ...(a.ForwardConfig?.TargetGroups ?? []).flatMap((g) => (g.TargetGroupArn ? [g.TargetGroupArn] : [])),
    ])[0];
    if (arn && elbv2.targetGroups[arn]) owner.targetGroup = elbv2.targetGroups[arn];
  }
  const ecs = account.stateOf<EcsState>('ecs');
  for (const service of Object.values(ecs.services)) {
    if (service.status !== 'ACTIVE') continue;
    // The service that feeds the stack's target group, else the one tagged with the stack.
    const byGroup = [...stacks.values()].find(
      (s) => s.targetGroup && service.loadBalancers.some((l) => l.targetGroupArn === s.targetGroup!.arn),
    );
    const stack = byGroup?.stack ?? stackOf(service.tags);
    if (stack === undefined) continue;
    const clusterName = ecs.clusters[service.clusterArn]?.name ?? service.clusterArn.split('/').pop()!;
    entry(stack).ecsService ??= { clusterName, serviceName: service.name };
  }
  return stacks;
}
