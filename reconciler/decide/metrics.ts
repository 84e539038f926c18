/**
 * The metrics the auto decider reads, and the one batched CloudWatch GetMetricData request that fetches
 * them for every stack of a pass.
 *
 * Pure: only the SDK's input and output TYPES are used; the caller sends the request and hands the
 * answers back. A metric that CloudWatch did not report for a minute stays `undefined` in the sample:
 * CloudWatch omits a datapoint both when nothing happened and when nothing was measured, so reading a
 * gap as zero is exactly how the seed project scaled down under load (its Lambda alarm saw "no data"
 * once traffic had moved to Fargate).
 */
import type {
  Dimension,
  GetMetricDataInput,
  GetMetricDataOutput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { MINUTE_MS } from '../../util/time';

/** One minute of one stack's metrics. A missing field means "no data", never zero. */
export interface MinuteSample {
  /** Whole minutes since the epoch (timestamp ms / 60 000), or a trace's minute index in simulations. */
  minute: number;
  /** API Gateway HTTP API `Count`, Sum over the minute: requests the Lambda tier received. */
  apiRequests?: number;
  /** ALB `RequestCount`, Sum over the minute: requests the Fargate tier received. */
  albRequests?: number;
  /** Lambda `ConcurrentExecutions`, Maximum over the minute. */
  lambdaConcurrentMax?: number;
  /** Lambda `Throttles`, Sum over the minute. */
  lambdaThrottles?: number;
  /** Lambda `Duration`, Average over the minute, in milliseconds. */
  lambdaDurationMs?: number;
  /** ALB `HealthyHostCount` of the stack's target group, Minimum over the minute. */
  healthyHosts?: number;
  /** ECS `CPUUtilization` of the stack's service, Average over the minute, in percent. */
  ecsCpu?: number;
}

export type MetricField = Exclude<keyof MinuteSample, 'minute'>;

/**
 * The CloudWatch names of one stack's resources. A tier that does not exist has no names, and its
 * metrics are simply not asked for (in phase Lambda there is no ALB to ask about).
 */
export interface StackMetricTargets {
  stack: string;
  /** HTTP API id (dimension `ApiId`). */
  apiId?: string;
  /** Lambda function name (dimension `FunctionName`). */
  functionName?: string;
  /** ALB dimension value: the part of its ARN after `loadbalancer/`, e.g. `app/lf-web-alb/50dc6c495c0c9188`. */
  loadBalancer?: string;
  /** Target group dimension value: the part of its ARN from `targetgroup/`. */
  targetGroup?: string;
  clusterName?: string;
  serviceName?: string;
}

interface MetricDefinition {
  namespace: string;
  metricName: string;
  stat: 'Sum' | 'Maximum' | 'Average' | 'Minimum';
  /** The dimensions for this stack, or undefined when the stack has no such resource. */
  dimensions(targets: StackMetricTargets): Dimension[] | undefined;
}

const dim = (Name: string, Value: string | undefined): Dimension[] | undefined =>
  Value === undefined ? undefined : [{ Name, Value }];

const lambdaDimensions = (t: StackMetricTargets) => dim('FunctionName', t.functionName);

/** What each sample field is in CloudWatch. The short keys make query ids (`s<index>_<key>`). */
export const METRIC_DEFINITIONS: Record<MetricField, MetricDefinition & { key: string }> = {
  apiRequests: {
    key: 'api',
    namespace: 'AWS/ApiGateway',
    metricName: 'Count',
    stat: 'Sum',
    dimensions: (t) => dim('ApiId', t.apiId),
  },
  albRequests: {
    key: 'alb',
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    stat: 'Sum',
    dimensions: (t) => dim('LoadBalancer', t.loadBalancer),
  },
  lambdaConcurrentMax: {
    key: 'conc',
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    stat: 'Maximum',
    dimensions: lambdaDimensions,
  },
  lambdaThrottles: {
    key: 'thr',
    namespace: 'AWS/Lambda',
    metricName: 'Throttles',
    stat: 'Sum',
    dimensions: lambdaDimensions,
  },
  lambdaDurationMs: {
    key: 'dur',
    namespace: 'AWS/Lambda',
    metricName: 'Duration',
    stat: 'Average',
    dimensions: lambdaDimensions,
  },
  healthyHosts: {
    key: 'hosts',
    namespace: 'AWS/ApplicationELB',
    metricName: 'HealthyHostCount',
    // The worst minute matters: traffic may move only onto enough healthy targets (docs/design.md, safety rule 1).
    stat: 'Minimum',
    dimensions: (t) =>
      t.targetGroup === undefined || t.loadBalancer === undefined
        ? undefined
        : [
            { Name: 'TargetGroup', Value: t.targetGroup },
            { Name: 'LoadBalancer', Value: t.loadBalancer },
          ],
  },
  ecsCpu: {
    key: 'cpu',
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    stat: 'Average',
    dimensions: (t) =>
      t.clusterName === undefined || t.serviceName === undefined
        ? undefined
        : [
            { Name: 'ClusterName', Value: t.clusterName },
            { Name: 'ServiceName', Value: t.serviceName },
          ],
  },
};

const METRIC_FIELDS = Object.keys(METRIC_DEFINITIONS) as MetricField[];

/** GetMetricData accepts at most 500 queries per request. */
export const MAX_QUERIES_PER_REQUEST = 500;
export const PERIOD_SECONDS = 60;

/**
 * The label names the stack and the field, so that an answer can be parsed without the request that
 * asked for it (a stack name never holds a `/`: it matches `^[a-z][a-z0-9-]*[a-z0-9]$`).
 */
const labelFor = (stack: string, field: MetricField) => `${stack}/${field}`;

function queriesForStack(targets: StackMetricTargets, index: number): MetricDataQuery[] {
  const queries: MetricDataQuery[] = [];
  for (const field of METRIC_FIELDS) {
    const def = METRIC_DEFINITIONS[field];
    const dimensions = def.dimensions(targets);
    if (!dimensions) continue;
    queries.push({
      // Ids must start with a lower-case letter and hold only [a-zA-Z0-9_]; stack names hold hyphens.
      Id: `s${index}_${def.key}`,
      Label: labelFor(targets.stack, field),
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: def.namespace, MetricName: def.metricName, Dimensions: dimensions },
        Period: PERIOD_SECONDS,
        Stat: def.stat,
      },
    });
  }
  return queries;
}

