/**
 * Simulated CloudWatch: metric storage and GetMetricData. Metrics are published into it (`publish` in
 * store.ts) by whatever models the requests the account serves: the simulation's traffic model
 * (simulation/traffic/), attached to the account as an extension that ticks after every service.
 */
import type { SimAccount } from '../../core/account';
import type { SimService } from '../../core/service';
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
  }),
};
