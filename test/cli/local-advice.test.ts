/**
 * The reconciler's advice names the command as the user runs it: in a local folder a pass refused for its
 * DNS zone says `lambdaflex --local bootstrap …`. Without --local the advice would bootstrap whatever AWS
 * account the shell's credentials reach, not the folder's simulated one.
 */
import { folderWithDnsStack, runCli } from './run-cli';

jest.setTimeout(120_000);

describe('a local pass refused for its DNS zone', () => {
  it('advises the bootstrap with --local, in reconcile, status and plan', async () => {
    const { cwd, zone } = await folderWithDnsStack();
    // Bootstrapped afterwards without the stack's zone, deliberately (--cut-off-stacks): its passes are refused from now on, and bootstrap
    // says so, naming the stack and the bootstrap that keeps its zone.
    const advice = `\`lambdaflex --local bootstrap --hosted-zone ${zone}\` adds it`;
    const bootstrapped = await runCli(cwd, ['--local', 'bootstrap', '--cut-off-stacks']);
    expect(bootstrapped.code).toBe(0);
    expect(bootstrapped.stdout).toContain(
      `  warning: stack orders-api: dns.hostedZoneId: ${zone} is not a hosted zone the reconciler may write in`,
    );
    expect(bootstrapped.stdout).toContain(`${advice}); its passes change nothing of it until then`);

    const reconciled = await runCli(cwd, ['--local', 'reconcile', 'orders-api']);
    expect(reconciled.code).toBe(1);
    expect(reconciled.stdout + reconciled.stderr).toContain(advice);
    expect((await runCli(cwd, ['--local', 'status', 'orders-api'])).stdout).toContain(advice);
    const planned = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect(planned.stdout + planned.stderr).toContain(advice);
  });
});
