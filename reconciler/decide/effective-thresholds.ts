/**
 * The thresholds auto mode uses: the rates the user wrote, exactly as written, and the rates left out
 * computed for the observed mean Lambda duration (slow requests make Lambda dear sooner, so the
 * break-even falls). A validated spec holds only the written rates (see thresholdSettings), so a written
 * rate that happens to equal the computed default is still a written one. Timings are kept as they are.
 */
import { completeThresholds } from '../../spec';
import type { DesiredState, Thresholds } from '../../spec/types';

export type ThresholdSpec = Pick<DesiredState, 'lambda' | 'fargate' | 'thresholds'>;

/**
 * Which of the rates are computed (left out of the spec) rather than written by the user. A written rate
 * is the user's word: the cost rules that move between the break-even and a threshold apply only to a
 * computed one.
 */
export function computedRates(spec: ThresholdSpec): { scaleUp: boolean; scaleDown: boolean } {
  return {
    scaleUp: spec.thresholds.scaleUp.requestsPerSecond === undefined,
    scaleDown: spec.thresholds.scaleDown.requestsPerSecond === undefined,
  };
}

export function effectiveThresholds(spec: ThresholdSpec, meanDurationMs: number): Thresholds {
  const thresholds = completeThresholds(spec.thresholds, spec, meanDurationMs);
  const up = thresholds.scaleUp.requestsPerSecond;
  const down = thresholds.scaleDown.requestsPerSecond;
  // Validation keeps a written scale-down below the scale-up at the default duration; at a slower one the
  // computed scale-up can fall to or under it. The written rate stands: the computed one moves just above
  // it, so that the band that keeps the tiers from flapping is still there.
  if (spec.thresholds.scaleUp.requestsPerSecond === undefined && down >= up) {
    return { ...thresholds, scaleUp: { ...thresholds.scaleUp, requestsPerSecond: Math.floor(down) + 1 } };
  }
  return thresholds;
}
