import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { DOCS_PATH } from '../swagger/swagger';

/**
 * Where the page may load from: only this origin, no plugins, no framing, no inline script. The
 * dashboard needs nothing more. Swagger UI (/docs) writes inline styles, so only its pages allow them.
 * `upgrade-insecure-requests` is left out: the sandbox (http://localhost) and an ALB without a
 * certificate serve plain HTTP, and upgraded asset URLs would not load there.
 */
const DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
};

function headersWith(styleSrc: string[]): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...DIRECTIVES, styleSrc } },
    frameguard: { action: 'deny' },
  });
}

/**
 * helmet's headers on every answer (nosniff, frame denial, CSP, referrer policy, HSTS over HTTPS, …) and
 * `Cache-Control: no-store`, so that no shared cache or browser keeps a stack's spec, status or an error.
 * A route that serves files may set its own Cache-Control after this.
 */
export function securityHeaders(): RequestHandler {
  const strict = headersWith(["'self'"]);
  const docs = headersWith(["'self'", "'unsafe-inline'"]);
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    (req.path.startsWith(`/${DOCS_PATH}`) ? docs : strict)(req, res, next);
  };
}
