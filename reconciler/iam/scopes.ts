/**
 * How narrowly each operation of the reconciler can be granted, per AWS's Service Authorization
 * Reference: the resource ARNs (`{p}` is the partition, `{table}` the state table's ARN) and whether the
 * ownership tag can be required, on the request (`requestTag`, creates) or on the resource
 * (`resourceTag`). `parents` are existing resources a create also touches (a subnet's VPC), granted only
 * when they carry our tag. Read-only calls are not conditioned: observe must also see foreign resources
 * to refuse to touch them (safety rule 3).
 */
export interface Scope {
  resources: string[];
  requestTag?: boolean;
  resourceTag?: boolean;
  parents?: string[];
  /** An extra condition, ANDed with the tag condition of the same statement. */
  condition?: Record<string, Record<string, string | string[]>>;
  /** Why a mutating grant is not narrower (shown in the policy test when it is on `*`). */
  why?: string;
}

const EC2 = (type: string) => `arn:{p}:ec2:*:*:${type}/*`;
const VPC = EC2('vpc');
const SUBNET = EC2('subnet');
const SG = EC2('security-group');
const IGW = EC2('internet-gateway');
const RTB = EC2('route-table');
const LB = 'arn:{p}:elasticloadbalancing:*:*:loadbalancer/app/lf-*/*';
const TG = 'arn:{p}:elasticloadbalancing:*:*:targetgroup/lf-*/*';
const LISTENER = 'arn:{p}:elasticloadbalancing:*:*:listener/app/lf-*/*/*';
const CLUSTER = 'arn:{p}:ecs:*:*:cluster/lf-*';
const SERVICE = 'arn:{p}:ecs:*:*:service/lf-*/lf-*';
const SCALABLE_TARGET = 'arn:{p}:application-autoscaling:*:*:scalable-target/*';
const FUNCTION = 'arn:{p}:lambda:*:*:function:lf-*';
export const STACK_ROLES = 'arn:{p}:iam::*:role/lf-*';
const ZONE = 'arn:{p}:route53:::hostedzone/*';
const APIS = ['arn:{p}:apigateway:*::/apis', 'arn:{p}:apigateway:*::/apis/*'];
const DOMAINS = ['arn:{p}:apigateway:*::/domainnames', 'arn:{p}:apigateway:*::/domainnames/*'];
/** API Gateway checks tags given at creation against this path. */
const API_TAGS = 'arn:{p}:apigateway:*::/tags/*';
/** The one-off "come back sooner" schedule of reconciler/handler.ts (see bootstrap/names.ts). */
export const REQUEUE_SCHEDULE = 'arn:{p}:scheduler:*:*:schedule/default/lambdaflex-reconciler-requeue';

const read = (resources: string[] = ['*']): Scope => ({ resources });
const owned = (...resources: string[]): Scope => ({ resources, resourceTag: true });
const created = (resources: string[], parents?: string[]): Scope => ({
  resources,
  requestTag: true,
  ...(parents ? { parents } : {}),
});

/** The AWS managed policies the stack roles may carry; nothing else can be attached (no escalation). */
export const ATTACHABLE_POLICIES = [
  'arn:{p}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  'arn:{p}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
];

// Child resources of an HTTP API or a custom domain have random ids and no tags of their own: the path
// under our parents is as narrow as API Gateway allows.
const apiChild = (path: string): Scope => ({
  resources: [`arn:{p}:apigateway:*::/apis/*/${path}`, `arn:{p}:apigateway:*::/apis/*/${path}/*`],
  why: 'API Gateway child resources are authorised by path only',
});
const mappings: Scope = {
  resources: [
    'arn:{p}:apigateway:*::/domainnames/*/apimappings',
    'arn:{p}:apigateway:*::/domainnames/*/apimappings/*',
  ],
  why: 'API mappings are authorised by path only',
};

