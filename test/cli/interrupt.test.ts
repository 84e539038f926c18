/**
 * Ctrl-C while passes run (`reconcile --until-settled`, `apply --wait`): the pass under way finishes and
 * the command stops before the next, saying so, with exit code 130. A pass cut short would leave the
 * stack's lease held (the next reconcile skipping its passes for minutes) and, locally, the simulated
 * account without what AWS accepted in the command.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../cli/main';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const BIN = join(__dirname, '..', '..', 'bin', 'lambdaflex.js');

/** A stack pinned to Fargate: many passes before it settles. */
async function recordedStack(): Promise<string> {
  const cwd = tempFolder();
  const file = writeFile(cwd, 'catalog-api.json', { stack: 'catalog-api', image: IMAGE, mode: 'fargate' });
  const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
  expect(applied).toMatchObject({ code: 0, stderr: '' });
  return cwd;
}

/** The CLI in-process, its Ctrl-C pressed once the first line matching `when` is printed. */
async function runPressingCtrlC(
  cwd: string,
  args: string[],
  when: RegExp,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let handler: (() => void) | undefined;
  let pressed = false;
  const code = await run(['node', 'lambdaflex', ...args], {
    cwd,
    stdin: Readable.from(['']),
    stdout: {
      write: (text: string) => {
        stdout += text;
        if (!pressed && when.test(stdout)) {
          pressed = true;
          handler?.();
        }
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    onInterrupt: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
  });
  return { code, stdout, stderr };
}

describe('Ctrl-C while passes run', () => {
  it('finishes the pass under way, stops before the next with exit code 130, and says how to go on', async () => {
    const cwd = await recordedStack();
    const stopped = await runPressingCtrlC(
      cwd,
      ['--local', 'reconcile', 'catalog-api', '--until-settled'],
      /pass 1:/,
    );
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/catalog-api pass 1: phase ScalingUp/);
    expect(stopped.stdout).not.toMatch(/pass 2:/);
    expect(stopped.stderr).toBe(
      'Ctrl-C: stopping once the pass under way is done (Ctrl-C again stops now)\n' +
        'stopped by Ctrl-C after pass 1 of catalog-api: no pass was cut short, so the stack carries on from there\n' +
        '`lambdaflex --local reconcile catalog-api --until-settled` goes on\n',
    );
    // The lease was released: the next pass runs at once, and finds what the stopped one made.
    const next = await runCli(cwd, ['--local', 'reconcile', 'catalog-api', '--until-settled']);
    expect(next.code).toBe(0);
    expect(next.stdout).not.toMatch(/holds the lease/);
    expect(next.stdout).toMatch(/phase Fargate \(settled\)/);
  });

  it('stops `apply --wait` the same way, the spec written', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'catalog-api.json', { stack: 'catalog-api', image: IMAGE, mode: 'fargate' });
    const stopped = await runPressingCtrlC(cwd, ['--local', 'apply', '-f', file, '--wait'], /pass 1:/);
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/stack catalog-api created \(generation 1\)/);
    expect(stopped.stderr).toMatch(/^stopped by Ctrl-C after pass 1 of catalog-api/m);
  });

  it('is the SIGINT a terminal sends to the real command: exit code 130, and the lease released', async () => {
    const cwd = await recordedStack();
    const child = spawn(process.execPath, [BIN, '--local', 'reconcile', 'catalog-api', '--until-settled'], {
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Once, as one press of Ctrl-C.
      if (!child.killed && /pass 1:/.test(stdout)) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(stderr).toMatch(/^stopped by Ctrl-C after pass \d+ of catalog-api: no pass was cut short/m);
    const next = await runCli(cwd, ['--local', 'reconcile', 'catalog-api', '--once']);
    expect(next.code).toBe(0);
    expect(next.stdout).not.toMatch(/holds the lease/);
  });
});