/**
 * The GetMetricData requests for every stack of a pass: one request unless the stacks need more than
 * 500 queries, then as few as fit, never splitting one stack's queries across two requests.
 * The window ends at the start of `now`'s minute (a minute still running has incomplete sums).
 *
 * @example
 * const requests = metricQueries([{ stack: 'web', apiId: 'a1b2c3', functionName: 'lf-web-fn' }], {
 *   now: Date.now(),
 *   minutes: 20,
 * });
 * // requests[0].MetricDataQueries: 4 queries (API Count, Lambda concurrency, throttles, duration)
 */
export function metricQueries(
  stacks: readonly StackMetricTargets[],
  window: { now: number; minutes: number },
): GetMetricDataInput[] {
  const end = Math.floor(window.now / MINUTE_MS) * MINUTE_MS;
  const start = end - window.minutes * MINUTE_MS;
  const batches: MetricDataQuery[][] = [];
  let current: MetricDataQuery[] = [];
  stacks.forEach((targets, index) => {
    const queries = queriesForStack(targets, index);
    if (current.length + queries.length > MAX_QUERIES_PER_REQUEST && current.length > 0) {
      batches.push(current);
      current = [];
    }
    current.push(...queries);
  });
  if (current.length > 0) batches.push(current);
  return batches.map((queries) => ({
    MetricDataQueries: queries,
    StartTime: new Date(start),
    EndTime: new Date(end),
    ScanBy: 'TimestampAscending',
  }));
}

function parseLabel(label: string | undefined): { stack: string; field: MetricField } | undefined {
  if (!label) return undefined;
  const slash = label.lastIndexOf('/');
  const field = label.slice(slash + 1) as MetricField;
  if (slash <= 0 || !(field in METRIC_DEFINITIONS)) return undefined;
  return { stack: label.slice(0, slash), field };
}

/**
 * Samples by stack, oldest minute first, from GetMetricData answers (one, or several: pages and split
 * requests). Only minutes with at least one datapoint appear, and only the fields reported are set.
 * Results whose label this module did not write are ignored.
 */
export function parseMetricResults(
  responses: GetMetricDataOutput | readonly GetMetricDataOutput[],
): Map<string, MinuteSample[]> {
  const byStack = new Map<string, Map<number, MinuteSample>>();
  const list: readonly GetMetricDataOutput[] = Array.isArray(responses) ? responses : [responses];
  for (const response of list) {
    for (const result of response.MetricDataResults ?? []) {
      const parsed = parseLabel(result.Label);
      if (!parsed) continue;
      const minutes = byStack.get(parsed.stack) ?? new Map<number, MinuteSample>();
      byStack.set(parsed.stack, minutes);
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      timestamps.forEach((timestamp, i) => {
        const value = values[i];
        if (value === undefined || !Number.isFinite(value)) return;
        const minute = Math.floor(new Date(timestamp).getTime() / MINUTE_MS);
        const sample = minutes.get(minute) ?? { minute };
        sample[parsed.field] = value;
        minutes.set(minute, sample);
      });
    }
  }
  const samples = new Map<string, MinuteSample[]>();
  for (const [stack, minutes] of byStack) {
    samples.set(
      stack,
      [...minutes.values()].sort((a, b) => a.minute - b.minute),
    );
  }
  return samples;
}
