/**
 * What a target-tracking policy on ALBRequestCountPerTarget decides from the metric's one-minute
 * datapoints, as the CloudWatch alarms Application Auto Scaling creates for it decide (docs/aws-facts.md):
 * - the scale-out (high) alarm goes to ALARM when its last `scaleOutDatapoints` datapoints are all above
 *   the target value: one busy minute is not enough;
 * - the scale-in (low) alarm when its last `scaleInDatapoints` datapoints are all below
 *   `scaleInThresholdRatio` × the target value;
 * - a missing datapoint (no healthy target to count per) breaks the run: target tracking does not scale
 *   on insufficient data.
 * The capacity it then asks for makes the latest datapoint meet the target: ceil(requests / target value)
 * (requests per target per minute × targets = requests). Cooldowns and min/max are the caller's.
 *
 * Pure, and plain data in and out, so that the simulator and any model of the service's task count share
 * one rule.
 */

export interface TargetTrackingAlarms {
  /** Consecutive one-minute datapoints above the target that put the scale-out alarm in ALARM. */
  scaleOutDatapoints: number;
  /** Consecutive one-minute datapoints below the low threshold that put the scale-in alarm in ALARM. */
  scaleInDatapoints: number;
  /** The scale-in alarm's threshold as a share of the target value. */
  scaleInThresholdRatio: number;
}

/**
 * The scale-out alarm's 3 of 3 one-minute datapoints is what the alarms Application Auto Scaling creates
 * show (docs/aws-facts.md). The scale-in alarm's datapoints and threshold are settings: AWS documents
 * only that it scales in conservatively; 15 datapoints below 90 % of the target is the slow side of what
 * users report, so that the simulator does not scale in sooner than AWS may.
 */
export const DEFAULT_TARGET_TRACKING_ALARMS: TargetTrackingAlarms = {
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInThresholdRatio: 0.9,
};

/** One minute of the metric: requests counted by the ALB and the healthy targets it spread them over. */
export interface RequestCountDatapoint {
  requests: number;
  healthyTargets: number;
}

export interface TrackingProposal {
  direction: 'out' | 'in';
  /** The capacity that meets the target at the latest datapoint, before min/max. */
  capacity: number;
}

/** Requests per target in the minute, or undefined when there was no healthy target (no datapoint). */
export function requestsPerTarget(point: RequestCountDatapoint | null | undefined): number | undefined {
  if (!point || point.healthyTargets <= 0) return undefined;
  return point.requests / point.healthyTargets;
}

function lastAll(
  datapoints: readonly (RequestCountDatapoint | null)[],
  count: number,
  breaching: (perTarget: number) => boolean,
): boolean {
  if (count <= 0 || datapoints.length < count) return false;
  return datapoints.slice(-count).every((p) => {
    const value = requestsPerTarget(p);
    return value !== undefined && breaching(value);
  });
}

/**
 * The policy's proposal after the latest datapoint (oldest first; null for a minute without data), or
 * undefined while neither alarm is in ALARM or the proposal would not change `current`.
 *
 * @example
 * // Target 100 requests per target per minute, 1 task: three minutes of 250 requests scale out to 3.
 * trackingProposal([p(250, 1), p(250, 1), p(250, 1)], 100, 1); // { direction: 'out', capacity: 3 }
 */
export function trackingProposal(
  datapoints: readonly (RequestCountDatapoint | null)[],
  targetValue: number,
  current: number,
  alarms: TargetTrackingAlarms = DEFAULT_TARGET_TRACKING_ALARMS,
): TrackingProposal | undefined {
  const latest = datapoints[datapoints.length - 1];
  if (!latest || targetValue <= 0) return undefined;
  const capacity = Math.ceil(latest.requests / targetValue);
  if (capacity > current && lastAll(datapoints, alarms.scaleOutDatapoints, (v) => v > targetValue))
    return { direction: 'out', capacity };
  const low = targetValue * alarms.scaleInThresholdRatio;
  if (capacity < current && lastAll(datapoints, alarms.scaleInDatapoints, (v) => v < low))
    return { direction: 'in', capacity };
  return undefined;
}

