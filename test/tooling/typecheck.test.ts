/**
 * The type check, as one test of `npm test`: it runs beside the other suites instead of before them all,
 * and a type error is reported with the compiler's own lines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(240_000);

it('type-checks the whole project (tsc --noEmit)', () => {
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const errors = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((line) => line.trim() !== '');
  expect(errors).toEqual([]);
  expect(tsc.status).toBe(0);
});
