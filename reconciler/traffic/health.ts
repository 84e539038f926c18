/**
 * Safety rule 1's reading of the Fargate tier: whether the stack's own ALB is active with at least
 * `minTasks` healthy targets, and, when the ALB could not be observed, whether the targets alone already
 * say the tier can't serve. Traffic goes to Fargate only on a healthy verdict.
 */
import type { DesiredState } from '../../spec/types';
import type { Observation } from '../engine/types';
import { ecsServiceResource } from '../resources/ecs/service';
import { loadBalancerResource } from '../resources/elbv2/load-balancer';
import { extraOf } from '../resources/extra';
import { RESOURCE_KEYS } from '../resources/keys';

export interface FargateHealth {
  healthy: boolean;
  why: string;
}

export function fargateHealth(spec: DesiredState, observation: Observation): FargateHealth {
  const alb = observation.resources[loadBalancerResource.key];
  if (!alb) return { healthy: false, why: 'no ALB' };
  // An ALB at the stack's name that is not the stack's (its own deleted, someone else's made there, which
  // may forward to the stack's targets) is not "the ALB" of safety rule 1: the records can't point at it
  // (safety rule 3), and what they point at is gone.
  if (alb.foreign)
    return { healthy: false, why: `the ALB at the stack's name (${alb.id}) is not the stack's` };
  if (!alb.ready) return { healthy: false, why: `ALB ${alb.state ?? 'not active'}` };
  const healthyTargets = extraOf(observation.resources, ecsServiceResource)?.healthyTargets ?? 0;
  const min = spec.fargate.minTasks;
  if (healthyTargets < min) return { healthy: false, why: `${healthyTargets} of ${min} targets healthy` };
  const targets = healthyTargets === 1 ? 'target' : 'targets';
  return { healthy: true, why: `ALB active, ${healthyTargets} ${targets} healthy (≥ ${min})` };
}

/**
 * Too few healthy targets, known without the ALB: the ECS service and its target group were observed (a
 * look-up of either that failed says nothing of the targets). Whatever the ALB's look-up answered, no
 * weight may stay on Fargate then (safety rule 1): an ALB deleted behind the stack's back takes its
 * listeners with it, its target group's targets turn unused, and holding traffic until the ALB is known
 * again would send it to a dead name.
 */
export function targetsShort(spec: DesiredState, observation: Observation): FargateHealth | undefined {
  const watched = [RESOURCE_KEYS.service, RESOURCE_KEYS.targetGroup] as const;
  if (watched.some((key) => key in observation.unknown)) return undefined;
  const healthyTargets = extraOf(observation.resources, ecsServiceResource)?.healthyTargets ?? 0;
  const min = spec.fargate.minTasks;
  if (healthyTargets >= min) return undefined;
  return {
    healthy: false,
    why: `${healthyTargets} of ${min} targets healthy (the ALB could not be observed)`,
  };
}
