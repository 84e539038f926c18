/**
 * The wait of safety rule 2 and the two clocks it is measured on. Once traffic is back on Lambda and in
 * sync, resolvers may still hold the fargate record's answer for TTL × 2 and the ALB drains its targets
 * through the deregistration delay: only then may the Fargate tier go. The wait is measured in AWS's time,
 * as AWS's responses bound it (`awsTime`, aws/aws-time.ts), and on the reconciler's own clock too: the
 * resolvers' caches and the delay run out in real time, and a clock stepped forward (NTP, a worker whose
 * clock is ahead, another Lambda host) or stale answers from a cache that hides their age would shorten it
 * alone. It starts at the latest AWS's time can be when a pass first finds traffic on Lambda and in sync,
 * and is over once the earliest it can be is past that by the wait (and our clock agrees): never shorter
 * in AWS's time, longer by about a second and a round trip.
 */
import type { DesiredState } from '../../spec/types';
import { DEREGISTRATION_DELAY_SECONDS } from '../resources/elbv2/target-group';
import { LOAD_BALANCER_ALIAS_TTL_SECONDS } from '../../aws-facts/route53-alias-ttl';
import type { Observation } from '../engine/types';
import { LEFTOVERS_KEY, type TrafficInput } from './decision';

/** The target group's deregistration delay, as its kind sets it, waited after draining. */
export const DEREGISTRATION_DELAY_MS = DEREGISTRATION_DELAY_SECONDS * 1000;

/**
 * The whole wait: TTL × 2 (as resolvers may hold the answer) and the deregistration delay. Records left
 * at a name the spec dropped drain with the TTL they were written with, when longer (dns-leftovers
 * reports it): the spec without `dns` no longer says it.
 */
export function drainWaitMs(spec: DesiredState, observation?: Observation): number {
  const left = observation?.resources[LEFTOVERS_KEY];
  const leftTtl =
    left && !left.foreign && typeof left.attributes.ttlSeconds === 'number' ? left.attributes.ttlSeconds : 0;
  return 2 * Math.max(resolverTtlSeconds(spec), leftTtl) * 1000 + DEREGISTRATION_DELAY_MS;
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
 * The drain with its start on our clock no later than our clock's now. A start our clock has not reached
 * (it stepped back, or the pass that began the drain ran on a clock ahead of this worker's) would add the
 * clock's whole error to the wait, unbounded (a worker a day behind would keep the Fargate tier a day);
 * moved to now, our clock asks at most one whole wait more, still no shorter in real time than from the
 * true start, and AWS's time measures from its own start as before.
 */
export function onOurClock<T extends { localSince?: number }>(drain: T, now: number): T {
  return drain.localSince !== undefined && drain.localSince > now ? { ...drain, localSince: now } : drain;
}

/**
 * What is left of the drain's wait: the longer of what AWS's time and the reconciler's clock say (a drain
 * begun before `localSince` was kept is measured on AWS's time alone). Without AWS's time, never over.
 */
export function waitLeftMs(
  drain: { since: number; localSince?: number },
  waitMs: number,
  input: Pick<TrafficInput, 'awsTime' | 'now'>,
): number {
  if (input.awsTime === undefined) return Infinity;
  const byAws = drain.since + waitMs - input.awsTime.earliest;
  const byOurs = drain.localSince === undefined ? 0 : drain.localSince + waitMs - input.now;
  return Math.max(byAws, byOurs);
}
