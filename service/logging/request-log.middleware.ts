import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RequestLogger } from './request-logger';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is echoed back only when it is short and plain, so it cannot forge log lines. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's request id, or makes one; returns it in the response and logs the request once it ends. */
export function requestLogMiddleware(logger: RequestLogger, now: () => bigint = process.hrtime.bigint) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = now();
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // The error filter quotes it to the caller and in the failure's log line.
    res.locals.requestId = requestId;
    // The path only: a query string can carry secrets (`?token=`), and the logs must never hold one.
    const path = req.originalUrl.split('?')[0] ?? '';
    let logged = false;
    const done = (): void => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      logger.log({
        level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
        msg: 'request',
        time: new Date().toISOString(),
        requestId,
        method: req.method,
        path,
        status,
        durationMs: Number(now() - started) / 1e6,
      });
    };
    // 'finish' when the response was sent, 'close' when the client went away first.
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
