import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { metricTargetsOf, prepareAutoDecide } from '../../../reconciler/decide/auto-decider';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import { AUTO_HISTORY_FIELD, readAutoHistory, type AutoHistory } from '../../../reconciler/decide/history';
import type { DecideInput } from '../../../reconciler/decide/decide-input';
import type { ResourceRef, StackRecord, StackStatus } from '../../../reconciler/state/types';
import type { DesiredState } from '../../../spec/types';
import { MS_PER_MINUTE, autoSpec } from './fixtures';

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());

const clients = { cloudwatch: new CloudWatchClient({ region: 'us-east-1' }) };
const NOW = Date.UTC(2024, 0, 1, 12, 30, 0);
const NOW_MINUTE = NOW / MS_PER_MINUTE;

const ALB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-web-alb/50dc6c495c0c9188';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lf-web-tg/73e2d6bc24d8a067';
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/lf-web-cluster';
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/lf-web-cluster/lf-web-svc';

const ref = (kind: string, id: string, arn?: string): ResourceRef => ({ kind, id, ...(arn ? { arn } : {}) });

const LAMBDA_RESOURCES: Record<string, ResourceRef> = {
  'http-api': ref('AWS::ApiGatewayV2::Api', 'a1b2c3'),
  'lambda-function': ref('AWS::Lambda::Function', 'lf-web-fn'),
};
const FARGATE_RESOURCES: Record<string, ResourceRef> = {
  ...LAMBDA_RESOURCES,
  alb: ref('AWS::ElasticLoadBalancingV2::LoadBalancer', ALB_ARN, ALB_ARN),
  tg: ref('AWS::ElasticLoadBalancingV2::TargetGroup', TG_ARN, TG_ARN),
  cluster: ref('AWS::ECS::Cluster', CLUSTER_ARN, CLUSTER_ARN),
  service: ref('AWS::ECS::Service', SERVICE_ARN, SERVICE_ARN),
};

function record(
  stack: string,
  spec: DesiredState,
  status?: Partial<StackStatus>,
  extra: Partial<StackRecord> = {},
): StackRecord {
  return {
    stack,
    spec: { ...spec, stack },
    generation: 1,
    version: 1,
    events: [],
    bookkeeping: emptyBookkeeping(),
    ...(status
      ? { status: { observedGeneration: 1, phase: 'Lambda', conditions: [], resources: {}, ...status } }
      : {}),
    ...extra,
  };
}

const input = (r: StackRecord, now = NOW): DecideInput => ({
  spec: r.spec as DesiredState,
  record: r,
  observation: { resources: {}, unknown: {} },
  kinds: [],
  now,
});

/** A GetMetricData result for `label`, one value per minute from `from` (ascending). */
function result(id: string, label: string, from: number, values: number[]): MetricDataResult {
  return {
    Id: id,
    Label: label,
    Timestamps: values.map((_, i) => new Date((from + i) * MS_PER_MINUTE)),
    Values: values,
    StatusCode: 'Complete',
  };
}

describe('metricTargetsOf', () => {
  it('turns stored ids and ARNs into CloudWatch dimension values', () => {
    const r = record('web', autoSpec(), { resources: FARGATE_RESOURCES });
    expect(metricTargetsOf(r)).toEqual({
      stack: 'web',
      apiId: 'a1b2c3',
      functionName: 'lf-web-fn',
      loadBalancer: 'app/lf-web-alb/50dc6c495c0c9188',
      targetGroup: 'targetgroup/lf-web-tg/73e2d6bc24d8a067',
      clusterName: 'lf-web-cluster',
      serviceName: 'lf-web-svc',
    });
  });

  it('names nothing for a stack without a status, and skips an ARN it cannot read', () => {
    expect(metricTargetsOf(record('new', autoSpec()))).toEqual({ stack: 'new' });
    const odd = record('odd', autoSpec(), { resources: { alb: ref('x', 'not-an-arn') } });
    expect(metricTargetsOf(odd)).toEqual({ stack: 'odd' });
  });
});

