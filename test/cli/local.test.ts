import { join } from 'node:path';
import { parse } from 'yaml';
import { createSimulatedAws } from '../../aws-sim';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

describe('lambdaflex --local', () => {
  it('keeps what apply wrote for a later get, list and delete in separate invocations', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });

    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toMatch(
      /^stack orders-api is new:\n( {2}\+ .*\n)+stack orders-api created \(generation 1\)\n/,
    );

    const got = await runCli(cwd, ['--local', 'get', 'orders-api']);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^Stack: +orders-api$/m);
    expect(got.stdout).toMatch(/^Mode: +lambda$/m);
    expect(got.stdout).toMatch(/^Phase: +Pending$/m);

    const again = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(again.stdout).toBe('stack orders-api unchanged (generation 1)\n');
    writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    const updated = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(updated.stdout).toMatch(
      /^ {2}~ mode: "lambda" → "fargate"\nstack orders-api updated \(generation 2\)\n/m,
    );

    // The generation with its record's incarnation, as get and status show them: a stack deleted and
    // made again is back at generation 1, and only the incarnation tells the two apart.
    const { incarnation } = JSON.parse(
      (await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout,
    );
    expect(incarnation).toMatch(/^[0-9a-f]{12}$/);
    const listed = await runCli(cwd, ['list', '--local']);
    expect(listed.stdout.split('\n')[0]).toMatch(/^STACK +MODE +GENERATION +INCARNATION +PHASE$/);
    expect(listed.stdout).toMatch(new RegExp(`^orders-api +fargate +2 +${incarnation} +Pending$`, 'm'));

    const deleted = await runCli(cwd, ['--local', 'delete', 'orders-api']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/deletion of stack orders-api requested; the reconciler will/);
    expect((await runCli(cwd, ['--local', 'list'])).stdout).toMatch(/orders-api .*\(deletion requested\)/);
  });

  it('records a deletion request at the simulated time, the clock every other time there is on', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '10m'])).code).toBe(0);
    const { account } = createSimulatedAws({ region: 'us-east-1' });
    account.load(join(cwd, '.lambdaflex', 'sim.json'));
    const simulatedNow = account.now();

    expect((await runCli(cwd, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    const record = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(record.deletionRequestedAt).toBe(simulatedNow);
    // The refusal of a new spec names that time, as status and events name theirs.
    const refused = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`requested at ${new Date(simulatedNow).toISOString()}`);
  });

  it('prints the record as JSON or YAML with -o', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'orders-api.yaml', `stack: orders-api\nimage: ${IMAGE}\nport: 9000\n`);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);

    const json = JSON.parse((await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json'])).stdout);
    expect(json).toMatchObject({
      stack: 'orders-api',
      generation: 1,
      version: 1,
      spec: { port: 9000, mode: 'auto' },
    });

    const yaml = parse((await runCli(cwd, ['--local', 'get', 'orders-api', '--output', 'yaml'])).stdout);
    expect(yaml).toEqual(json);

    const bad = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'xml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/argument 'xml' is invalid/);
  });

  it('reads the document from stdin with -f -', async () => {
    const cwd = tempFolder();
    const applied = await runCli(
      cwd,
      ['--local', 'apply', '-f', '-'],
      `stack: from-stdin\nimage: ${IMAGE}\n`,
    );
    expect(applied.stdout).toMatch(/^stack from-stdin created \(generation 1\)\n/m);
    const json = await runCli(
      cwd,
      ['--local', 'apply', '-f', '-'],
      JSON.stringify({ stack: 'json-stdin', image: IMAGE }),
    );
    expect(json.code).toBe(0);
    expect((await runCli(cwd, ['--local', 'list'])).stdout).toMatch(/from-stdin[\s\S]*json-stdin/);
  });

  it('says so, with exit code 1, for an unknown stack', async () => {
    const cwd = tempFolder();
    // An empty table: apply creates it, delete's record goes once the reconciler tore the stack down.
    const file = writeFile(cwd, 's.json', { stack: 'orders-api', image: IMAGE });
    await runCli(cwd, ['--local', 'apply', '-f', file]);
    await runCli(cwd, ['--local', 'delete', 'orders-api']);
    await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    for (const args of [
      ['get', 'ghost'],
      ['delete', 'ghost'],
    ]) {
      const result = await runCli(cwd, ['--local', ...args]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /\(ghost\): no such stack in table lambdaflex\n`lambdaflex --local list` shows the stacks/,
      );
    }
    expect((await runCli(cwd, ['--local', 'list'])).stdout).toBe(
      'no stacks in table lambdaflex; record one with `lambdaflex --local apply -f FILE`\n',
    );
  });

  it('uses the table that --table names', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', { stack: 'orders-api', image: IMAGE });
    await runCli(cwd, ['--local', '--table', 'other', 'apply', '-f', file]);
    expect((await runCli(cwd, ['--local', 'list'])).stderr).toMatch(
      /^reading local table lambdaflex \(.*\): the table does not exist\n/,
    );
    expect((await runCli(cwd, ['--local', '--table', 'other', 'list'])).stdout).toMatch(/^orders-api/m);
  });
});
