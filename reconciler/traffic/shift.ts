/**
 * Where traffic goes, and whether the Fargate tier may be deleted: the traffic engine (pure), with
 * the safety rules of docs/design.md.
 *
 * 1. Traffic moves to Fargate only when the ALB is active and at least `minTasks` targets are healthy; it
 *    moves in `traffic.shiftSteps`, each held `stepSeconds` after Route 53 has it in sync, and goes on only
 *    while the targets stay healthy. Unhealthy targets while Fargate serves: everything back to Lambda at
 *    once (rollback), with the reason in the status.
 * 2. Scale-down: weights back to Lambda, Route 53 INSYNC, then TTL × 2 and the deregistration delay, and
 *    only then is the Fargate tier deleted. Until then the plan sees the records only, so nothing of the
 *    Fargate tier is created or deleted while traffic drains. The wait is measured in AWS's time, as AWS's
 *    responses bound it (`awsTime`, aws/aws-time.ts), never on the reconciler's clock: resolvers' caches and
 *    the deregistration delay run out in real time, and a clock stepped forward (NTP, a worker whose clock
 *    is ahead, another Lambda host) would shorten it. It starts at the latest AWS's time can be when a pass
 *    first finds traffic on Lambda and in sync, and is over once the earliest it can be is past that by the
 *    wait: never shorter in AWS's time, longer by about a second and a round trip.
 * 4. The Lambda tier is always planned (it is the fallback).
 *
 * Without `dns` there is no record, so no weight to move: clients call each tier at its own URL (the
 * status gives both). The Fargate tier serves as soon as it is ready and healthy (no step is held), and on
 * the way down it is deleted at once (nothing drains away from an ALB that clients call by its own name;
 * ECS's DeleteService drains its tasks' targets through the deregistration delay itself). When its targets
 * turn unhealthy there is nothing to roll back either: the stack says the Fargate tier is unhealthy and
 * that clients should call the API's URL (`unhealthy`), and keeps the tier (ECS replaces failing tasks,
 * and the ALB's URL, which clients may hold, stays the same) until it is healthy again.
 *
 * Capacity before each step: when the stack's request rate is known (`requestRate`, from auto mode's
 * metrics), a step is taken only once the healthy targets can carry it (healthy targets ×
 * `targetRequestsPerTask` ≥ rate × step %, or the whole fleet is healthy at `maxTasks`); otherwise the
 * engine holds the current step. So that the targets are there to be waited for, the decision asks for
 * `fargateMinTasks` during ScalingUp: enough tasks for the whole rate (with `CAPACITY_HEADROOM`), which
 * the plan sets as the scalable target's MinCapacity (Application Auto Scaling then raises the service's
 * desired count at once). Once traffic is all on Fargate, the spec's `minTasks` applies again and target
 * tracking takes over. Without a known rate (pinned modes, metrics missing) steps go on as before: a
 * missing rate is not zero traffic, but it is not a reason to hold traffic on Lambda either.
 */
import type { DesiredState } from '../../spec/types';
import type { TargetTier } from '../engine/plan';
import type { Observation } from '../engine/types';
import type { ObservedResource, ManagedResource, TrafficWeights } from '../resources/types';
import type { Phase } from '../state/types';
import type { AwsTimeBounds } from '../aws/aws-time';
import { ecsServiceResource } from '../resources/ecs/service';
import { loadBalancerResource } from '../resources/elbv2/load-balancer';
import { DEREGISTRATION_DELAY_SECONDS } from '../resources/elbv2/target-group';
import { extraOf } from '../resources/extra';
import { RESOURCE_KEYS } from '../resources/keys';
import { LOAD_BALANCER_ALIAS_TTL_SECONDS } from '../../aws-facts/route53-alias-ttl';

export const DNS_KEYS = { lambda: RESOURCE_KEYS.dnsLambda, fargate: RESOURCE_KEYS.dnsFargate } as const;
/** The target group's deregistration delay, as its kind sets it, waited after draining. */
export const DEREGISTRATION_DELAY_MS = DEREGISTRATION_DELAY_SECONDS * 1000;
/**
 * Tasks are asked for this much above the rate during ScalingUp: the rate read from CloudWatch is a minute
 * or more old and the traffic moves under it (Kubernetes HPA's tolerance is 10 % too).
 */
export const CAPACITY_HEADROOM = 1.1;