/** The datapoints a policy keeps: enough for the longer of its two alarms. */
export function keepDatapoints<T>(
  datapoints: readonly T[],
  alarms: TargetTrackingAlarms = DEFAULT_TARGET_TRACKING_ALARMS,
  publishDelayMinutes = 0,
): T[] {
  return datapoints.slice(
    -(Math.max(alarms.scaleOutDatapoints, alarms.scaleInDatapoints) + publishDelayMinutes),
  );
}

/**
 * The datapoints CloudWatch has published, those its alarms evaluate: all but the newest
 * `publishDelayMinutes` (a minute's metric appears some time after the minute ends).
 */
export function publishedDatapoints<T>(datapoints: readonly T[], publishDelayMinutes: number): T[] {
  return publishDelayMinutes > 0 ? datapoints.slice(0, -publishDelayMinutes) : [...datapoints];
}

/** When the scalable target last scaled out and in, and the policy's cooldowns. */
export interface TrackingCooldowns {
  scaleOutMs: number;
  scaleInMs: number;
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
}

/**
 * Whether a scaling activity in `direction` may start at `now`: a scale-out waits for the scale-out
 * cooldown after the last scale-out only (AWS scales out at once during a scale-in cooldown); a scale-in
 * waits for the scale-in cooldown after the last activity of either direction, so that a service never
 * shrinks right after growing.
 */
export function cooldownAllows(direction: 'out' | 'in', now: number, c: TrackingCooldowns): boolean {
  if (direction === 'out') return c.lastScaleOutAt === undefined || now >= c.lastScaleOutAt + c.scaleOutMs;
  const last = Math.max(c.lastScaleInAt ?? -Infinity, c.lastScaleOutAt ?? -Infinity);
  return now >= last + c.scaleInMs;
}

/** One policy on one scalable target, as plain data: what a model of the task count carries minute to minute. */
export interface TrackedTarget {
  capacity: number;
  datapoints: (RequestCountDatapoint | null)[];
  cooldowns: TrackingCooldowns;
}

/**
 * A minute of target tracking for a single policy: records the minute's datapoint and applies what its
 * alarms ask for, within min and max and subject to the cooldowns; the same rule the simulated Application
 * Auto Scaling applies (scaling.ts), for models that do not run the simulated account.
 */
export function trackMinute(
  tracked: TrackedTarget,
  datapoint: RequestCountDatapoint | null,
  settings: {
    targetValue: number;
    minCapacity: number;
    maxCapacity: number;
    alarms?: TargetTrackingAlarms;
    /** Minutes between a minute's end and its datapoint's publication (the alarms see it then). */
    publishDelayMinutes?: number;
  },
  now: number,
): TrackedTarget {
  const alarms = settings.alarms ?? DEFAULT_TARGET_TRACKING_ALARMS;
  const delay = settings.publishDelayMinutes ?? 0;
  const datapoints = keepDatapoints([...tracked.datapoints, datapoint], alarms, delay);
  const current = Math.min(settings.maxCapacity, Math.max(settings.minCapacity, tracked.capacity));
  const published = publishedDatapoints(datapoints, delay);
  const proposal = trackingProposal(published, settings.targetValue, current, alarms);
  const wanted =
    proposal && Math.min(settings.maxCapacity, Math.max(settings.minCapacity, proposal.capacity));
  if (
    proposal === undefined ||
    wanted === undefined ||
    wanted === current ||
    !cooldownAllows(proposal.direction, now, tracked.cooldowns)
  )
    return { capacity: current, datapoints, cooldowns: tracked.cooldowns };
  const cooldowns =
    wanted > current
      ? { ...tracked.cooldowns, lastScaleOutAt: now }
      : { ...tracked.cooldowns, lastScaleInAt: now };
  return { capacity: wanted, datapoints, cooldowns };
}
