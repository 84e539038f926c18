import type { GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import {
  MAX_QUERIES_PER_REQUEST,
  metricQueries,
  parseMetricResults,
  type StackMetricTargets,
} from '../../../reconciler/decide/metrics';

const FULL: StackMetricTargets = {
  stack: 'web',
  apiId: 'a1b2c3',
  functionName: 'lf-web-fn',
  loadBalancer: 'app/lf-web-alb/50dc6c495c0c9188',
  targetGroup: 'targetgroup/lf-web-tg/73e2d6bc24d8a067',
  clusterName: 'lf-web-cluster',
  serviceName: 'lf-web-svc',
};
const NOW = Date.UTC(2024, 0, 1, 12, 30, 42);

describe('metricQueries', () => {
  it('asks for the seven metrics of a stack with both tiers, period 60, in one request', () => {
    const [request, ...rest] = metricQueries([FULL], { now: NOW, minutes: 20 });
    expect(rest).toHaveLength(0);
    expect(request.StartTime).toEqual(new Date(Date.UTC(2024, 0, 1, 12, 10)));
    expect(request.EndTime).toEqual(new Date(Date.UTC(2024, 0, 1, 12, 30)));
    const summary = request.MetricDataQueries!.map((q) => [
      q.Id,
      q.Label,
      q.MetricStat!.Metric!.Namespace,
      q.MetricStat!.Metric!.MetricName,
      q.MetricStat!.Stat,
      q.MetricStat!.Period,
      q.MetricStat!.Metric!.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(','),
    ]);
    expect(summary).toEqual([
      ['s0_api', 'web/apiRequests', 'AWS/ApiGateway', 'Count', 'Sum', 60, 'ApiId=a1b2c3'],
      [
        's0_alb',
        'web/albRequests',
        'AWS/ApplicationELB',
        'RequestCount',
        'Sum',
        60,
        `LoadBalancer=${FULL.loadBalancer}`,
      ],
      [
        's0_conc',
        'web/lambdaConcurrentMax',
        'AWS/Lambda',
        'ConcurrentExecutions',
        'Maximum',
        60,
        'FunctionName=lf-web-fn',
      ],
      ['s0_thr', 'web/lambdaThrottles', 'AWS/Lambda', 'Throttles', 'Sum', 60, 'FunctionName=lf-web-fn'],
      ['s0_dur', 'web/lambdaDurationMs', 'AWS/Lambda', 'Duration', 'Average', 60, 'FunctionName=lf-web-fn'],
      [
        's0_hosts',
        'web/healthyHosts',
        'AWS/ApplicationELB',
        'HealthyHostCount',
        'Minimum',
        60,
        `TargetGroup=${FULL.targetGroup},LoadBalancer=${FULL.loadBalancer}`,
      ],
      [
        's0_cpu',
        'web/ecsCpu',
        'AWS/ECS',
        'CPUUtilization',
        'Average',
        60,
        'ClusterName=lf-web-cluster,ServiceName=lf-web-svc',
      ],
    ]);
  });

  it('skips the metrics of a tier that does not exist', () => {
    const [request] = metricQueries([{ stack: 'api', apiId: 'x', functionName: 'f' }], {
      now: NOW,
      minutes: 5,
    });
    expect(request.MetricDataQueries!.map((q) => q.Id)).toEqual(['s0_api', 's0_conc', 's0_thr', 's0_dur']);
  });

  it('splits beyond 500 queries, never across one stack, with unique ids', () => {
    const stacks = Array.from({ length: 150 }, (_, i) => ({ ...FULL, stack: `stack-${i}` }));
    const requests = metricQueries(stacks, { now: NOW, minutes: 5 });
    expect(requests.map((r) => r.MetricDataQueries!.length)).toEqual([497, 497, 56]);
    const all = requests.flatMap((r) => r.MetricDataQueries!);
    expect(new Set(all.map((q) => q.Id)).size).toBe(150 * 7);
    for (const r of requests)
      expect(r.MetricDataQueries!.length).toBeLessThanOrEqual(MAX_QUERIES_PER_REQUEST);
    expect(requests[1].MetricDataQueries![0].Label).toBe('stack-71/apiRequests');
  });

  it('makes no request for no stacks', () => {
    expect(metricQueries([], { now: NOW, minutes: 5 })).toEqual([]);
  });
});

describe('parseMetricResults', () => {
  const minute = (m: number) => new Date(Date.UTC(2024, 0, 1, 12, m));
  const epochMinute = (m: number) => minute(m).getTime() / 60_000;

  it('gathers the answers by stack and minute, leaving unreported metrics undefined', () => {
    const response: GetMetricDataOutput = {
      MetricDataResults: [
        { Id: 's0_api', Label: 'web/apiRequests', Timestamps: [minute(1), minute(2)], Values: [120, 0] },
        { Id: 's0_conc', Label: 'web/lambdaConcurrentMax', Timestamps: [minute(2)], Values: [7] },
        { Id: 's1_alb', Label: 'shop-api/albRequests', Timestamps: [minute(2)], Values: [6000] },
        { Id: 'x', Label: 'someone else', Timestamps: [minute(2)], Values: [1] },
      ],
    };
    const samples = parseMetricResults(response);
    expect(samples.get('web')).toEqual([
      { minute: epochMinute(1), apiRequests: 120 },
      { minute: epochMinute(2), apiRequests: 0, lambdaConcurrentMax: 7 },
    ]);
    expect(samples.get('shop-api')).toEqual([{ minute: epochMinute(2), albRequests: 6000 }]);
    expect([...samples.keys()].sort()).toEqual(['shop-api', 'web']);
  });

  it('merges pages and split requests, oldest minute first', () => {
    const pages: GetMetricDataOutput[] = [
      { MetricDataResults: [{ Label: 'web/apiRequests', Timestamps: [minute(3)], Values: [30] }] },
      { MetricDataResults: [{ Label: 'web/apiRequests', Timestamps: [minute(1)], Values: [10] }] },
    ];
    expect(
      parseMetricResults(pages)
        .get('web')!
        .map((s) => s.apiRequests),
    ).toEqual([10, 30]);
  });

  it('reads back what metricQueries labelled', () => {
    const [request] = metricQueries([FULL], { now: NOW, minutes: 5 });
    const response: GetMetricDataOutput = {
      MetricDataResults: request.MetricDataQueries!.map((q, i) => ({
        Id: q.Id,
        Label: q.Label,
        Timestamps: [minute(29)],
        Values: [i + 1],
      })),
    };
    expect(parseMetricResults(response).get('web')).toEqual([
      {
        minute: epochMinute(29),
        apiRequests: 1,
        albRequests: 2,
        lambdaConcurrentMax: 3,
        lambdaThrottles: 4,
        lambdaDurationMs: 5,
        healthyHosts: 6,
        ecsCpu: 7,
      },
    ]);
  });
});
