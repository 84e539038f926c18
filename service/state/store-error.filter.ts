import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { StateStoreError } from '../../reconciler/state/types';

/**
 * The table being missing, throttled or unreachable is not a bug in the request: answer 503 with the store's
 * message ("reading stack (shop): table lambdaflex does not exist") rather than a bare 500. The message
 * names the table and the stack, never credentials: the SDK's error is only the `cause`, not echoed.
 */
@Catch(StateStoreError)
export class StateStoreErrorFilter implements ExceptionFilter {
  catch(error: StateStoreError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(HttpStatus.SERVICE_UNAVAILABLE).json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: error.message,
    });
  }
}
