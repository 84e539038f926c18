import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { StateStoreError } from '../../reconciler/state/types';
import type { RequestLogger } from '../logging/request-logger';

/** The answer's body when the service, not the request, is at fault. */
export interface ServerErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Also in the `x-request-id` header: the failure's log line has the same id and the detail. */
  requestId: string;
}

/** The table missing, throttled or unreachable, or access to it denied: not a bug in the request. */
const STORE_UNAVAILABLE =
  'the state store could not be read or written; the service log has the cause under this request id';
const INTERNAL_ERROR =
  'the request failed inside the service; the service log has the cause under this request id';

/** `<name>: <message>` of the error and of every `cause` below it, for the log only. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- ');
}

/**
 * Every error's answer. The service's own HTTP errors (400, 401, 404, 409, …) are answered as thrown:
 * their messages are ours. Anything else (the state store's errors, which carry AWS's message with its
 * account ids and role ARNs, and any bug) is answered with a fixed message and the request id, whoever
 * asked: the detail goes to the log only.
 */
@Catch()
export class ErrorAnswerFilter implements ExceptionFilter {
  constructor(private readonly logger: RequestLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (error instanceof HttpException) {
      if (res.headersSent) return;
      const body = error.getResponse();
      const status = error.getStatus();
      // An HttpException built from a bare message has no `error`: give it the one Nest's own exceptions carry.
      res
        .status(status)
        .json(
          typeof body === 'string'
            ? { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: body }
            : body,
        );
      return;
    }
    const requestId = String(res.locals.requestId ?? '');
    const status =
      error instanceof StateStoreError ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
    this.logger.log({
      level: 'error',
      msg: 'request failed',
      time: new Date().toISOString(),
      requestId,
      method: req.method,
      path: req.originalUrl.split('?')[0] ?? '',
      status,
      error: describeError(error),
    });
    const body: ServerErrorBody =
      status === HttpStatus.SERVICE_UNAVAILABLE
        ? { statusCode: status, error: 'Service Unavailable', message: STORE_UNAVAILABLE, requestId }
        : { statusCode: status, error: 'Internal Server Error', message: INTERNAL_ERROR, requestId };
    if (!res.headersSent) res.status(status).json(body);
  }
}
