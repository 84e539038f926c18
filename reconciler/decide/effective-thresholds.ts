/**
 * The thresholds auto mode uses: the spec's, with the computed rates recomputed for the observed mean
 * Lambda duration (slow requests make Lambda dear sooner, so the break-even falls).
 *
 * A validated spec always holds complete thresholds (validateSpec fills them in with the 100 ms
 * default duration), so a rate equal to that computed default is taken as computed and recomputed; a
 * rate the user wrote that happens to equal the default is recomputed too, which is what they would get
 * by leaving it out. Timings (forMinutes, cooldown, concurrency percent) are kept as they are.
 */
import {
  DEFAULT_MEAN_DURATION_MS,
  completeThresholds,
  defaultThresholds,
  type PartialThresholds,
} from '../../spec';
import type { DesiredState, Thresholds } from '../../spec/types';

export type ThresholdSpec = Pick<DesiredState, 'lambda' | 'fargate' | 'thresholds'>;

export function effectiveThresholds(spec: ThresholdSpec, meanDurationMs: number): Thresholds {
  const computed = defaultThresholds(spec, DEFAULT_MEAN_DURATION_MS);
  const given = spec.thresholds;
  const upGiven = given.scaleUp.requestsPerSecond !== computed.scaleUp.requestsPerSecond;
  const downGiven = given.scaleDown.requestsPerSecond !== computed.scaleDown.requestsPerSecond;
  const partial = (keepDown: boolean): PartialThresholds => ({
    scaleUp: {
      forMinutes: given.scaleUp.forMinutes,
      lambdaConcurrencyPercent: given.scaleUp.lambdaConcurrencyPercent,
      ...(upGiven ? { requestsPerSecond: given.scaleUp.requestsPerSecond } : {}),
    },
    scaleDown: {
      forMinutes: given.scaleDown.forMinutes,
      ...(keepDown ? { requestsPerSecond: given.scaleDown.requestsPerSecond } : {}),
    },
    cooldownMinutes: given.cooldownMinutes,
  });
  const thresholds = completeThresholds(partial(downGiven), spec, meanDurationMs);
  // A recomputed (lower) scale-up rate may fall to or below a scale-down rate the user wrote: derive the
  // scale-down rate again rather than lose the band that keeps the tiers from flapping.
  if (thresholds.scaleDown.requestsPerSecond >= thresholds.scaleUp.requestsPerSecond) {
    return completeThresholds(partial(false), spec, meanDurationMs);
  }
  return thresholds;
}
