import { runCli, tempFolder } from './run-cli';

const COMMANDS = ['validate', 'apply', 'get', 'list', 'delete'];

describe('lambdaflex --help', () => {
  it('lists every command and the global options, exit code 0', async () => {
    const result = await runCli(tempFolder(), ['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    for (const option of ['--table', '--region', '--local']) expect(result.stdout).toContain(option);
    expect(result.stdout).toContain('AWS_ENDPOINT_URL');
  });

  it.each(COMMANDS)('%s --help describes the command with an example', async (command) => {
    const result = await runCli(tempFolder(), [command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: lambdaflex ${command}`));
    expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ lambdaflex .*${command}`));
  });

  it('rejects an unknown command with exit code 1', async () => {
    const result = await runCli(tempFolder(), ['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('the examples in --help', () => {
  it.each(['validate', 'apply', 'simulate', 'reconcile', 'status', 'events', 'list', 'bootstrap'])(
    '%s --help names only files of the repo that exist',
    async (command) => {
      const { join } = await import('node:path');
      const { existsSync } = await import('node:fs');
      const help = (await runCli(tempFolder(), [command, '--help'])).stdout;
      const paths = [...help.matchAll(/(?:^|\s)((?:examples|docs)\/[\w./-]+\.\w+)/g)].map((m) => m[1]!);
      for (const path of paths)
        expect([path, existsSync(join(__dirname, '..', '..', path))]).toEqual([path, true]);
    },
  );

  it('simulate --help suggests a sample trace that exists', async () => {
    const help = (await runCli(tempFolder(), ['simulate', '--help'])).stdout;
    expect(help).toMatch(/--trace examples\/traces\/diurnal\.csv/);
  });
});
