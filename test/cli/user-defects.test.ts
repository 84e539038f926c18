/**
 * Defects a new user met in areas the CLI does not own (reconciler/), kept as skipped tests until they are
 * fixed there: each would pass once the defect is gone.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

describe('defects met as a user', () => {
  // reconciler/bootstrap/stacks-left.ts words the next step for AWS whatever the run: `--local bootstrap
  // --destroy` says "lambdaflex delete STACK", which, typed as said, goes to AWS's table, not the folder's;
  // and "still holds stack orders-api: delete them first" for one stack.
  it.skip('DEFECT: `--local bootstrap --destroy` refused for a stack names the command that deletes it here, with --local', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const refused = await runCli(cwd, ['--local', 'bootstrap', '--destroy']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('lambdaflex --local delete orders-api');
    expect(refused.stderr).not.toMatch(/delete them first/);
  });
});
