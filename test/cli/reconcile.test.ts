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
