/**
 * `lambdaflex delete` asked twice: the second says the deletion was already requested, when, and what
 * happens next, not "requested" again; the record keeps the first request's time.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

describe('lambdaflex --local delete, twice', () => {
  it('says the second time that the deletion was already requested, and when', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const markOf = async (): Promise<string> => {
      const got = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
      return new Date(JSON.parse(got.stdout).deletionRequestedAt).toISOString();
    };

    const first = await runCli(cwd, ['--local', 'delete', 'orders-api']);
    expect(first).toEqual({
      code: 0,
      stdout:
        'deletion of stack orders-api requested; the reconciler will delete its resources, then its record\n',
      stderr: '',
    });
    const requestedAt = await markOf();
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '5m'])).code).toBe(0);

    const second = await runCli(cwd, ['--local', 'delete', 'orders-api']);
    expect(second).toEqual({
      code: 0,
      stdout:
        `deletion of stack orders-api was already requested at ${requestedAt}; nothing changed: ` +
        'the reconciler will delete its resources, then its record ' +
        '(`lambdaflex --local status orders-api` shows how far it is)\n',
      stderr: '',
    });
    expect(await markOf()).toBe(requestedAt);
  });
});
