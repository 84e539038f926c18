/**
 * `reconcile --until-settled` is done when a fresh observation plans nothing (README, commands table). A
 * pass that only confirmed the stack's last snapshot (its tagged ARNs unchanged) can't see a change the
 * Tagging API does not show, such as the stack roles' policies that `bootstrap` changes: a command a user
 * runs to finish the job observes in full, so that `plan` afterwards has nothing left to do.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(120_000);

describe('lambdaflex --local reconcile --until-settled after a change the snapshot cannot see', () => {
  it('leaves nothing for plan to do', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    // Bootstrap gives the stack roles their policies: the roles' ARNs, all the Tagging API lists, stay.
    expect((await runCli(cwd, ['--local', 'bootstrap'])).code).toBe(0);
    const before = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(before.code).toBe(2);

    const settled = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(settled.code).toBe(0);
    const after = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect([after.code, after.stdout]).toEqual([0, expect.stringContaining('No changes.')]);
  });

  it('says why its passes observed in full: they were run by hand, not that a periodic one was due', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api'])).code).toBe(0);
    const status = JSON.parse((await runCli(cwd, ['--local', 'status', 'orders-api', '--json'])).stdout);
    expect(status.lastPass).toMatchObject({
      observedBy: 'full',
      fullObservationBecause: 'every pass run by hand observes in full',
    });
  });
});
