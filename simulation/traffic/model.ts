/**
 * The traffic model as the simulated account carries it: an extension of the account (aws-sim/core/account.ts)
 * whose state (the traffic sources and the log) is saved with the account and which simulates one minute of
 * traffic at each minute boundary, after every AWS service has moved, publishing the metrics AWS would and
 * metering the cost. The simulated account knows nothing of it: whoever wants traffic attaches it.
 */
import type { AccountExtension, SimAccount } from '../../aws-sim/core/account';
import { COST_METER } from '../cost/meter';
import { takeFromSavedCloudwatch } from '../earlier-saves';
import { simulateMinute } from './minute';
import { initialTrafficState, type TrafficState } from './types';

export const TRAFFIC_MODEL: AccountExtension<TrafficState> = {
  name: 'traffic',
  initialState: initialTrafficState,
  fromEarlierSave: (saved) => {
    const state = takeFromSavedCloudwatch<TrafficState>(saved, 'traffic');
    // Minutes logged before the served counts were: every request sent to a tier is counted as served.
    for (const entry of state?.log ?? []) {
      entry.lambdaReached ??= entry.lambdaRequests;
      entry.fargateReached ??= entry.fargateRequests;
    }
    return state;
  },
  tick: (state, account, minute) => simulateMinute(account, state, minute),
};

/**
 * Attaches the traffic model and the cost meter to `account`, so that every minute from now on is served
 * and metered. Attach it when the account is made (or loaded), before the clock moves.
 */
export function attachTrafficModel(account: SimAccount): void {
  account.attach(COST_METER);
  account.attach(TRAFFIC_MODEL);
}

/** The account's traffic state; attaches the model (and the meter) on first use. */
export function trafficState(account: SimAccount): TrafficState {
  attachTrafficModel(account);
  return account.attach(TRAFFIC_MODEL);
}
