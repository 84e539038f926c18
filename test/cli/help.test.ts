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