/** What the engine keeps in the status between passes. */
export interface ShiftState {
  /** The Fargate weight (percent) last asked for. */
  fargateWeight: number;
  /** Since when that weight is in effect (Route 53 INSYNC): each step is held `stepSeconds` from then. */
  inEffectSince?: number;
  /**
   * The wait of safety rule 2 (TTL × 2 + deregistration delay), in AWS's time (epoch ms): `since`, the
   * latest AWS's time could be when a pass first found traffic all on Lambda and in sync; `waited`, set once
   * the earliest it could be was past `since` by the wait. `localSince`, the reconciler's own clock at that
   * pass: the wait must be over on both clocks, so that neither a forward jump of ours nor stale answers
   * from a cache that hides their age (no `Age` header) shortens it alone. (A record from before kept
   * `drainedSince`, on the reconciler's clock: not read, so such a drain waits again from the start, longer
   * rather than shorter.)
   */
  drain?: { since: number; localSince?: number; waited?: true };
  /**
   * Fargate 0 as a change of ours wrote it, whose answer this reconciler kept (its id asked about while
   * PENDING): Route 53's INSYNC of the records is that change's, and the drain may start from it. Absent
   * (records found moved by a change whose id was lost, a write whose answer never came, a record from a
   * version that did not keep it), the records are written again first: see `vouchedDown`.
   */
  knownChange?: true;
  /** Without `dns`: since when the Fargate tier, which served, has been unhealthy. */
  unhealthySince?: number;
  /** A pass on the way down found no record of ours (spec without dns): nothing to drain, now or later. */
  weightless?: true;
}

export interface TrafficInput {
  spec: DesiredState;
  target: TargetTier;
  observation: Observation;
  kinds: readonly ManagedResource[];
  previous?: ShiftState;
  now: number;
  /**
   * AWS's current time as this pass's AWS responses bound it; undefined when none carried a Date yet. The
   * drain is measured on it alone, and waits without it.
   */
  awsTime?: AwsTimeBounds;
  /**
   * The stack's request rate (requests per second, both tiers), when the decider knows it: steps wait for
   * the healthy targets to carry their share of it. Unknown: steps are not held for capacity.
   */
  requestRate?: number;
}

export interface TrafficDecision {
  /** The tier the plan is made for. */
  planTier: TargetTier;
  /**
   * The kinds the plan may touch: 'all'; 'lambda-tier-and-records', the Lambda tier and the existing DNS
   * records while traffic drains (nothing of the Fargate tier touched); 'existing-records', the existing
   * DNS records alone (after a terminal error).
   */
  planResources: 'all' | 'lambda-tier-and-records' | 'existing-records';
  weights: TrafficWeights;
  shift: ShiftState;
  phase: Phase;
  reason: string;
  /**
   * What the move still waits for, without the conditions the reason says it already meets ("ALB
   * active, 1 target healthy"): a user's "waiting for" line. Absent when the reason is itself the wait.
   */
  awaiting?: string;
  /**
   * The lambda record's step writes the weights even when Route 53 already holds them (the same UPSERT,
   * under the ownership TXT's guard), so that a change this pass knows stands behind them (`vouchedDown`).
   */
  rewriteWeights?: true;
  /** Set when traffic was pulled back from unhealthy Fargate targets. */
  rollback?: string;
  /**
   * Without `dns`, while the Fargate tier that served is unhealthy: nothing could be moved back, clients
   * calling the ALB should call the API's URL. `since` is the pass that found it so.
   */
  unhealthy?: { why: string; since: number };
  /** Where traffic goes as Route 53 holds it (percent), or as intended without dns. */
  observed: TrafficWeights;
  /**
   * The one verdict on whether a weight of ours routes the stack's traffic: true without `dns` and with
   * no record of ours left (`weightless` below). The status publishes it; auto mode reads it from there
   * rather than judging from the spec (a spec whose dns went still has records to drain).
   */
  weightless: boolean;
  /**
   * During ScalingUp with a known rate: the tasks the whole rate needs (within minTasks..maxTasks), for
   * the plan to set as the scalable target's MinCapacity so that they start before traffic arrives.
   */
  fargateMinTasks?: number;
}

/** A record's weight; a foreign one (a name another stack owns, safety rule 7) carries none of ours. */
function weightOf(record: ObservedResource | undefined): number {
  const weight = record?.foreign ? undefined : record?.attributes.weight;
  return typeof weight === 'number' ? weight : 0;
}

