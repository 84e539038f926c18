/**
 * Starts service/main.ts as its own process (as entrypoint.sh does with the built file), asks it for
 * /health, sends SIGTERM and checks that it exits 0 on its own.
 */
import * as path from 'node:path';
import request from 'supertest';
import { startServerProcess } from './server-process';

const ROOT = path.join(__dirname, '..', '..');

describe('service/main.ts', () => {
  it('serves HTTP on PORT and exits 0 on SIGTERM', async () => {
    const args = ['-r', '@swc-node/register', 'service/main.ts'];
    const { child, port, output } = startServerProcess(args, ROOT, { LAMBDAFLEX_STACK: 'shop' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const res = await request(`http://127.0.0.1:${await port}`)
        .get('/health')
        .set('x-request-id', 'main-1');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = output()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'request', path: '/health', status: 200, requestId: 'main-1' }),
          expect.objectContaining({ msg: 'signal', signal: 'SIGTERM' }),
        ]),
      );
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
