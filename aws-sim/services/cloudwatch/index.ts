/**
 * Simulated CloudWatch: metric storage and GetMetricData, fed each minute by the traffic model
 * (simulation/traffic/) and the cost meter (simulation/cost/). It is the last service in aws-sim/services/index.ts, so its
 * tick sees every other service's state for the minute.
 */
import type { SimAccount } from '../../core/account';
import type { SimService } from '../../core/service';
import { initialCostState } from '../../../simulation/cost/types';
import { simulateMinute } from '../../../simulation/traffic/minute';
import { initialTrafficState } from '../../../simulation/traffic/types';
import { cloudwatchOperations } from './operations';
import { DEFAULT_CLOUDWATCH_CONFIG, type CloudwatchState } from './state';

export type { CloudwatchState, MetricSeries, Datapoint } from './state';

/** Delay before a minute's metrics appear in GetMetricData (default 2 minutes). */
export function setMetricDelay(account: SimAccount, ms: number): void {
  account.stateOf<CloudwatchState>('cloudwatch').config.metricDelayMs = ms;
}

export const cloudwatchService: SimService<CloudwatchState> = {
  name: 'cloudwatch',
  validationErrorCode: 'InvalidParameterValue',
  throttlingErrorCode: 'Throttling',
  buckets: {},
  operations: cloudwatchOperations,
  initialState: () => ({
    config: { ...DEFAULT_CLOUDWATCH_CONFIG },
    series: {},
    traffic: initialTrafficState(),
    cost: initialCostState(),
  }),
  tick: (state, account, minute) => simulateMinute(account, state, minute),
};
