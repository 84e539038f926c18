/**
 * What the traffic engine reads, keeps and returns: its input (the spec, the tier wanted, the pass's
 * observation, AWS's time), the shift it keeps in the status between passes, and its decision (the
 * weights, what the plan may touch, the phase and why). Types only, and the one constructor of a pair
 * of weights, so that every rule file speaks of the same shapes.
 */
import type { DesiredState } from '../../spec/types';
import type { TargetTier } from '../engine/plan';
import type { Observation } from '../engine/types';
import type { ManagedResource, TrafficWeights } from '../resources/types';
import type { Phase } from '../state/types';
import type { AwsTimeBounds } from '../aws/aws-time';
import { RESOURCE_KEYS } from '../resources/keys';

/** The keys of the two weighted records, one per tier. */
export const DNS_KEYS = { lambda: RESOURCE_KEYS.dnsLambda, fargate: RESOURCE_KEYS.dnsFargate } as const;

/**
 * The key of the stack's records left at names the spec no longer wants (route53/dns-leftovers.ts): traffic
 * the way down drains as it drains the two records', until the change that removed them is INSYNC and the
 * wait is over.
 */
export const LEFTOVERS_KEY = RESOURCE_KEYS.dnsLeftovers;

/** Every record key the way down reads: the two weighted records and the leftovers. */
export const DRAINED_RECORD_KEYS: readonly string[] = [...Object.values(DNS_KEYS), LEFTOVERS_KEY];

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
  /**
   * On the way up or staying on Fargate, the drain of the records left at a name the spec dropped
   * (old-name.ts): what of the Fargate tier only that name served (the HTTPS listener, with the
   * certificate `dns` carried) stays until it is over.
   */
  oldName?: OldNameDrain;
}

/**
 * The old name's drain, as the drain of the way down (`ShiftState.drain`): `knownChange`, the change that
 * removed its records (or wrote its TXT again) answered a pass that kept its id, so their INSYNC is that
 * change's; `since`/`localSince`, AWS's latest time and our clock when a pass first found them gone and
 * in sync by it; `waited`, once TTL × 2 and the deregistration delay have passed on both clocks.
 */
export interface OldNameDrain {
  knownChange?: true;
  since?: number;
  localSince?: number;
  waited?: true;
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
   * no record of ours left (`weightless`, records.ts). The status publishes it; auto mode reads it from there
   * rather than judging from the spec (a spec whose dns went still has records to drain).
   */
  weightless: boolean;
  /**
   * On the way up or staying on Fargate: records of the stack at a name the spec dropped may still send
   * lookups to the ALB (old-name.ts). Their TXT stays (`Intent.drainingRecords`) and the HTTPS listener the
   * spec no longer wants is kept, waited on rather than deleted, until the drain is over.
   */
  oldNameDrains?: true;
  /**
   * During ScalingUp with a known rate: the tasks the whole rate needs (within minTasks..maxTasks), for
   * the plan to set as the scalable target's MinCapacity so that they start before traffic arrives.
   */
  fargateMinTasks?: number;
}

/** A decision of the rules; decideTraffic adds the verdict on weights they all read. */
export type Routed = Omit<TrafficDecision, 'weightless'>;

/** The pair of weights that puts `fargate` percent on Fargate and the rest on Lambda. */
export function weights(fargate: number): TrafficWeights {
  return { lambda: 100 - fargate, fargate };
}