export const OPERATION_SCOPES: Record<string, Scope> = {
  // EC2: the network of the Fargate tier.
  'ec2:DescribeVpcs': read(),
  'ec2:DescribeVpcAttribute': read(),
  'ec2:DescribeSubnets': read(),
  'ec2:DescribeSecurityGroups': read(),
  'ec2:DescribeInternetGateways': read(),
  'ec2:DescribeRouteTables': read(),
  'ec2:CreateVpc': created([VPC]),
  'ec2:CreateSubnet': created([SUBNET], [VPC]),
  'ec2:CreateSecurityGroup': created([SG], [VPC]),
  'ec2:CreateInternetGateway': created([IGW]),
  'ec2:CreateRouteTable': created([RTB], [VPC]),
  'ec2:ModifyVpcAttribute': owned(VPC),
  'ec2:ModifySubnetAttribute': owned(SUBNET),
  'ec2:AttachInternetGateway': owned(IGW, VPC),
  'ec2:DetachInternetGateway': owned(IGW, VPC),
  'ec2:CreateRoute': owned(RTB),
  'ec2:ReplaceRoute': owned(RTB),
  'ec2:AssociateRouteTable': owned(RTB, SUBNET),
  'ec2:DisassociateRouteTable': owned(RTB, SUBNET),
  'ec2:AuthorizeSecurityGroupIngress': owned(SG),
  'ec2:AuthorizeSecurityGroupEgress': owned(SG),
  'ec2:RevokeSecurityGroupIngress': owned(SG),
  'ec2:RevokeSecurityGroupEgress': owned(SG),
  'ec2:DeleteVpc': owned(VPC),
  'ec2:DeleteSubnet': owned(SUBNET),
  'ec2:DeleteSecurityGroup': owned(SG),
  'ec2:DeleteInternetGateway': owned(IGW),
  'ec2:DeleteRouteTable': owned(RTB),

  // Elastic Load Balancing v2: the ALB, its target group and listeners, named lf-*.
  'elbv2:DescribeLoadBalancers': read(),
  'elbv2:DescribeTargetGroups': read(),
  'elbv2:DescribeTargetGroupAttributes': read(),
  'elbv2:DescribeTargetHealth': read(),
  'elbv2:DescribeListeners': read(),
  'elbv2:DescribeTags': read(),
  'elbv2:CreateLoadBalancer': created([LB]),
  'elbv2:CreateTargetGroup': created([TG]),
  'elbv2:CreateListener': { resources: [LB], resourceTag: true },
  'elbv2:ModifyListener': owned(LISTENER),
  'elbv2:DeleteListener': owned(LISTENER),
  'elbv2:ModifyTargetGroup': owned(TG),
  'elbv2:ModifyTargetGroupAttributes': owned(TG),
  'elbv2:SetSecurityGroups': owned(LB),
  'elbv2:SetSubnets': owned(LB),
  'elbv2:DeleteLoadBalancer': owned(LB),
  'elbv2:DeleteTargetGroup': owned(TG),

  // ECS: cluster, task definitions, service.
  'ecs:DescribeClusters': read(),
  'ecs:DescribeServices': read(),
  'ecs:DescribeTaskDefinition': read(),
  'ecs:ListTaskDefinitions': read(),
  'ecs:CreateCluster': created([CLUSTER]),
  'ecs:CreateService': created([SERVICE], [CLUSTER]),
  // RegisterTaskDefinition has no resource type; the tags it is given can still be required.
  'ecs:RegisterTaskDefinition': created(['*']),
  'ecs:DeregisterTaskDefinition': {
    resources: ['*'],
    why: 'DeregisterTaskDefinition supports no resource type and no condition key',
  },
  'ecs:UpdateService': owned(SERVICE),
  'ecs:DeleteService': owned(SERVICE),
  'ecs:DeleteCluster': owned(CLUSTER),

  // Application Auto Scaling: the service's scalable target and target-tracking policy. A registration
  // creates the target (tags on the request) or updates it (tags on the target).
  'autoscaling:DescribeScalableTargets': read(),
  'autoscaling:DescribeScalingPolicies': read(),
  'autoscaling:ListTagsForResource': read(),
  'autoscaling:RegisterScalableTarget': { resources: [SCALABLE_TARGET], requestTag: true, resourceTag: true },
  'autoscaling:PutScalingPolicy': owned(SCALABLE_TARGET),
  'autoscaling:DeleteScalingPolicy': owned(SCALABLE_TARGET),
  'autoscaling:DeregisterScalableTarget': owned(SCALABLE_TARGET),

  // Route 53: the weighted alias A records in the spec's zone and their ownership TXT (records can't be tagged).
  'route53:ListResourceRecordSets': read([ZONE]),
  'route53:GetChange': read(['arn:{p}:route53:::change/*']),
  'route53:ChangeResourceRecordSets': {
    resources: [ZONE],
    condition: {
      'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'TXT'] },
    },
    why: 'records carry no tags; only A records and their ownership TXT may change',
  },

  // Lambda: the stack's function (lf-*).
  'lambda:GetFunction': read([FUNCTION]),
  'lambda:GetPolicy': read([FUNCTION]),
  'lambda:CreateFunction': created([FUNCTION]),
  'lambda:UpdateFunctionCode': owned(FUNCTION),
  'lambda:UpdateFunctionConfiguration': owned(FUNCTION),
  'lambda:PutFunctionConcurrency': owned(FUNCTION),
  'lambda:DeleteFunctionConcurrency': owned(FUNCTION),
  'lambda:AddPermission': owned(FUNCTION),
  'lambda:RemovePermission': owned(FUNCTION),
  'lambda:DeleteFunction': owned(FUNCTION),

  // API Gateway v2: the HTTP API and its children, the custom domain and its mapping.
  'apigatewayv2:GetApis': read(APIS),
  'apigatewayv2:GetIntegrations': read(apiChild('integrations').resources),
  'apigatewayv2:GetRoutes': read(apiChild('routes').resources),
  'apigatewayv2:GetStage': read(apiChild('stages').resources),
  'apigatewayv2:GetDomainName': read(DOMAINS),
  'apigatewayv2:GetDomainNames': read(DOMAINS),
  'apigatewayv2:GetApiMappings': read(mappings.resources),
  'apigatewayv2:CreateApi': created([APIS[0]!, API_TAGS]),
  'apigatewayv2:UpdateApi': owned(APIS[1]!),
  'apigatewayv2:DeleteApi': owned(APIS[1]!),
  'apigatewayv2:CreateIntegration': apiChild('integrations'),
  'apigatewayv2:UpdateIntegration': apiChild('integrations'),
  'apigatewayv2:DeleteIntegration': apiChild('integrations'),
  'apigatewayv2:CreateRoute': apiChild('routes'),
  'apigatewayv2:UpdateRoute': apiChild('routes'),
  'apigatewayv2:DeleteRoute': apiChild('routes'),
  'apigatewayv2:CreateStage': apiChild('stages'),
  'apigatewayv2:UpdateStage': apiChild('stages'),
  'apigatewayv2:DeleteStage': apiChild('stages'),
  'apigatewayv2:CreateDomainName': created([DOMAINS[0]!, API_TAGS]),
  'apigatewayv2:UpdateDomainName': owned(DOMAINS[1]!),
  'apigatewayv2:DeleteDomainName': owned(DOMAINS[1]!),
  'apigatewayv2:CreateApiMapping': mappings,
  'apigatewayv2:UpdateApiMapping': mappings,
  'apigatewayv2:DeleteApiMapping': mappings,

  // IAM: the stack roles only (lf-*), never the reconciler's own roles (lambdaflex-*).
  'iam:GetRole': read([STACK_ROLES]),
  'iam:GetRolePolicy': read([STACK_ROLES]),
  'iam:ListAttachedRolePolicies': read([STACK_ROLES]),
  'iam:ListRolePolicies': read([STACK_ROLES]),
  'iam:CreateRole': created([STACK_ROLES]),
  'iam:UpdateAssumeRolePolicy': owned(STACK_ROLES),
  'iam:PutRolePolicy': owned(STACK_ROLES),
  'iam:DeleteRolePolicy': owned(STACK_ROLES),
  'iam:AttachRolePolicy': {
    ...owned(STACK_ROLES),
    condition: { ArnEquals: { 'iam:PolicyARN': ATTACHABLE_POLICIES } },
  },
  'iam:DetachRolePolicy': owned(STACK_ROLES),
  'iam:DeleteRole': owned(STACK_ROLES),

  // Auto mode's metrics: GetMetricData has no resource type to narrow it to.
  'cloudwatch:GetMetricData': read(),

  // A steady pass's one look at the whole stack (engine/observe-inventory.ts): tag:GetResources has no
  // resource type to narrow it to.
  'tagging:GetResources': read(),

  // The handler's "come back sooner" schedule (schedules can't be tagged; it has one fixed name).
  'scheduler:CreateSchedule': { resources: [REQUEUE_SCHEDULE], why: 'schedules carry no tags' },
  'scheduler:UpdateSchedule': { resources: [REQUEUE_SCHEDULE], why: 'schedules carry no tags' },

  // The state table, and nothing else in DynamoDB.
  'dynamodb:GetItem': read(['{table}']),
  'dynamodb:Scan': read(['{table}']),
  'dynamodb:PutItem': { resources: ['{table}'] },
  'dynamodb:UpdateItem': { resources: ['{table}'] },
  'dynamodb:DeleteItem': { resources: ['{table}'] },
};

