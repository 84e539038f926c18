/** Simulated Route 53. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface Route53State {
  placeholder?: never;
}

export const route53Service: SimService<Route53State> = {
  name: 'route53',
  validationErrorCode: 'InvalidInput',
  throttlingErrorCode: 'Throttling',
  buckets: {
    describe: { capacity: 50, refillPerSecond: 10 },
    mutating: { capacity: 50, refillPerSecond: 10 },
  },
  operations: {},
  initialState: () => ({}),
};
