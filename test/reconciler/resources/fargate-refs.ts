/**
 * Dependencies of the Fargate tier's load-balancing, ECS and scaling kinds, as their finders would report
 * them, with realistic ARNs. Shared by those kinds' tests.
 */
import type { ObservedResource } from '../../../reconciler/resources/types';
import { observed } from './fixtures';

export const ACCOUNT = '123456789012';
export const ALB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/lf-orders-api-alb/50dc6c495c0c9188`;
export const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/lf-orders-api-tg/73e2d6bc24d8a067`;
export const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lf-orders-api-cluster`;
export const TASK_DEF_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/lf-orders-api-task:3`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lf-orders-api-execution-role`;
export const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lambdaflex/us-east-1/lf-orders-api-task-role-us-east-1`;
export const SERVICE_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/lf-orders-api-cluster/lf-orders-api-service`;

export const OWN_TAG_LIST = (component: string) => [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: component },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];

export const OWN_ECS_TAGS = (component: string) =>
  OWN_TAG_LIST(component).map(({ Key, Value }) => ({ key: Key, value: Value }));

export const FOREIGN_TAG_LIST = [{ Key: 'team', Value: 'someone-else' }];

/** The CreateLoadBalancer input of the stack's ALB over these refs: in both subnets, behind the ALB group. */
export const CREATE_ALB_INPUT = {
  Name: 'lf-orders-api-alb',
  Type: 'application',
  Scheme: 'internet-facing',
  IpAddressType: 'ipv4',
  Subnets: ['subnet-0bbb', 'subnet-0aaa'],
  SecurityGroups: ['sg-0alb'],
  Tags: OWN_TAG_LIST('alb'),
} as const;

export function fargateRefs(): Record<string, ObservedResource> {
  return {
    vpc: observed('vpc', 'AWS::EC2::VPC', 'vpc-0abc'),
    'subnet-a': observed('subnet-a', 'AWS::EC2::Subnet', 'subnet-0bbb'),
    'subnet-b': observed('subnet-b', 'AWS::EC2::Subnet', 'subnet-0aaa'),
    'sg-alb': observed('sg-alb', 'AWS::EC2::SecurityGroup', 'sg-0alb'),
    'sg-tasks': observed('sg-tasks', 'AWS::EC2::SecurityGroup', 'sg-0tasks'),
    alb: observed(
      'alb',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      ALB_ARN,
      {},
      {
        arn: ALB_ARN,
        extra: {
          arnSuffix: 'app/lf-orders-api-alb/50dc6c495c0c9188',
          dnsName: 'x',
          canonicalHostedZoneId: 'Z35',
        },
      },
    ),
    tg: observed(
      'tg',
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      TG_ARN,
      {},
      {
        arn: TG_ARN,
        extra: { arnSuffix: 'targetgroup/lf-orders-api-tg/73e2d6bc24d8a067', loadBalancerArns: [ALB_ARN] },
      },
    ),
    cluster: observed('cluster', 'AWS::ECS::Cluster', CLUSTER_ARN, {}, { arn: CLUSTER_ARN }),
    'execution-role': observed(
      'execution-role',
      'AWS::IAM::Role',
      'lf-orders-api-execution-role',
      {},
      { arn: ROLE_ARN },
    ),
    'task-role': observed(
      'task-role',
      'AWS::IAM::Role',
      'lf-orders-api-task-role-us-east-1',
      {},
      { arn: TASK_ROLE_ARN },
    ),
    'task-definition': observed(
      'task-definition',
      'AWS::ECS::TaskDefinition',
      TASK_DEF_ARN,
      {},
      { arn: TASK_DEF_ARN },
    ),
  };
}
