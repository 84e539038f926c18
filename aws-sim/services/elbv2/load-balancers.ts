/**
 * Application Load Balancers: CreateLoadBalancer (idempotent by name with identical settings),
 * DescribeLoadBalancers, DeleteLoadBalancer, their attributes, and SetSubnets / SetSecurityGroups. One ENI per subnet, made through the
 * EC2 model, so a deleted ALB's ENIs linger and block subnet and security group deletion as in AWS.
 */
import type { OperationInput } from '../common/input';
import type { SimAccount } from '../../core/account';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import {
  attachInterface,
  findSubnet,
  releaseInterface,
  securityGroupVpc,
  setInterfaceGroups,
} from '../common/network-interfaces';
import { listenersChanged, listenersOf, loadBalancerOrFail } from './lookup';
import { invalidNameReason } from './names';
import { describeLoadBalancer } from './shapes';
import type { Elbv2State, LoadBalancerNode, LoadBalancerRecord } from './state';
import { loadBalancerCreated } from './lifecycle';
import { atMost, tagsFromInput } from './tags';

type Ctx = OperationContext<Elbv2State>;

const DEFAULT_ATTRIBUTES: Record<string, string> = {
  'deletion_protection.enabled': 'false',
  'idle_timeout.timeout_seconds': '60',
  'routing.http2.enabled': 'true',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'load_balancing.cross_zone.enabled': 'true',
};

interface RequestedLoadBalancer {
  name: string;
  scheme: 'internet-facing' | 'internal';
  ipAddressType: string;
  subnetIds: string[];
  securityGroups: string[];
}

function readRequest(input: OperationInput, ctx: Ctx): RequestedLoadBalancer {
  const name = String(input.Name);
  const badName = invalidNameReason('Load balancer', name);
  if (badName) ctx.fail('ValidationError', badName);
  const type = input.Type ?? 'application';
  if (type !== 'application') {
    ctx.fail('ValidationError', `The simulated AWS supports only application load balancers, not '${type}'`);
  }
  const scheme = input.Scheme ?? 'internet-facing';
  if (scheme !== 'internet-facing' && scheme !== 'internal') {
    ctx.fail('ValidationError', `Scheme '${scheme}' must be 'internet-facing' or 'internal'`);
  }
  const fromMappings = ((input.SubnetMappings ?? []) as { SubnetId?: string }[]).map((m) => m.SubnetId ?? '');
  const subnetIds = [...new Set<string>([...(input.Subnets ?? []), ...fromMappings])];
  return {
    name,
    scheme,
    ipAddressType: input.IpAddressType ?? 'ipv4',
    subnetIds,
    securityGroups: [...new Set<string>(input.SecurityGroups ?? [])],
  };
}

function sameSettings(existing: LoadBalancerRecord, wanted: RequestedLoadBalancer): boolean {
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  return (
    existing.scheme === wanted.scheme &&
    existing.ipAddressType === wanted.ipAddressType &&
    sameSet(
      existing.subnets.map((s) => s.subnetId),
      wanted.subnetIds,
    ) &&
    sameSet(existing.securityGroups, wanted.securityGroups)
  );
}

