import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { duplicateKeys } from '../../spec/duplicate-keys';

/** The largest body read, as Nest's own JSON parser allows by default. */
const BODY_LIMIT = '100kb';
/** `application/json` and the `+json` types (`application/merge-patch+json`, …). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

function answer(res: Response, status: number, error: string, message: string, extra: object = {}): void {
  res.status(status).json({ statusCode: status, error, message, ...extra });
}

/** A write, or any request that carries a body. */
function carriesBody(req: Request): boolean {
  return (
    WRITES.has(req.method) ||
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0
  );
}

/** Why the request's Content-Type is not JSON in UTF-8, or undefined when it is. */
function mediaTypeProblem(contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType.trim() === '') return 'no Content-Type was sent';
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  if (!JSON_MEDIA_TYPE.test(mediaType)) return `got ${mediaType.slice(0, 100)}`;
  const charset = parameters.find((p) => /^charset=/i.test(p))?.slice('charset='.length);
  if (charset !== undefined && !/^"?utf-8"?$/i.test(charset)) return `got charset ${charset.slice(0, 40)}`;
  return undefined;
}

/**
 * The service's only body parser: bodies are JSON, nothing else. A body in another type (a form, plain
 * text, XML) or without a type is answered 415 before anything reads it, so a form posted from another
 * site, which a browser sends without asking, never reaches a route. A JSON body that repeats a key is
 * refused (400, naming it) rather than read with the last value winning. Errors are answered here, in
 * the same shape as the routes' own.
 */
export function jsonBodyOnly(): RequestHandler {
  const read = express.raw({ type: () => true, limit: BODY_LIMIT });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!carriesBody(req)) return next();
    const problem = mediaTypeProblem(req.headers['content-type']);
    if (problem) {
      return answer(
        res,
        415,
        'Unsupported Media Type',
        `the body must be JSON in UTF-8, sent with Content-Type: application/json (${problem})`,
      );
    }
    read(req, res, (error?: unknown) => {
      if (error) {
        const status = (error as { status?: number }).status;
        if (status === 413)
          return answer(res, 413, 'Payload Too Large', `the body is larger than ${BODY_LIMIT}`);
        return answer(res, 400, 'Bad Request', 'the body could not be read');
      }
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      if (text.trim() === '') {
        req.body = undefined;
        return next();
      }
      try {
        req.body = JSON.parse(text);
      } catch (parseError) {
        const message = `the body is not valid JSON: ${(parseError as Error).message}`;
        return answer(res, 400, 'Bad Request', message, { errors: [{ path: '', message }] });
      }
      const duplicates = duplicateKeys(text);
      if (duplicates.length > 0) {
        return answer(res, 400, 'Bad Request', 'the body repeats a key', {
          errors: duplicates.map(({ path, message }) => ({ path, message })),
        });
      }
      next();
    });
  };
}
