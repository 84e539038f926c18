import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { fenceClients, withLeaseFence, type LeaseFence } from '../../../reconciler/aws/lease-fence';
import { LeaseLostError } from '../../../reconciler/state';
import { createSimulatedAws } from '../../../aws-sim';

/** A fence that has lost its lease: it refuses every mutating call, and notes what it was asked. */
function lostFence(): LeaseFence & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async beforeCall(operation, mutating) {
      asked.push(`${operation}:${mutating ? 'mutating' : 'read'}`);
      if (mutating) throw new LeaseLostError('orders-api', 'a', { action: `calling ${operation}` });
    },
  };
}

const vpcs = (account: ReturnType<typeof createSimulatedAws>['account']) =>
  account.inventory().filter((item) => item.type === 'AWS::EC2::VPC');

describe('lease fence', () => {
  it('asks the pass’s fence before every call; a refused mutating call never reaches AWS', async () => {
    const { account, clients } = createSimulatedAws();
    fenceClients(clients);
    fenceClients(clients); // idempotent: asked once per call
    const fence = lostFence();
    await withLeaseFence(fence, async () => {
      await clients.ec2.send(new DescribeVpcsCommand({}));
      await expect(
        clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })),
      ).rejects.toBeInstanceOf(LeaseLostError);
    });
    expect(fence.asked).toEqual(['DescribeVpcs:read', 'CreateVpc:mutating']);
    expect(vpcs(account)).toEqual([]);
    expect(account.callCounts().map((c) => c.operation)).toEqual(['DescribeVpcs']);
  });

  it('fences each pass with its own lease, and calls outside a pass not at all', async () => {
    const { account, clients } = createSimulatedAws();
    fenceClients(clients);
    const lost = lostFence();
    const held: LeaseFence = { beforeCall: async () => undefined };
    const create = () => clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const results = await Promise.allSettled([
      withLeaseFence(lost, create),
      withLeaseFence(held, create),
      create(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(vpcs(account)).toHaveLength(2);
  });
});
