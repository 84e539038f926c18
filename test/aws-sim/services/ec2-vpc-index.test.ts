/**
 * Describe calls with a `vpc-id` filter read an index of records by VPC instead of scanning every record:
 * these check that the index follows creations and deletions, and a restored account.
 */
import {
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { clientsFor } from '../../../aws-sim';
import { createGroup, createSubnet, createVpc, simulatedEc2 } from './ec2-fixture';

const inVpc = (vpcId: string) => ({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });

async function subnetIds(ec2: EC2Client, vpcId: string) {
  const { Subnets } = await ec2.send(new DescribeSubnetsCommand(inVpc(vpcId)));
  return Subnets!.map((s) => s.SubnetId).sort();
}

async function groupNames(ec2: EC2Client, vpcId: string) {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand(inVpc(vpcId)));
  return SecurityGroups!.map((g) => g.GroupName).sort();
}

describe('simulated EC2: records by VPC', () => {
  it('shows subnets and groups created and deleted after an earlier describe', async () => {
    const { ec2 } = simulatedEc2();
    const vpcA = await createVpc(ec2, '10.0.0.0/16');
    const vpcB = await createVpc(ec2, '10.1.0.0/16');
    const a1 = await createSubnet(ec2, vpcA, '10.0.0.0/24');
    expect(await subnetIds(ec2, vpcA)).toEqual([a1]);
    expect(await subnetIds(ec2, vpcB)).toEqual([]);

    const a2 = await createSubnet(ec2, vpcA, '10.0.1.0/24');
    const b1 = await createSubnet(ec2, vpcB, '10.1.0.0/24');
    expect(await subnetIds(ec2, vpcA)).toEqual([a1, a2].sort());
    expect(await subnetIds(ec2, vpcB)).toEqual([b1]);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: a1 }));
    expect(await subnetIds(ec2, vpcA)).toEqual([a2]);

    expect(await groupNames(ec2, vpcA)).toEqual(['default']);
    const web = await createGroup(ec2, vpcA, 'web');
    expect(await groupNames(ec2, vpcA)).toEqual(['default', 'web']);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: web }));
    expect(await groupNames(ec2, vpcA)).toEqual(['default']);
  });

  it("forgets a deleted VPC's main route table and default group", async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const tables = async () =>
      (await ec2.send(new DescribeRouteTablesCommand(inVpc(vpcId)))).RouteTables!.length;
    expect(await tables()).toBe(1);
    expect(await groupNames(ec2, vpcId)).toEqual(['default']);
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    expect(await tables()).toBe(0);
    expect(await groupNames(ec2, vpcId)).toEqual([]);
  });

  it('answers from the restored state after a restore', async () => {
    const { account, ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const saved = account.toJSON();
    const subnet = await createSubnet(ec2, vpcId, '10.0.0.0/24');
    expect(await subnetIds(ec2, vpcId)).toEqual([subnet]);
    account.restore(saved);
    expect(await subnetIds(clientsFor(account).ec2, vpcId)).toEqual([]);
  });

  it('keeps the order of a scan and applies the other filters', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createSubnet(ec2, vpcId, `10.0.${i}.0/24`, zones[i]));
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand(inVpc(vpcId)));
    expect(Subnets!.map((s) => s.SubnetId)).toEqual(created);
    const { Subnets: inB } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'availability-zone', Values: ['us-east-1b'] },
        ],
      }),
    );
    expect(inB!.map((s) => s.SubnetId)).toEqual([created[1]]);
  });
});
