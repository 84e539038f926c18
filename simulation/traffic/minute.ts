/**
 * One simulated minute of traffic, run at each minute boundary by the traffic model (model.ts, which ticks
 * after every service, so every other service's state is current): each stack's demand is split by the DNS answers
 * resolvers hold, served by Lambda within its concurrency and by the healthy Fargate tasks within their
 * capacity, turned into the metrics AWS would publish, metered, and logged.
 */
import type { SimAccount } from '../../aws-sim/core/account';
import { meterMinute, type StackUsage } from '../cost/meter';
import type { CloudwatchState } from '../../aws-sim/services/cloudwatch/state';
import { publish, single } from '../../aws-sim/services/cloudwatch/store';
import { healthyTargetCount, isLoadBalancerActive } from '../../aws-sim/services/elbv2';
import { runningTasksOf } from '../../aws-sim/services/ecs';
import { functionState, type LambdaState } from '../../aws-sim/services/lambda';
import { capacityPerTask, demandAt } from './demand';
import { allocateConcurrency } from './lambda-concurrency';
import { publishStackMetrics, type MinuteOutcome } from './metrics';
import { tierShares } from './split';
import { discoverStacks, type StackResources } from './stacks';
import type { MinuteLogEntry, TrafficState } from './types';
import { MINUTE_MS } from '../../util/time';

interface StackFlow {
  resources: StackResources;
  rps: number;
  durationMs: number;
  lambdaRequests: number;
  fargateRequests: number;
  unrouted: number;
  lambdaReachable: boolean;
  albReachable: boolean;
}

