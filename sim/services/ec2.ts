/** Simulated Amazon EC2. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface Ec2State {
  placeholder?: never;
}

export const ec2Service: SimService<Ec2State> = {
  name: 'ec2',
  validationErrorCode: 'MissingParameter',
  throttlingErrorCode: 'RequestLimitExceeded',
  buckets: {
    describe: { capacity: 100, refillPerSecond: 20 },
    mutating: { capacity: 50, refillPerSecond: 5 },
  },
  operations: {},
  initialState: () => ({}),
};
