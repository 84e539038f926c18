/** Simulated IAM. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface IamState {
  placeholder?: never;
}

export const iamService: SimService<IamState> = {
  name: 'iam',
  validationErrorCode: 'ValidationError',
  throttlingErrorCode: 'Throttling',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