/** Subnets must exist, share one VPC and cover at least two Availability Zones, one subnet per zone. */
function checkSubnets(wanted: RequestedLoadBalancer, ctx: Ctx): { vpcId: string; zones: string[] } {
  const subnets = wanted.subnetIds.map(
    (id) => findSubnet(ctx.account, id) ?? ctx.fail('SubnetNotFound', `The subnet ID '${id}' is not valid`),
  );
  const zones = subnets.map((s) => s.availabilityZone);
  if (new Set(zones).size !== zones.length) {
    ctx.fail(
      'InvalidConfigurationRequest',
      'A load balancer cannot be attached to multiple subnets in the same Availability Zone',
    );
  }
  if (zones.length < 2) {
    ctx.fail('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
  }
  const vpcId = subnets[0].vpcId;
  if (subnets.some((s) => s.vpcId !== vpcId)) {
    ctx.fail('InvalidConfigurationRequest', 'All subnets of a load balancer must belong to the same VPC');
  }
  for (const group of wanted.securityGroups) {
    const groupVpc = securityGroupVpc(ctx.account, group);
    if (groupVpc === undefined) ctx.fail('InvalidSecurityGroup', `Security group '${group}' does not exist`);
    if (groupVpc !== vpcId) {
      ctx.fail('InvalidSecurityGroup', `Security group '${group}' does not belong to VPC '${vpcId}'`);
    }
  }
  return { vpcId, zones };
}

function randomDigits(account: SimAccount, count: number): string {
  let digits = '';
  while (digits.length < count) digits += Math.floor(account.random() * 10).toString();
  return digits.replace(/^0/, '1');
}

/** A node of load balancer `lb` in a subnet: its ENI, made as AWS names it (`ELB app/<name>/<id>`). */
function nodeIn(
  ctx: Ctx,
  lb: Pick<LoadBalancerRecord, 'arn' | 'name' | 'scheme' | 'securityGroups'>,
  subnetId: string,
  availabilityZone: string,
): LoadBalancerNode {
  return {
    subnetId,
    availabilityZone,
    networkInterfaceId: attachInterface(ctx.account, {
      subnetId,
      securityGroupIds: lb.securityGroups,
      description: `ELB app/${lb.name}/${lb.arn.split('/').pop()}`,
      assignPublicIp: lb.scheme === 'internet-facing',
      purpose: 'load-balancer',
      owner: lb.arn,
    }).networkInterfaceId,
  };
}

function createLoadBalancer(input: OperationInput, ctx: Ctx) {
  const wanted = readRequest(input, ctx);
  const existing = Object.values(ctx.state.loadBalancers).find((lb) => lb.name === wanted.name);
  if (existing) {
    // CreateLoadBalancer API reference: "If you attempt to create multiple load balancers with the same
    // name and settings, each call succeeds" (and returns the existing one).
    if (!sameSettings(existing, wanted)) {
      ctx.fail(
        'DuplicateLoadBalancerName',
        `A load balancer with the same name '${wanted.name}' exists, but with different settings`,
      );
    }
    return { LoadBalancers: [describeLoadBalancer(existing, ctx.account)] };
  }
  const tags = tagsFromInput(input.Tags, ctx);
  const { vpcId, zones } = checkSubnets(wanted, ctx);
  const id = ctx.account.newId('', 16);
  const arn = ctx.account.arn('elasticloadbalancing', `loadbalancer/app/${wanted.name}/${id}`);
  const nodes = wanted.subnetIds.map((subnetId, index) =>
    nodeIn(ctx, { ...wanted, arn }, subnetId, zones[index]),
  );
  const prefix = wanted.scheme === 'internal' ? 'internal-' : '';
  const record: LoadBalancerRecord = {
    arn,
    name: wanted.name,
    scheme: wanted.scheme,
    type: 'application',
    ipAddressType: wanted.ipAddressType,
    vpcId,
    subnets: nodes,
    securityGroups: wanted.securityGroups,
    dnsName: `${prefix}${wanted.name}-${randomDigits(ctx.account, 10)}.${ctx.account.region}.elb.${ctx.account.dnsSuffix}`,
    createdAt: ctx.now,
    readyAt: ctx.now + ctx.state.config.provisioningMs,
    attributes: { ...DEFAULT_ATTRIBUTES },
    tags,
  };
  ctx.state.loadBalancers[arn] = record;
  loadBalancerCreated(ctx.state, arn);
  return { LoadBalancers: [describeLoadBalancer(record, ctx.account)] };
}

function describeLoadBalancers(input: OperationInput, ctx: Ctx) {
  const arns = input.LoadBalancerArns as string[] | undefined;
  const names = input.Names as string[] | undefined;
  // At most 20 names (DescribeLoadBalancers API reference).
  atMost(20, names, 'names', ctx);
  let selected: LoadBalancerRecord[];
  if (arns?.length) {
    const missing = arns.filter((arn) => !ctx.state.loadBalancers[arn]);
    if (missing.length) ctx.fail('LoadBalancerNotFound', `One or more load balancers not found`);
    selected = byArns(ctx.state, arns);
  } else {
    selected = Object.values(ctx.state.loadBalancers);
  }
  if (names?.length) {
    const missing = names.filter((name) => !selected.some((lb) => lb.name === name));
    if (missing.length)
      ctx.fail('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
    selected = selected.filter((lb) => names.includes(lb.name));
  }
  const page = paginate(selected, input.Marker, input.PageSize, 400);
  return {
    LoadBalancers: page.items.map((lb) => describeLoadBalancer(lb, ctx.account)),
    NextMarker: page.nextToken,
  };
}

/**
 * The load balancers of existing ARNs, each once, in creation order (the order a scan finds them in): one
 * ARN, the reconciler's usual call, is a look-up.
 */
function byArns(state: Elbv2State, arns: string[]): LoadBalancerRecord[] {
  if (new Set(arns).size === 1) return [state.loadBalancers[arns[0]]];
  return Object.values(state.loadBalancers).filter((lb) => arns.includes(lb.arn));
}

function deleteLoadBalancer(input: OperationInput, ctx: Ctx) {
  const record = ctx.state.loadBalancers[input.LoadBalancerArn];
  // DeleteLoadBalancer API reference: "If the load balancer does not exist or has already been deleted,
  // the call succeeds."
  if (!record) return;
  if (record.attributes['deletion_protection.enabled'] === 'true') {
    ctx.fail(
      'OperationNotPermitted',
      `Load balancer '${record.arn}' cannot be deleted because deletion protection is enabled`,
    );
  }
  for (const listener of listenersOf(ctx.state, record.arn)) delete ctx.state.listeners[listener.arn];
  listenersChanged(ctx.state);
  for (const node of record.subnets) {
    // The ENIs linger (EC2 model), blocking subnet and security group deletion for minutes, as in AWS.
    releaseInterface(ctx.account, node.networkInterfaceId);
  }
  delete ctx.state.loadBalancers[record.arn];
}

/**
 * SetSubnets (API reference): "Enables the Availability Zones for the specified public subnets"; for an
 * Application Load Balancer at least two zones, one subnet each, as at creation (SubnetNotFound,
 * InvalidConfigurationRequest, ValidationError), in the load balancer's own VPC. A node stays in a
 * subnet kept; one left releases its ENI (which lingers, as after a delete); one new gets an ENI.
 */
function setSubnets(input: OperationInput, ctx: Ctx) {
  const record = loadBalancerOrFail(ctx, input.LoadBalancerArn);
  const fromMappings = ((input.SubnetMappings ?? []) as { SubnetId?: string }[]).map((m) => m.SubnetId ?? '');
  const subnetIds = [...new Set<string>([...(input.Subnets ?? []), ...fromMappings])];
  const { vpcId, zones } = checkSubnets({ ...requestOf(record), subnetIds }, ctx);
  if (vpcId !== record.vpcId) {
    ctx.fail(
      'InvalidConfigurationRequest',
      `Subnets must belong to the load balancer's VPC '${record.vpcId}'`,
    );
  }
  const kept = new Map(record.subnets.map((node) => [node.subnetId, node]));
  const nodes = subnetIds.map(
    (subnetId, index) => kept.get(subnetId) ?? nodeIn(ctx, record, subnetId, zones[index]),
  );
  for (const node of record.subnets) {
    if (!subnetIds.includes(node.subnetId)) releaseInterface(ctx.account, node.networkInterfaceId);
  }
  record.subnets = nodes;
  return {
    AvailabilityZones: describeLoadBalancer(record, ctx.account).AvailabilityZones,
    IpAddressType: record.ipAddressType,
  };
}

/**
 * SetSecurityGroups (API reference): replaces the load balancer's groups; a group that does not exist, or
 * is of another VPC, is InvalidSecurityGroup, and nothing changes. The nodes' ENIs take the new groups,
 * so a group left can be deleted and one joined can't while they remain.
 */
function setSecurityGroups(input: OperationInput, ctx: Ctx) {
  const record = loadBalancerOrFail(ctx, input.LoadBalancerArn);
  const groups = [...new Set<string>((input.SecurityGroups ?? []) as string[])];
  for (const group of groups) {
    const groupVpc = securityGroupVpc(ctx.account, group);
    if (groupVpc === undefined) ctx.fail('InvalidSecurityGroup', `Security group '${group}' does not exist`);
    if (groupVpc !== record.vpcId) {
      ctx.fail('InvalidSecurityGroup', `Security group '${group}' does not belong to VPC '${record.vpcId}'`);
    }
  }
  record.securityGroups = groups;
  for (const node of record.subnets) setInterfaceGroups(ctx.account, node.networkInterfaceId, groups);
  return { SecurityGroupIds: [...groups] };
}

/** What a load balancer was created with, as a request (the checks at creation read it). */
function requestOf(record: LoadBalancerRecord): RequestedLoadBalancer {
  return {
    name: record.name,
    scheme: record.scheme as RequestedLoadBalancer['scheme'],
    ipAddressType: record.ipAddressType,
    subnetIds: record.subnets.map((node) => node.subnetId),
    securityGroups: record.securityGroups,
  };
}

function attributeList(attributes: Record<string, string>) {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}

export const loadBalancerOperations: Record<string, Operation<Elbv2State>> = {
  // docs/aws-facts.md: ELBv2's resource-intensive actions, 10 / 0.2.
  CreateLoadBalancer: {
    mutating: true,
    bucket: 'resourceIntensive',
    required: ['Name'],
    handle: createLoadBalancer,
  },
  DescribeLoadBalancers: { mutating: false, handle: describeLoadBalancers },
  DeleteLoadBalancer: { mutating: true, required: ['LoadBalancerArn'], handle: deleteLoadBalancer },
  SetSubnets: {
    mutating: true,
    bucket: 'resourceIntensive',
    required: ['LoadBalancerArn'],
    handle: setSubnets,
  },
  SetSecurityGroups: {
    mutating: true,
    required: ['LoadBalancerArn', 'SecurityGroups'],
    handle: setSecurityGroups,
  },
  DescribeLoadBalancerAttributes: {
    mutating: false,
    required: ['LoadBalancerArn'],
    handle: (input, ctx) => ({
      Attributes: attributeList(loadBalancerOrFail(ctx, input.LoadBalancerArn).attributes),
    }),
  },
  ModifyLoadBalancerAttributes: {
    mutating: true,
    required: ['LoadBalancerArn', 'Attributes'],
    handle: (input, ctx) => {
      const record = loadBalancerOrFail(ctx, input.LoadBalancerArn);
      for (const { Key, Value } of input.Attributes as { Key?: string; Value?: string }[]) {
        const key = Key ?? '';
        if (!(key in DEFAULT_ATTRIBUTES)) {
          ctx.fail('ValidationError', `Load balancer attribute key '${key}' is not recognized`);
        }
        record.attributes[key] = Value ?? '';
      }
      return { Attributes: attributeList(record.attributes) };
    },
  },
};