/** Scopes of the implied grants (registry.ts), by action. */
export const IMPLIED_SCOPES: Record<string, Scope[]> = {
  'iam:PassRole': [
    {
      resources: [STACK_ROLES],
      condition: {
        StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'] },
      },
    },
    {
      resources: ['arn:{p}:iam::*:role/lambdaflex-reconciler-scheduler'],
      condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
  ],
  'iam:CreateServiceLinkedRole': [
    {
      resources: ['arn:{p}:iam::*:role/aws-service-role/*'],
      condition: {
        StringEquals: {
          'iam:AWSServiceName': [
            'ecs.amazonaws.com',
            'elasticloadbalancing.amazonaws.com',
            'ecs.application-autoscaling.amazonaws.com',
          ],
        },
      },
    },
  ],
  'ec2:CreateTags': [
    {
      resources: [VPC, SUBNET, SG, IGW, RTB],
      condition: {
        StringEquals: {
          'ec2:CreateAction': [
            'CreateVpc',
            'CreateSubnet',
            'CreateSecurityGroup',
            'CreateInternetGateway',
            'CreateRouteTable',
          ],
        },
      },
    },
  ],
  'elasticloadbalancing:AddTags': [
    {
      resources: [LB, TG, LISTENER],
      condition: {
        StringEquals: {
          'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener'],
        },
      },
    },
  ],
  'ecs:TagResource': [
    {
      resources: [CLUSTER, SERVICE, 'arn:{p}:ecs:*:*:task-definition/lf-*:*'],
      condition: {
        StringEquals: { 'ecs:CreateAction': ['CreateCluster', 'CreateService', 'RegisterTaskDefinition'] },
      },
    },
  ],
  'application-autoscaling:TagResource': [{ resources: [SCALABLE_TARGET], requestTag: true }],
  'lambda:TagResource': [{ resources: [FUNCTION], requestTag: true }],
};
