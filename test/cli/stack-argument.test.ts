/**
 * A command's STACK argument is a stack name by the spec's rule, checked before anything is opened: the
 * table's system record (`#lambdaflex-system`) read as a stack, a delete of it failing with DynamoDB's
 * own ValidationException, and a reconcile retrying a status write on it ten times are refused up front,
 * and so is a name no stack can have (upper case), instead of "no such stack".
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const COMMANDS = [
  ['get'],
  ['status'],
  ['events'],
  ['plan'],
  ['delete'],
  ['reconcile'],
  ['reconcile', '--until-settled'],
];
const RULE =
  'a stack name is 3–24 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen';

describe('the STACK argument', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'bootstrap'])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  });

  it.each(
    COMMANDS.flatMap((command) => ['#lambdaflex-system', 'Orders-API', 'ab'].map((name) => [command, name])),
  )('%j refuses %s, naming the argument and the rule', async (command, name) => {
    const [verb, ...flags] = command as string[];
    const result = await runCli(cwd, ['--local', verb!, name as string, ...flags]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      `error: command-argument value '${name}' is invalid for argument 'stack'. ${RULE}`,
    );
  });

  it('leaves the table as it was: the stack and the system record untouched', async () => {
    const listed = await runCli(cwd, ['--local', 'list', '-o', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ stack: 'orders-api', generation: 1 }),
    ]);
    expect((await runCli(cwd, ['--local', 'get', 'orders-api'])).code).toBe(0);
  });
});
