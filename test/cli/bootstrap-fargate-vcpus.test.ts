/**
 * `bootstrap --max-fargate-vcpus N` against a local simulated account: a bad value is refused before
 * anything is read or written; the ceiling is kept in the table's system record beside the one on reserved
 * concurrency (a later bootstrap without the option keeps it), `apply` refuses a spec whose Fargate tier
 * (fargate.maxTasks × the vCPUs of fargate.cpu, twice that while a change rolls out) asks more, and bootstrap names the stacks a lowered
 * ceiling leaves over it.
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

/** A Fargate stack of `maxTasks` tasks of 1 vCPU: `maxTasks` vCPUs, twice that in a rollout. */
const spec = (stack: string, maxTasks: number) => ({
  stack,
  image: IMAGE,
  mode: 'fargate',
  fargate: { cpu: 1024, memoryMb: 2048, minTasks: 1, maxTasks },
});

const bootstrapWith = (cwd: string, zip: string, ...options: string[]) =>
  runCli(cwd, ['--local', 'bootstrap', '--zip', zip, ...options]);

const applyVcpus = (cwd: string, stack: string, maxTasks: number) =>
  runCli(cwd, ['--local', 'apply', '-f', writeFile(cwd, `${stack}.json`, spec(stack, maxTasks))]);

const ceilingsKept = (cwd: string) =>
  withLocalTable(cwd, async (client) => {
    const system = await new DynamoStateStore({ client, tableName: DEFAULT_TABLE_NAME }).getSystemRecord();
    return { fargate: system?.maxFargateVcpus, lambda: system?.maxReservedConcurrency };
  });

const BAD = ['abc', '-1', '0', '3', '2.5', '1e3', '', '64abc'];

describe('bootstrap --max-fargate-vcpus', () => {
  it.each(BAD)('refuses %j before any AWS call or write: no table, nothing in the account', async (value) => {
    const { cwd, zip } = folderWithBundle();
    const result = await bootstrapWith(cwd, zip, '--max-fargate-vcpus', value);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--max-fargate-vcpus ${value}: a whole number of vCPUs, 8 or more`);
    expect(result.stderr).toContain('nothing changed');
    expect(result.stdout).toBe('');
    await expectNothingInstalled(cwd);
  });

  it('refuses a bad value over installed ceilings, which stay as they were, the other ceiling given or not', async () => {
    const { cwd, zip } = folderWithBundle();
    const installedWith = await bootstrapWith(
      cwd,
      zip,
      '--max-fargate-vcpus',
      '64',
      '--max-reserved-concurrency',
      '200',
    );
    expect(installedWith.code).toBe(0);
    const installed = await systemResources(cwd);
    for (const value of ['abc', '0', '3']) {
      const result = await bootstrapWith(
        cwd,
        zip,
        '--max-fargate-vcpus',
        value,
        '--max-reserved-concurrency',
        '300',
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`--max-fargate-vcpus ${value}: a whole number of vCPUs`);
    }
    expect(await ceilingsKept(cwd)).toEqual({ fargate: 64, lambda: 200 });
    expect(await systemResources(cwd)).toEqual(installed);
  });

  it('keeps the ceiling, apply refuses a spec over it, and a lowered ceiling names the stacks it leaves over', async () => {
    const { cwd, zip } = folderWithBundle();
    const boot = await bootstrapWith(cwd, zip, '--max-fargate-vcpus', '64');
    expect(boot.stderr).toBe('');
    expect(boot.stdout).toContain("Fargate vCPUs one stack's tier may run: at most 64 (--max-fargate-vcpus)");
    // The other ceiling is the default, written out.
    expect(await ceilingsKept(cwd)).toEqual({ fargate: 64, lambda: 100 });

    // Rule changed: the rollout's tasks are counted, twice maxTasks (it was 65 tasks over, 48 under).
    await expectApplyHeldToCeiling(
      cwd,
      (stack) => applyVcpus(cwd, stack, stack === 'over' ? 33 : 24),
      "fargate.maxTasks: 33 tasks of fargate.cpu 1024 (1 vCPU each) are 66 while a change rolls out (ECS starts the new tasks before it stops the old), 66 vCPUs, more than one stack may run of the region's Fargate vCPUs, at most 64",
      'lambdaflex --local bootstrap --max-fargate-vcpus 66',
    );

    // Again without the option, and with only the other ceiling: the Fargate ceiling in the table is kept.
    const again = await bootstrapWith(cwd, zip, '--max-reserved-concurrency', '150');
    expect(again.stdout).toContain('at most 64 (--max-fargate-vcpus)');
    expect(again.stdout).not.toContain('warning');
    expect(await ceilingsKept(cwd)).toEqual({ fargate: 64, lambda: 150 });

    // Lowered under a stack: bootstrap says so at once, with the command that gives it back.
    const lowered = await bootstrapWith(cwd, zip, '--max-fargate-vcpus', '32');
    expect(lowered.code).toBe(0);
    expect(lowered.stdout).toContain(
      '  warning: stack under-ceiling: fargate.maxTasks: 24 tasks of fargate.cpu 1024 (1 vCPU each) are 48 while a change rolls out (ECS starts the new tasks before it stops the old), 48 vCPUs',
    );
    expect(lowered.stdout).toContain(
      '`lambdaflex --local bootstrap --max-fargate-vcpus 48` raises it); its passes change nothing of it until then',
    );
    expect(await ceilingsKept(cwd)).toEqual({ fargate: 32, lambda: 150 });
  });

  // Rule changed: the default is 64 with the rollout counted; the same specs are allowed (32 tasks of 1 vCPU).
  it('without a bootstrap, apply holds a spec to the default ceiling, 64', async () => {
    const { cwd } = folderWithBundle();
    const over = await applyVcpus(cwd, 'over', 33);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(
      'fargate.maxTasks: 33 tasks of fargate.cpu 1024 (1 vCPU each) are 66 while a change rolls out (ECS starts the new tasks before it stops the old), 66 vCPUs',
    );
    expect(over.stderr).toContain('at most 64');
    const at = await applyVcpus(cwd, 'at-ceiling', 32);
    expect(at.stderr).toBe('');
    expect(at.code).toBe(0);
  });
});
