/**
 * Where traffic goes, and whether the Fargate tier may be deleted: the traffic engine (pure), with the
 * safety rules of docs/design.md. This file routes a pass to its rules; each rule lives in a file of its
 * own:
 *
 * - the way up, safety rule 1 (scale-up.ts): traffic to Fargate only while its ALB is active with
 *   `minTasks` healthy targets (health.ts), step by step, each step once the targets can carry it
 *   (capacity.ts); unhealthy targets while Fargate serves: everything back to Lambda at once;
 * - the way down, safety rule 2 (drain.ts): weights back to Lambda and in sync by a change this
 *   reconciler knows (known-change.ts), then TTL × 2 and the deregistration delay on two clocks
 *   (drain-clock.ts), and only then is the Fargate tier deleted;
 * - a name that is not the stack's, safety rule 7 (foreign-name.ts): nothing written there, but what
 *   the stack wrote before may still route lookups to its ALB;
 * - a name the spec dropped while the stack stays on Fargate or serves on Lambda, safety rule 2
 *   (old-name.ts): the HTTPS listener and the custom domain only that name needed stay until its records'
 *   removal is in sync and waited out;
 * - a failed look-up is not an absence, safety rule 6 (unobserved.ts): traffic held where it is;
 * - what the engine reads of the records (records.ts), and its input and decision (decision.ts).
 *
 * The Lambda tier is always planned (safety rule 4: it is the fallback). Without `dns` there is no
 * record, so no weight to move: clients call each tier at its own URL (the status gives both).
 */
import { observedWeights, recordsInSync, weightless } from './records';
import { scaleDown } from './drain';
import { targetsShort } from './health';
import { notHealthy, scaleUp, scaleUpBase } from './scale-up';
import { holdUnobserved, WATCHED_DOWN_KEYS, WATCHED_KEYS } from './unobserved';
import { withOldNameDrain } from './old-name';
import type { Routed, TrafficDecision, TrafficInput } from './decision';

export { DNS_KEYS, type ShiftState, type TrafficDecision, type TrafficInput } from './decision';
export { fargateHealth, type FargateHealth } from './health';
export { CAPACITY_HEADROOM, tasksForRate } from './capacity';
export { TARGET_TRACKING_HANDOVER_MS } from './scale-up';
export { DEREGISTRATION_DELAY_MS } from './drain-clock';

/** The traffic decision of one pass: its rules (route), and the one verdict on weights they all read. */
export function decideTraffic(input: TrafficInput): TrafficDecision {
  // Computed once: every rule that tells a stack without records from one with them reads this.
  const noWeights = weightless(input.spec, input.observation, input.previous);
  const routed = route(input, noWeights);
  // On the way up, and on Lambda with no Fargate tier left, a name the spec dropped drains on its own
  // (old-name.ts): there what only that name served (the HTTPS listener, the API Gateway custom domain)
  // stays until resolvers have let go of its records. The way down drains it with the records
  // (drain.ts), so its drain is not carried there.
  return {
    ...(drainsOldNameAlone(input, routed) ? withOldNameDrain(input, routed) : withoutOldName(routed)),
    weightless: noWeights,
  };
}

/** Whether a name the spec dropped drains on its own: on the way up, or on Lambda once nothing drains. */
function drainsOldNameAlone(input: TrafficInput, routed: Routed): boolean {
  if (input.target === 'fargate') return true;
  return input.target === 'lambda' && routed.phase === 'Lambda' && routed.planResources === 'all';
}

function withoutOldName(routed: Routed): Routed {
  const { oldName: _drain, ...shift } = routed.shift;
  return { ...routed, shift };
}

function route(input: TrafficInput, noWeights: boolean): Routed {
  const { spec, observation, previous } = input;
  const observed = observedWeights(spec, observation, previous);
  const inSync = recordsInSync(observation);
  if (input.target === 'fargate') {
    // Records left at a name the spec dropped are deleted on the way up, never shifted: without `dns`
    // there is no weight to move.
    const noWeightsUp = noWeights || !spec.dns;
    const unobserved = WATCHED_KEYS.filter((key) => key in observation.unknown);
    if (unobserved.length === 0) return scaleUp(input, observed, inSync, noWeightsUp);
    const short = targetsShort(spec, observation);
    return short
      ? notHealthy(input, scaleUpBase(input, observed), short, noWeightsUp)
      : holdUnobserved(input, observed, unobserved);
  }
  const unobserved = WATCHED_DOWN_KEYS.filter((key) => key in observation.unknown);
  return scaleDown(input, observed, inSync, noWeights, unobserved);
}
