/**
 * The CLI as a kubectl or terraform user expects it: version, list -o, tables with headers, status with
 * the URLs and --watch, events [-f], apply with a diff, --dry-run and --wait, reconcile's progress in one
 * line per change, and errors that say what to do next.
 */
import { parse } from 'yaml';
import { openStore, type OpenedStore } from '../../cli/context';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(120_000);

/** A folder with one stack applied; `mode` lambda settles in a few passes. */
async function withStack(mode: 'lambda' | 'fargate' = 'lambda') {
  const cwd = tempFolder();
  const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode });
  expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  return { cwd, file };
}

describe('version', () => {
  it('prints the package version, as a command and as --version', async () => {
    const cwd = tempFolder();
    expect((await runCli(cwd, ['version'])).stdout).toMatch(/^lambdaflex 0\.\d+\.\d+ \(Node\.js v\d+/);
    expect((await runCli(cwd, ['--version'])).stdout).toMatch(/^0\.\d+\.\d+\n$/);
  });
});

describe('list -o', () => {
  it('prints every record as JSON or YAML', async () => {
    const { cwd } = await withStack();
    const json = JSON.parse((await runCli(cwd, ['--local', 'list', '-o', 'json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ stack: 'orders-api', generation: 1 })]);
    expect(parse((await runCli(cwd, ['--local', 'list', '-o', 'yaml'])).stdout)).toEqual(json);
  });
});

describe('sim resources', () => {
  it("--help describes the table's columns as they are, and what only --json adds", async () => {
    const result = await runCli(tempFolder(), ['--local', 'sim', 'resources', '--help']);
    // Commander wraps the help to the terminal's width.
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('one row each: stack (its lambdaflex:stack tag), type, state, name and id.');
    expect(help).toContain('--json an array of { type, id, name, arn, state, tags }, every tag included');
  });

  it('is a table with a header and aligned columns', async () => {
    const { cwd } = await withStack();
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    const lines = (await runCli(cwd, ['--local', 'sim', 'resources'])).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STACK +TYPE +STATE +NAME +ID$/);
    const typeAt = lines[0]!.indexOf('TYPE');
    for (const line of lines.slice(1)) expect(line.slice(typeAt)).toMatch(/^AWS::/);
  });
});

describe('status', () => {
  it('shows the URLs, and says a stack without a domain has no weights to move', async () => {
    const { cwd } = await withStack();
    await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    const { stdout } = await runCli(cwd, ['--local', 'status', 'orders-api']);
    expect(stdout).toMatch(/^URLs: +Lambda +https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com$/m);
    expect(stdout).toMatch(/^ +Fargate +- \(no load balancer/m);
    expect(stdout).toMatch(/^Traffic: +no custom domain, so no weights to move/m);
    expect(stdout).toMatch(/^ +KEY +KIND +STATE +ID$/m);
  });

  it('--watch prints a line for each change until the stack is deleted', async () => {
    const { cwd } = await withStack();
    await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    let readings = 0;
    const sleep = async () => {
      readings++;
      if (readings === 1) await runCli(cwd, ['--local', 'delete', 'orders-api']);
      if (readings === 2) await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    };
    const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
    expect(watched.code).toBe(0);
    const after = watched.stdout.slice(watched.stdout.indexOf('Events ('));
    expect(after).toMatch(/phase Lambda \(deletion requested\)\n/);
    expect(after).toMatch(/orders-api: deleted \(the record is gone\)\n$/);
    expect(readings).toBe(2);
  });
});

describe('--watch while another command holds the local folder', () => {
  it('says the readings are skipped, once, and when they resume', async () => {
    const { cwd } = await withStack();
    await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    let readings = 0;
    let held: OpenedStore | undefined;
    const sleep = async () => {
      readings++;
      // As a `reconcile` does for its whole run: the folder open across two readings.
      if (readings === 1) held = await openStore({ local: true }, cwd);
      if (readings === 3) {
        await held!.close();
        await runCli(cwd, ['--local', 'delete', 'orders-api']);
        await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
      }
    };
    const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
    expect(watched.code).toBe(0);
    expect(readings).toBe(3);
    expect(watched.stderr).toBe(
      'readings skipped: the local folder is in use by another lambdaflex command (a reconcile holds it ' +
        'until it ends); reading again every 2 s\n' +
        'reading again (2 readings skipped)\n',
    );
    expect(watched.stdout).toMatch(/orders-api: deleted \(the record is gone\)\n$/);
  });
});

describe('events', () => {
  it('lists the events, and -f follows them until the stack is deleted', async () => {
    const { cwd } = await withStack();
    await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    const listed = await runCli(cwd, ['--local', 'events', 'orders-api']);
    expect(listed.stdout).toMatch(/Normal +PhaseChanged: none → Lambda/);

    const sleep = async () => {
      await runCli(cwd, ['--local', 'delete', 'orders-api']);
      await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    };
    const followed = await runCli(cwd, ['--local', 'events', 'orders-api', '-f'], '', sleep);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/orders-api: deleted \(the record is gone\)\n$/);
  });
});

describe('apply', () => {
  it('prints the changes against the stored spec before writing; --dry-run writes nothing', async () => {
    const { cwd, file } = await withStack();
    writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate', port: 9000 });
    const dry = await runCli(cwd, ['--local', 'apply', '-f', file, '--dry-run']);
    expect(dry.stdout).toContain('  ~ mode: "lambda" → "fargate"\n  ~ port: 8080 → 9000\n');
    expect(dry.stdout).toMatch(/dry run: nothing written\n$/);
    expect(
      JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout).generation,
    ).toBe(1);

    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied.stdout).toMatch(
      /changes:\n {2}~ mode: "lambda" → "fargate"\n {2}~ port: 8080 → 9000\nstack orders-api updated \(generation 2\)/,
    );
  });

  it('--wait reconciles until the stack settles', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file, '--wait']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/stack orders-api created \(generation 1\)\n/);
    expect(applied.stdout).toMatch(/pass \d+: phase Lambda \(settled\)/);
  });
});

