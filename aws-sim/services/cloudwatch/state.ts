/** State of the simulated CloudWatch: metric series. */

export interface Datapoint {
  /** Start of the minute (epoch ms) the value describes. */
  t: number;
  sum: number;
  count: number;
  min: number;
  max: number;
  /** When GetMetricData starts returning it (AWS publishes with a delay). */
  visibleAt: number;
}

export interface MetricSeries {
  namespace: string;
  metricName: string;
  /** Sorted by name, so that one metric has one key whatever order callers give. */
  dimensions: { Name: string; Value: string }[];
  /** Ascending by `t`. */
  points: Datapoint[];
}

export interface CloudwatchConfig {
  /** Delay between the end of a minute and its metrics appearing (default 2 minutes). */
  metricDelayMs: number;
}

export interface CloudwatchState {
  config: CloudwatchConfig;
  series: Record<string, MetricSeries>;
}

export const DEFAULT_CLOUDWATCH_CONFIG: CloudwatchConfig = { metricDelayMs: 120_000 };
