/**
 * What the traffic engine reads of the two weighted records: the weights Route 53 holds, whether every
 * change of ours there is in sync, and whether any weight of ours routes the stack's traffic at all. A
 * record at a name that is not the stack's (safety rule 7) carries none of its weight, but one the stack
 * remembers writing may still be propagating a change of its own (foreign-name.ts).
 */
import type { DesiredState } from '../../spec/types';
import type { Observation } from '../engine/types';
import type { ObservedResource, TrafficWeights } from '../resources/types';
import { DNS_KEYS, type ShiftState } from './decision';
import { stackWroteThere } from './foreign-name';

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
export function recordsInSync(observation: Observation): boolean {
  return Object.values(DNS_KEYS).every((key) => {
    const record = observation.resources[key];
    if (!record) return true;
    return record.foreign ? !stackWroteThere(observation, key) : record.ready;
  });
}

/**
 * Whether no weight of ours routes traffic: no `dns`, and no record of ours left (or unknown) from a spec
 * that had one. A record still there is drained as with `dns` before the Fargate tier goes. Once a pass
 * found none (`previous.weightless`), a later failed look-up does not undo it: a spec without dns never
 * writes a record, so what was absent stays absent, and a half-done delete sent back to draining by each
 * throttled look-up would not converge (safety rule 6 asks not to read unknown as absent, which this
 * does not: the absence was observed).
 */
export function weightless(spec: DesiredState, observation: Observation, previous?: ShiftState): boolean {
  if (spec.dns) return false;
  return Object.values(DNS_KEYS).every((key) => {
    const record = observation.resources[key];
    if (record && record.foreign !== true) return false;
    return !(key in observation.unknown) || previous?.weightless === true;
  });
}
