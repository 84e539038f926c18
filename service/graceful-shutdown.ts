import type { Server } from 'node:http';

export interface ShutdownOptions {
  /** How long requests in flight may take before the process exits anyway. */
  graceMs: number;
  /** Called once the server is closed (or the grace ran out), with the exit code to use. */
  exit: (code: number) => void;
  log?: (message: string) => void;
}

/**
 * Stops taking connections, lets the requests in flight finish, then exits 0; past `graceMs` the remaining
 * connections are cut and it exits 1. ECS sends SIGTERM and waits `stopTimeout` (30 s by default) before
 * SIGKILL, and the ALB deregistration delay has already drained new traffic, so a bounded wait is enough.
 */
export function shutDownGracefully(server: Server, options: ShutdownOptions): void {
  const log = options.log ?? (() => undefined);
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
  // Idle keep-alive sockets would otherwise hold `close` open until they time out.
  server.closeIdleConnections();
}
