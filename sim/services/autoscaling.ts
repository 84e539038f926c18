/** Simulated Application Auto Scaling. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface AutoscalingState {
  placeholder?: never;
}

export const autoscalingService: SimService<AutoscalingState> = {
  name: 'autoscaling',
  validationErrorCode: 'ValidationException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {
    describe: { capacity: 50, refillPerSecond: 20 },
    mutating: { capacity: 50, refillPerSecond: 20 },
  },
  operations: {},
  initialState: () => ({}),
};
