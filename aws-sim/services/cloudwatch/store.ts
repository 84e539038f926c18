/** Metric storage: one series per namespace, name and dimension set; statistics computed when read. */
import type { CloudwatchState, Datapoint, MetricSeries } from './state';

export type Dimensions = Record<string, string>;

export function seriesKey(
  namespace: string,
  metricName: string,
  dimensions: { Name?: string; Value?: string }[],
): string {
  const dims = [...dimensions]
    .sort((a, b) => String(a.Name).localeCompare(String(b.Name)))
    .map((d) => `${d.Name}=${d.Value}`)
    .join(',');
  return `${namespace}|${metricName}|${dims}`;
}

export interface Sample {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** A single observed value, as one sample. */
export function single(value: number): Sample {
  return { sum: value, count: 1, min: value, max: value };
}

/**
 * Series key and sorted dimensions by metric, so that the traffic model's publishes (every stack's metrics
 * every minute, always the same few series) sort dimensions once per series rather than on every publish.
 * Keyed by the metric as JSON, which is unambiguous whatever the names and values hold.
 */
const MAX_CANONICAL_SERIES = 10_000;
const canonicalByMetric = new Map<string, { key: string; dimensions: { Name: string; Value: string }[] }>();

function canonicalSeries(metric: { namespace: string; metricName: string; dimensions: Dimensions }): {
  key: string;
  dimensions: { Name: string; Value: string }[];
} {
  const id = JSON.stringify([metric.namespace, metric.metricName, metric.dimensions]);
  let canonical = canonicalByMetric.get(id);
  if (!canonical) {
    const dimensions = Object.entries(metric.dimensions)
      .map(([Name, Value]) => ({ Name, Value }))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    canonical = { key: seriesKey(metric.namespace, metric.metricName, dimensions), dimensions };
    // Bounded: custom metrics (PutMetricData) can name any number of series.
    if (canonicalByMetric.size >= MAX_CANONICAL_SERIES) canonicalByMetric.clear();
    canonicalByMetric.set(id, canonical);
  }
  return canonical;
}

/** Adds a sample for the minute starting at `t`, merged with what is already there for that minute. */
export function publish(
  state: CloudwatchState,
  metric: { namespace: string; metricName: string; dimensions: Dimensions },
  t: number,
  sample: Sample,
  visibleAt: number,
): void {
  const { key, dimensions } = canonicalSeries(metric);
  const series: MetricSeries = (state.series[key] ??= {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: dimensions.map((d) => ({ ...d })),
    points: [],
  });
  const last = series.points[series.points.length - 1];
  if (last && last.t === t) {
    merge(last, sample);
    last.visibleAt = Math.max(last.visibleAt, visibleAt);
    return;
  }
  const point: Datapoint = { t, ...sample, visibleAt };
  if (!last || last.t < t) {
    series.points.push(point);
    return;
  }
  // Out of order (PutMetricData with an older timestamp): keep the series sorted.
  const index = series.points.findIndex((p) => p.t >= t);
  if (series.points[index]!.t === t) merge(series.points[index]!, sample);
  else series.points.splice(index, 0, point);
}

function merge(into: Sample, sample: Sample): void {
  into.sum += sample.sum;
  into.count += sample.count;
  into.min = Math.min(into.min, sample.min);
  into.max = Math.max(into.max, sample.max);
}

export type Statistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';
export const STATISTICS: Statistic[] = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'];

/** Period buckets with data in [start, end), newest first; periods without data are absent, not zero. */
export function aggregate(
  series: MetricSeries | undefined,
  start: number,
  end: number,
  periodMs: number,
  now: number,
): { t: number; sample: Sample }[] {
  if (!series) return [];
  const buckets = new Map<number, Sample>();
  for (const p of series.points) {
    if (p.t < start || p.t >= end || p.visibleAt > now) continue;
    const bucket = start + Math.floor((p.t - start) / periodMs) * periodMs;
    const existing = buckets.get(bucket);
    if (existing) merge(existing, p);
    else buckets.set(bucket, { sum: p.sum, count: p.count, min: p.min, max: p.max });
  }
  return [...buckets.entries()].sort((a, b) => b[0] - a[0]).map(([t, sample]) => ({ t, sample }));
}

export function statisticOf(sample: Sample, stat: Statistic): number {
  switch (stat) {
    case 'Sum':
      return sample.sum;
    case 'Average':
      return sample.count === 0 ? 0 : sample.sum / sample.count;
    case 'Maximum':
      return sample.max;
    case 'Minimum':
      return sample.min;
    case 'SampleCount':
      return sample.count;
  }
}
