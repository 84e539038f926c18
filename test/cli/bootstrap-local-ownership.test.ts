/**
 * `lambdaflex --local bootstrap` three times over one folder, then `--destroy`: the identities bootstrap
 * records (reconciler/bootstrap/proven.ts) survive the folder's saved account between runs, so its own
 * resources stay its own (a second run changes nothing) and the destroy takes them all.
 */
import { runCli, tempFolder } from './run-cli';

jest.setTimeout(300_000);

it('bootstrap, bootstrap again, --destroy, bootstrap: each exits 0; the second changes nothing, the destroy takes them', async () => {
  const cwd = tempFolder();
  const first = await runCli(cwd, ['--local', 'bootstrap']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const second = await runCli(cwd, ['--local', 'bootstrap']);
  expect(second.stderr).toBe('');
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('reconciler in place in us-east-1 after 1 pass(es)');
  expect(second.stdout).toMatch(/API calls, 0 mutating/);
  const destroyed = await runCli(cwd, ['--local', 'bootstrap', '--destroy']);
  expect(destroyed.stderr).toBe('');
  expect(destroyed.code).toBe(0);
  expect(destroyed.stdout).toContain('- work-queue (AWS::SQS::Queue)');
  expect(destroyed.stdout).toContain('- reconciler-role (AWS::IAM::Role)');
  // Gone: a bootstrap makes them again.
  const again = await runCli(cwd, ['--local', 'bootstrap']);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('+ work-queue (AWS::SQS::Queue)');
});
