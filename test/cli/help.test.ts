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

  it.each([
    [['help', 'sim', 'advance'], 'Usage: lambdaflex sim advance [options] <duration>'],
    [['--local', 'help', 'sim', 'reset'], 'Usage: lambdaflex sim reset [options]'],
    [['--table', 'other', 'help', 'sim', 'calls'], 'Usage: lambdaflex sim calls [options]'],
    [['help', 'sim'], 'Usage: lambdaflex sim [options] [command]'],
    [['help', 'status'], 'Usage: lambdaflex status [options] <stack>'],
  ])('%j prints the help of the command named, as its --help does', async (args, usage) => {
    const result = await runCli(tempFolder(), args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[0]).toBe(usage);
  });

  it('`help sim nonsense` names the unknown subcommand, as `sim nonsense` does', async () => {
    const result = await runCli(tempFolder(), ['help', 'sim', 'nonsense']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'nonsense'/);
  });

  it('status --help says that a local watch beside a reconcile in the same folder is quiet until it ends', async () => {
    const help = (await runCli(tempFolder(), ['status', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      'With --local, a reconcile (or an apply that waits) in the same folder holds its state until it ends: --watch skips its readings till then',
    );
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

  it.each(['lambdaflex', 'validate', 'apply', 'simulate', 'get', 'plan', 'reconcile'])(
    '%s --help: every document an example reads with -f is a file of the repo, so that it runs as shown',
    async (command) => {
      const { join } = await import('node:path');
      const { existsSync } = await import('node:fs');
      const args = command === 'lambdaflex' ? ['--help'] : [command, '--help'];
      const help = (await runCli(tempFolder(), args)).stdout;
      const examples = help.split('\n').filter((line) => line.trimStart().startsWith('$ '));
      const files = examples.flatMap((line) =>
        [...line.matchAll(/(?:^|\s)(?:-f|--file)\s+(\S+)/g)].map((m) => m[1]!).filter((f) => f !== '-'),
      );
      const piped = examples.flatMap((line) => [...line.matchAll(/\bcat\s+(\S+)/g)].map((m) => m[1]!));
      for (const file of [...files, ...piped])
        expect([file, existsSync(join(__dirname, '..', '..', file))]).toEqual([file, true]);
    },
  );

  it('simulate --help suggests a sample trace that exists', async () => {
    const help = (await runCli(tempFolder(), ['simulate', '--help'])).stdout;
    expect(help).toMatch(/--trace examples\/traces\/diurnal\.csv/);
  });
});
