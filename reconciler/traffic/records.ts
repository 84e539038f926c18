/**
 * What the traffic engine reads of the stack's records: the weights Route 53 holds, whether every change
 * of ours there is in sync, and whether any weight of ours routes the stack's traffic at all. A record at
 * a name that is not the stack's (safety rule 7) carries none of its weight, but one the stack remembers
 * writing may still be propagating a change of its own (foreign-name.ts). Records left at a name the spec
 * no longer wants (`dns` removed or moved: the `dns-leftovers` kind) are read with the two weighted
 * records: a Fargate weight there sends lookups to the ALB as well, and the change that removes them is
 * waited on as theirs is.
 */
import type { DesiredState } from '../../spec/types';
import type { Observation } from '../engine/types';
import type { ObservedResource, TrafficWeights } from '../resources/types';
import { DNS_KEYS, DRAINED_RECORD_KEYS, LEFTOVERS_KEY, type ShiftState } from './decision';
import { stackWroteThere } from './foreign-name';

/** A record's weight; a foreign one (a name another stack owns, safety rule 7) carries none of ours. */
function weightOf(record: ObservedResource | undefined): number {
  const weight = record?.foreign ? undefined : record?.attributes.weight;
  return typeof weight === 'number' ? weight : 0;
}

/** The leftovers of ours, when there are any (a foreign one is none of ours). */
function leftoversOf(observation: Observation): ObservedResource | undefined {
  const leftovers = observation.resources[LEFTOVERS_KEY];
  return leftovers && !leftovers.foreign ? leftovers : undefined;
}

/** The largest share (percent) of a left name's lookups its records still send to Fargate. */
function leftoverFargatePercent(leftovers: ObservedResource): number {
  const percent = leftovers.attributes.fargatePercent;
  return typeof percent === 'number' ? percent : 0;
}

/**
 * The weights Route 53 holds, as percentages: at the spec's name, or, where records are left at a name it
 * no longer wants, the larger Fargate share of the two (both send lookups to the ALB). Without `dns` and
 * nothing left, the weights as intended.
 */
export function observedWeights(
  spec: DesiredState,
  observation: Observation,
  previous: ShiftState | undefined,
): TrafficWeights {
  const leftovers = leftoversOf(observation);
  const left = leftovers ? leftoverFargatePercent(leftovers) : 0;
  if (!spec.dns) {
    const fargate = leftovers ? left : (previous?.fargateWeight ?? 0);
    return { lambda: 100 - fargate, fargate };
  }
  const lambda = weightOf(observation.resources[DNS_KEYS.lambda]);
  const fargate = weightOf(observation.resources[DNS_KEYS.fargate]);
  const atName = lambda + fargate === 0 ? 0 : Math.round((fargate / (lambda + fargate)) * 100);
  const fargatePercent = Math.max(atName, left);
  return { lambda: 100 - fargatePercent, fargate: fargatePercent };
}

/** Whether every record of ours that exists is INSYNC (no change pending), the leftovers' removal too. */
export function recordsInSync(observation: Observation): boolean {
  const leftovers = leftoversOf(observation);
  if (leftovers && !leftovers.ready) return false;
  return Object.values(DNS_KEYS).every((key) => {
    const record = observation.resources[key];
    if (!record) return true;
    return record.foreign ? !stackWroteThere(observation, key) : record.ready;
  });
}

/**
 * Whether no weight of ours routes traffic: no `dns`, and no record of ours left (or unknown) from a spec
 * that had one: neither at the spec's name nor at a name it dropped (the leftovers, or their removal
 * still PENDING). A record still there is drained as with `dns` before the Fargate tier goes. Once a pass
 * found none (`previous.weightless`), a later failed look-up does not undo it: a spec without dns never
 * writes a record, so what was absent stays absent, and a half-done delete sent back to draining by each
 * throttled look-up would not converge (safety rule 6 asks not to read unknown as absent, which this
 * does not: the absence was observed).
 */
export function weightless(spec: DesiredState, observation: Observation, previous?: ShiftState): boolean {
  if (spec.dns) return false;
  return DRAINED_RECORD_KEYS.every((key) => {
    const record = observation.resources[key];
    if (record && record.foreign !== true) return false;
    return !(key in observation.unknown) || previous?.weightless === true;
  });
}
