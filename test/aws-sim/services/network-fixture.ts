/**
 * A VPC with two subnets in two zones and two security groups, made through the simulated EC2 with the
 * real SDK commands, optionally with a default route to an internet gateway (which a public ALB needs).
 */
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  AssociateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
} from '@aws-sdk/client-ec2';
import { createSimulatedAws, type SimulatedAws } from '../../../aws-sim';

export interface Network {
  vpcId: string;
  subnetIds: [string, string];
  albGroupId: string;
  tasksGroupId: string;
  /** Adds the internet gateway and the 0.0.0.0/0 route (when made without them). */
  connectToInternet(): Promise<void>;
}

export async function createNetwork(
  sim: SimulatedAws,
  options: { internet?: boolean } = {},
): Promise<Network> {
  const { ec2 } = sim.clients;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetIds = [] as unknown as [string, string];
  for (const [index, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${index}.0/24`, AvailabilityZone: zone }),
    );
    subnetIds.push(subnet.Subnet!.SubnetId!);
  }
  const group = async (name: string) =>
    (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name })))
      .GroupId!;
  const albGroupId = await group('alb');
  const tasksGroupId = await group('tasks');
  const connectToInternet = async () => {
    const igw = await ec2.send(new CreateInternetGatewayCommand({}));
    const igwId = igw.InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const tableId = table.RouteTable!.RouteTableId!;
    await ec2.send(
      new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId }),
    );
    for (const SubnetId of subnetIds)
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId }));
  };
  if (options.internet !== false) await connectToInternet();
  return { vpcId, subnetIds, albGroupId, tasksGroupId, connectToInternet };
}

/** A simulated account whose EC2 answers at once (no eventual-consistency delay), for tests of other services. */
export function simulatedAccount(seed = 1): SimulatedAws {
  return createSimulatedAws({ seed, consistencyDelayMs: 0 });
}
