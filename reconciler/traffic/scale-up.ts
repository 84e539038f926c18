/**
 * The way up (safety rule 1): traffic moves to Fargate only while its tier is healthy (health.ts), in
 * `traffic.shiftSteps`, each held `stepSeconds` after Route 53 has it in sync, and each only once the
 * healthy targets can carry it (capacity.ts). Unhealthy targets while Fargate serves: everything back to
 * Lambda at once (a rollback, with the reason in the status). Without `dns` there is no weight to move:
 * the tier serves as soon as it is healthy, and when it turns unhealthy the stack says so and keeps it
 * (ECS replaces failing tasks; the ALB's URL, which clients may hold, stays the same).
 */
import type { TrafficWeights } from '../resources/types';
import { tasksForRate, shortOfCapacity } from './capacity';
import { weights, type Routed, type TrafficInput } from './decision';
import { fargateHealth, type FargateHealth } from './health';

/** How long after all traffic reached Fargate the shift's task count is kept (metric delay + scale-in cooldown). */
export const TARGET_TRACKING_HANDOVER_MS = 10 * 60_000;

/** What every decision on the way up shares: the plan's tier and kinds, the weights seen, the tasks sized for the rate. */
export type ScaleUpBase = Pick<Routed, 'planTier' | 'planResources' | 'observed' | 'fargateMinTasks'>;

export function scaleUpBase(input: TrafficInput, observed: TrafficWeights): ScaleUpBase {
  return {
    planTier: 'fargate',
    planResources: 'all',
    observed,
    ...(input.requestRate === undefined
      ? {}
      : { fargateMinTasks: tasksForRate(input.spec, input.requestRate) }),
  };
}

/** The Fargate tier can't serve: everything back to Lambda at once (a rollback, if it had any weight). */
export function notHealthy(
  input: TrafficInput,
  base: ScaleUpBase,
  health: FargateHealth,
  noWeights: boolean,
): Routed {
  if (noWeights) return unhealthyWithoutWeights(input, base, health);
  const serving = base.observed.fargate > 0 || (input.previous?.fargateWeight ?? 0) > 0;
  return {
    ...base,
    weights: weights(0),
    shift: { fargateWeight: 0 },
    phase: 'ScalingUp',
    reason: serving ? `rolled back to Lambda: ${health.why}` : `building the Fargate tier: ${health.why}`,
    ...(serving ? { rollback: health.why } : {}),
  };
}

export function scaleUp(
  input: TrafficInput,
  observed: TrafficWeights,
  inSync: boolean,
  noWeights: boolean,
): Routed {
  const { spec, observation, previous, now } = input;
  const health = fargateHealth(spec, observation);
  const asked = previous?.fargateWeight ?? 0;
  const base = scaleUpBase(input, observed);
  if (!health.healthy) return notHealthy(input, base, health, noWeights);
  if (noWeights) {
    // No weight to move: the healthy tier serves at once, from the first pass that finds it healthy.
    const since = asked >= 100 ? (previous?.inEffectSince ?? now) : now;
    return servingFromFargate(input, base, since, health, true);
  }
  const inEffect = inSync && (spec.dns ? observed.fargate === asked : true);
  if (!inEffect) {
    return {
      ...base,
      weights: weights(asked),
      shift: { fargateWeight: asked },
      phase: 'ScalingUp',
      reason: `${health.why}; waiting for Route 53 to have Fargate at ${asked} %`,
      awaiting: `Route 53 to have Fargate at ${asked} %`,
    };
  }
  const since = previous?.inEffectSince ?? now;
  const steps = spec.traffic.shiftSteps;
  const held = now - since >= spec.traffic.stepSeconds * 1000;
  const wanted = asked === 0 ? steps[0]! : held ? (steps.find((s) => s > asked) ?? asked) : asked;
  const short = wanted !== asked ? shortOfCapacity(input, wanted) : undefined;
  if (short !== undefined) {
    return {
      ...base,
      weights: weights(asked),
      shift: { fargateWeight: asked, ...(asked > 0 ? { inEffectSince: since } : {}) },
      phase: 'ScalingUp',
      reason: `${health.why}; holding Fargate at ${asked} % before ${wanted} %: ${short}`,
      awaiting: `the capacity to go from Fargate at ${asked} % to ${wanted} %: ${short}`,
    };
  }
  if (wanted !== asked) {
    return {
      ...base,
      weights: weights(wanted),
      shift: { fargateWeight: wanted },
      phase: 'ScalingUp',
      reason: `${health.why}; shifting Fargate from ${asked} % to ${wanted} %`,
      awaiting: `Route 53 to have Fargate at ${wanted} %`,
    };
  }
  if (asked >= 100) return servingFromFargate(input, base, since, health, false);
  return {
    ...base,
    weights: weights(asked),
    shift: { fargateWeight: asked, inEffectSince: since },
    phase: 'ScalingUp',
    reason: `${health.why}; holding Fargate at ${asked} % for ${spec.traffic.stepSeconds} s`,
    awaiting: `Fargate held at ${asked} % for ${spec.traffic.stepSeconds} s before the next step`,
  };
}

/**
 * Without a record, an unhealthy Fargate tier: still being built, or, once it served, unhealthy with
 * clients told to call the Lambda tier (no weight was ever moved, so no rollback is claimed).
 */
function unhealthyWithoutWeights(
  input: TrafficInput,
  base: Pick<Routed, 'planTier' | 'planResources' | 'fargateMinTasks'>,
  health: FargateHealth,
): Routed {
  const { previous, now } = input;
  const served = (previous?.fargateWeight ?? 0) >= 100 || previous?.unhealthySince !== undefined;
  const decided = { ...base, weights: weights(0), observed: weights(0), phase: 'ScalingUp' as const };
  if (!served) {
    return { ...decided, shift: { fargateWeight: 0 }, reason: `building the Fargate tier: ${health.why}` };
  }
  const since = previous?.unhealthySince ?? now;
  return {
    ...decided,
    shift: { fargateWeight: 0, unhealthySince: since },
    reason:
      `the Fargate tier is unhealthy (${health.why}); no custom domain, so nothing to move back: ` +
      "clients should call the API's URL until its targets are healthy again",
    unhealthy: { why: health.why, since },
  };
}

/** All traffic on Fargate (or, without a record, the tier ready), since `since`. */
function servingFromFargate(
  input: TrafficInput,
  base: ScaleUpBase,
  since: number,
  health: FargateHealth,
  weightlessStack: boolean,
): Routed {
  // Once all traffic has been on Fargate for a while, the spec's minTasks applies again and target
  // tracking owns the count. Not at once: its metric still shows the last step's share of the traffic
  // (published minutes late), and scaling in on it would leave too few tasks for all of it.
  const handedOver = input.now - since >= TARGET_TRACKING_HANDOVER_MS;
  const { fargateMinTasks: _sizedForShift, ...settledBase } = base;
  return {
    ...(handedOver ? settledBase : base),
    ...(weightlessStack ? { observed: weights(100) } : {}),
    weights: weights(100),
    shift: { fargateWeight: 100, inEffectSince: since },
    phase: 'Fargate',
    reason: `serving from Fargate: ${health.why}`,
  };
}
