/**
 * `bootstrap --max-reserved-concurrency N` against a local simulated account: a bad value is refused
 * before anything is read or written; the ceiling is kept in the table's system record (a later bootstrap
 * without the option keeps it), `apply` refuses a spec asking more, and bootstrap names the stacks a
 * lowered ceiling leaves over it.
 */
import { DEFAULT_TABLE_NAME, DynamoStateStore } from '../../reconciler/state';
import {
  expectApplyHeldToCeiling,
  expectNothingInstalled,
  folderWithBundle,
  IMAGE,
  runCli,
  systemResources,
  withLocalTable,
  writeFile,
} from './run-cli';

jest.setTimeout(120_000);

const spec = (stack: string, reservedConcurrency: number) => ({
  stack,
  image: IMAGE,
  mode: 'lambda',
  lambda: { reservedConcurrency },
});

/** `lambdaflex --local bootstrap` with `--max-reserved-concurrency value`. */
const bootstrapWithCeiling = (cwd: string, zip: string, value: string) =>
  runCli(cwd, ['--local', 'bootstrap', '--zip', zip, '--max-reserved-concurrency', value]);

/** `lambdaflex --local apply` of a Lambda stack reserving `reservedConcurrency`. */
const applyReserving = (cwd: string, stack: string, reservedConcurrency: number) =>
  runCli(cwd, ['--local', 'apply', '-f', writeFile(cwd, `${stack}.json`, spec(stack, reservedConcurrency))]);

const ceilingKept = (cwd: string) =>
  withLocalTable(
    cwd,
    async (client) =>
      (await new DynamoStateStore({ client, tableName: DEFAULT_TABLE_NAME }).getSystemRecord())
        ?.maxReservedConcurrency,
  );

const BAD = ['abc', '-1', '1.5', '1e3', '', '100abc'];

describe('bootstrap --max-reserved-concurrency', () => {
  it.each(BAD)('refuses %j before any AWS call or write: no table, nothing in the account', async (value) => {
    const { cwd, zip } = folderWithBundle();
    const result = await bootstrapWithCeiling(cwd, zip, value);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `--max-reserved-concurrency ${value}: a whole number of concurrent executions, 0 or more`,
    );
    expect(result.stderr).toContain('nothing changed');
    expect(result.stdout).toBe('');
    await expectNothingInstalled(cwd);
  });

  it('refuses a bad value over an installed ceiling, which stays as it was', async () => {
    const { cwd, zip } = folderWithBundle();
    expect((await bootstrapWithCeiling(cwd, zip, '200')).code).toBe(0);
    const installed = await systemResources(cwd);
    for (const value of BAD) {
      const result = await bootstrapWithCeiling(cwd, zip, value);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`--max-reserved-concurrency ${value}: a whole number`);
    }
    expect(await ceilingKept(cwd)).toBe(200);
    expect(await systemResources(cwd)).toEqual(installed);
  });

  it('keeps the ceiling, apply refuses a spec over it, and a lowered ceiling names the stacks it leaves over', async () => {
    const { cwd, zip } = folderWithBundle();
    const boot = await bootstrapWithCeiling(cwd, zip, '200');
    expect(boot.stderr).toBe('');
    expect(boot.stdout).toContain(
      'Lambda concurrency one stack may reserve: at most 200 (--max-reserved-concurrency)',
    );
    expect(await ceilingKept(cwd)).toBe(200);

    await expectApplyHeldToCeiling(
      cwd,
      (stack) => applyReserving(cwd, stack, stack === 'over' ? 201 : 150),
      "lambda.reservedConcurrency: 201 is more than one stack may reserve of the region's Lambda concurrency, at most 200",
      'lambdaflex --local bootstrap --max-reserved-concurrency 201',
    );

    // Again without the option: the ceiling kept in the table is kept.
    const again = await runCli(cwd, ['--local', 'bootstrap', '--zip', zip]);
    expect(again.stdout).toContain('at most 200 (--max-reserved-concurrency)');
    expect(again.stdout).not.toContain('warning');

    // Lowered under a stack: bootstrap says so at once, with the command that gives it back.
    const lowered = await bootstrapWithCeiling(cwd, zip, '100');
    expect(lowered.code).toBe(0);
    expect(lowered.stdout).toContain(
      '  warning: stack under-ceiling: lambda.reservedConcurrency: 150 is more than one stack may reserve',
    );
    expect(lowered.stdout).toContain(
      '`lambdaflex --local bootstrap --max-reserved-concurrency 150` raises it); its passes change nothing of it until then',
    );
    expect(await ceilingKept(cwd)).toBe(100);
  });

  it('without a bootstrap, apply holds a spec to the default ceiling, 100', async () => {
    const { cwd } = folderWithBundle();
    const over = await applyReserving(cwd, 'over', 101);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('lambda.reservedConcurrency: 101 is more than one stack may reserve');
    expect(over.stderr).toContain('at most 100');
    const at = await applyReserving(cwd, 'at-ceiling', 100);
    expect(at.code).toBe(0);
  });
});