/** Simulates the minute that ended at `tickMinute` (its traffic is minute `tickMinute - 1`). */
export function simulateMinute(account: SimAccount, traffic: TrafficState, tickMinute: number): void {
  const minute = tickMinute - 1;
  if (minute < 0) return;
  const t = account.startTime + minute * MINUTE_MS;
  const now = account.now();
  const state = account.stateOf<CloudwatchState>('cloudwatch');
  const visibleAt = now + state.config.metricDelayMs;

  const flows = [...discoverStacks(account, Object.keys(traffic.byStack)).values()].map((resources) =>
    splitDemand(account, resources, demandAt(traffic, resources.stack, minute), t + MINUTE_MS / 2),
  );

  const lambda = account.stateOf<LambdaState>('lambda');
  const demands = flows
    .filter((f) => f.lambdaReachable && f.lambdaRequests > 0)
    .map((f) => ({
      key: f.resources.stack,
      demand: (f.lambdaRequests / 60) * (f.durationMs / 1000),
      reserved: f.resources.fn!.reservedConcurrency,
    }));
  const reservedInAccount = Object.values(lambda.functions).reduce(
    (sum, fn) => sum + (fn.reservedConcurrency ?? 0),
    0,
  );
  const allowed = allocateConcurrency(demands, lambda.config.accountConcurrencyLimit, reservedInAccount);

  const usages: StackUsage[] = [];
  const entries: Omit<MinuteLogEntry, 'cost'>[] = [];
  let accountConcurrency = 0;
  for (const flow of flows) {
    const outcome = serve(account, flow, allowed, capacityPerTask(traffic, flow.resources.stack));
    accountConcurrency += outcome.concurrency;
    publishStackMetrics(state, t, visibleAt, outcome);
    if (flow.resources.targetGroup) {
      // ALBs publish RequestCount only when there are requests: no data, not zero, when idle.
      if (outcome.albRequestCount > 0)
        flow.resources.targetGroup.requestCountLastMinute = outcome.albRequestCount;
      else delete flow.resources.targetGroup.requestCountLastMinute;
    }
    usages.push({
      stack: flow.resources.stack,
      invocations: outcome.invocations,
      durationMs: flow.durationMs,
      memoryMb: flow.resources.fn?.memorySize ?? 0,
      apiRequests: outcome.apiId === undefined ? 0 : flow.lambdaRequests,
      albNewConnections: outcome.albRequestCount + outcome.elb5xx,
    });
    entries.push({
      minute,
      stack: flow.resources.stack,
      rps: flow.rps,
      durationMs: flow.durationMs,
      lambdaRequests: flow.lambdaRequests,
      fargateRequests: flow.fargateRequests,
      tasks: outcome.ecs?.runningTasks ?? 0,
      lambdaThrottled: outcome.throttles,
      fargateOverCapacity: outcome.elb5xx,
      unrouted: flow.unrouted,
      lambdaReached: flow.lambdaReachable ? flow.lambdaRequests : 0,
      fargateReached: flow.albReachable ? flow.fargateRequests : 0,
    });
  }
  if (accountConcurrency > 0) {
    // The account-wide ConcurrentExecutions, without dimensions (Lambda function metrics).
    publish(
      state,
      { namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', dimensions: {} },
      t,
      single(accountConcurrency),
      visibleAt,
    );
  }
  const costs = meterMinute(account, minute, usages);
  for (const entry of entries) traffic.log.push({ ...entry, cost: costs.get(entry.stack)?.total ?? 0 });
}

function splitDemand(
  account: SimAccount,
  resources: StackResources,
  demand: { rps: number; durationMs: number },
  at: number,
): StackFlow {
  const requests = demand.rps * 60;
  const shares = tierShares(account, resources, at);
  const fn = resources.fn;
  const lambdaReachable =
    fn !== undefined && resources.api !== undefined && functionState(fn, account.now()) === 'Active';
  const albReachable =
    resources.loadBalancer !== undefined && isLoadBalancerActive(account, resources.loadBalancer.arn);
  const lambdaRequests = requests * shares.lambda;
  const fargateRequests = requests * shares.fargate;
  return {
    resources,
    rps: demand.rps,
    durationMs: demand.durationMs,
    lambdaRequests,
    fargateRequests,
    // Requests to an API without a working function reach API Gateway (and are counted there) but fail.
    unrouted:
      requests * shares.unrouted +
      (lambdaReachable ? 0 : lambdaRequests) +
      (albReachable ? 0 : fargateRequests),
    lambdaReachable,
    albReachable,
  };
}

function serve(
  account: SimAccount,
  flow: StackFlow,
  allowed: Map<string, number>,
  perTaskRps: number,
): MinuteOutcome {
  const { resources } = flow;
  const demand = (flow.lambdaRequests / 60) * (flow.durationMs / 1000);
  const concurrency = flow.lambdaReachable ? (allowed.get(resources.stack) ?? 0) : 0;
  const throttledShare = flow.lambdaReachable && demand > 0 ? 1 - concurrency / demand : 0;
  const throttles = flow.lambdaRequests * Math.max(0, throttledShare);
  const invocations = flow.lambdaReachable ? flow.lambdaRequests - throttles : 0;

  const lb = resources.loadBalancer;
  const albActive = lb !== undefined && isLoadBalancerActive(account, lb.arn);
  const tg = resources.targetGroup;
  const healthyTargets = albActive && tg ? healthyTargetCount(account, tg.arn) : 0;
  const fargateDemand = albActive ? flow.fargateRequests : 0;
  const capacity = healthyTargets * perTaskRps * 60;
  const served = Math.min(fargateDemand, capacity);
  const running = resources.ecsService
    ? runningTasksOf(account, resources.ecsService.clusterName, resources.ecsService.serviceName).length
    : 0;
  return {
    functionName: resources.fn?.name,
    apiId: resources.api?.id,
    lambdaRequests: flow.lambdaRequests,
    invocations,
    throttles,
    concurrency,
    durationMs: flow.durationMs,
    apiErrors: flow.lambdaReachable ? throttles : flow.lambdaRequests,
    loadBalancerArn: albActive ? lb.arn : undefined,
    targetGroupArn: tg?.arn,
    healthyTargets,
    // With no healthy target the ALB chooses none: the requests get a 503 and are not in RequestCount.
    albRequestCount: healthyTargets > 0 ? fargateDemand : 0,
    elb5xx: fargateDemand - served,
    ...(resources.ecsService
      ? {
          ecs: {
            ...resources.ecsService,
            runningTasks: running,
            // CPU follows the load the tasks serve relative to their capacity.
            cpuPercent: running > 0 ? Math.min(100, (100 * served) / (running * perTaskRps * 60)) : 0,
          },
        }
      : {}),
  };
}
