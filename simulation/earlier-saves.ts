/**
 * Simulated accounts saved before the traffic model and the cost meter were extensions of the account
 * (`.lambdaflex/sim.json` of an earlier version, the same format name `lambdaflex-sim/1`) kept their
 * state inside the simulated CloudWatch's, as `services.cloudwatch.traffic` and `.cost`. Loaded as they
 * are, the demo would go on at 0 rps and $0: each extension takes its state back from there
 * (`AccountExtension.fromEarlierSave`), and the next save has today's layout.
 */
import type { AccountState } from '../aws-sim/core/account';

/** Takes `field` out of the saved CloudWatch state, or undefined when it is not there. */
export function takeFromSavedCloudwatch<S>(saved: AccountState, field: 'traffic' | 'cost'): S | undefined {
  const cloudwatch = saved.services.cloudwatch as Record<string, unknown> | undefined;
  if (!cloudwatch || typeof cloudwatch[field] !== 'object' || cloudwatch[field] === null) return undefined;
  const state = cloudwatch[field] as S;
  delete cloudwatch[field];
  return state;
}
