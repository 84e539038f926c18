/** Simulated Elastic Load Balancing v2. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface Elbv2State {
  placeholder?: never;
}

export const elbv2Service: SimService<Elbv2State> = {
  name: 'elbv2',
  validationErrorCode: 'ValidationError',
  throttlingErrorCode: 'Throttling',
  buckets: {
    describe: { capacity: 40, refillPerSecond: 10 },
    mutating: { capacity: 40, refillPerSecond: 10 },
  },
  operations: {},
  initialState: () => ({}),
};
