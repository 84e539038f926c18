/**
 * adversary: `lambdaflex --local bootstrap --destroy` run by an operator who forgot the stacks: refused with
 * the stacks named and what to do, exit 1, and the reconciler still in place (a second --destroy says the
 * same; nothing was deleted in between).
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(300_000);

it('--destroy with a stack recorded: exit 1, the stack named, the reconciler left in place', async () => {
  const cwd = tempFolder();
  const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
  expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  expect((await runCli(cwd, ['--local', 'bootstrap'])).code).toBe(0);
  const before = (await runCli(cwd, ['--local', 'sim', 'resources'])).stdout;
  expect(before).toContain('lambdaflex-reconciler');

  const destroyed = await runCli(cwd, ['--local', 'bootstrap', '--destroy']);
  expect(destroyed.code).toBe(1);
  expect(destroyed.stderr).toContain(
    'table lambdaflex still holds stack orders-api: delete it first (lambdaflex --local delete orders-api, ' +
      'then lambdaflex --local reconcile orders-api --until-settled',
  );
  expect((await runCli(cwd, ['--local', 'sim', 'resources'])).stdout).toBe(before);
});
