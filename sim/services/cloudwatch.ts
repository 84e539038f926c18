/** Simulated CloudWatch. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface CloudwatchState {
  placeholder?: never;
}

export const cloudwatchService: SimService<CloudwatchState> = {
  name: 'cloudwatch',
  validationErrorCode: 'InvalidParameterValue',
  throttlingErrorCode: 'Throttling',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
