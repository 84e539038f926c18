/**
 * A sandbox started on a busy port says so, names the way out, and starts nothing: no local DynamoDB, no
 * demo stack applied.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from '../../sandbox/port';
import { startSandbox } from '../../sandbox/sandbox';

describe('startSandbox on a port in use', () => {
  let busy: Server;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'lf-port-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses, naming the port and --port, and creates nothing', async () => {
    const lines: string[] = [];
    const start = startSandbox({ cwd: dir, port, speed: 60, tickMs: 1000, print: (l) => lines.push(l) });
    await expect(start).rejects.toBeInstanceOf(PortInUseError);
    await expect(start).rejects.toThrow(
      new RegExp(
        `^port ${port} on 127\\.0\\.0\\.1 is in use .*nothing was started\\nstart on another port: npm start -- --port ${port + 1}`,
      ),
    );
    expect(lines).toEqual([]);
    expect(existsSync(join(dir, '.lambdaflex'))).toBe(false);
  });
});
