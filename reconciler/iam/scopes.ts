/**
 * How narrowly each operation of the reconciler can be granted, per AWS's Service Authorization
 * Reference: for every SDK call (`service:Operation`, as the call counter names it) the statements it
 * needs, built from the policy's context by the typed builders of arns.ts. Each scope is one statement:
 * resources of one type and the conditions that must all hold on them. Read-only calls are not
 * conditioned on tags: observe must also see foreign resources to refuse to touch them (safety rule 3).
 */
import { MANAGED_BY, TAG_MANAGED_BY } from '../../spec/names';
import { ownerTxtName } from '../resources/route53/dns-ownership';
import { arn, POLICY_NAMES, type Where } from './arns';

export type Condition = Record<string, Record<string, string | string[]>>;

/** One statement's worth of grant: these resources, under all of these conditions. */
export interface Scope {
  resources: string[];
  condition?: Condition;
  /** Why a mutating grant is not narrower (the policy test requires it when it is on `*`). */
  why?: string;
}

/** A hosted zone the reconciler may write records in, and the record names it may write there. */
export interface HostedZoneGrant {
  id: string;
  /** Route 53's normalised names (lower case, no final dot), `*` wildcards allowed: `*.example.com`. */
  recordNames: string[];
}

/** Everything the reconciler's policy is made from. */
export interface PolicyContext extends Where {
  tableName: string;
  hostedZones: readonly HostedZoneGrant[];
}

/** The AWS managed policies and the two of bootstrap's that a stack role may carry; nothing else. */
export const STACK_ROLE_MANAGED_POLICIES = [
  'AWSLambdaBasicExecutionRole',
  'AmazonECSTaskExecutionRolePolicy',
];

export function attachablePolicies(c: PolicyContext): string[] {
  return [
    ...STACK_ROLE_MANAGED_POLICIES.map((name) => arn.awsManagedPolicy(c.partition, name)),
    arn.policy(c, POLICY_NAMES.stackLogs(c.region)),
    arn.policy(c, POLICY_NAMES.stackTable(c.region)),
  ];
}

export const boundaryArn = (c: Where) => arn.policy(c, POLICY_NAMES.boundary(c.region));

