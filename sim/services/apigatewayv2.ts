/** Simulated API Gateway v2. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface Apigatewayv2State {
  placeholder?: never;
}

export const apigatewayv2Service: SimService<Apigatewayv2State> = {
  name: 'apigatewayv2',
  validationErrorCode: 'BadRequestException',
  throttlingErrorCode: 'TooManyRequestsException',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
