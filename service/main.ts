/**
 * The HTTP entry point of the shared image (the Fargate tier, or a local run): `entrypoint.sh` execs it
 * when the container is not on Lambda.
 */
import type { Server } from 'node:http';
import { createApp } from './app';
import { prepareGracefulShutdown } from './graceful-shutdown';

const DEFAULT_PORT = 8080;
const SHUTDOWN_GRACE_MS = 10_000;

function logLine(msg: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    JSON.stringify({ level: 'info', msg, time: new Date().toISOString(), ...extra }) + '\n',
  );
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0-65535 (got ${process.env.PORT})`);
  const app = await createApp();
  const server = app.getHttpServer() as Server;
  const shutDown = prepareGracefulShutdown(server, {
    graceMs: SHUTDOWN_GRACE_MS,
    exit: (code) => process.exit(code),
    log: (m) => logLine(m),
  });
  const stop = (signal: NodeJS.Signals): void => {
    logLine('signal', { signal });
    shutDown();
  };
  await app.listen(port, '0.0.0.0');
  const address = server.address();
  logLine('listening', { port: typeof address === 'object' && address ? address.port : port });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({
      level: 'error',
      msg: 'start failed',
      error: error instanceof Error ? error.message : String(error),
    }) + '\n',
  );
  process.exit(1);
});
