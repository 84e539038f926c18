/** Deletes a network made by publicNetwork in the order of docs/aws-facts.md "Deletion order" (8 to 12). */
import {
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { publicNetwork } from './ec2-fixture';

export async function deleteNetwork(
  ec2: EC2Client,
  net: Awaited<ReturnType<typeof publicNetwork>>,
): Promise<void> {
  for (const GroupId of [net.taskGroupId, net.albGroupId])
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
  for (const AssociationId of net.associations)
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
  for (const SubnetId of [net.subnetA, net.subnetB]) await ec2.send(new DeleteSubnetCommand({ SubnetId }));
  await ec2.send(new DeleteRouteTableCommand({ RouteTableId: net.routeTableId }));
  await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.igwId, VpcId: net.vpcId }));
  await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: net.igwId }));
  await ec2.send(new DeleteVpcCommand({ VpcId: net.vpcId }));
}
