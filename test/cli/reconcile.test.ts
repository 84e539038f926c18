import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

/** `plan`, `reconcile`, `status` and `sim` on the local sandbox's simulated account. */
describe('lambdaflex --local plan / reconcile / status / sim', () => {
  const faults = process.env.LAMBDAFLEX_SIM_FAULTS;
  afterEach(() => {
    if (faults === undefined) delete process.env.LAMBDAFLEX_SIM_FAULTS;
    else process.env.LAMBDAFLEX_SIM_FAULTS = faults;
  });

  it('plans (exit 2), reconciles until settled, then plans nothing (exit 0); status --json has the pass', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);

    const plan = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('+ vpc (AWS::EC2::VPC): missing');

    const settled = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(settled.code).toBe(0);
    expect(settled.stdout).toMatch(/phase Fargate \(settled\)/);

    const again = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');

    const status = JSON.parse((await runCli(cwd, ['--local', 'status', 'orders-api', '--json'])).stdout);
    expect(status).toMatchObject({
      phase: 'Fargate',
      observedGeneration: 1,
      traffic: { lambda: 0, fargate: 100 },
    });
    expect(status.lastPass.apiCalls).toEqual({ total: expect.any(Number), mutating: expect.any(Number) });

    const resources = JSON.parse((await runCli(cwd, ['--local', 'sim', 'resources', '--json'])).stdout);
    expect(resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'AWS::EC2::VPC',
          tags: expect.objectContaining({ 'lambdaflex:stack': 'orders-api' }),
        }),
      ]),
    );
  });

  it('dies on a crash fault, and the next run without it finishes the job', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    process.env.LAMBDAFLEX_SIM_FAULTS = 'crashAfterCalls=5';
    const crashed = await runCli(cwd, ['--local', 'reconcile', 'orders-api']);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toMatch(/simulated crash after \d+ AWS calls/);
    delete process.env.LAMBDAFLEX_SIM_FAULTS;
    const finished = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/phase Fargate \(settled\)/);
    const again = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('No changes.') });
  });

  it('after a task-size edit: no pass that applied steps says settled, and plan plans nothing after', async () => {
    const cwd = tempFolder();
    const spec = { stack: 'orders-api', image: IMAGE, mode: 'fargate' };
    const file = writeFile(cwd, 'stack.json', spec);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    writeFile(cwd, 'stack.json', { ...spec, fargate: { cpu: 512, memoryMb: 1024 } });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);

    const settled = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(settled.code).toBe(0);
    const passes = settled.stdout.split('\n').filter((line) => / pass \d+: /.test(line));
    expect(passes.at(-1)).toMatch(/\(settled\); \d+ API calls, 0 mutating/);
    for (const line of passes.filter((l) => l.includes('(settled)'))) expect(line).toMatch(/ 0 mutating/);
    const again = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('No changes.') });
  });

  it('exits 1 with the condition’s message when a terminal error stops the stack', async () => {
    const cwd = tempFolder();
    const spec = { stack: 'orders-api', image: IMAGE, mode: 'fargate' };
    const file = writeFile(cwd, 'stack.json', spec);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    // The target group's port can't change in place: a conflict, terminal until the spec changes.
    writeFile(cwd, 'stack.json', { ...spec, port: 9090 });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);

    const stopped = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/orders-api: stopped by a terminal error .*cannot change port in place/);
    const once = await runCli(cwd, ['--local', 'reconcile', 'orders-api']);
    expect(once.code).toBe(1);
    expect(once.stderr).toMatch(/cannot change port in place/);
  });

  it('says what the stack waits for and exits 3 when --until-settled reaches its bound', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const bounded = await runCli(cwd, [
      '--local',
      'reconcile',
      'orders-api',
      '--until-settled',
      '--timeout',
      '30s',
    ]);
    expect(bounded.code).toBe(3);
    expect(bounded.stderr).toMatch(/not settled after .* still waiting for:/s);
  });

  it('refuses sim commands without --local, naming the fix', async () => {
    const result = await runCli(tempFolder(), ['sim', 'resources']);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('add --local') });
  });
});