/** Conditions, ANDed: `all(a, b)` holds when a and b hold. Keys of one operator are merged. */
export function all(...conditions: (Condition | undefined)[]): Condition | undefined {
  const out: Condition = {};
  for (const condition of conditions) {
    for (const [operator, keys] of Object.entries(condition ?? {})) {
      out[operator] = { ...(out[operator] ?? {}), ...keys };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const REQUEST_TAG: Condition = { StringEquals: { [`aws:RequestTag/${TAG_MANAGED_BY}`]: MANAGED_BY } };
const RESOURCE_TAG: Condition = { StringEquals: { [`aws:ResourceTag/${TAG_MANAGED_BY}`]: MANAGED_BY } };
const boundary = (c: PolicyContext): Condition => ({
  StringEquals: { 'iam:PermissionsBoundary': boundaryArn(c) },
});

type ScopesOf = (c: PolicyContext) => Scope[];

/** On these resources, unconditioned: reads, and writes to what only LambdaFlex has (the state table). */
const on =
  (resources: (c: PolicyContext) => string[]): ScopesOf =>
  (c) => [{ resources: resources(c) }];
const read = (resources: (c: PolicyContext) => string[] = () => ['*']): ScopesOf => on(resources);
/** A create: the new resource must carry our tag, and each existing parent it touches must be ours. */
const created =
  (resources: (c: PolicyContext) => string[], parents?: (c: PolicyContext) => string[]): ScopesOf =>
  (c) => [
    { resources: resources(c), condition: REQUEST_TAG },
    ...(parents ? [{ resources: parents(c), condition: RESOURCE_TAG }] : []),
  ];
/** A change to existing resources, each of which must carry our tag. */
const owned =
  (resources: (c: PolicyContext) => string[]): ScopesOf =>
  (c) => [{ resources: resources(c), condition: RESOURCE_TAG }];

const ec2 =
  (...types: Parameters<typeof arn.ec2>[1][]) =>
  (c: PolicyContext) =>
    types.map((t) => arn.ec2(c, t));
const one = (build: (w: Where) => string) => (c: PolicyContext) => [build(c)];

// Child resources of an HTTP API or a custom domain have random ids and no tags of their own: the path
// under the parent is as narrow as API Gateway allows.
const apiChild =
  (child: 'integrations' | 'routes' | 'stages'): ScopesOf =>
  (c) => [
    { resources: arn.apiChildren(c, child), why: 'API Gateway child resources are authorised by path only' },
  ];
const mappings: ScopesOf = (c) => [
  { resources: arn.apiMappings(c), why: 'API mappings are authorised by path only' },
];

/** IAM actions that change a stack role: only on roles of this region that carry our boundary and tag. */
const stackRoleChange =
  (extra?: (c: PolicyContext) => Condition): ScopesOf =>
  (c) => [{ resources: [arn.stackRoles(c)], condition: all(RESOURCE_TAG, boundary(c), extra?.(c)) }];
/**
 * Emptying and deleting a stack role: this region's only. The roles named before names carried the region
 * (`lf-<stack>-lambda-role` at `/`) are read, so that status lists them, and never changed: one may still
 * be the role of a function in a region that has not moved (resources/iam/role.ts, replacedRoleResource),
 * so no region's credentials may strip or delete it.
 */
const roleRemoval: ScopesOf = stackRoleChange();
const roles = (c: PolicyContext) => [arn.stackRoles(c), arn.legacyStackRoles(c)];

/**
 * The names given, and beside each its ownership TXT record's name (`lambdaflex-a.<name>`,
 * resources/route53/dns-ownership.ts), which every batch writes or guards with the records. A name that starts
 * with `*` already matches its TXT's (StringLike's `*` matches dots too).
 */
function withOwnershipNames(names: readonly string[]): string[] {
  const txt = names
    .filter((name) => !name.startsWith('*'))
    .map((name) => ownerTxtName(name).replace(/\.$/, ''));
  return [...new Set([...names, ...txt])];
}

const recordChange: ScopesOf = (c) =>
  c.hostedZones.map((zone) => ({
    resources: [arn.hostedZone(c, zone.id)],
    condition: {
      'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'TXT'] },
      'ForAllValues:StringLike': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': withOwnershipNames(zone.recordNames),
      },
    },
    why: 'records carry no tags: the zones and names bootstrap was given, A and TXT records only',
  }));
const zones = (c: PolicyContext) => c.hostedZones.map((zone) => arn.hostedZone(c, zone.id));

/** The one-off "come back sooner" schedule of reconciler/handler.ts (see bootstrap/names.ts). */
export const REQUEUE_SCHEDULE = { group: 'default', name: 'lambdaflex-reconciler-requeue' } as const;
const requeueSchedule: ScopesOf = (c) => [
  {
    resources: [arn.schedule(c, REQUEUE_SCHEDULE.group, REQUEUE_SCHEDULE.name)],
    why: 'schedules carry no tags; one fixed name',
  },
];
const table = (c: PolicyContext) => [arn.table(c, c.tableName)];

/** The reconciler's work queue and its dead-letter queue (bootstrap makes them; reconciler/dispatch/). */
export const WORK_QUEUE = { name: 'lambdaflex-work.fifo', deadLetter: 'lambdaflex-work-dlq.fifo' } as const;
const workQueue = (c: PolicyContext) => [arn.queue(c, WORK_QUEUE.name)];

export const OPERATION_SCOPES: Record<string, ScopesOf> = {
  // EC2: the network of the Fargate tier.
  'ec2:DescribeVpcs': read(),
  'ec2:DescribeVpcAttribute': read(),
  'ec2:DescribeSubnets': read(),
  'ec2:DescribeAvailabilityZones': read(),
  'ec2:DescribeSecurityGroups': read(),
  'ec2:DescribeInternetGateways': read(),
  'ec2:DescribeRouteTables': read(),
  'ec2:CreateVpc': created(ec2('vpc')),
  'ec2:CreateSubnet': created(ec2('subnet'), ec2('vpc')),
  'ec2:CreateSecurityGroup': created(ec2('security-group'), ec2('vpc')),
  'ec2:CreateInternetGateway': created(ec2('internet-gateway')),
  'ec2:CreateRouteTable': created(ec2('route-table'), ec2('vpc')),
  'ec2:ModifyVpcAttribute': owned(ec2('vpc')),
  'ec2:ModifySubnetAttribute': owned(ec2('subnet')),
  'ec2:AttachInternetGateway': owned(ec2('internet-gateway', 'vpc')),
  'ec2:DetachInternetGateway': owned(ec2('internet-gateway', 'vpc')),
  'ec2:CreateRoute': owned(ec2('route-table')),
  'ec2:ReplaceRoute': owned(ec2('route-table')),
  'ec2:AssociateRouteTable': owned(ec2('route-table', 'subnet')),
  'ec2:DisassociateRouteTable': owned(ec2('route-table', 'subnet')),
  'ec2:AuthorizeSecurityGroupIngress': owned(ec2('security-group')),
  'ec2:AuthorizeSecurityGroupEgress': owned(ec2('security-group')),
  'ec2:RevokeSecurityGroupIngress': owned(ec2('security-group')),
  'ec2:RevokeSecurityGroupEgress': owned(ec2('security-group')),
  'ec2:DeleteVpc': owned(ec2('vpc')),
  'ec2:DeleteSubnet': owned(ec2('subnet')),
  'ec2:DeleteSecurityGroup': owned(ec2('security-group')),
  'ec2:DeleteInternetGateway': owned(ec2('internet-gateway')),
  'ec2:DeleteRouteTable': owned(ec2('route-table')),

  // Elastic Load Balancing v2: the ALB, its target group and listeners, named lf-*.
  'elbv2:DescribeLoadBalancers': read(),
  'elbv2:DescribeTargetGroups': read(),
  'elbv2:DescribeTargetGroupAttributes': read(),
  'elbv2:DescribeLoadBalancerAttributes': read(),
  'elbv2:DescribeTargetHealth': read(),
  'elbv2:DescribeListeners': read(),
  'elbv2:DescribeTags': read(),
  'elbv2:CreateLoadBalancer': created(one(arn.loadBalancers)),
  'elbv2:CreateTargetGroup': created(one(arn.targetGroups)),
  'elbv2:CreateListener': owned(one(arn.loadBalancers)),
  'elbv2:ModifyListener': owned(one(arn.listeners)),
  'elbv2:DeleteListener': owned(one(arn.listeners)),
  'elbv2:ModifyTargetGroup': owned(one(arn.targetGroups)),
  'elbv2:ModifyTargetGroupAttributes': owned(one(arn.targetGroups)),
  'elbv2:ModifyLoadBalancerAttributes': owned(one(arn.loadBalancers)),
  'elbv2:SetSecurityGroups': owned(one(arn.loadBalancers)),
  'elbv2:SetSubnets': owned(one(arn.loadBalancers)),
  'elbv2:DeleteLoadBalancer': owned(one(arn.loadBalancers)),
  'elbv2:DeleteTargetGroup': owned(one(arn.targetGroups)),

  // ECS: cluster, task definitions, service.
  'ecs:DescribeClusters': read(),
  'ecs:DescribeServices': read(),
  'ecs:DescribeTaskDefinition': read(),
  'ecs:ListTaskDefinitions': read(),
  'ecs:CreateCluster': created(one(arn.clusters)),
  // The service is created in one of our clusters (ecs:cluster), tagged.
  'ecs:CreateService': (c) => [
    {
      resources: [arn.services(c)],
      condition: all(REQUEST_TAG, { ArnLike: { 'ecs:cluster': arn.clusters(c) } }),
    },
  ],
  'ecs:RegisterTaskDefinition': created(one(arn.taskDefinitions)),
  'ecs:DeregisterTaskDefinition': (_c) => [
    { resources: ['*'], why: 'DeregisterTaskDefinition supports no resource type and no condition key' },
  ],
  // Only deregistered revisions can be deleted; the stack's own, by its tags (the record names which).
  'ecs:DeleteTaskDefinitions': owned(one(arn.taskDefinitions)),
  'ecs:UpdateService': owned(one(arn.services)),
  'ecs:DeleteService': owned(one(arn.services)),
  'ecs:DeleteCluster': owned(one(arn.clusters)),

  // Application Auto Scaling: the service's scalable target and target-tracking policy. A registration
  // creates the target (tags on the request) or updates it (tags on the target).
  'autoscaling:DescribeScalableTargets': read(),
  'autoscaling:DescribeScalingPolicies': read(),
  'autoscaling:ListTagsForResource': read(),
  'autoscaling:RegisterScalableTarget': (c) => [
    ...created(one(arn.scalableTargets))(c),
    ...owned(one(arn.scalableTargets))(c),
  ],
  'autoscaling:PutScalingPolicy': owned(one(arn.scalableTargets)),
  'autoscaling:DeleteScalingPolicy': owned(one(arn.scalableTargets)),
  'autoscaling:DeregisterScalableTarget': owned(one(arn.scalableTargets)),

  // Route 53: weighted alias A records and their TXT ownership records, in the configured zones only.
  'route53:ListResourceRecordSets': read(zones),
  'route53:GetChange': read(one(arn.route53Changes)),
  'route53:ChangeResourceRecordSets': recordChange,

  // Lambda: the stack's function (lf-*).
  'lambda:GetFunction': read(one(arn.functions)),
  'lambda:GetPolicy': read(one(arn.functions)),
  'lambda:CreateFunction': created(one(arn.functions)),
  'lambda:UpdateFunctionCode': owned(one(arn.functions)),
  'lambda:UpdateFunctionConfiguration': owned(one(arn.functions)),
  'lambda:PutFunctionConcurrency': owned(one(arn.functions)),
  'lambda:DeleteFunctionConcurrency': owned(one(arn.functions)),
  'lambda:AddPermission': owned(one(arn.functions)),
  'lambda:RemovePermission': owned(one(arn.functions)),
  'lambda:DeleteFunction': owned(one(arn.functions)),

  // API Gateway v2: the HTTP API and its children, the custom domain and its mapping.
  'apigatewayv2:GetApi': read((c) => [arn.api(c)]),
  'apigatewayv2:GetApis': read((c) => [arn.apis(c), arn.api(c)]),
  'apigatewayv2:GetIntegrations': read((c) => arn.apiChildren(c, 'integrations')),
  'apigatewayv2:GetRoutes': read((c) => arn.apiChildren(c, 'routes')),
  'apigatewayv2:GetStage': read((c) => arn.apiChildren(c, 'stages')),
  'apigatewayv2:GetDomainName': read((c) => [arn.domainNames(c), arn.domainName(c)]),
  'apigatewayv2:GetDomainNames': read((c) => [arn.domainNames(c)]),
  'apigatewayv2:GetApiMappings': read(arn.apiMappings),
  'apigatewayv2:CreateApi': created(one(arn.apis)),
  'apigatewayv2:UpdateApi': owned(one(arn.api)),
  'apigatewayv2:DeleteApi': owned(one(arn.api)),
  'apigatewayv2:CreateIntegration': apiChild('integrations'),
  'apigatewayv2:UpdateIntegration': apiChild('integrations'),
  'apigatewayv2:DeleteIntegration': apiChild('integrations'),
  'apigatewayv2:CreateRoute': apiChild('routes'),
  'apigatewayv2:UpdateRoute': apiChild('routes'),
  'apigatewayv2:DeleteRoute': apiChild('routes'),
  'apigatewayv2:CreateStage': apiChild('stages'),
  'apigatewayv2:UpdateStage': apiChild('stages'),
  'apigatewayv2:DeleteStage': apiChild('stages'),
  'apigatewayv2:CreateDomainName': created(one(arn.domainNames)),
  'apigatewayv2:UpdateDomainName': owned(one(arn.domainName)),
  'apigatewayv2:DeleteDomainName': owned(one(arn.domainName)),
  'apigatewayv2:CreateApiMapping': mappings,
  'apigatewayv2:UpdateApiMapping': mappings,
  'apigatewayv2:DeleteApiMapping': mappings,

  // IAM: the stack roles of this region only (`/lambdaflex/<region>/lf-*`), created with bootstrap's
  // permissions boundary and changed only while they carry it; the reconciler's own roles
  // (`lambdaflex-*`) are out of reach. No inline policy is ever written: the roles carry managed
  // policies from a fixed list.
  'iam:GetRole': read(roles),
  'iam:ListAttachedRolePolicies': read(roles),
  'iam:ListRolePolicies': read(roles),
  // Finding the boundary and log-group policy bootstrap installed (resources/iam/stack-policies.ts).
  'iam:ListPolicies': read(),
  'iam:CreateRole': (c) => [{ resources: [arn.stackRoles(c)], condition: all(REQUEST_TAG, boundary(c)) }],
  'iam:UpdateAssumeRolePolicy': stackRoleChange(),
  'iam:PutRolePermissionsBoundary': stackRoleChange(),
  'iam:AttachRolePolicy': stackRoleChange((c) => ({ ArnEquals: { 'iam:PolicyARN': attachablePolicies(c) } })),
  'iam:DetachRolePolicy': roleRemoval,
  'iam:DeleteRolePolicy': roleRemoval,
  'iam:DeleteRole': roleRemoval,

  // Auto mode's metrics: GetMetricData has no resource type to narrow it to.
  'cloudwatch:GetMetricData': read(),

  // A steady pass's one look at the whole stack (engine/observe-inventory.ts): tag:GetResources has no
  // resource type to narrow it to.
  'tagging:GetResources': read(),

  // The handler's "come back sooner" schedule (schedules can't be tagged; it has one fixed name).
  'scheduler:CreateSchedule': requeueSchedule,
  // Read before an update: only the schedule of that name that LambdaFlex made is moved.
  'scheduler:GetSchedule': requeueSchedule,
  'scheduler:UpdateSchedule': requeueSchedule,

  // The dispatcher fills the work queue, one message per stack due (reconciler/dispatch/).
  'sqs:SendMessageBatch': on(workQueue),

  // The state table, and nothing else in DynamoDB.
  'dynamodb:GetItem': read(table),
  'dynamodb:Scan': read(table),
  'dynamodb:UpdateItem': on(table),
  'dynamodb:DeleteItem': on(table),
};

/**
 * Permissions no SDK call of ours names but that AWS checks on our behalf, by action. Each names the
 * calls that need it, so that it goes when they do.
 */
export interface ImpliedGrant {
  action: string;
  impliedBy: string[];
  why: string;
  scopes: ScopesOf;
}

/** Tags given at creation, authorised as the service's tagging action, only during that creation. */
const tagOnCreate =
  (key: string, actions: string[], resources: (c: PolicyContext) => string[]): ScopesOf =>
  (c) => [{ resources: resources(c), condition: all(REQUEST_TAG, { StringEquals: { [key]: actions } }) }];
/**
 * Tags given at creation where the service has no "create action" key: as AWS's ABAC examples for Lambda
 * write it, both the request's and the resource's tags must be ours. A new resource has the request's
 * tags; an existing one must already be ours, so nothing foreign can be tagged as ours.
 */
const tagOwnOnly =
  (resources: (c: PolicyContext) => string[]): ScopesOf =>
  (c) => [{ resources: resources(c), condition: all(REQUEST_TAG, RESOURCE_TAG) }];

export const IMPLIED_GRANTS: readonly ImpliedGrant[] = [
  // The event source mappings poll with the function's role: the worker's queue, the dispatcher's stream.
  ...['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action): ImpliedGrant => ({
    action,
    impliedBy: ['sqs:SendMessageBatch'],
    why: "the work queue's event source mapping receives and deletes its messages with the function's role",
    scopes: on(workQueue),
  })),
  ...['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'].map(
    (action): ImpliedGrant => ({
      action,
      impliedBy: ['sqs:SendMessageBatch'],
      why: "the table stream's event source mapping reads the change feed with the function's role",
      scopes: on((c) => [arn.tableStreams(c, c.tableName)]),
    }),
  ),
  {
    action: 'dynamodb:ListStreams',
    impliedBy: ['sqs:SendMessageBatch'],
    why: "the table stream's event source mapping lists streams (no resource type narrows it)",
    scopes: read(),
  },
  {
    action: 'iam:PassRole',
    impliedBy: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration', 'ecs:RegisterTaskDefinition'],
    why: 'handing the stack roles of this region to Lambda and ECS, and to nothing else',
    scopes: (c) => [
      {
        resources: [arn.stackRoles(c)],
        condition: {
          StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'] },
        },
      },
    ],
  },
  {
    action: 'iam:PassRole',
    impliedBy: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
    why: 'the one-off requeue schedule invokes the reconciler with the scheduler role',
    scopes: (c) => [
      {
        resources: [arn.role(c, schedulerRoleName(c.region))],
        condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ],
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    impliedBy: ['ecs:CreateCluster', 'elbv2:CreateLoadBalancer', 'autoscaling:RegisterScalableTarget'],
    why: 'ECS, ELB and Application Auto Scaling create their service-linked role on first use',
    scopes: (c) => [
      {
        resources: [arn.serviceLinkedRoles(c)],
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
  },
  {
    action: 'ec2:CreateTags',
    impliedBy: [
      'ec2:CreateVpc',
      'ec2:CreateSubnet',
      'ec2:CreateSecurityGroup',
      'ec2:CreateInternetGateway',
      'ec2:CreateRouteTable',
    ],
    why: 'tags given in TagSpecifications at creation are authorised as ec2:CreateTags',
    scopes: tagOnCreate(
      'ec2:CreateAction',
      ['CreateVpc', 'CreateSubnet', 'CreateSecurityGroup', 'CreateInternetGateway', 'CreateRouteTable'],
      ec2('vpc', 'subnet', 'security-group', 'internet-gateway', 'route-table'),
    ),
  },
  {
    action: 'elasticloadbalancing:AddTags',
    impliedBy: ['elbv2:CreateLoadBalancer', 'elbv2:CreateTargetGroup', 'elbv2:CreateListener'],
    why: 'tags given at creation are authorised as AddTags',
    scopes: tagOnCreate(
      'elasticloadbalancing:CreateAction',
      ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener'],
      (c) => [arn.loadBalancers(c), arn.targetGroups(c), arn.listeners(c)],
    ),
  },
  {
    action: 'ecs:TagResource',
    impliedBy: ['ecs:CreateCluster', 'ecs:CreateService', 'ecs:RegisterTaskDefinition'],
    why: 'tags given at creation are authorised as TagResource',
    scopes: tagOnCreate(
      'ecs:CreateAction',
      ['CreateCluster', 'CreateService', 'RegisterTaskDefinition'],
      (c) => [arn.clusters(c), arn.services(c), arn.taskDefinitions(c)],
    ),
  },
  {
    action: 'application-autoscaling:TagResource',
    impliedBy: ['autoscaling:RegisterScalableTarget'],
    why: 'tags given at creation are authorised as TagResource',
    scopes: tagOwnOnly(one(arn.scalableTargets)),
  },
  {
    action: 'lambda:TagResource',
    impliedBy: ['lambda:CreateFunction'],
    why: 'tags given at creation are authorised as TagResource',
    scopes: tagOwnOnly(one(arn.functions)),
  },
  {
    action: 'lambda:ListTags',
    impliedBy: ['lambda:GetFunction'],
    why: 'GetFunction of a tagged function also needs ListTags (it answers with the tags)',
    scopes: read(one(arn.functions)),
  },
];

/** The scheduler role's name in a region (bootstrap/names.ts names it the same way). */
export function schedulerRoleName(region: string): string {
  return `lambdaflex-reconciler-scheduler-${region}`;
}
