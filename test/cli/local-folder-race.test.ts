/**
 * Several `--local` commands at once in one folder (a `status --watch` reading every 2 s beside a
 * `reconcile`): each either gets the local DynamoDB or is told the folder is in use. None dies of the
 * LevelDB folder taken by another process between its check that the folder is free and its opening of it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempFolder } from './run-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

function openRepeatedly(
  cwd: string,
  times: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@swc-node/register'),
      join(__dirname, 'fixtures', 'open-local-repeatedly.ts'),
      cwd,
      String(times),
    ],
    {
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the local folder opened by several processes at once', () => {
  it('gives it to one at a time and tells the others it is busy, never crashing one', async () => {
    const cwd = tempFolder();
    const runs = await Promise.all([1, 2, 3].map(() => openRepeatedly(cwd, 30)));
    for (const run of runs) {
      expect({ code: run.code, crash: /Unhandled 'error' event|ModuleError/.exec(run.stderr)?.[0] }).toEqual({
        code: 0,
        crash: undefined,
      });
      const counts = JSON.parse(run.stdout) as { opened: number; busy: number };
      expect(counts.opened + counts.busy).toBe(30);
    }
    const opened = runs.map((run) => (JSON.parse(run.stdout) as { opened: number }).opened);
    expect(opened.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
