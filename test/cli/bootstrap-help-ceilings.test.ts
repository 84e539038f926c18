/**
 * Found by fix-rollout, fixed (the help now reads the defaults from the ceilings): since the Fargate vCPU ceiling counts the rollout
 * (state/ceilings.ts: maxTasks × 2 tasks of fargate.cpu, 64 by default), `lambdaflex bootstrap --help`
 * still says the ceiling is `fargate.maxTasks × the vCPUs of fargate.cpu; 32 unless given`
 * (cli/commands/bootstrap.ts).
 */
import { DEFAULT_MAX_FARGATE_VCPUS } from '../../reconciler/state/system-record';
import { runCli, tempFolder } from './run-cli';

jest.setTimeout(60_000);

describe('bootstrap --help and the Fargate vCPU ceiling', () => {
  it('says the default ceiling, and that it counts the rollout', async () => {
    const result = await runCli(tempFolder(), ['bootstrap', '--help']);
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`${DEFAULT_MAX_FARGATE_VCPUS} unless given`);
    expect(help).toContain('rolls out');
    // The option's own line too ("default 32").
    expect(help).toContain(`default ${DEFAULT_MAX_FARGATE_VCPUS})`);
  });
});