/** The weights Route 53 holds, as percentages. */
export function observedWeights(
  spec: DesiredState,
  observation: Observation,
  previous: ShiftState | undefined,
): TrafficWeights {
  if (!spec.dns) {
    const fargate = previous?.fargateWeight ?? 0;
    return { lambda: 100 - fargate, fargate };
  }
  const lambda = weightOf(observation.resources[DNS_KEYS.lambda]);
  const fargate = weightOf(observation.resources[DNS_KEYS.fargate]);
  if (lambda + fargate === 0) return { lambda: 100, fargate: 0 };
  const fargatePercent = Math.round((fargate / (lambda + fargate)) * 100);
  return { lambda: 100 - fargatePercent, fargate: fargatePercent };
}

/** Whether every record of ours that exists is INSYNC (no change pending). */
function recordsInSync(observation: Observation): boolean {
  return Object.values(DNS_KEYS).every((key) => {
    const record = observation.resources[key];
    if (!record) return true;
    return record.foreign ? !rememberedThere(record) : record.ready;
  });
}

/**
 * A foreign record at a name the stack remembers writing: a change of the stack's there may still be
 * propagating (the name handed to another stack after it), and nothing tells when it is INSYNC.
 */
function rememberedThere(record: Observation['resources'][string] | undefined): boolean {
  return record?.foreign === true && (record.extra as { remembered?: true } | undefined)?.remembered === true;
}

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

/** What the traffic engine reads of a record set Route 53 holds (the record kind's `extra.recordSet`). */
interface HeldRecordSet {
  Weight?: number;
  AliasTarget?: { DNSName?: string };
}

/** An alias target's DNS name as compared: lower case, without the root dot. */
const hostName = (name: string | undefined) => name?.toLowerCase().replace(/\.$/, '');

/**
 * Why a weighted record the stack can no longer write may still send lookups to its ALB, or undefined.
 * Its ownership TXT taken over by someone else (safety rule 7), the name's `fargate` set the stack wrote
 * reads as foreign and carries none of the stack's weight; but while it points at the stack's ALB with
 * a weight, resolvers send requests there, and deleting the Fargate tier would drop them (safety rule 2).
 * The ALB not observed: it may be the one pointed at.
 */
