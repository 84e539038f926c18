/**
 * The way down (safety rule 2): weights back to Lambda, Route 53 in sync by a change this reconciler
 * knows (known-change.ts), then the wait (drain-clock.ts), and only then is the Fargate tier deleted.
 * Until then the plan sees the Lambda tier and the records only, so nothing of the Fargate tier is
 * created or deleted while traffic drains. What the way down learned (the wait over, no record of ours
 * left) is kept once the tier is gone, so that a failed look-up later does not send it back to draining.
 *
 * Without `dns` there is no record and nothing drains away from an ALB that clients call by its own
 * name: the Fargate tier is deleted at once (ECS's DeleteService drains its tasks' targets through the
 * deregistration delay itself). Records of ours left from a spec that had `dns` drain first all the same:
 * their removal is the move back to Lambda, its change the known one the wait starts from.
 */
import type { TargetTier } from '../engine/plan';
import type { Observation } from '../engine/types';
import type { ManagedResource, TrafficWeights } from '../resources/types';
import type { Phase } from '../state/types';
import { DRAINED_RECORD_KEYS, weights, type Routed, type ShiftState, type TrafficInput } from './decision';
import { drainWaitMs, onOurClock, waitLeftMs } from './drain-clock';
import { nothingOfOursAtTheName, strandedOnFargate } from './foreign-name';
import { vouchedDown } from './known-change';
import { holdUnobserved } from './unobserved';

/**
 * What goes once traffic has left Fargate, in every reason of the way down: the Fargate tier when the
 * stack moves to Lambda, both tiers when it is deleted (the Lambda tier serves until the drain is over,
 * then goes with it).
 */
export function tiersLeaving(target: TargetTier): string {
  return target === 'none' ? 'both tiers' : 'the Fargate tier';
}

/**
 * Traffic leaving Fargate: `observed` as Route 53 holds it, `inSync` whether every change of ours there
 * is, `noWeights` whether no weight of ours routes traffic, `unobserved` the watched look-ups that failed.
 */
export function scaleDown(
  input: TrafficInput,
  observed: TrafficWeights,
  inSync: boolean,
  noWeights: boolean,
  unobserved: readonly string[],
): Routed {
  const { observation, previous } = input;
  const leaving: Phase = input.target === 'none' ? 'Deleting' : 'ScalingDown';
  if (!fargateTierMayExist(observation, input.kinds)) {
    return {
      planTier: input.target,
      planResources: 'all',
      weights: weights(0),
      shift: { fargateWeight: 0, ...learnedOnTheWayDown(previous) },
      phase: input.target === 'none' ? 'Deleting' : 'Lambda',
      reason: input.target === 'none' ? 'deleting the stack' : 'serving from Lambda',
      observed,
    };
  }
  // A drain once waited out goes on deleting under its own reason, though the records it drained are gone.
  if (noWeights && previous?.drain?.waited !== true) {
    return {
      planTier: input.target,
      planResources: 'all',
      weights: weights(0),
      shift: { fargateWeight: 0, weightless: true },
      phase: leaving,
      reason: `no custom domain, so no traffic to drain; deleting ${tiersLeaving(input.target)}`,
      observed: weights(0),
    };
  }
  return drainRecords(input, observed, inSync, unobserved, leaving);
}

/**
 * Traffic on the records leaving Fargate: moved back to Lambda and in sync by a known change, then the
 * wait, then the tier deleted; kept while a record the stack can't write still points at its ALB.
 */
