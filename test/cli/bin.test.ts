/** End to end: the real executable, in separate processes that share only the folder's `.lambdaflex/`. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IMAGE, tempFolder, writeFile } from './run-cli';

const BIN = join(__dirname, '..', '..', 'bin', 'lambdaflex.js');

async function lambdaflex(
  cwd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/lambdaflex.js', () => {
  it('applies in one process and gets in the next', async () => {
    const cwd = tempFolder();
    writeFile(cwd, 'x.json', { stack: 'orders-api', image: IMAGE });
    const applied = await lambdaflex(cwd, ['--local', 'apply', '-f', 'x.json']);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toMatch(/^stack orders-api created \(generation 1\)\n/m);
    const got = await lambdaflex(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ stack: 'orders-api', generation: 1 });
  });

  it('exits with 1 and the error on stderr for a bad file', async () => {
    const cwd = tempFolder();
    const result = await lambdaflex(cwd, ['validate', '-f', 'nope.yaml']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'nope.yaml: cannot read the file: no such file\n' +
        'check the path (relative to the current folder), or give the document on stdin with -f -\n',
    });
  });
});
