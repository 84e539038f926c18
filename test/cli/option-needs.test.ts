/**
 * An option that only bounds or paces another one does nothing alone: `apply --timeout 5m` without
 * --wait, `reconcile --timeout` without --until-settled, `status --interval` without --watch and
 * `events --interval` without -f were taken and ignored, so the user waited for a bound that never
 * applied. Each is refused, naming the option it needs, before anything is read or written.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

describe('an option given without the one it belongs to', () => {
  it.each([
    [
      ['apply', '-f', 'FILE', '--timeout', '5m'],
      '--timeout bounds --wait: add --wait, or leave --timeout out',
    ],
    [
      ['reconcile', 'orders-api', '--timeout', '5m'],
      '--timeout bounds --until-settled: add --until-settled, or leave --timeout out',
    ],
    [
      ['status', 'orders-api', '--interval', '5s'],
      '--interval paces --watch: add --watch, or leave --interval out',
    ],
    [
      ['events', 'orders-api', '--interval', '5s'],
      '--interval paces --follow: add --follow (-f), or leave --interval out',
    ],
    [
      ['bootstrap', '--account', '123456789012'],
      '--account names the account of --print-policy: add --print-policy, or leave --account out',
    ],
    [
      ['bootstrap', '--print-policy', '--account', '12'],
      '--account: an AWS account id is 12 digits, such as 123456789012 (got "12")',
    ],
  ])('%j is refused, naming the option it needs, and writes nothing', async (args, message) => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    const result = await runCli(cwd, ['--local', ...args.map((a) => (a === 'FILE' ? file : a))]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`${message}\n`);
    // Nothing written: not even the local table apply would have created.
    expect((await runCli(cwd, ['--local', 'list'])).code).toBe(1);
  });

  it('is taken with the option it belongs to', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file, '--wait', '--timeout', '2h'])).code).toBe(0);
    expect(
      (await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled', '--timeout', '5m'])).code,
    ).toBe(0);
  });
});

describe('the interval of a watch', () => {
  it.each([
    [['status', 'orders-api', '--watch', '--interval', '1ms']],
    [['events', 'orders-api', '-f', '--interval', '500ms']],
  ])('%j is refused below one second (1ms typed for 1m read the table in a tight loop)', async (args) => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const result = await runCli(cwd, ['--local', ...args]);
    const given = args.at(-1);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `--interval: at least 1s, got '${given}': each interval reads the stack's record again\n` +
        'give it in seconds or minutes, such as 5s or 1m\n',
    });
  });
});
