/**
 * The simulated clock of `--local`. `sim reset` starts a new, empty simulated account but keeps the
 * stacks' records, with their events, leases and the times their waits count from: the new account's
 * clock starts where the old one was, so that time never goes back under the records (events listed
 * "oldest first" out of order, waits counted from a time in the future). `sim advance` jumps at most
 * 31 days: the account moves minute by minute, and a unit mistyped ran for minutes without a word.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

/** "simulated time is now 2026-01-01 00:06:12" → its time in milliseconds. */
function simulatedTime(stdout: string): number {
  const at = /simulated time is (?:now )?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/.exec(stdout)?.[1];
  if (!at) throw new Error(`no simulated time in: ${stdout}`);
  return Date.parse(`${at.replace(' ', 'T')}Z`);
}

describe('sim reset', () => {
  it('empties the simulated account and keeps its clock, so that a stack made again has its events in order', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'catalog-api.json', { stack: 'catalog-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'catalog-api', '--until-settled'])).code).toBe(0);
    const before = simulatedTime((await runCli(cwd, ['--local', 'sim', 'advance', '2h'])).stdout);

    const reset = await runCli(cwd, ['--local', 'sim', 'reset']);
    expect(reset.code).toBe(0);
    expect(simulatedTime(reset.stdout)).toBeGreaterThanOrEqual(before);
    const resources = await runCli(cwd, ['--local', 'sim', 'resources', '--json']);
    expect(resources.code).toBe(0);
    // Nothing but what a new simulated account holds: the example zone.
    expect((JSON.parse(resources.stdout) as { type: string }[]).map((r) => r.type)).toEqual([
      'AWS::Route53::HostedZone',
    ]);

    // The stack is built again, and its new events come after its old ones.
    expect((await runCli(cwd, ['--local', 'reconcile', 'catalog-api', '--until-settled'])).code).toBe(0);
    const events = await runCli(cwd, ['--local', 'events', 'catalog-api']);
    const times = events.stdout
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => Date.parse(`${line.slice(0, 19).replace(' ', 'T')}Z`));
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('says there is nothing to reset in a folder without a simulated account, and creates none', async () => {
    const cwd = tempFolder();
    const reset = await runCli(cwd, ['--local', 'sim', 'reset']);
    expect(reset).toEqual({
      code: 0,
      stdout: 'nothing to reset: this folder has no simulated account yet\n',
      stderr: '',
    });
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });
});

describe('sim advance', () => {
  it('refuses a jump beyond 31 days, which ran for minutes without a word (a typo of a unit), and moves nothing', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'catalog-api.json', { stack: 'catalog-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const before = simulatedTime((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout);

    const refused = await runCli(cwd, ['--local', 'sim', 'advance', '745h']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "sim advance: at most 744h (31 days) at once, got '745h': the simulated account moves minute by minute, so a longer jump can run for minutes\n" +
        'advance in steps of at most 744h\n',
    });
    const after = simulatedTime((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout);
    expect(after - before).toBe(60_000);
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '744h'])).code).toBe(0);
  });
  it('refuses a number without a unit, which moved the clock 90 ms for `90` without a word, and moves nothing', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'catalog-api.json', { stack: 'catalog-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const before = simulatedTime((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout);

    const refused = await runCli(cwd, ['--local', 'sim', 'advance', '90']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "sim advance: '90' has no unit: write 90s, 90m or 90h (or 90ms)\n" +
        'write a number and its unit: ms, s, m or h\n',
    });
    const after = simulatedTime((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout);
    expect(after - before).toBe(60_000);
  });
});