describe('prepareAutoDecide', () => {
  it('makes ONE GetMetricData call for several auto stacks, with exact ids and dimensions', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const records = [
      record('api', autoSpec(), { resources: LAMBDA_RESOURCES }),
      record('pinned', autoSpec({ mode: 'lambda' }), { resources: LAMBDA_RESOURCES }),
      record('web', autoSpec(), { phase: 'Fargate', resources: FARGATE_RESOURCES }),
      record('gone', autoSpec(), { resources: LAMBDA_RESOURCES }, { deletionRequestedAt: NOW }),
    ];
    await prepareAutoDecide({ clients, now: NOW })(records);

    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
    const sent = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    const queries = sent.MetricDataQueries!.map((q) => [
      q.Id,
      q.Label,
      q.MetricStat!.Metric!.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(','),
    ]);
    // Only the auto stacks, indexed in the order given: 'api' is s0, 'web' is s1.
    expect(queries).toEqual([
      ['s0_api', 'api/apiRequests', 'ApiId=a1b2c3'],
      ['s0_conc', 'api/lambdaConcurrentMax', 'FunctionName=lf-web-fn'],
      ['s0_thr', 'api/lambdaThrottles', 'FunctionName=lf-web-fn'],
      ['s0_dur', 'api/lambdaDurationMs', 'FunctionName=lf-web-fn'],
      ['s1_api', 'web/apiRequests', 'ApiId=a1b2c3'],
      ['s1_alb', 'web/albRequests', 'LoadBalancer=app/lf-web-alb/50dc6c495c0c9188'],
      ['s1_conc', 'web/lambdaConcurrentMax', 'FunctionName=lf-web-fn'],
      ['s1_thr', 'web/lambdaThrottles', 'FunctionName=lf-web-fn'],
      ['s1_dur', 'web/lambdaDurationMs', 'FunctionName=lf-web-fn'],
      [
        's1_hosts',
        'web/healthyHosts',
        'TargetGroup=targetgroup/lf-web-tg/73e2d6bc24d8a067,LoadBalancer=app/lf-web-alb/50dc6c495c0c9188',
      ],
      ['s1_cpu', 'web/ecsCpu', 'ClusterName=lf-web-cluster,ServiceName=lf-web-svc'],
    ]);
    expect(sent.EndTime).toEqual(new Date(NOW));
    // The auto fixture's longest run is 15 min, but the scale-up rules look back further (the 30-min trend
    // window, a run as long as a round trip): the window is an hour, so that no run is cut short.
    expect((sent.EndTime!.getTime() - sent.StartTime!.getTime()) / MS_PER_MINUTE).toBe(60);
  });

  it('makes no call when no stack is in mode auto', async () => {
    const decide = await prepareAutoDecide({ clients, now: NOW })([
      record('pinned', autoSpec({ mode: 'fargate' })),
    ]);
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
    const r = record('pinned', autoSpec({ mode: 'fargate' }));
    const decision = await decide(input(r));
    expect(decision).toMatchObject({ tier: 'fargate', reason: 'mode fargate pins the Fargate tier' });
    // Kept so that a switch back to auto starts from the pinned tier.
    expect(readAutoHistory(decision.statusPatch as StackStatus).tier).toBe('fargate');
    // And the move is the mode's, so that auto mode, later, does not call it a move for a rate.
    expect(readAutoHistory(decision.statusPatch as StackStatus).transitions.at(-1)).toMatchObject({
      to: 'fargate',
      pinnedBy: 'fargate',
    });
  });

  it('follows NextToken and merges the pages', async () => {
    const from = NOW_MINUTE - 4;
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [result('s0_api', 'api/apiRequests', from, [2400, 2400])],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [result('s0_api', 'api/apiRequests', from + 2, [2400, 2400])],
      });
    const r = record('api', autoSpec(), { resources: LAMBDA_RESOURCES });
    const decide = await prepareAutoDecide({ clients, now: NOW })([r]);
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('page-2');
    const decision = await decide(input(r));
    // 40 rps > 20 for the 4 minutes of both pages: the fixture's forMinutes is 3.
    expect(decision.reason).toMatch(/^40\.0 rps > 20 for 4 min/);
  });

  it('scales up from the metrics and keeps the history in the status patch', async () => {
    const from = NOW_MINUTE - 6;
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        result('s0_api', 'api/apiRequests', from, Array(6).fill(60 * 400)),
        result('s0_dur', 'api/lambdaDurationMs', from, Array(6).fill(100)),
      ],
    });
    const r = record('api', autoSpec(), { resources: LAMBDA_RESOURCES });
    const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(/^400\.0 rps > 20 for 6 min/);
    // The rate goes on to the traffic engine, which holds each shift step until the targets carry it.
    expect(decision.requestRate).toBe(400);
    const history = readAutoHistory({ ...(decision.statusPatch as object) } as StackStatus);
    expect(history).toMatchObject({ tier: 'fargate', lastTransitionMinute: NOW_MINUTE });
    expect(history.transitions).toEqual([
      { minute: NOW_MINUTE, from: 'lambda', to: 'fargate', reason: decision.reason },
    ]);
  });

  it('keeps the tier when a stack has no metrics: missing data is not zero traffic', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const history: AutoHistory = {
      tier: 'fargate',
      lastTransitionMinute: NOW_MINUTE - 120,
      decisions: [],
      transitions: [],
    };
    const r = record('web', autoSpec(), {
      phase: 'Fargate',
      resources: FARGATE_RESOURCES,
      [AUTO_HISTORY_FIELD]: history,
    });
    const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
    expect(decision.tier).toBe('fargate');
    expect(decision.reason).toMatch(/missing data is not zero traffic/);
    expect(decision.requestRate).toBeUndefined();
  });

  it('keeps the tier, and says why, when GetMetricData fails', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const history: AutoHistory = { tier: 'fargate', decisions: [], transitions: [] };
    const r = record('web', autoSpec(), {
      phase: 'Fargate',
      resources: FARGATE_RESOURCES,
      [AUTO_HISTORY_FIELD]: history,
    });
    const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
    expect(decision).toMatchObject({
      tier: 'fargate',
      reason: 'metrics unavailable (Throttling: Rate exceeded): staying on Fargate',
    });
    expect(decision.requestRate).toBeUndefined();
  });

  describe("reads the traffic engine's verdict on weights, not the spec's dns", () => {
    // Scaling down, nothing to read: auto mode keeps Lambda and says where the move stands.
    const scalingDown = (status: Partial<StackStatus>) => {
      cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
      const history: AutoHistory = { tier: 'lambda', decisions: [], transitions: [] };
      return record('web', autoSpec(), {
        phase: 'ScalingDown',
        resources: FARGATE_RESOURCES,
        [AUTO_HISTORY_FIELD]: history,
        ...status,
      });
    };

    it('moves weights back when dns left the spec but the records of ours are still there', async () => {
      // The engine found the records (weightless: false) and drains them, as with dns.
      const r = scalingDown({ weightless: false, traffic: { lambda: 100, fargate: 0 } });
      expect(r.spec.dns).toBeUndefined();
      const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
      expect(decision.tier).toBe('lambda');
      expect(decision.reason).toMatch(
        /moving to Lambda \(traffic back on it; draining, then deleting the Fargate tier\)/,
      );
    });

    it('has nothing to move once the engine found no record of ours', async () => {
      const r = scalingDown({ weightless: true, traffic: { lambda: 0, fargate: 0 } });
      const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
      expect(decision.reason).toMatch(/moving to Lambda \(deleting the Fargate tier\)/);
    });
  });

  it('hands a delete request to pinnedTier, without history', async () => {
    const r = record('gone', autoSpec(), { resources: LAMBDA_RESOURCES }, { deletionRequestedAt: NOW });
    const decision = await (await prepareAutoDecide({ clients, now: NOW })([r]))(input(r));
    expect(decision).toEqual({ tier: 'none', reason: 'delete requested' });
  });
});
