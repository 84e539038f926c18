import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { countCalls, instrumentClients, isMutatingOperation } from '../../../reconciler/aws/call-counter';
import { createSimulatedAws } from '../../../aws-sim';
import { SimAccount } from '../../../aws-sim/core/account';

describe('call counter', () => {
  it('tells reads from mutating operations by their verb', () => {
    expect(isMutatingOperation('DescribeVpcs')).toBe(false);
    expect(isMutatingOperation('ListTagsForResource')).toBe(false);
    expect(isMutatingOperation('GetMetricData')).toBe(false);
    expect(isMutatingOperation('CreateVpc')).toBe(true);
    expect(isMutatingOperation('ChangeResourceRecordSets')).toBe(true);
  });

  it('counts the calls of concurrent passes apart, even when the calls fail', async () => {
    const { account, clients } = createSimulatedAws();
    instrumentClients(clients);
    instrumentClients(clients); // idempotent: counted once per call
    jest.spyOn(SimAccount.prototype, 'call').mockResolvedValue({});
    const a = countCalls(async () => {
      await clients.ec2.send(new DescribeVpcsCommand({}));
      await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    });
    const b = countCalls(async () => {
      await clients.ec2.send(new DescribeVpcsCommand({}));
    });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.calls).toEqual({
      total: 2,
      mutating: 1,
      byOperation: { 'ec2:DescribeVpcs': 1, 'ec2:CreateVpc': 1 },
    });
    expect(rb.calls).toEqual({ total: 1, mutating: 0, byOperation: { 'ec2:DescribeVpcs': 1 } });
    expect(account).toBeDefined();
    jest.restoreAllMocks();
  });
});
