/**
 * The sandbox's port is checked before anything starts: found busy only when the service listens, the
 * demo stack would already be applied and the local DynamoDB made, and Nest would print its own error.
 */
import { createServer } from 'node:net';

/** The port is taken (another sandbox, or another program): nothing was started or written. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(port: number, host: string) {
    super(
      `port ${port} on ${host} is in use (another sandbox, or another program); nothing was started\n` +
        `start on another port: npm start -- --port ${port + 1} (or PORT=${port + 1}; --port 0 picks a free one)`,
    );
  }
}

/** Resolves when `port` can be listened on at `host` (port 0 always can); rejects with PortInUseError. */
export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
