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

describe('the region from the environment (AWS_REGION, AWS_DEFAULT_REGION)', () => {
  const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
  function setEnv(env: { AWS_REGION?: string; AWS_DEFAULT_REGION?: string }) {
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
  }
  afterEach(() => setEnv(saved));

  const ruleOf = (source: string) =>
    new RegExp(
      `^${source}: an AWS region name reads area-direction-number in lower case, .* \\(got "(.*)"\\)$`,
      'm',
    );

  it.each([
    ['AWS_REGION', { AWS_REGION: 'mars-1' }, 'mars-1'],
    ['AWS_REGION', { AWS_REGION: 'us-east1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-east1'],
    ['AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: 'EU-WEST-1' }, 'EU-WEST-1'],
  ])('is refused from %s before a command runs on AWS, naming the variable', async (source, env, value) => {
    setEnv(env);
    const cwd = tempFolder();
    const result = await runCli(cwd, ['list']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(ruleOf(source).exec(result.stderr)?.[1]).toBe(value);
    expect(result.stderr).not.toMatch(/^--region:/m);
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });

  it('is the region the CLI uses: --region first, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'mars-1', AWS_DEFAULT_REGION: 'venus-2' };
    expect(globalOptionErrors({ region: 'eu-west-1' }, env)).toEqual([]);
    expect(globalOptionErrors({}, { AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'venus-2' })).toEqual([]);
    expect(globalOptionErrors({}, env)).toEqual([expect.stringMatching(ruleOf('AWS_REGION'))]);
    expect(globalOptionErrors({}, { AWS_DEFAULT_REGION: 'venus-2' })).toEqual([
      expect.stringMatching(ruleOf('AWS_DEFAULT_REGION')),
    ]);
    expect(globalOptionErrors({}, {})).toEqual([]);
  });

  it('is not checked with --local, where the simulated account has its own region', async () => {
    setEnv({ AWS_REGION: 'mars-1' });
    const cwd = tempFolder();
    const file = writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    const result = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  });
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
