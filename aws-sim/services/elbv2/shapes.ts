/** ELBv2 records as the SDK's output shapes (LoadBalancer, TargetGroup, Listener). */
import type { SimAccount } from '../../core/account';
import { loadBalancersOfTargetGroup } from './lookup';
import type { Elbv2State, ListenerRecord, LoadBalancerRecord, TargetGroupRecord } from './state';

/** Route 53 hosted zone of ALBs per region (Elastic Load Balancing endpoints and quotas). */
const CANONICAL_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
};

export function canonicalHostedZoneId(region: string): string {
  return CANONICAL_HOSTED_ZONES[region] ?? CANONICAL_HOSTED_ZONES['us-east-1'];
}

export function loadBalancerStateCode(record: LoadBalancerRecord, now: number): 'provisioning' | 'active' {
  return record.activeAt !== undefined && record.activeAt <= now ? 'active' : 'provisioning';
}

export function describeLoadBalancer(record: LoadBalancerRecord, account: SimAccount) {
  return {
    LoadBalancerArn: record.arn,
    DNSName: record.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(account.region),
    CreatedTime: new Date(record.createdAt),
    LoadBalancerName: record.name,
    Scheme: record.scheme,
    VpcId: record.vpcId,
    State: { Code: loadBalancerStateCode(record, account.now()) },
    Type: record.type,
    AvailabilityZones: record.subnets.map((node) => ({
      ZoneName: node.availabilityZone,
      SubnetId: node.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: [...record.securityGroups],
    IpAddressType: record.ipAddressType,
  };
}

export function describeTargetGroup(record: TargetGroupRecord, state: Elbv2State) {
  const check = record.healthCheck;
  return {
    TargetGroupArn: record.arn,
    TargetGroupName: record.name,
    Protocol: record.protocol,
    ProtocolVersion: record.protocolVersion,
    Port: record.port,
    VpcId: record.vpcId,
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThresholdCount,
    UnhealthyThresholdCount: check.unhealthyThresholdCount,
    HealthCheckPath: check.path,
    Matcher: { HttpCode: check.matcher },
    LoadBalancerArns: loadBalancersOfTargetGroup(state, record.arn),
    TargetType: record.targetType,
    IpAddressType: record.ipAddressType,
  };
}

export function describeListener(record: ListenerRecord) {
  return {
    ListenerArn: record.arn,
    LoadBalancerArn: record.loadBalancerArn,
    Port: record.port,
    Protocol: record.protocol,
    Certificates: record.certificates.map((c) => ({ ...c })),
    SslPolicy: record.sslPolicy,
    DefaultActions: structuredClone(record.defaultActions),
  };
}
