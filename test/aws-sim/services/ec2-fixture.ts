/** Shared set-up for the simulated EC2 tests: an account without consistency delay and a public network. */
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { createSimulatedAws, type SimAccountOptions } from '../../../aws-sim';

export function simulatedEc2(options: SimAccountOptions = {}) {
  const { account, clients } = createSimulatedAws({ consistencyDelayMs: 0, ...options });
  return { account, ec2: clients.ec2 };
}

export function nameTag(resourceType: string, name: string, extra: Record<string, string> = {}) {
  return [
    {
      ResourceType: resourceType,
      Tags: [{ Key: 'Name', Value: name }, ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value }))],
    },
  ] as never;
}

export async function createVpc(ec2: EC2Client, cidr = '10.0.0.0/16', tags: Record<string, string> = {}) {
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: nameTag('vpc', 'test', tags) }),
  );
  return Vpc!.VpcId!;
}

export async function createSubnet(ec2: EC2Client, vpcId: string, cidr: string, zone = 'us-east-1a') {
  const { Subnet } = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
  );
  return Subnet!.SubnetId!;
}

export async function createGroup(ec2: EC2Client, vpcId: string, name: string) {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }),
  );
  return GroupId!;
}

/** A VPC as LambdaFlex's Fargate tier builds it: two public subnets, an IGW and a default route. */
export async function publicNetwork(ec2: EC2Client) {
  const vpcId = await createVpc(ec2);
  const subnetA = await createSubnet(ec2, vpcId, '10.0.0.0/24', 'us-east-1a');
  const subnetB = await createSubnet(ec2, vpcId, '10.0.1.0/24', 'us-east-1b');
  const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
  const igwId = InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const routeTableId = RouteTable!.RouteTableId!;
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: igwId,
    }),
  );
  const associations: string[] = [];
  for (const subnetId of [subnetA, subnetB]) {
    const { AssociationId } = await ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }),
    );
    associations.push(AssociationId!);
  }
  const albGroupId = await createGroup(ec2, vpcId, 'alb');
  const taskGroupId = await createGroup(ec2, vpcId, 'tasks');
  return { vpcId, subnetA, subnetB, igwId, routeTableId, associations, albGroupId, taskGroupId };
}
