/**
 * What a new user met: `--local bootstrap --destroy`, refused because a stack is left, worded its advice for
 * AWS whatever the run ("lambdaflex delete STACK", which typed as said goes to AWS's table, not the
 * folder's) and said "delete them first" of one stack. The advice now names the commands as this run was
 * typed, and following it lets the destroy through.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(300_000);

describe('bootstrap --destroy refused for a stack left, as a user meets it', () => {
  it('names the commands that delete the stack here, with --local, and they work', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const refused = await runCli(cwd, ['--local', 'bootstrap', '--destroy']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('lambdaflex --local delete orders-api');
    expect(refused.stderr).toContain('lambdaflex --local reconcile orders-api --until-settled');
    expect(refused.stderr).not.toMatch(/delete them first/);

    // The advice, followed word for word.
    expect((await runCli(cwd, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    const finished = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(finished.code).toBe(0);
    const destroyed = await runCli(cwd, ['--local', 'bootstrap', '--destroy']);
    expect(destroyed.stderr).not.toContain('still holds');
    expect(destroyed.code).toBe(0);
  });
});
