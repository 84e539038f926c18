/**
 * One local account, one writer: while `npm start` runs in a folder, every `--local` command there is
 * refused with the sandbox's real address, and nothing is written; once it stops, the CLI works on the
 * state it left.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(120_000);

describe('--local while the sandbox runs in the folder', () => {
  let cwd: string;
  let sandbox: SandboxProcess | undefined;

  beforeAll(async () => {
    cwd = tempFolder();
    writeFile(cwd, 'other.json', { stack: 'other-api', image: IMAGE, mode: 'lambda' });
    sandbox = await startSandboxProcess(cwd, ['--port', '0', '--speed', '60']);
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  const COMMANDS = [
    ['apply', '-f', 'other.json'],
    ['get', 'orders-api'],
    ['list'],
    ['status', 'orders-api'],
    ['plan', 'orders-api'],
    ['reconcile', 'orders-api'],
    ['delete', 'orders-api'],
    ['sim', 'resources'],
    ['sim', 'calls'],
    ['sim', 'advance', '10m'],
    ['sim', 'reset'],
    ['bootstrap'],
  ];

  it.each(COMMANDS.map((args) => [args.join(' '), args]))(
    'refuses `lambdaflex --local %s`, naming the sandbox’s address',
    async (_name, args) => {
      const account = join(cwd, '.lambdaflex', 'sim.json');
      const before = existsSync(account) ? statSync(account).mtimeMs : undefined;
      const result = await runCli(cwd, ['--local', ...(args as string[])]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`the local sandbox (npm start, pid ${sandbox!.pid})`);
      expect(result.stderr).toContain(`${sandbox!.url}/`);
      expect(result.stderr).toMatch(/stop it \(Ctrl-C in its terminal\) and run this command again/);
      // `sim reset` would have removed the sandbox's account; nothing else touched it either.
      expect(existsSync(account) ? statSync(account).mtimeMs : undefined).toBe(before);
    },
  );

  it('still validates a file: that reads no local state', async () => {
    const file = join(cwd, 'other.json');
    const result = await runCli(cwd, ['--local', 'validate', '-f', file]);
    expect(result).toMatchObject({ code: 0, stdout: `${file}: valid (stack other-api, mode lambda)\n` });
  });

  it('works on what the sandbox left once it stopped, and the refused apply wrote nothing', async () => {
    expect(await sandbox!.stop()).toBe(0);
    sandbox = undefined;
    const listed = await runCli(cwd, ['--local', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^orders-api +auto /m);
    expect(listed.stdout).not.toMatch(/other-api/);
  });
});

describe('--local after a sandbox crashed', () => {
  it('ignores the claim a dead process left behind', async () => {
    const cwd = tempFolder();
    mkdirSync(join(cwd, '.lambdaflex'));
    // pid 2^22 + 1 is above Linux's pid_max: no process has it.
    writeFileSync(
      join(cwd, '.lambdaflex', 'dynamodb.json'),
      JSON.stringify({ endpoint: 'http://127.0.0.1:1', pid: 4_194_305, url: 'http://localhost:3100' }),
    );
    // Not refused as the sandbox's: read as a folder whose table was never made.
    const result = await runCli(cwd, ['--local', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^reading local table lambdaflex \(.*\): this folder has no local state/);
    expect(readFileSync(join(cwd, '.lambdaflex', 'dynamodb.json'), 'utf8')).toContain('3100');
  });
});
