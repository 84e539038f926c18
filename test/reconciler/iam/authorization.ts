/**
 * What AWS authorises for each call the reconciler sends, per the Service Authorization Reference: the
 * IAM action, the resource ARN it is checked against, and the condition keys AWS fills in (the
 * resource's tags as it was before the call, the request's tags, the service-specific keys such as
 * `ec2:CreateAction`, `iam:PassedToService`, `iam:PermissionsBoundary`, Route 53's record names).
 * Tags given at creation are authorised as the service's tagging action too.
 *
 * Built from calls recorded in the simulated account (aws-sim/core/call-recorder.ts), so the requests are
 * the ones the code really makes, with the resources as they really were. An operation missing here is
 * an error, never a pass.
 */
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { RecordedCall } from '../../../aws-sim/core/call-recorder';
import type { IamRequest } from './simulate';

type Tags = Record<string, string>;
type In = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const requestTags = (tags: Tags | undefined): Record<string, string | string[]> =>
  tags && Object.keys(tags).length > 0
    ? {
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
        'aws:TagKeys': Object.keys(tags),
      }
    : {};
const resourceTags = (tags: Tags | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
const fromList = (list: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): Tags =>
  Object.fromEntries((list ?? []).map((t) => [t.Key ?? t.key ?? '', t.Value ?? t.value ?? '']));
const ec2Tags = (input: In): Tags => fromList(input.TagSpecifications?.[0]?.Tags);

/** The tags a task definition revision was registered with, from the calls before. */
function registeredTags(c: Call, arn: string): Tags {
  const registration = c.history.find(
    (h) =>
      h.operation === 'RegisterTaskDefinition' &&
      (h.output as In | undefined)?.taskDefinition?.taskDefinitionArn === arn,
  );
  return registration ? fromList((registration.input as In).tags) : c.tagsOf(arn);
}

/** Everything a request builder needs: the call, the calls before it, where it ran. */
interface Call {
  call: RecordedCall;
  input: In;
  output: In;
  history: RecordedCall[];
  regional(service: string, resource: string): string;
  apigw(path: string): string;
  /** Tags of a resource as it was before the call, by ARN or id. */
  tagsOf(arnOrId: string): Tags;
  /** A request on an existing resource: its tags as condition keys. */
  on(action: string, arn: string, extra?: Record<string, string | string[]>): IamRequest;
}

function callOf(call: RecordedCall, history: RecordedCall[]): Call {
  const tagsOf = (key: string) => call.before.find((i) => i.arn === key || i.id === key)?.tags ?? {};
  return {
    call,
    input: call.input as In,
    output: (call.output ?? {}) as In,
    history,
    regional: (service, resource) => `arn:aws:${service}:${call.region}:${call.accountId}:${resource}`,
    apigw: (path) => `arn:aws:apigateway:${call.region}::${path}`,
    tagsOf,
    on: (action, arn, extra = {}) => ({
      action,
      resource: arn,
      context: { ...resourceTags(tagsOf(arn)), ...extra },
    }),
  };
}

/** A create: the new resource with the request's tags; the tags authorised as `tagAction` too. */
function create(
  c: Call,
  action: string,
  arn: string,
  tags: Tags,
  tagging?: { action: string; context?: Record<string, string>; resourceTagsToo?: boolean },
  extra: Record<string, string | string[]> = {},
): IamRequest[] {
  const requests: IamRequest[] = [{ action, resource: arn, context: { ...requestTags(tags), ...extra } }];
  if (tagging && Object.keys(tags).length > 0) {
    requests.push({
      action: tagging.action,
      resource: arn,
      context: {
        ...requestTags(tags),
        ...(tagging.context ?? {}),
        // A resource being created carries the request's tags (AWS's ABAC examples for Lambda rely on it).
        ...(tagging.resourceTagsToo ? resourceTags(tags) : {}),
      },
    });
  }
  return requests;
}

const ec2Arn = (c: Call, type: string, id: string) => c.regional('ec2', `${type}/${id}`);

function ec2Create(c: Call, operation: string, type: string, id: string, parentVpc?: string): IamRequest[] {
  const arn = ec2Arn(c, type, id);
  return [
    ...create(c, `ec2:${operation}`, arn, ec2Tags(c.input), {
      action: 'ec2:CreateTags',
      context: { 'ec2:CreateAction': operation },
    }),
    ...(parentVpc ? [c.on(`ec2:${operation}`, ec2Arn(c, 'vpc', parentVpc))] : []),
  ];
}

/** The route table and subnet of an association, from the call that made it. */
function association(c: Call, id: string): { RouteTableId: string; SubnetId: string } {
  for (const earlier of c.history) {
    if (earlier.operation === 'AssociateRouteTable' && (earlier.output as In)?.AssociationId === id) {
      return earlier.input as { RouteTableId: string; SubnetId: string };
    }
  }
  throw new Error(`no AssociateRouteTable made association ${id}`);
}

/** The scalable target's ARN, from the registration that answered with it. */
function scalableTarget(c: Call, resourceId: string): string {
  for (const earlier of [...c.history].reverse()) {
    if (earlier.operation === 'RegisterScalableTarget' && (earlier.input as In).ResourceId === resourceId) {
      const arn = (earlier.output as In)?.ScalableTargetARN;
      if (arn) return arn;
    }
  }
  throw new Error(`no RegisterScalableTarget answered for ${resourceId}`);
}

function roleArn(c: Call, name: string): string {
  const known = c.call.roles[name]?.arn;
  if (known) return known;
  // Not there (yet, or any more): where LambdaFlex would have it.
  const regional = name.endsWith(`-${c.call.region}`) && name.startsWith('lf-');
  return `arn:aws:iam::${c.call.accountId}:role${regional ? `/lambdaflex/${c.call.region}/` : '/'}${name}`;
}

function onRole(
  c: Call,
  action: string,
  name: string,
  extra: Record<string, string | string[]> = {},
): IamRequest {
  const role = c.call.roles[name];
  return {
    action,
    resource: roleArn(c, name),
    context: {
      ...resourceTags(role?.tags),
      ...(role?.boundary ? { 'iam:PermissionsBoundary': role.boundary } : {}),
      ...extra,
    },
  };
}

const passRole = (roleArnValue: string, service: string): IamRequest => ({
  action: 'iam:PassRole',
  resource: roleArnValue,
  context: { 'iam:PassedToService': service },
});

const functionArn = (c: Call, name: string) =>
  name.startsWith('arn:') ? name : c.regional('lambda', `function:${name}`);
const clusterArn = (c: Call, name: string) =>
  name.startsWith('arn:') ? name : c.regional('ecs', `cluster/${name}`);
const clusterName = (name: string) => name.split('/').pop()!;
const serviceArn = (c: Call, cluster: string, service: string) =>
  service.startsWith('arn:') ? service : c.regional('ecs', `service/${clusterName(cluster)}/${service}`);

type Builder = (c: Call) => IamRequest[];
const star =
  (action: string): Builder =>
  () => [{ action, resource: '*' }];

const BUILDERS: Record<string, Builder> = {
  // EC2: Describe* are authorised on `*`.
  'ec2:DescribeVpcs': star('ec2:DescribeVpcs'),
  'ec2:DescribeVpcAttribute': (c) => [c.on('ec2:DescribeVpcAttribute', ec2Arn(c, 'vpc', c.input.VpcId))],
  'ec2:DescribeSubnets': star('ec2:DescribeSubnets'),
  'ec2:DescribeSecurityGroups': star('ec2:DescribeSecurityGroups'),
  'ec2:DescribeInternetGateways': star('ec2:DescribeInternetGateways'),
  'ec2:DescribeRouteTables': star('ec2:DescribeRouteTables'),
  'ec2:DescribeAvailabilityZones': star('ec2:DescribeAvailabilityZones'),
  'ec2:CreateVpc': (c) => ec2Create(c, 'CreateVpc', 'vpc', c.output.Vpc.VpcId),
  'ec2:CreateSubnet': (c) => ec2Create(c, 'CreateSubnet', 'subnet', c.output.Subnet.SubnetId, c.input.VpcId),
  'ec2:CreateSecurityGroup': (c) =>
    ec2Create(c, 'CreateSecurityGroup', 'security-group', c.output.GroupId, c.input.VpcId),
  'ec2:CreateInternetGateway': (c) =>
    ec2Create(c, 'CreateInternetGateway', 'internet-gateway', c.output.InternetGateway.InternetGatewayId),
  'ec2:CreateRouteTable': (c) =>
    ec2Create(c, 'CreateRouteTable', 'route-table', c.output.RouteTable.RouteTableId, c.input.VpcId),
  'ec2:ModifyVpcAttribute': (c) => [c.on('ec2:ModifyVpcAttribute', ec2Arn(c, 'vpc', c.input.VpcId))],
  'ec2:ModifySubnetAttribute': (c) => [
    c.on('ec2:ModifySubnetAttribute', ec2Arn(c, 'subnet', c.input.SubnetId)),
  ],
  'ec2:AttachInternetGateway': (c) => [
    c.on('ec2:AttachInternetGateway', ec2Arn(c, 'internet-gateway', c.input.InternetGatewayId)),
    c.on('ec2:AttachInternetGateway', ec2Arn(c, 'vpc', c.input.VpcId)),
  ],
  'ec2:DetachInternetGateway': (c) => [
    c.on('ec2:DetachInternetGateway', ec2Arn(c, 'internet-gateway', c.input.InternetGatewayId)),
    c.on('ec2:DetachInternetGateway', ec2Arn(c, 'vpc', c.input.VpcId)),
  ],
  'ec2:CreateRoute': (c) => [c.on('ec2:CreateRoute', ec2Arn(c, 'route-table', c.input.RouteTableId))],
  'ec2:ReplaceRoute': (c) => [c.on('ec2:ReplaceRoute', ec2Arn(c, 'route-table', c.input.RouteTableId))],
  'ec2:AssociateRouteTable': (c) => [
    c.on('ec2:AssociateRouteTable', ec2Arn(c, 'route-table', c.input.RouteTableId)),
    c.on('ec2:AssociateRouteTable', ec2Arn(c, 'subnet', c.input.SubnetId)),
  ],
  'ec2:DisassociateRouteTable': (c) => {
    const made = association(c, c.input.AssociationId);
    return [
      c.on('ec2:DisassociateRouteTable', ec2Arn(c, 'route-table', made.RouteTableId)),
      c.on('ec2:DisassociateRouteTable', ec2Arn(c, 'subnet', made.SubnetId)),
    ];
  },
  ...Object.fromEntries(
    [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'DeleteSecurityGroup',
    ].map((op) => [
      `ec2:${op}`,
      (c: Call) => [c.on(`ec2:${op}`, ec2Arn(c, 'security-group', c.input.GroupId))],
    ]),
  ),
  'ec2:DeleteVpc': (c) => [c.on('ec2:DeleteVpc', ec2Arn(c, 'vpc', c.input.VpcId))],
  'ec2:DeleteSubnet': (c) => [c.on('ec2:DeleteSubnet', ec2Arn(c, 'subnet', c.input.SubnetId))],
  'ec2:DeleteInternetGateway': (c) => [
    c.on('ec2:DeleteInternetGateway', ec2Arn(c, 'internet-gateway', c.input.InternetGatewayId)),
  ],
  'ec2:DeleteRouteTable': (c) => [
    c.on('ec2:DeleteRouteTable', ec2Arn(c, 'route-table', c.input.RouteTableId)),
  ],

  // Elastic Load Balancing: Describe* on `*`; tags at creation authorised as AddTags.
  ...Object.fromEntries(
    [
      'DescribeLoadBalancers',
      'DescribeTargetGroups',
      'DescribeTargetGroupAttributes',
      'DescribeLoadBalancerAttributes',
      'DescribeTargetHealth',
      'DescribeListeners',
      'DescribeTags',
    ].map((op) => [`elbv2:${op}`, star(`elasticloadbalancing:${op}`)]),
  ),
  'elbv2:CreateLoadBalancer': (c) =>
    create(
      c,
      'elasticloadbalancing:CreateLoadBalancer',
      c.output.LoadBalancers[0].LoadBalancerArn,
      fromList(c.input.Tags),
      {
        action: 'elasticloadbalancing:AddTags',
        context: { 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' },
      },
    ),
  'elbv2:CreateTargetGroup': (c) =>
    create(
      c,
      'elasticloadbalancing:CreateTargetGroup',
      c.output.TargetGroups[0].TargetGroupArn,
      fromList(c.input.Tags),
      {
        action: 'elasticloadbalancing:AddTags',
        context: { 'elasticloadbalancing:CreateAction': 'CreateTargetGroup' },
      },
    ),
  'elbv2:CreateListener': (c) => {
    const tags = fromList(c.input.Tags);
    return [
      c.on('elasticloadbalancing:CreateListener', c.input.LoadBalancerArn, requestTags(tags)),
      ...(Object.keys(tags).length
        ? [
            {
              action: 'elasticloadbalancing:AddTags',
              resource: c.output.Listeners[0].ListenerArn,
              context: { ...requestTags(tags), 'elasticloadbalancing:CreateAction': 'CreateListener' },
            },
          ]
        : []),
    ];
  },
  'elbv2:ModifyListener': (c) => [c.on('elasticloadbalancing:ModifyListener', c.input.ListenerArn)],
  'elbv2:DeleteListener': (c) => [c.on('elasticloadbalancing:DeleteListener', c.input.ListenerArn)],
  'elbv2:ModifyTargetGroup': (c) => [c.on('elasticloadbalancing:ModifyTargetGroup', c.input.TargetGroupArn)],
  'elbv2:ModifyTargetGroupAttributes': (c) => [
    c.on('elasticloadbalancing:ModifyTargetGroupAttributes', c.input.TargetGroupArn),
  ],
  'elbv2:DeleteTargetGroup': (c) => [c.on('elasticloadbalancing:DeleteTargetGroup', c.input.TargetGroupArn)],
  'elbv2:ModifyLoadBalancerAttributes': (c) => [
    c.on('elasticloadbalancing:ModifyLoadBalancerAttributes', c.input.LoadBalancerArn),
  ],
  'elbv2:SetSecurityGroups': (c) => [c.on('elasticloadbalancing:SetSecurityGroups', c.input.LoadBalancerArn)],
  'elbv2:SetSubnets': (c) => [c.on('elasticloadbalancing:SetSubnets', c.input.LoadBalancerArn)],
  'elbv2:DeleteLoadBalancer': (c) => [
    c.on('elasticloadbalancing:DeleteLoadBalancer', c.input.LoadBalancerArn),
  ],

  // ECS.
  'ecs:DescribeClusters': (c) =>
    (c.input.clusters as string[]).map((name) => c.on('ecs:DescribeClusters', clusterArn(c, name))),
  'ecs:DescribeServices': (c) =>
    (c.input.services as string[]).map((s) =>
      c.on('ecs:DescribeServices', serviceArn(c, c.input.cluster, s)),
    ),
  'ecs:DescribeTaskDefinition': star('ecs:DescribeTaskDefinition'),
  'ecs:ListTaskDefinitions': star('ecs:ListTaskDefinitions'),
  'ecs:CreateCluster': (c) =>
    create(c, 'ecs:CreateCluster', clusterArn(c, c.input.clusterName), fromList(c.input.tags), {
      action: 'ecs:TagResource',
      context: { 'ecs:CreateAction': 'CreateCluster' },
    }),
  'ecs:CreateService': (c) =>
    create(
      c,
      'ecs:CreateService',
      serviceArn(c, c.input.cluster, c.input.serviceName),
      fromList(c.input.tags),
      { action: 'ecs:TagResource', context: { 'ecs:CreateAction': 'CreateService' } },
      { 'ecs:cluster': clusterArn(c, c.input.cluster) },
    ),
  'ecs:RegisterTaskDefinition': (c) => [
    ...create(
      c,
      'ecs:RegisterTaskDefinition',
      c.output.taskDefinition.taskDefinitionArn,
      fromList(c.input.tags),
      {
        action: 'ecs:TagResource',
        context: { 'ecs:CreateAction': 'RegisterTaskDefinition' },
      },
    ),
    ...[c.input.executionRoleArn, c.input.taskRoleArn]
      .filter(Boolean)
      .map((arn: string) => passRole(arn, 'ecs-tasks.amazonaws.com')),
  ],
  'ecs:DeregisterTaskDefinition': star('ecs:DeregisterTaskDefinition'),
  // One request per revision named, each on its task definition ARN with its tags: those it was registered
  // with (a deregistered revision keeps them, though the simulated account's inventory lists ACTIVE ones).
  'ecs:DeleteTaskDefinitions': (c) =>
    (c.input.taskDefinitions as string[]).map((arn) => ({
      action: 'ecs:DeleteTaskDefinitions',
      resource: arn,
      context: resourceTags(registeredTags(c, arn)),
    })),
  'ecs:UpdateService': (c) => [c.on('ecs:UpdateService', serviceArn(c, c.input.cluster, c.input.service))],
  'ecs:DeleteService': (c) => [c.on('ecs:DeleteService', serviceArn(c, c.input.cluster, c.input.service))],
  'ecs:DeleteCluster': (c) => [c.on('ecs:DeleteCluster', clusterArn(c, c.input.cluster))],

  // Application Auto Scaling.
  'autoscaling:DescribeScalableTargets': star('application-autoscaling:DescribeScalableTargets'),
  'autoscaling:DescribeScalingPolicies': star('application-autoscaling:DescribeScalingPolicies'),
  'autoscaling:ListTagsForResource': (c) => [
    c.on('application-autoscaling:ListTagsForResource', c.input.ResourceARN),
  ],
  'autoscaling:RegisterScalableTarget': (c) => {
    const arn = c.output.ScalableTargetARN as string;
    const existing = c.call.before.some((i) => i.arn === arn);
    if (existing) return [c.on('application-autoscaling:RegisterScalableTarget', arn)];
    return create(c, 'application-autoscaling:RegisterScalableTarget', arn, c.input.Tags ?? {}, {
      action: 'application-autoscaling:TagResource',
      resourceTagsToo: true,
    });
  },
  'autoscaling:PutScalingPolicy': (c) => [
    c.on('application-autoscaling:PutScalingPolicy', scalableTarget(c, c.input.ResourceId)),
  ],
  'autoscaling:DeleteScalingPolicy': (c) => [
    c.on('application-autoscaling:DeleteScalingPolicy', scalableTarget(c, c.input.ResourceId)),
  ],
  'autoscaling:DeregisterScalableTarget': (c) => [
    c.on('application-autoscaling:DeregisterScalableTarget', scalableTarget(c, c.input.ResourceId)),
  ],

  // Route 53 (global: no region in the ARN).
  'route53:ListResourceRecordSets': (c) => [
    {
      action: 'route53:ListResourceRecordSets',
      resource: `arn:aws:route53:::hostedzone/${c.input.HostedZoneId}`,
    },
  ],
  'route53:GetChange': (c) => [
    {
      action: 'route53:GetChange',
      resource: `arn:aws:route53:::change/${String(c.input.Id).replace(/^\/?change\//, '')}`,
    },
  ],
  'route53:ChangeResourceRecordSets': (c) => {
    const changes = c.input.ChangeBatch.Changes as {
      Action: string;
      ResourceRecordSet: { Name: string; Type: string };
    }[];
    const unique = (values: string[]) => [...new Set(values)];
    return [
      {
        action: 'route53:ChangeResourceRecordSets',
        resource: `arn:aws:route53:::hostedzone/${c.input.HostedZoneId}`,
        context: {
          'route53:ChangeResourceRecordSetsActions': unique(changes.map((ch) => ch.Action)),
          'route53:ChangeResourceRecordSetsRecordTypes': unique(
            changes.map((ch) => ch.ResourceRecordSet.Type),
          ),
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': unique(
            changes.map((ch) => ch.ResourceRecordSet.Name.toLowerCase().replace(/\.$/, '')),
          ),
        },
      },
    ];
  },

  // Lambda: a tagged function's GetFunction also needs ListTags.
  'lambda:GetFunction': (c) => {
    const arn = functionArn(c, c.input.FunctionName);
    return [c.on('lambda:GetFunction', arn), c.on('lambda:ListTags', arn)];
  },
  'lambda:GetPolicy': (c) => [c.on('lambda:GetPolicy', functionArn(c, c.input.FunctionName))],
  'lambda:CreateFunction': (c) => [
    ...create(c, 'lambda:CreateFunction', functionArn(c, c.input.FunctionName), c.input.Tags ?? {}, {
      action: 'lambda:TagResource',
      resourceTagsToo: true,
    }),
    passRole(c.input.Role, 'lambda.amazonaws.com'),
  ],
  'lambda:UpdateFunctionConfiguration': (c) => [
    c.on('lambda:UpdateFunctionConfiguration', functionArn(c, c.input.FunctionName)),
    ...(c.input.Role ? [passRole(c.input.Role, 'lambda.amazonaws.com')] : []),
  ],
  ...Object.fromEntries(
    [
      'UpdateFunctionCode',
      'PutFunctionConcurrency',
      'DeleteFunctionConcurrency',
      'AddPermission',
      'RemovePermission',
      'DeleteFunction',
    ].map((op) => [
      `lambda:${op}`,
      (c: Call) => [c.on(`lambda:${op}`, functionArn(c, c.input.FunctionName))],
    ]),
  ),

  // API Gateway v2: HTTP verbs on resource paths.
  'apigatewayv2:GetApi': (c) => [c.on('apigateway:GET', c.apigw(`/apis/${c.input.ApiId}`))],
  'apigatewayv2:GetApis': (c) => [{ action: 'apigateway:GET', resource: c.apigw('/apis') }],
  'apigatewayv2:GetIntegrations': (c) => [
    { action: 'apigateway:GET', resource: c.apigw(`/apis/${c.input.ApiId}/integrations`) },
  ],
  'apigatewayv2:GetRoutes': (c) => [
    { action: 'apigateway:GET', resource: c.apigw(`/apis/${c.input.ApiId}/routes`) },
  ],
  'apigatewayv2:GetStage': (c) => [
    c.on('apigateway:GET', c.apigw(`/apis/${c.input.ApiId}/stages/${c.input.StageName}`)),
  ],
  'apigatewayv2:GetDomainName': (c) => [
    c.on('apigateway:GET', c.apigw(`/domainnames/${c.input.DomainName}`)),
  ],
  'apigatewayv2:GetDomainNames': (c) => [{ action: 'apigateway:GET', resource: c.apigw('/domainnames') }],
  'apigatewayv2:GetApiMappings': (c) => [
    { action: 'apigateway:GET', resource: c.apigw(`/domainnames/${c.input.DomainName}/apimappings`) },
  ],
  'apigatewayv2:CreateApi': (c) => create(c, 'apigateway:POST', c.apigw('/apis'), c.input.Tags ?? {}),
  'apigatewayv2:UpdateApi': (c) => [c.on('apigateway:PATCH', c.apigw(`/apis/${c.input.ApiId}`))],
  'apigatewayv2:DeleteApi': (c) => [c.on('apigateway:DELETE', c.apigw(`/apis/${c.input.ApiId}`))],
  'apigatewayv2:CreateIntegration': (c) => [
    { action: 'apigateway:POST', resource: c.apigw(`/apis/${c.input.ApiId}/integrations`) },
  ],
  'apigatewayv2:UpdateIntegration': (c) => [
    {
      action: 'apigateway:PATCH',
      resource: c.apigw(`/apis/${c.input.ApiId}/integrations/${c.input.IntegrationId}`),
    },
  ],
  'apigatewayv2:DeleteIntegration': (c) => [
    {
      action: 'apigateway:DELETE',
      resource: c.apigw(`/apis/${c.input.ApiId}/integrations/${c.input.IntegrationId}`),
    },
  ],
  'apigatewayv2:CreateRoute': (c) => [
    { action: 'apigateway:POST', resource: c.apigw(`/apis/${c.input.ApiId}/routes`) },
  ],
  'apigatewayv2:UpdateRoute': (c) => [
    { action: 'apigateway:PATCH', resource: c.apigw(`/apis/${c.input.ApiId}/routes/${c.input.RouteId}`) },
  ],
  'apigatewayv2:DeleteRoute': (c) => [
    { action: 'apigateway:DELETE', resource: c.apigw(`/apis/${c.input.ApiId}/routes/${c.input.RouteId}`) },
  ],
  'apigatewayv2:CreateStage': (c) =>
    create(c, 'apigateway:POST', c.apigw(`/apis/${c.input.ApiId}/stages`), c.input.Tags ?? {}),
  'apigatewayv2:UpdateStage': (c) => [
    c.on('apigateway:PATCH', c.apigw(`/apis/${c.input.ApiId}/stages/${c.input.StageName}`)),
  ],
  'apigatewayv2:DeleteStage': (c) => [
    c.on('apigateway:DELETE', c.apigw(`/apis/${c.input.ApiId}/stages/${c.input.StageName}`)),
  ],
  'apigatewayv2:CreateDomainName': (c) =>
    create(c, 'apigateway:POST', c.apigw('/domainnames'), c.input.Tags ?? {}),
  'apigatewayv2:UpdateDomainName': (c) => [
    c.on('apigateway:PATCH', c.apigw(`/domainnames/${c.input.DomainName}`)),
  ],
  'apigatewayv2:DeleteDomainName': (c) => [
    c.on('apigateway:DELETE', c.apigw(`/domainnames/${c.input.DomainName}`)),
  ],
  'apigatewayv2:CreateApiMapping': (c) => [
    { action: 'apigateway:POST', resource: c.apigw(`/domainnames/${c.input.DomainName}/apimappings`) },
  ],
  'apigatewayv2:UpdateApiMapping': (c) => [
    {
      action: 'apigateway:PATCH',
      resource: c.apigw(`/domainnames/${c.input.DomainName}/apimappings/${c.input.ApiMappingId}`),
    },
  ],
  'apigatewayv2:DeleteApiMapping': (c) => [
    {
      action: 'apigateway:DELETE',
      resource: c.apigw(`/domainnames/${c.input.DomainName}/apimappings/${c.input.ApiMappingId}`),
    },
  ],

  // IAM: roles by name, with their tags and boundary as IAM sees them.
  'iam:GetRole': (c) => [onRole(c, 'iam:GetRole', c.input.RoleName)],
  'iam:GetRolePolicy': (c) => [onRole(c, 'iam:GetRolePolicy', c.input.RoleName)],
  'iam:ListAttachedRolePolicies': (c) => [onRole(c, 'iam:ListAttachedRolePolicies', c.input.RoleName)],
  'iam:ListRolePolicies': (c) => [onRole(c, 'iam:ListRolePolicies', c.input.RoleName)],
  'iam:ListPolicies': star('iam:ListPolicies'),
  'iam:CreateRole': (c) => [
    {
      action: 'iam:CreateRole',
      resource: `arn:aws:iam::${c.call.accountId}:role${c.input.Path ?? '/'}${c.input.RoleName}`,
      context: {
        ...requestTags(fromList(c.input.Tags)),
        ...(c.input.PermissionsBoundary ? { 'iam:PermissionsBoundary': c.input.PermissionsBoundary } : {}),
      },
    },
  ],
  'iam:UpdateAssumeRolePolicy': (c) => [onRole(c, 'iam:UpdateAssumeRolePolicy', c.input.RoleName)],
  'iam:PutRolePermissionsBoundary': (c) => [
    onRole(c, 'iam:PutRolePermissionsBoundary', c.input.RoleName, {
      'iam:PermissionsBoundary': c.input.PermissionsBoundary,
    }),
  ],
  'iam:AttachRolePolicy': (c) => [
    onRole(c, 'iam:AttachRolePolicy', c.input.RoleName, { 'iam:PolicyARN': c.input.PolicyArn }),
  ],
  'iam:DetachRolePolicy': (c) => [
    onRole(c, 'iam:DetachRolePolicy', c.input.RoleName, { 'iam:PolicyARN': c.input.PolicyArn }),
  ],
  'iam:PutRolePolicy': (c) => [onRole(c, 'iam:PutRolePolicy', c.input.RoleName)],
  'iam:DeleteRolePolicy': (c) => [onRole(c, 'iam:DeleteRolePolicy', c.input.RoleName)],
  'iam:DeleteRole': (c) => [onRole(c, 'iam:DeleteRole', c.input.RoleName)],

  'cloudwatch:GetMetricData': star('cloudwatch:GetMetricData'),
  'tagging:GetResources': star('tag:GetResources'),

  // EventBridge Scheduler: the schedule, and the role it will invoke with.
  'scheduler:CreateSchedule': (c) => [
    {
      action: 'scheduler:CreateSchedule',
      resource: c.regional('scheduler', `schedule/${c.input.GroupName ?? 'default'}/${c.input.Name}`),
    },
    passRole(c.input.Target.RoleArn, 'scheduler.amazonaws.com'),
  ],
  'scheduler:UpdateSchedule': (c) => [
    {
      action: 'scheduler:UpdateSchedule',
      resource: c.regional('scheduler', `schedule/${c.input.GroupName ?? 'default'}/${c.input.Name}`),
    },
    passRole(c.input.Target.RoleArn, 'scheduler.amazonaws.com'),
  ],
};

/** Every IAM request the recorded calls needed. An operation nobody modelled here throws. */
export async function requestsOf(
  calls: RecordedCall[],
): Promise<{ call: RecordedCall; request: IamRequest }[]> {
  const out: { call: RecordedCall; request: IamRequest }[] = [];
  for (const [index, call] of calls.entries()) {
    const key = `${call.service}:${call.operation}`;
    const builder = BUILDERS[key];
    if (!builder) throw new Error(`no authorization model for ${key} (test/reconciler/iam/authorization.ts)`);
    // A create that failed made nothing: its ARN is unknown, and what it would have needed is checked
    // where it succeeds.
    if (
      call.error &&
      /^(ec2:Create|elbv2:Create|ecs:(Create|Register)|autoscaling:Register|lambda:Create)/.test(key)
    ) {
      continue;
    }
    for (const request of builder(callOf(call, calls.slice(0, index)))) {
      const [service, action] = request.action.split(':') as [string, string];
      const wildcardOnly = await isWildcardOnlyAction(service, action);
      out.push({ call, request: wildcardOnly ? { ...request, resource: '*' } : request });
    }
  }
  return out;
}

/** The table calls the state store made (dynalite is not the simulated account), as IAM requests. */
export function tableRequests(operations: Iterable<string>, tableArn: string): IamRequest[] {
  return [...operations].map((op) => ({ action: op, resource: tableArn }));
}
