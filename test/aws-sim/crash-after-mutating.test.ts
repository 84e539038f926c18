/**
 * `crashAfterMutatingCalls=N`: the process dies right after its N-th change took effect, however many reads
 * came before, so that a crash lands in the middle of applying (the README's fault example uses it).
 */
import { createSimulatedAws, parseFaults, SimulatedCrashError } from '../../aws-sim';

describe('crashAfterMutatingCalls', () => {
  it('is parsed from LAMBDAFLEX_SIM_FAULTS', () => {
    expect(parseFaults('throttle=0.2,crashAfterMutatingCalls=3')).toEqual({
      throttle: 0.2,
      crashAfterMutatingCalls: 3,
    });
  });

  it('lets reads through, and dies right after the N-th change took effect', async () => {
    const { account } = createSimulatedAws();
    account.setFaults({ crashAfterMutatingCalls: 2 });
    for (let i = 0; i < 20; i++) await account.call('ec2', 'DescribeVpcs', {});
    await account.call('ec2', 'CreateVpc', { CidrBlock: '10.1.0.0/16' });
    await expect(account.call('ec2', 'CreateVpc', { CidrBlock: '10.2.0.0/16' })).rejects.toBeInstanceOf(
      SimulatedCrashError,
    );
    await expect(account.call('ec2', 'DescribeVpcs', {})).rejects.toBeInstanceOf(SimulatedCrashError);
    account.restart();
    await expect(account.call('ec2', 'DescribeVpcs', {})).resolves.toBeDefined();
    // The second create took effect before the "process" died, as when a Lambda dies mid-call.
    expect(account.inventory().filter((r) => r.type === 'AWS::EC2::VPC')).toHaveLength(2);
    expect(account.faults.crashAfterMutatingCalls).toBeUndefined();
  });

  it('does not count a change that was refused (throttled)', async () => {
    const { account } = createSimulatedAws();
    account.setFaults({ crashAfterMutatingCalls: 1, throttle: 1 });
    await expect(account.call('ec2', 'CreateVpc', { CidrBlock: '10.1.0.0/16' })).rejects.toThrow(
      /Rate exceeded/,
    );
    account.setFaults({ crashAfterMutatingCalls: 1 });
    await expect(account.call('ec2', 'CreateVpc', { CidrBlock: '10.1.0.0/16' })).rejects.toBeInstanceOf(
      SimulatedCrashError,
    );
  });
});
