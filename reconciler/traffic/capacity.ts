/**
 * Capacity before each step of the way up: when the stack's request rate is known (`requestRate`, from
 * auto mode's metrics), a step is taken only once the healthy targets can carry it (healthy targets ×
 * `targetRequestsPerTask` ≥ rate × step %, or the whole fleet is healthy at `maxTasks`); otherwise the
 * engine holds the current step. So that the targets are there to be waited for, the decision asks for
 * `tasksForRate` during ScalingUp: enough tasks for the whole rate (with `CAPACITY_HEADROOM`), which the
 * plan sets as the scalable target's MinCapacity (Application Auto Scaling then raises the service's
 * desired count at once). Without a known rate (pinned modes, metrics missing) steps are not held: a
 * missing rate is not zero traffic, but it is not a reason to hold traffic on Lambda either.
 */
import type { DesiredState } from '../../spec/types';
import { ecsServiceResource } from '../resources/ecs/service';
import { extraOf } from '../resources/extra';
import type { TrafficInput } from './decision';

/**
 * Tasks are asked for this much above the rate during ScalingUp: the rate read from CloudWatch is a minute
 * or more old and the traffic moves under it (Kubernetes HPA's tolerance is 10 % too).
 */
export const CAPACITY_HEADROOM = 1.1;

/** Requests per second `tasks` healthy targets take (at `targetRequestsPerTask` each). */
const capacityOf = (spec: DesiredState, tasks: number) => tasks * spec.fargate.targetRequestsPerTask;

/** The tasks `rps` needs with headroom, within the spec's bounds. */
export function tasksForRate(spec: DesiredState, rps: number): number {
  const { minTasks, maxTasks, targetRequestsPerTask } = spec.fargate;
  const wanted = Math.ceil((rps * CAPACITY_HEADROOM) / targetRequestsPerTask);
  return Math.min(maxTasks, Math.max(minTasks, wanted));
}

/**
 * Why the healthy targets can't carry `step` % of the rate yet, or undefined when they can (or the rate
 * is unknown, or every task the spec allows is already healthy: more waiting would not help).
 */
export function shortOfCapacity(input: TrafficInput, step: number): string | undefined {
  const { spec, observation, requestRate } = input;
  if (requestRate === undefined) return undefined;
  const healthy = extraOf(observation.resources, ecsServiceResource)?.healthyTargets ?? 0;
  if (healthy >= spec.fargate.maxTasks) return undefined;
  const needed = (requestRate * step) / 100;
  const capacity = capacityOf(spec, healthy);
  if (capacity >= needed) return undefined;
  return (
    `${healthy} healthy targets carry ${capacity} rps < ${needed.toFixed(1)} rps ` +
    `(${step} % of ${requestRate.toFixed(1)} rps)`
  );
}
