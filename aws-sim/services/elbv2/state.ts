/**
 * State of the simulated Elastic Load Balancing v2: plain JSON, keyed by ARN, saved with the account.
 */
import type { TagMap } from '../../core/tags';

export interface Elbv2Config {
  /** How long a new ALB stays `provisioning` (docs/aws-facts.md: 180 s default, no AWS figure). */
  provisioningMs: number;
}

export interface LoadBalancerNode {
  subnetId: string;
  availabilityZone: string;
  networkInterfaceId: string;
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  scheme: 'internet-facing' | 'internal';
  type: 'application';
  ipAddressType: string;
  vpcId: string;
  subnets: LoadBalancerNode[];
  securityGroups: string[];
  dnsName: string;
  createdAt: number;
  /** Earliest time the ALB may turn active; it also needs a route to an internet gateway. */
  readyAt: number;
  /** Set once the ALB has turned active (refresh); target health counts from here. */
  activeAt?: number;
  /** Last refresh that found a subnet without a route to an internet gateway (the ALB stays provisioning). */
  lastSeenWithoutRouteAt?: number;
  attributes: Record<string, string>;
  tags: TagMap;
}

export interface HealthCheckSettings {
  protocol: string;
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  matcher: string;
  enabled: boolean;
}

export interface RegisteredTarget {
  id: string;
  port: number;
  availabilityZone?: string;
  registeredAt: number;
  /** Set by DeregisterTargets: the target drains for the deregistration delay, then is gone. */
  deregisteredAt?: number;
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  targetType: 'ip' | 'instance' | 'lambda' | 'alb';
  protocol: string;
  protocolVersion: string;
  port: number;
  vpcId: string;
  ipAddressType: string;
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  targets: RegisteredTarget[];
  createdAt: number;
  tags: TagMap;
  /**
   * Requests the target group received in the last whole simulated minute. Written each minute by the
   * traffic model (aws-sim/services/cloudwatch), read by Application Auto Scaling's ALBRequestCountPerTarget.
   */
  requestCountLastMinute?: number;
}

export interface ListenerAction {
  Type: string;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] };
  RedirectConfig?: Record<string, unknown>;
  FixedResponseConfig?: Record<string, unknown>;
  Order?: number;
}

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  certificates: { CertificateArn: string }[];
  sslPolicy?: string;
  defaultActions: ListenerAction[];
  createdAt: number;
  tags: TagMap;
}

export interface Elbv2State {
  config: Elbv2Config;
  loadBalancers: Record<string, LoadBalancerRecord>;
  targetGroups: Record<string, TargetGroupRecord>;
  listeners: Record<string, ListenerRecord>;
}

export const DEFAULT_ELBV2_CONFIG: Elbv2Config = {
  provisioningMs: 180_000,
};

export function initialElbv2State(): Elbv2State {
  return { config: { ...DEFAULT_ELBV2_CONFIG }, loadBalancers: {}, targetGroups: {}, listeners: {} };
}