function drainRecords(
  input: TrafficInput,
  observed: TrafficWeights,
  inSync: boolean,
  unobserved: readonly string[],
  leaving: Phase,
): Routed {
  const { spec, observation, previous } = input;
  const waitMs = drainWaitMs(spec, observation);
  // Leaving Fargate, only the records decide the drain: the ALB and its targets are not read.
  const unseenRecords = unobserved.filter((key) => DRAINED_RECORD_KEYS.includes(key));
  const vouched = vouchedDown(previous) || nothingOfOursAtTheName(observation);
  // A drain from before the marker was kept is begun again (longer, never shorter); one already waited out
  // goes on deleting, as below.
  const kept =
    previous?.fargateWeight === 0 && (vouched || previous.drain?.waited) ? previous.drain : undefined;
  const drain = kept && onOurClock(kept, input.now);
  const waited = drain !== undefined && (drain.waited === true || waitLeftMs(drain, waitMs, input) <= 0);
  if (waited && (observed.fargate === 0 || unseenRecords.length > 0)) {
    // Once drained, the tier's deletion goes on: a failed look-up, the Route 53 change of our own deleted
    // record, or a pass with no AWS time yet, does not send it back to draining (which, on a delete, would
    // plan the half-deleted Lambda tier again and re-create it).
    return deleting(input, leaving, { ...drain, waited: true }, observed);
  }
  if (unseenRecords.length > 0) return holdUnobserved(input, observed, unseenRecords);
  const stranded = strandedOnFargate(observation);
  if (stranded !== undefined) {
    return {
      planTier: 'fargate',
      planResources: 'lambda-tier-and-records',
      weights: weights(0),
      shift: { fargateWeight: 0 },
      phase: leaving,
      reason: `keeping the Fargate tier: ${stranded}`,
      observed,
    };
  }
  if (observed.fargate > 0 || !inSync || !vouched) {
    // Safety rule 2, first half: traffic back to Lambda and in sync before anything else, in sync by a
    // change this reconciler knows: records found at Fargate 0 with none behind them are written again.
    const why =
      observed.fargate > 0
        ? `Fargate has ${observed.fargate} %`
        : !vouched
          ? 'Fargate has 0 % by a change not known: writing the records again to wait on one'
          : 'Fargate has 0 %';
    return {
      planTier: 'fargate',
      planResources: 'lambda-tier-and-records',
      weights: weights(0),
      // A pass that writes other weights vouches for them only once its change has answered.
      shift: { fargateWeight: 0, ...(vouched && observed.fargate === 0 ? { knownChange: true } : {}) },
      ...(vouched && observed.fargate === 0 ? {} : { rewriteWeights: true }),
      phase: leaving,
      reason: `moving traffic back to Lambda (${why}${inSync ? '' : ', Route 53 change pending'})`,
      observed,
    };
  }
  const DRAIN = `(TTL × 2 + deregistration delay, in AWS's time) before deleting ${tiersLeaving(input.target)}`;
  const waiting = (shift: ShiftState, why: string, awaiting?: string): Routed => ({
    planTier: 'fargate',
    planResources: 'lambda-tier-and-records',
    weights: weights(0),
    shift,
    phase: leaving,
    reason: `traffic on Lambda and in sync; ${why} ${DRAIN}`,
    ...(awaiting ? { awaiting: `${awaiting} ${DRAIN}` } : {}),
    observed,
  });
  const aws = input.awsTime;
  if (!aws)
    return waiting(
      { fargateWeight: 0, knownChange: true, ...(drain ? { drain } : {}) },
      'no AWS answer dated this pass',
    );
  const started = drain ?? { since: aws.latest, localSince: input.now };
  const left = waitLeftMs(started, waitMs, input);
  if (left > 0)
    return waiting(
      { fargateWeight: 0, knownChange: true, drain: started },
      `waiting ${Math.ceil(left / 1000)} s more`,
      `${Math.ceil(left / 1000)} s more of the drain`,
    );
  return deleting(input, leaving, { ...started, waited: true }, observed);
}

/**
 * Whether anything of the Fargate tier may still exist. A kind whose look-up failed (throttled, 5xx, timed
 * out) counts as existing: read as absent, it would end the drain early and reset its clock, and delete and
 * re-create the Lambda tier around it, pass after pass (safety rule 6).
 */
function fargateTierMayExist(observation: Observation, kinds: readonly ManagedResource[]): boolean {
  return kinds.some(
    (k) =>
      k.tier === 'fargate' &&
      (k.key in observation.unknown ||
        (observation.resources[k.key] !== undefined && !observation.resources[k.key]!.foreign)),
  );
}

/**
 * What the way down learned, kept once the Fargate tier is found gone: that no record of ours routes
 * traffic (`weightless`), or that the drain was waited out. A later look-up of a Fargate-tier kind that
 * fails reads as "may exist" (safety rule 6); forgotten, the stack would go back to draining, which plans
 * the Lambda tier and the records only, and on a delete re-creates the half-deleted Lambda tier.
 */
function learnedOnTheWayDown(previous: ShiftState | undefined): Partial<ShiftState> {
  if (previous?.fargateWeight !== 0) return {};
  return {
    ...(previous.weightless ? { weightless: true as const } : {}),
    ...(previous.drain?.waited ? { drain: previous.drain } : {}),
  };
}

/** Traffic drained from Fargate and the wait over: the Fargate tier may go. */
function deleting(
  input: TrafficInput,
  leaving: Phase,
  drain: NonNullable<ShiftState['drain']>,
  observed: TrafficWeights,
): Routed {
  return {
    planTier: input.target,
    planResources: 'all',
    weights: weights(0),
    shift: { fargateWeight: 0, knownChange: true, drain },
    phase: leaving,
    reason: `traffic drained from Fargate; deleting ${tiersLeaving(input.target)}`,
    observed,
  };
}
