/** Simulated EventBridge Scheduler. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface SchedulerState {
  placeholder?: never;
}

export const schedulerService: SimService<SchedulerState> = {
  name: 'scheduler',
  validationErrorCode: 'ValidationException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
