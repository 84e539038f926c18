/** GetMetricData, GetMetricStatistics, PutMetricData and ListMetrics over the stored series. */
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import type { CloudwatchState } from './state';
import { aggregate, publish, seriesKey, statisticOf, STATISTICS, type Statistic } from './store';
import { MINUTE_MS } from '../../../util/time';

type Ctx = OperationContext<CloudwatchState>;
type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GetMetricData takes at most 500 queries per call (GetMetricData API reference). */
export const MAX_QUERIES = 500;

function invalid(ctx: Ctx, message: string): never {
  return ctx.fail('ValidationError', message);
}

/** SDK inputs are Dates; numbers are taken as epoch seconds, strings as ISO 8601. */
export function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  return Date.parse(String(value));
}

function periodMs(ctx: Ctx, period: unknown): number {
  const seconds = Number(period);
  // Periods of standard-resolution metrics are multiples of 60 s (MetricStat API reference).
  if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0) {
    invalid(ctx, `The parameter Period must be a multiple of 60, got ${String(period)}.`);
  }
  return seconds * 1000;
}

function statistic(ctx: Ctx, stat: unknown): Statistic {
  if (!STATISTICS.includes(stat as Statistic))
    invalid(ctx, `The statistic ${String(stat)} is not supported.`);
  return stat as Statistic;
}

function timeRange(ctx: Ctx, input: Input): { start: number; end: number } {
  const start = timeOf(input.StartTime);
  const end = timeOf(input.EndTime);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    invalid(ctx, 'StartTime and EndTime must be timestamps.');
  if (start >= end) invalid(ctx, 'The parameter StartTime must be less than the parameter EndTime.');
  return { start, end };
}

export const cloudwatchOperations: Record<string, Operation<CloudwatchState>> = {
  GetMetricData: {
    mutating: false,
    required: ['MetricDataQueries', 'StartTime', 'EndTime'],
    handle: (input, ctx) => {
      const queries: Input[] = input.MetricDataQueries;
      if (queries.length > MAX_QUERIES) {
        invalid(ctx, `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
      }
      const ids = new Set<string>();
      for (const q of queries) {
        if (!q.Id || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id))
          invalid(ctx, `Invalid metric data query Id: ${String(q.Id)}`);
        if (ids.has(q.Id)) invalid(ctx, `The value ${q.Id} for field Id is used more than once.`);
        ids.add(q.Id);
        if (!q.MetricStat) invalid(ctx, 'Only MetricStat queries are supported by the simulated CloudWatch.');
      }
      const { start, end } = timeRange(ctx, input);
      const ascending = input.ScanBy === 'TimestampAscending';
      const results = queries
        .filter((q) => q.ReturnData !== false)
        .map((q) => {
          const stat = statistic(ctx, q.MetricStat.Stat);
          const metric = q.MetricStat.Metric ?? {};
          const key = seriesKey(String(metric.Namespace), String(metric.MetricName), metric.Dimensions ?? []);
          const buckets = aggregate(
            ctx.state.series[key],
            start,
            end,
            periodMs(ctx, q.MetricStat.Period),
            ctx.now,
          );
          if (ascending) buckets.reverse();
          return {
            Id: q.Id,
            Label: q.Label ?? metric.MetricName,
            Timestamps: buckets.map((b) => new Date(b.t)),
            Values: buckets.map((b) => statisticOf(b.sample, stat)),
            StatusCode: 'Complete',
          };
        });
      return { MetricDataResults: results, Messages: [] };
    },
  },
  GetMetricStatistics: {
    mutating: false,
    required: ['Namespace', 'MetricName', 'StartTime', 'EndTime', 'Period'],
    handle: (input, ctx) => {
      const stats: Statistic[] = (input.Statistics ?? []).map((s: unknown) => statistic(ctx, s));
      if (stats.length === 0) invalid(ctx, 'Statistics must name at least one statistic.');
      const { start, end } = timeRange(ctx, input);
      const key = seriesKey(String(input.Namespace), String(input.MetricName), input.Dimensions ?? []);
      const buckets = aggregate(ctx.state.series[key], start, end, periodMs(ctx, input.Period), ctx.now);
      return {
        Label: input.MetricName,
        Datapoints: buckets.map((b) => ({
          Timestamp: new Date(b.t),
          ...Object.fromEntries(stats.map((s) => [s, statisticOf(b.sample, s)])),
        })),
      };
    },
  },
  PutMetricData: {
    mutating: true,
    required: ['Namespace', 'MetricData'],
    handle: (input, ctx) => {
      if (String(input.Namespace).startsWith('AWS/'))
        invalid(ctx, 'The value AWS/ for parameter Namespace is invalid.');
      for (const datum of input.MetricData as Input[]) {
        const at = datum.Timestamp === undefined ? ctx.now : timeOf(datum.Timestamp);
        const minute = at - (at % MINUTE_MS);
        const dimensions = Object.fromEntries(
          ((datum.Dimensions ?? []) as Input[]).map((d) => [d.Name, d.Value]),
        );
        const metric = {
          namespace: String(input.Namespace),
          metricName: String(datum.MetricName),
          dimensions,
        };
        const values: number[] = datum.Values ?? (datum.Value === undefined ? [] : [datum.Value]);
        const counts: number[] = datum.Counts ?? values.map(() => 1);
        values.forEach((v, i) => {
          const n = counts[i] ?? 1;
          publish(ctx.state, metric, minute, { sum: v * n, count: n, min: v, max: v }, ctx.now);
        });
        if (datum.StatisticValues) {
          const s = datum.StatisticValues;
          publish(
            ctx.state,
            metric,
            minute,
            { sum: s.Sum, count: s.SampleCount, min: s.Minimum, max: s.Maximum },
            ctx.now,
          );
        }
        if (values.length === 0 && !datum.StatisticValues)
          invalid(ctx, 'A metric datum needs Value, Values or StatisticValues.');
      }
      return {};
    },
  },
  ListMetrics: {
    mutating: false,
    handle: (input, ctx) => {
      const wanted: Input[] = input.Dimensions ?? [];
      const all = Object.values(ctx.state.series).filter(
        (s) =>
          (input.Namespace === undefined || s.namespace === input.Namespace) &&
          (input.MetricName === undefined || s.metricName === input.MetricName) &&
          wanted.every((w) =>
            s.dimensions.some((d) => d.Name === w.Name && (w.Value === undefined || d.Value === w.Value)),
          ),
      );
      const page = paginate(all, input.NextToken, 500);
      return {
        Metrics: page.items.map((s) => ({
          Namespace: s.namespace,
          MetricName: s.metricName,
          Dimensions: s.dimensions,
        })),
        NextToken: page.nextToken,
      };
    },
  },
};
