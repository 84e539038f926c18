/**
 * `lambdaflex apply --help` lists what the system record refuses; its Fargate rule is the one the ceiling
 * applies (state/ceilings.ts: the rollout's tasks counted, 2 × fargate.maxTasks), not the count of
 * fargate.maxTasks alone it said before the rollout was counted.
 */
import { fargateRolloutTasks } from '../../reconciler/state/ceilings';
import { runCli, tempFolder } from './run-cli';

jest.setTimeout(60_000);

describe('apply --help and the Fargate vCPU ceiling', () => {
  it('says the ceiling counts the rollout, as the pass does', async () => {
    const result = await runCli(tempFolder(), ['apply', '--help']);
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(fargateRolloutTasks(1)).toBe(2);
    expect(help).toContain('2 × fargate.maxTasks tasks of fargate.cpu');
    expect(help).not.toContain('fargate.maxTasks × the vCPUs of fargate.cpu');
  });
});
