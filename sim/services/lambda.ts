/** Simulated AWS Lambda. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface LambdaState {
  placeholder?: never;
}

export const lambdaService: SimService<LambdaState> = {
  name: 'lambda',
  validationErrorCode: 'InvalidParameterValueException',
  throttlingErrorCode: 'TooManyRequestsException',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
