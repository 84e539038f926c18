/**
 * Starts service/main.ts as its own process (as entrypoint.sh does with the built file), asks it for
 * /health, sends SIGTERM and checks that it exits 0 on its own.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';

const ROOT = path.join(__dirname, '..', '..');

function start(): { child: ChildProcessWithoutNullStreams; port: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'service/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', LAMBDAFLEX_STACK: 'shop' },
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
  return { child, port, output: () => out };
}

describe('service/main.ts', () => {
  it('serves HTTP on PORT and exits 0 on SIGTERM', async () => {
    const { child, port, output } = start();
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
