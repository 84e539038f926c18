import type { Server, ServerResponse } from 'node:http';

export interface ShutdownOptions {
  /** How long requests in flight may take before the process exits anyway. */
  graceMs: number;
  /** Called once the server is closed (or the grace ran out), with the exit code to use. */
  exit: (code: number) => void;
  log?: (message: string) => void;
}

/**
 * Prepares `server` for a graceful stop and returns the function that starts it: stop taking connections,
 * let the requests in flight finish, then exit 0; past `graceMs` the remaining connections are cut and it
 * exits 1. ECS sends SIGTERM and waits `stopTimeout` (30 s by default) before SIGKILL, and the ALB's
 * deregistration delay has already drained new traffic, so a bounded wait is enough.
 *
 * It must be called before the server takes requests: it watches each response so that a keep-alive
 * connection whose request finishes during the stop is closed at once, not after its idle timeout (Node
 * only closes the connections that are idle at the moment `close()` is called).
 */
export function prepareGracefulShutdown(server: Server, options: ShutdownOptions): () => void {
  const log = options.log ?? (() => undefined);
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    res.once('close', () => {
      // On the next turn the connection counts as idle, so closeIdleConnections can take it.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  return () => {
    if (stopping) return;
    stopping = true;
    log('shutting down: no new connections, finishing requests in flight');
    const timer = setTimeout(() => {
      log(`requests still in flight after ${options.graceMs} ms: closing them`);
      server.closeAllConnections();
      options.exit(1);
    }, options.graceMs);
    // The timer alone must not keep the process alive once everything else is done.
    timer.unref();
    server.close((error) => {
      clearTimeout(timer);
      options.exit(error ? 1 : 0);
    });
    server.closeIdleConnections();
  };
}
