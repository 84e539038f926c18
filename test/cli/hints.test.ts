/**
 * A command the CLI suggests (after an error, or as the next step) is one the user can paste as is: it
 * carries the global options of the run that suggested it. `lambdaflex list` suggested to a `--local`
 * user reads the AWS table instead (and fails for want of a region or credentials).
 */
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

/** Every `lambdaflex …` command quoted in backticks in a text. */
function suggested(text: string): string[] {
  return [...text.matchAll(/`(lambdaflex [^`]*)`/g)].map((m) => m[1]!);
}

async function folderWithStack(globals: string[]) {
  const cwd = tempFolder();
  const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
  const applied = await runCli(cwd, [...globals, 'apply', '-f', file]);
  expect(applied.code).toBe(0);
  return { cwd, file, applied };
}

describe.each([
  { globals: ['--local'], prefix: 'lambdaflex --local ' },
  { globals: ['--local', '--table', 'staging'], prefix: 'lambdaflex --local --table staging ' },
])('commands suggested to `$prefix…`', ({ globals, prefix }) => {
  it('after apply, for an unknown stack, and in status: with the same global options', async () => {
    const { cwd, applied } = await folderWithStack(globals);
    expect(suggested(applied.stdout)).toEqual([`${prefix}reconcile orders-api --until-settled`]);

    for (const command of [
      ['get', 'ghost'],
      ['status', 'ghost'],
      ['events', 'ghost'],
      ['plan', 'ghost'],
    ]) {
      const result = await runCli(cwd, [...globals, ...command]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\(ghost\): no such stack in table (lambdaflex|staging)\n/);
      expect(suggested(result.stderr)).toEqual([`${prefix}list`, `${prefix}apply -f FILE`]);
    }

    // A pass first: a stack not reconciled yet has no events to point at.
    expect((await runCli(cwd, [...globals, 'reconcile', 'orders-api'])).code).toBe(0);
    const status = await runCli(cwd, [...globals, 'status', 'orders-api']);
    expect(status.code).toBe(0);
    expect(suggested(status.stdout)).toEqual([`${prefix}events orders-api`]);
  });

  it('for a stack being deleted, and for an empty table', async () => {
    const { cwd, file } = await folderWithStack(globals);
    expect((await runCli(cwd, [...globals, 'delete', 'orders-api'])).code).toBe(0);
    const refused = await runCli(cwd, [...globals, 'apply', '-f', file]);
    expect(refused.code).toBe(1);
    expect(suggested(refused.stderr)).toEqual([`${prefix}get orders-api`]);

    expect((await runCli(cwd, [...globals, 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    expect(suggested((await runCli(cwd, [...globals, 'list'])).stdout)).toEqual([`${prefix}apply -f FILE`]);
    expect(suggested((await runCli(cwd, [...globals, 'reconcile'])).stdout)).toEqual([
      `${prefix}apply -f FILE`,
    ]);
  });
});
