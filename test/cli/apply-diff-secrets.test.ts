/**
 * `apply` prints the spec's changes, often in a CI log that more people read than the table: the values
 * of `environment` (connection strings, passwords) are not printed, old or new; which variables were
 * added, removed or changed still is, and `get -o yaml` shows the values to whoever asks for them.
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const spec = (environment: Record<string, string>) => ({
  stack: 'orders-api',
  image: IMAGE,
  mode: 'lambda',
  environment,
});

describe('apply with environment values', () => {
  it('names the variables it adds, changes and removes, and prints none of their values', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec({ DB_PASSWORD: 'hunter2', LOG_LEVEL: 'info' }));
    const created = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(created.code).toBe(0);
    expect(created.stdout).not.toMatch(/hunter2|info/);
    expect(created.stdout).toContain('  + environment: {"DB_PASSWORD":"***","LOG_LEVEL":"***"}\n');
    expect(created.stdout).toContain(
      '  (environment values are not printed: `lambdaflex --local get orders-api -o yaml` shows them)\n',
    );

    writeFile(cwd, 's.json', spec({ DB_PASSWORD: 's3cret', NEW_FLAG: 'on' }));
    for (const args of [['--dry-run'], []]) {
      const changed = await runCli(cwd, ['--local', 'apply', '-f', file, ...args]);
      expect(changed.code).toBe(0);
      expect(changed.stdout).not.toMatch(/hunter2|s3cret|info|"on"/);
      const lines = changed.stdout.split('\n').filter((line) => line.includes('environment.'));
      expect(lines).toEqual([
        '  ~ environment.DB_PASSWORD: *** → *** (changed)',
        '  - environment.LOG_LEVEL: ***',
        '  + environment.NEW_FLAG: ***',
      ]);
    }
    const yaml = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/DB_PASSWORD: s3cret/);
  });

  it('adds no note for a stack without variables', async () => {
    const cwd = tempFolder();
    const created = await runCli(cwd, ['--local', 'apply', '-f', writeFile(cwd, 's.json', spec({}))]);
    expect(created.stdout).toContain('  + environment: {}\n');
    expect(created.stdout).not.toContain('not printed');
  });

  it('prints the other fields as before, with no note when the environment did not change', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec({ DB_PASSWORD: 'hunter2' }));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', { ...spec({ DB_PASSWORD: 'hunter2' }), mode: 'fargate' });
    const changed = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(changed.stdout).toBe(
      'stack orders-api (generation 1) changes:\n' +
        '  ~ mode: "lambda" → "fargate"\n' +
        'stack orders-api updated (generation 2)\n' +
        'next: `lambdaflex --local reconcile orders-api --until-settled` makes it so\n',
    );
  });
});

describe('plan with environment values', () => {
  it('names the variables the function would change, and prints none of their values', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec({ DB_PASSWORD: 'hunter2', LOG_LEVEL: 'info' }));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    writeFile(cwd, 's.json', spec({ DB_PASSWORD: 's3cret', NEW_FLAG: 'on' }));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const planned = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).not.toMatch(/hunter2|s3cret|info|"on"/);
    expect(planned.stdout).toContain(
      '      environment: ~DB_PASSWORD, -LOG_LEVEL, +NEW_FLAG (values are not printed)\n',
    );
  });
});