function strandedOnFargate(observation: Observation): string | undefined {
  const set = foreignFargateSet(observation);
  if (!set || (set.Weight ?? 0) === 0 || !mayAliasStackAlb(observation, set)) return undefined;
  const record = observation.resources[DNS_KEYS.fargate]!;
  return `${record.conflict ?? `${record.id} is not the stack's`}, and its fargate record still sends lookups to the stack's ALB (weight ${set.Weight})`;
}

/** The `fargate` set at the name when the name is not the stack's (the record kind keeps what it found). */
function foreignFargateSet(observation: Observation): HeldRecordSet | undefined {
  const record = observation.resources[DNS_KEYS.fargate];
  return record?.foreign ? (record.extra as { recordSet?: HeldRecordSet } | undefined)?.recordSet : undefined;
}

/** Whether a record set may point at the stack's ALB: it does, or the ALB was not observed. */
function mayAliasStackAlb(observation: Observation, set: HeldRecordSet): boolean {
  if (RESOURCE_KEYS.loadBalancer in observation.unknown) return true;
  const alb = observation.resources[RESOURCE_KEYS.loadBalancer];
  const albName =
    alb && !alb.foreign ? extraOf(observation.resources, loadBalancerResource)?.dnsName : undefined;
  return albName !== undefined && hostName(albName) === hostName(set.AliasTarget?.DNSName);
}

/**
 * Whether the name is someone else's and nothing there can be a record of the stack's: its records read
 * as foreign (or are absent), and no set at the name points at the stack's ALB. Then no change of the
 * stack's can have moved traffic there, and none can be written (safety rule 7): the drain needs no change
 * of its own to start from. (A stack of another installation, or region, that wants a name another stack
 * holds: it never wrote there, and asking it to write the records again would hold its delete forever.)
 */
function nothingOfOursAtTheName(observation: Observation): boolean {
  const records = Object.values(DNS_KEYS).map((key) => observation.resources[key]);
  if (!records.some((record) => record?.foreign) || records.some((record) => record && !record.foreign))
    return false;
  // A name the stack remembers writing: its records there may have been re-pointed or handed to another
  // stack by a change still propagating, while Route 53's answers name the stack's ALB; no change of its
  // own says when they stopped, so the drain may not start on what the zone holds now.
  if (records.some(rememberedThere)) return false;
  const set = foreignFargateSet(observation);
  return set === undefined || !mayAliasStackAlb(observation, set);
}

function weights(fargate: number): TrafficWeights {
  return { lambda: 100 - fargate, fargate };
}

/** How long after all traffic reached Fargate the shift's task count is kept (metric delay + scale-in cooldown). */
export const TARGET_TRACKING_HANDOVER_MS = 10 * 60_000;

/**
 * Whether no weight of ours routes traffic: no `dns`, and no record of ours left (or unknown) from a spec
 * that had one. A record still there is drained as with `dns` before the Fargate tier goes. Once a pass
 * found none (`previous.weightless`), a later failed look-up does not undo it: a spec without dns never
 * writes a record, so what was absent stays absent, and a half-done delete sent back to draining by each
 * throttled look-up would not converge (safety rule 6 asks not to read unknown as absent, which this
 * does not: the absence was observed).
 */
function weightless(spec: DesiredState, observation: Observation, previous?: ShiftState): boolean {
  if (spec.dns) return false;
  return Object.values(DNS_KEYS).every((key) => {
    const record = observation.resources[key];
    if (record && record.foreign !== true) return false;
    return !(key in observation.unknown) || previous?.weightless === true;
  });
}

/** What the traffic rules read; a failed look-up of one of these is not the same as its absence. */
const WATCHED_KEYS: readonly string[] = [
  RESOURCE_KEYS.loadBalancer,
  RESOURCE_KEYS.targetGroup,
  RESOURCE_KEYS.service,
  DNS_KEYS.lambda,
  DNS_KEYS.fargate,
];

export function decideTraffic(input: TrafficInput): TrafficDecision {
  // Computed once: every rule that tells a stack without records from one with them reads this.
  const noWeights = weightless(input.spec, input.observation, input.previous);
  return { ...route(input, noWeights), weightless: noWeights };
}

/** A decision of the rules below; decideTraffic adds the verdict on weights they all read. */
type Routed = Omit<TrafficDecision, 'weightless'>;

function route(input: TrafficInput, noWeights: boolean): Routed {
  const { spec, observation, previous } = input;
  const observed = observedWeights(spec, observation, previous);
  const inSync = recordsInSync(observation);
  const unobserved = WATCHED_KEYS.filter((key) => key in observation.unknown);
  if (input.target === 'fargate') {
    if (unobserved.length === 0) return scaleUp(input, observed, inSync, noWeights);
    const short = targetsShort(spec, observation);
    return short
      ? notHealthy(input, scaleUpBase(input, observed), short, noWeights)
      : holdUnobserved(input, observed, unobserved);
  }

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
  if (noWeights) {
    return {
      planTier: input.target,
      planResources: 'all',
      weights: weights(0),
      shift: { fargateWeight: 0, weightless: true },
      phase: leaving,
      reason: 'no custom domain, so no traffic to drain; deleting the Fargate tier',
      observed: weights(0),
    };
  }
  const waitMs = 2 * resolverTtlSeconds(spec) * 1000 + DEREGISTRATION_DELAY_MS;
  // Leaving Fargate, only the records decide the drain: the ALB and its targets are not read.
  const unseenRecords = unobserved.filter((key) => (Object.values(DNS_KEYS) as string[]).includes(key));
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
  const DRAIN = "(TTL × 2 + deregistration delay, in AWS's time) before deleting the Fargate tier";
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
 * How long resolvers may hold the fargate record's answer: the spec's TTL, but never less than the
 * load balancer's. The record is an alias, which has no TTL of its own: Route 53 answers it with the
 * load balancer's fixed 60 s whatever `dns.ttlSeconds` says, so a spec's 10 s would have the Fargate
 * tier deleted while resolvers still send it requests (safety rule 2). A longer spec TTL is kept: it is
 * the user's word on resolvers that hold answers longer than they are told.
 */
export function resolverTtlSeconds(spec: DesiredState): number {
  return Math.max(spec.dns?.ttlSeconds ?? LOAD_BALANCER_ALIAS_TTL_SECONDS, LOAD_BALANCER_ALIAS_TTL_SECONDS);
}

/**
 * Whether the records' Fargate 0 is as a change of ours wrote it whose id was kept (`knownChange`), so
 * that their INSYNC is that change's. Route 53 lists no change of a zone: a pass that dies after Route 53
 * took the change moving traffic off Fargate, before its id is kept, leaves the next pass the records
 * at 0 and nothing to ask GetChange about, up to a whole propagation before every Route 53 server has
 * them; a write whose answer never came (a timeout, a 5xx) leaves the same. Counted from such an
 * "in sync", the drain would start early. So the records are written again (the same UPSERT, guarded by
 * the ownership TXT) and the drain waits on that change: it carries the same values, so once it is
 * INSYNC every server answers them, whichever of the two changes it applied last (docs/design.md, "How
 * traffic moves"). Of the three ways to close the gap this is the simplest correct one: journaling
 * an intent before each change would only tell that a change may be lost, after which the records
 * must be written again all the same; and no bound on the lost change's propagation holds, Route 53
 * promises 60 s only "under normal conditions".
 */
function vouchedDown(previous: ShiftState | undefined): boolean {
  return previous?.fargateWeight === 0 && previous.knownChange === true;
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

/**
 * The drain with its start on our clock no later than our clock's now. A start our clock has not reached
 * (it stepped back, or the pass that began the drain ran on a clock ahead of this worker's) would add the
 * clock's whole error to the wait, unbounded (a worker a day behind would keep the Fargate tier a day);
 * moved to now, our clock asks at most one whole wait more, still no shorter in real time than from the
 * true start, and AWS's time measures from its own start as before.
 */
function onOurClock<T extends { localSince?: number }>(drain: T, now: number): T {
  return drain.localSince !== undefined && drain.localSince > now ? { ...drain, localSince: now } : drain;
}

/**
 * What is left of the drain's wait: the longer of what AWS's time and the reconciler's clock say (a drain
 * begun before `localSince` was kept is measured on AWS's time alone). Without AWS's time, never over.
 */
function waitLeftMs(
  drain: { since: number; localSince?: number },
  waitMs: number,
  input: Pick<TrafficInput, 'awsTime' | 'now'>,
): number {
  if (input.awsTime === undefined) return Infinity;
  const byAws = drain.since + waitMs - input.awsTime.earliest;
  const byOurs = drain.localSince === undefined ? 0 : drain.localSince + waitMs - input.now;
  return Math.max(byAws, byOurs);
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
    reason: 'traffic drained from Fargate; deleting the Fargate tier',
    observed,
  };
}

/**
 * Too few healthy targets, known without the ALB: the ECS service and its target group were observed (a
 * look-up of either that failed says nothing of the targets). Whatever the ALB's look-up answered, no
 * weight may stay on Fargate then (safety rule 1): an ALB deleted behind the stack's back takes its
 * listeners with it, its target group's targets turn unused, and holding traffic until the ALB is known
 * again would send it to a dead name.
 */
function targetsShort(spec: DesiredState, observation: Observation): FargateHealth | undefined {
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

/**
 * A throttled look-up must not read as "gone": of the ALB, its targets or a record while on the way up, that
 * would roll traffic back from healthy targets; of a record on the way down, it would start deleting the
 * Fargate tier before the record is known to be drained. Traffic stays where it is and nothing of the
 * Fargate tier is deleted until the next clean look-up.
 */
function holdUnobserved(input: TrafficInput, observed: TrafficWeights, keys: string[]): Routed {
  const asked = input.previous?.fargateWeight ?? observed.fargate;
  const scalingUp = input.target === 'fargate';
  return {
    planTier: 'fargate',
    planResources: scalingUp ? 'all' : 'lambda-tier-and-records',
    weights: weights(asked),
    shift: input.previous ?? { fargateWeight: asked },
    phase: scalingUp
      ? asked >= 100
        ? 'Fargate'
        : 'ScalingUp'
      : input.target === 'none'
        ? 'Deleting'
        : 'ScalingDown',
    reason: `holding traffic at Fargate ${asked} %: could not observe ${keys.join(', ')}`,
    observed,
  };
}

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
function shortOfCapacity(input: TrafficInput, step: number): string | undefined {
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

type ScaleUpBase = Pick<Routed, 'planTier' | 'planResources' | 'observed' | 'fargateMinTasks'>;

function scaleUpBase(input: TrafficInput, observed: TrafficWeights): ScaleUpBase {
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
function notHealthy(
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

function scaleUp(input: TrafficInput, observed: TrafficWeights, inSync: boolean, noWeights: boolean): Routed {
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
  const next = wanted;
  if (next !== asked) {
    return {
      ...base,
      weights: weights(next),
      shift: { fargateWeight: next },
      phase: 'ScalingUp',
      reason: `${health.why}; shifting Fargate from ${asked} % to ${next} %`,
      awaiting: `Route 53 to have Fargate at ${next} %`,
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
  base: Pick<Routed, 'planTier' | 'planResources' | 'observed' | 'fargateMinTasks'>,
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