describe('reconcile progress', () => {
  it('prints each step state once, and per pass what the stack waits for, across a scale-up and a delete', async () => {
    const { cwd } = await withStack('fargate');
    const up = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    await runCli(cwd, ['--local', 'delete', 'orders-api']);
    const down = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    for (const run of [up, down]) {
      expect(run.code).toBe(0);
      const steps = run.stdout.split('\n').filter((l) => l.startsWith('  orders-api: '));
      // A state is printed when it changes: the same line twice in a row for a resource never happens.
      const last = new Map<string, string>();
      for (const line of steps) {
        const key = line.split(':')[1]!;
        expect(last.get(key)).not.toBe(line);
        last.set(key, line);
      }
      expect(run.stdout).not.toMatch(/blocked/);
      const passes = run.stdout.split('\n').filter((l) => / pass \d+: /.test(l));
      for (const pass of passes.filter((l) => !/\(settled\)|deleted/.test(l)))
        expect(pass).toMatch(/ — waiting for: \S/);
    }
    expect(up.stdout).toMatch(/waiting for: .*targets healthy/);
    // No custom domain: nothing to drain, both tiers go at once (a delete: the Lambda tier too).
    expect(down.stdout).toMatch(
      /waiting for: no custom domain, so no traffic to drain; deleting both tiers(;|$)/m,
    );
    expect(down.stdout).not.toMatch(/deleting the Fargate tier/);
    expect(down.stdout).not.toMatch(/TTL × 2/);
    expect(down.stdout).toMatch(
      /waiting for: .*AWS is still releasing network interfaces; .*wait \(DependencyViolation/,
    );
    expect(up.stdout.split('\n').length + down.stdout.split('\n').length).toBeLessThan(180);
  });
});

describe('errors say what to do next', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('reconcile of an unknown stack names it, and how to find the stacks', async () => {
    const { cwd } = await withStack();
    const result = await runCli(cwd, ['--local', 'reconcile', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'reading stack (nope): no such stack in table lambdaflex\n' +
        '`lambdaflex --local list` shows the stacks in the table; `lambdaflex --local apply -f FILE` records a new one\n',
    );
  });

  it('sim advance blames its own argument, not --timeout', async () => {
    const result = await runCli(tempFolder(), ['--local', 'sim', 'advance', 'banana']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sim advance: 'banana' is not a duration such as 90s, 15m or 2h\n/);
    // What to do next adds to the message instead of saying its examples again.
    expect(result.stderr.split('90s, 15m or 2h')).toHaveLength(2);
    expect(result.stderr).toMatch(/\nwrite a number and its unit: ms, s, m or h\n$/);
  });

  it('sim advance -5m says the simulated time only moves forward (not "unknown option"), nothing moved', async () => {
    const cwd = tempFolder();
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout).toMatch(/ 00:01:00\n$/);
    const result = await runCli(cwd, ['--local', 'sim', 'advance', '-5m']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sim advance: the simulated time only moves forward, got '-5m': give how far forward, such as 5m\n/,
    );
    expect(result.stderr).not.toContain('unknown option');
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '1m'])).stdout).toMatch(/ 00:02:00\n$/);
  });

  it('sim advance prints the new time as status and events print theirs', async () => {
    const result = await runCli(tempFolder(), ['--local', 'sim', 'advance', '10m']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^simulated time is now \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
  });

  it('refuses --once with --until-settled', async () => {
    const { cwd } = await withStack();
    const result = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--once', '--until-settled']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--once and --until-settled contradict each other/);
    expect(result.stdout).toBe('');
  });

  it('without --local and without a region, says how to give one', async () => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    const result = await runCli(tempFolder(), ['list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Region is missing/);
    expect(result.stderr).toMatch(/name a region: --region eu-west-1, the AWS_REGION variable/);
  });

  it.each([
    [['--local', 'get', 'ghost'], /lambdaflex --local apply -f FILE/],
    [['validate', '-f', 'missing.json'], /check the path/],
    [['--local', 'status', 'ghost', '--watch', '--interval', 'soon'], /write a number and its unit/],
    [['simulate', '--trace', 'missing.csv'], /check the path/],
    [['simulate', '--trace', 'x.csv', '--seed', 'abc'], /give a whole number/],
  ])('lambdaflex %j ends with the next step', async (args, next) => {
    const result = await runCli(tempFolder(), args as string[]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(next as RegExp);
  });

  it('an invalid spec lists every problem, then says to fix them', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'bad.json', {
      stack: 'orders-api',
      image: IMAGE,
      port: 'eighty',
      thresholds: { scaleUp: { requestsPerSecond: 5 }, scaleDown: { requestsPerSecond: 10 } },
    });
    const result = await runCli(cwd, ['validate', '-f', file]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      'port: must be an integer',
      expect.stringMatching(/^thresholds\.scaleDown\.requestsPerSecond: must be strictly below/),
      expect.stringMatching(/^fix the fields named above and run the command again/),
    ]);
  });
});
