/**
 * The global options are checked before a command runs: a bad --table or --region is refused with the
 * option and its rule named, and nothing is opened, called or written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { globalOptionErrors } from '../../cli/global-options';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const TABLE_RULE =
  /^--table: a DynamoDB table name is 3–255 characters, each a letter, a digit, '_', '-' or '\.' \(got "(.*)"\)$/m;
const REGION_RULE =
  /^--region: an AWS region name reads area-direction-number in lower case, .* \(got "(.*)"\)$/m;

describe('--table', () => {
  it.each([
    ['list', ['--local', '--table', '', 'list']],
    ['apply', ['--local', '--table', '', 'apply', '-f', 'spec.json']],
    ['get, on AWS', ['--table', 'ab', '--region', 'eu-west-1', 'get', 'orders-api']],
    ['status', ['--local', '--table', 'no spaces', 'status', 'orders-api']],
  ])('is refused before %s runs, naming the option and the rule', async (_name, args) => {
    const cwd = tempFolder();
    writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    const result = await runCli(cwd, args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const value = args[args.indexOf('--table') + 1];
    expect(TABLE_RULE.exec(result.stderr)?.[1]).toBe(value);
    expect(result.stderr).toMatch(/`lambdaflex --help` lists the global options\n$/);
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });

  it.each(['lambdaflex', 'lambdaflex-staging', 'a.b_c', 'x'.repeat(255)])('takes %s', (table) => {
    expect(globalOptionErrors({ table })).toEqual([]);
  });

  it.each(['', 'ab', 'x'.repeat(256), 'with space', 'é-table'])('refuses "%s"', (table) => {
    expect(globalOptionErrors({ table })).toHaveLength(1);
  });
});

describe('--region', () => {
  it.each([
    ['list on AWS', ['--region', 'mars-1', 'list']],
    ['apply --local', ['--local', '--region', 'mars-1', 'apply', '-f', 'spec.json']],
  ])('is refused before %s runs, naming the option and the rule', async (_name, args) => {
    const cwd = tempFolder();
    writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    const result = await runCli(cwd, args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(REGION_RULE.exec(result.stderr)?.[1]).toBe('mars-1');
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });

  it('reports both options at once', async () => {
    const result = await runCli(tempFolder(), ['--table', '', '--region', 'us-east1', 'list']);
    expect(result.stderr).toMatch(TABLE_RULE);
    expect(result.stderr).toMatch(REGION_RULE);
  });

  // Regions of every partition the SDK knows, and one not opened yet: the shape, not a list, decides.
  it.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-5',
    'il-central-1',
    'cn-northwest-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'eusc-de-east-1',
    'xy-north-7',
  ])('takes %s', (region) => {
    expect(globalOptionErrors({ region })).toEqual([]);
  });

  it.each(['mars-1', 'us-east1', 'US-EAST-1', 'useast-1', 'us-east-', '', 'us_east_1', 'us-east-1 '])(
    'refuses "%s"',
    (region) => {
      expect(globalOptionErrors({ region })).toHaveLength(1);
    },
  );
});

describe('--help', () => {
  it('gives the rules of --table and --region', async () => {
    const result = await runCli(tempFolder(), ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      "--table <name> DynamoDB table of the stacks: 3–255 letters, digits, '_', '-' or '.'",
    );
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('--region <region> AWS region such as eu-west-1');
  });
});
