/**
 * The CloudWatch metrics AWS publishes for one stack's minute, with AWS's namespaces and dimensions.
 * Like AWS, a metric is published only when there is something to report (Lambda and ALB request metrics
 * only with requests), so missing data stays missing.
 */
import type { CloudwatchState } from '../../aws-sim/services/cloudwatch/state';
import { publish, single, type Dimensions } from '../../aws-sim/services/cloudwatch/store';

/** `arn:…:loadbalancer/app/name/id` → `app/name/id` (the LoadBalancer dimension). */
export function loadBalancerDimension(arn: string): string {
  return arn.split(':loadbalancer/')[1] ?? arn;
}

/** `arn:…:targetgroup/name/id` → `targetgroup/name/id` (the TargetGroup dimension). */
export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

export interface MinuteOutcome {
  functionName?: string;
  apiId?: string;
  lambdaRequests: number;
  invocations: number;
  throttles: number;
  concurrency: number;
  durationMs: number;
  /** API Gateway answers 5xx for throttled invocations and a function that is not Active. */
  apiErrors: number;
  loadBalancerArn?: string;
  targetGroupArn?: string;
  healthyTargets: number;
  albRequestCount: number;
  elb5xx: number;
  ecs?: { clusterName: string; serviceName: string; runningTasks: number; cpuPercent: number };
}

export function publishStackMetrics(
  state: CloudwatchState,
  t: number,
  visibleAt: number,
  o: MinuteOutcome,
): void {
  const put = (namespace: string, metricName: string, dimensions: Dimensions, sample = single(0)) =>
    publish(state, { namespace, metricName, dimensions }, t, sample, visibleAt);

  if (o.functionName !== undefined && o.lambdaRequests > 0) {
    const fn = { FunctionName: o.functionName };
    put('AWS/Lambda', 'Invocations', fn, single(o.invocations));
    put('AWS/Lambda', 'Throttles', fn, single(o.throttles));
    put('AWS/Lambda', 'ConcurrentExecutions', fn, single(o.concurrency));
    if (o.invocations > 0) {
      put('AWS/Lambda', 'Duration', fn, {
        sum: o.durationMs * o.invocations,
        count: o.invocations,
        min: o.durationMs,
        max: o.durationMs,
      });
    }
  }
  if (o.apiId !== undefined && o.lambdaRequests > 0) {
    const apiDimensions: Dimensions[] = [{ ApiId: o.apiId }, { ApiId: o.apiId, Stage: '$default' }];
    for (const dims of apiDimensions) {
      put('AWS/ApiGateway', 'Count', dims, single(o.lambdaRequests));
      put('AWS/ApiGateway', '5xx', dims, single(o.apiErrors));
    }
  }
  if (o.loadBalancerArn !== undefined) {
    const lb = loadBalancerDimension(o.loadBalancerArn);
    const tg = o.targetGroupArn === undefined ? undefined : targetGroupDimension(o.targetGroupArn);
    // HealthyHostCount is reported every minute, traffic or not.
    if (tg !== undefined)
      put(
        'AWS/ApplicationELB',
        'HealthyHostCount',
        { LoadBalancer: lb, TargetGroup: tg },
        single(o.healthyTargets),
      );
    if (o.albRequestCount > 0) {
      put('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb }, single(o.albRequestCount));
      if (tg !== undefined) {
        put(
          'AWS/ApplicationELB',
          'RequestCount',
          { LoadBalancer: lb, TargetGroup: tg },
          single(o.albRequestCount),
        );
        put('AWS/ApplicationELB', 'RequestCount', { TargetGroup: tg }, single(o.albRequestCount));
        const perTarget = single(o.albRequestCount / Math.max(1, o.healthyTargets));
        put('AWS/ApplicationELB', 'RequestCountPerTarget', { TargetGroup: tg }, perTarget);
        put(
          'AWS/ApplicationELB',
          'RequestCountPerTarget',
          { LoadBalancer: lb, TargetGroup: tg },
          { ...perTarget },
        );
      }
    }
    if (o.elb5xx > 0)
      put('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', { LoadBalancer: lb }, single(o.elb5xx));
  }
  if (o.ecs && o.ecs.runningTasks > 0) {
    const dims = { ClusterName: o.ecs.clusterName, ServiceName: o.ecs.serviceName };
    put('AWS/ECS', 'CPUUtilization', dims, single(o.ecs.cpuPercent));
  }
}
