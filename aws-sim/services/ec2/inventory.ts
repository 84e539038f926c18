/**
 * Every EC2 resource for `lambdaflex sim resources`, with CloudFormation's type names. The main route
 * table and the default security group come and go with their VPC, so they are not listed apart.
 */
import type { SimAccount } from '../../core/account';
import type { InventoryItem } from '../../core/service';
import type { Ec2State } from './state';

export function ec2Inventory(state: Ec2State, account: SimAccount): InventoryItem[] {
  const items: InventoryItem[] = [];
  const add = (type: string, id: string, tags: Record<string, string>, itemState: string, arn?: string) =>
    items.push({ type, id, name: tags.Name, arn, state: itemState, tags: { ...tags } });
  for (const vpc of Object.values(state.vpcs)) {
    add('AWS::EC2::VPC', vpc.id, vpc.tags, 'available', account.arn('ec2', `vpc/${vpc.id}`));
  }
  for (const subnet of Object.values(state.subnets)) {
    add('AWS::EC2::Subnet', subnet.id, subnet.tags, 'available', account.arn('ec2', `subnet/${subnet.id}`));
  }
  for (const gateway of Object.values(state.internetGateways)) {
    const gatewayState = gateway.vpcId ? 'attached' : 'detached';
    add(
      'AWS::EC2::InternetGateway',
      gateway.id,
      gateway.tags,
      gatewayState,
      account.arn('ec2', `internet-gateway/${gateway.id}`),
    );
  }
  for (const table of Object.values(state.routeTables)) {
    if (table.main) continue;
    const tableState = table.associations.length > 0 ? 'associated' : 'unassociated';
    add(
      'AWS::EC2::RouteTable',
      table.id,
      table.tags,
      tableState,
      account.arn('ec2', `route-table/${table.id}`),
    );
  }
  for (const group of Object.values(state.securityGroups)) {
    if (group.isDefault) continue;
    add(
      'AWS::EC2::SecurityGroup',
      group.id,
      group.tags,
      'available',
      account.arn('ec2', `security-group/${group.id}`),
    );
  }
  for (const eni of Object.values(state.networkInterfaces)) {
    const eniState = eni.disappearsAt === undefined ? 'in-use' : 'releasing';
    add(
      'AWS::EC2::NetworkInterface',
      eni.id,
      eni.tags,
      eniState,
      account.arn('ec2', `network-interface/${eni.id}`),
    );
  }
  return items;
}
