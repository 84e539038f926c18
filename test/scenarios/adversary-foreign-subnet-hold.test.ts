/**
 * Adversary scenario: a forged hold. Someone makes a subnet of their own in the stack's VPC and copies the
 * stack's subnet-a tags onto it, its creation nonce included. It is foreign (its id is not the stack's):
 * never modified or deleted (safety rule 3). Once the stack leaves Fargate, the copy keeps the VPC from being deleted (EC2's DependencyViolation): the stack must not wait
 * for it in a tight loop, nor delete it; the Lambda tier serves throughout. Held: the stack reports the
 * copy as a conflict and retries the VPC's delete at a backoff of minutes until its owner removes it.
 */
import { CreateSubnetCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { clientsFor } from '../../aws-sim';
import { passFor, scenario, specInput, STACK, stackIdsOfType, type Scenario } from './harness';

/** A subnet in the stack's VPC carrying every tag of the stack's subnet-a (nonce included). */
async function copySubnetA(s: Scenario): Promise<{ id: string; vpc: string }> {
  const ec2 = clientsFor(s.account).ec2;
  const owned = (await s.store.get(STACK))!.bookkeeping.owned!;
  const ours = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [owned['subnet-a']!.id] }));
  const subnet = ours.Subnets![0]!;
  const made = await ec2.send(
    new CreateSubnetCommand({
      VpcId: subnet.VpcId!,
      CidrBlock: '10.42.200.0/24',
      AvailabilityZone: subnet.AvailabilityZone!,
      TagSpecifications: [{ ResourceType: 'subnet', Tags: subnet.Tags }],
    }),
  );
  return { id: made.Subnet!.SubnetId!, vpc: subnet.VpcId! };
}

describe('adversary: a foreign subnet in the stack’s VPC carrying subnet-a’s tags', () => {
  it('is never touched, and the stack still leaves Fargate for Lambda without spinning', async () => {
    const s = scenario({ seed: 913 });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const copy = await copySubnetA(s);

    await s.apply(specInput({ mode: 'lambda' }));
    const results = await passFor(s, 30 * 60_000);
    // The copy is still there, in the VPC it keeps from being deleted.
    expect(stackIdsOfType(s, 'AWS::EC2::Subnet')).toEqual([copy.id]);
    expect(stackIdsOfType(s, 'AWS::EC2::VPC')).toEqual([copy.vpc]);
    // Everything else of the Fargate tier is gone; the Lambda tier serves all traffic.
    expect(stackIdsOfType(s, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toEqual([]);
    expect(stackIdsOfType(s, 'AWS::ECS::Service')).toEqual([]);
    const status = (await s.store.get(STACK))!.status!;
    expect(status.traffic).toEqual({ lambda: 100, fargate: 0 });
    // The copy is named as what is in the way; no terminal error; only the VPC's delete is left, and it
    // is tried again at a backoff of minutes, not every 15 s.
    expect(results.filter((r) => r.outcome === 'terminal')).toEqual([]);
    expect(status.conflicts).toEqual([expect.objectContaining({ key: 'subnet-a', id: copy.id })]);
    const tail = results.slice(-4);
    for (const result of tail) {
      expect(result.plan!.steps.map((step) => step.id)).toEqual(['delete:vpc']);
      expect(result.requeueAfterMs).toBeGreaterThanOrEqual(60_000);
    }
  });
});
