import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { prepareGracefulShutdown } from '../../service/graceful-shutdown';

/** A server whose /slow requests wait until the test lets them go. */
function slowServer(): { server: http.Server; arrived: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  let arrivedResolve = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (arrivedResolve = r));
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      arrivedResolve();
      void gate.then(() => res.end('done'));
    } else {
      res.end('fast');
    }
  });
  return { server, arrived, release: () => release() };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function get(port: number, path: string, agent: http.Agent): Promise<{ status?: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

/** Prepares the shutdown before the server listens, as main.ts does; `exited` resolves with the exit code. */
function prepared(server: http.Server, graceMs: number): { shutDown: () => void; exited: Promise<number> } {
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  return { shutDown: prepareGracefulShutdown(server, { graceMs, exit: (code) => exit(code) }), exited };
}

describe('prepareGracefulShutdown', () => {
  const agent = new http.Agent({ keepAlive: true });
  afterAll(() => agent.destroy());

  it('finishes the request in flight, refuses new connections, then exits 0 without waiting for keep-alive timeouts', async () => {
    const { server, arrived, release } = slowServer();
    // Long enough that, without the shutdown closing finished keep-alive connections, the test times out.
    server.keepAliveTimeout = 600_000;
    const { shutDown, exited } = prepared(server, 600_000);
    const port = await listen(server);
    await get(port, '/fast', agent); // leaves an idle keep-alive connection behind
    const inFlight = get(port, '/slow', agent); // a second keep-alive connection, busy
    await arrived;
    shutDown();
    await expect(get(port, '/fast', new http.Agent())).rejects.toThrow(/ECONNREFUSED/);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: 'done' });
    await expect(exited).resolves.toBe(0);
  });

  it('cuts the connections still open after the grace period and exits 1', async () => {
    const { server, arrived, release } = slowServer();
    const { shutDown, exited } = prepared(server, 20);
    const port = await listen(server);
    const inFlight = get(port, '/slow', new http.Agent());
    await arrived;
    shutDown();
    await expect(exited).resolves.toBe(1);
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
    release();
  });
});
