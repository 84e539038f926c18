/**
 * The sandbox's controls (`PUT /sandbox/*`) have no token: they trust whoever reaches the loopback port.
 * A web page can reach it too, from the visitor's own browser: directly (a cross-site request, which
 * carries the page's Origin) or by DNS rebinding, where an attacker's name starts resolving to 127.0.0.1
 * and the browser sends the attacker's name as Host. So a write is served only when Host names this
 * machine's loopback (or the interface the sandbox was bound to) and any Origin is the sandbox itself.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `name[:port]` (IPv6 literals in brackets), lower case; the port a browser means without one is 80. */
function splitHost(header: string): { name: string; port: number } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  return { name: match?.[1] ?? '', port: match?.[2] ? Number(match[2]) : 80 };
}

/**
 * @param boundHost the interface the server listens on; a specific one (not a wildcard) is allowed as a
 *   Host name beside the loopback names.
 */
export function localRequestsOnly(boundHost?: string): RequestHandler {
  const allowed = new Set(LOOPBACK_NAMES);
  if (boundHost && !['0.0.0.0', '::', ''].includes(boundHost)) {
    allowed.add(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  }
  const refuse = (res: Response, message: string) =>
    res.status(403).json({ statusCode: 403, error: 'Forbidden', message });
  return (req: Request, res: Response, next: NextFunction) => {
    // Express matches routes whatever the case (`PUT /SANDBOX/mode` reaches the control): so does this.
    if (READS.has(req.method) || !req.path.toLowerCase().startsWith('/sandbox/')) return next();
    const host = (req.headers.host ?? '').toLowerCase();
    const { name, port } = splitHost(host);
    if (!allowed.has(name) || port !== req.socket.localPort) {
      return refuse(
        res,
        `the sandbox takes changes only at ${[...allowed].join(', ')} on its own port (Host was ${host.slice(0, 100) || 'missing'})`,
      );
    }
    const origin = req.headers.origin?.toLowerCase();
    if (origin !== undefined && origin !== `http://${host}`) {
      return refuse(
        res,
        `the sandbox takes changes only from its own page (Origin was ${origin.slice(0, 100)})`,
      );
    }
    next();
  };
}
