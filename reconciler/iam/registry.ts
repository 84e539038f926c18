/**
 * Every AWS operation the reconciler Lambda sends, as data: the SDK call (`service:Operation`, the names
 * the call counter uses), the IAM action it needs, and how far the grant can be narrowed.
 *
 * The list is checked against the code in both directions (test/reconciler/iam/): a scan of the
 * reconciler's sources must find exactly these operations, and a scale-up, scale-down and delete against
 * the simulated AWS must call nothing outside them. Add an operation here when a kind starts sending it.
 */
import { OPERATION_SCOPES, type Scope } from './scopes';

export interface ActionEntry {
  /** `service:Operation` as reconciler/aws/call-counter.ts counts it (`elbv2:CreateLoadBalancer`). */
  call: string;
  /** The IAM action (`elasticloadbalancing:CreateLoadBalancer`, `apigateway:POST`). */
  action: string;
  scope: Scope;
}

/** SDK client key → IAM service prefix. */
export const IAM_PREFIX: Record<string, string> = {
  ec2: 'ec2',
  elbv2: 'elasticloadbalancing',
  ecs: 'ecs',
  autoscaling: 'application-autoscaling',
  route53: 'route53',
  lambda: 'lambda',
  apigatewayv2: 'apigateway',
  cloudwatch: 'cloudwatch',
  tagging: 'tag',
  iam: 'iam',
  scheduler: 'scheduler',
  dynamodb: 'dynamodb',
};

/** API Gateway's IAM actions are HTTP verbs on resource paths, not operation names. */
function apiGatewayVerb(operation: string): string {
  if (/^(Get)/.test(operation)) return 'GET';
  if (/^(Create)/.test(operation)) return 'POST';
  if (/^(Update)/.test(operation)) return 'PATCH';
  if (/^(Delete)/.test(operation)) return 'DELETE';
  throw new Error(`no API Gateway verb known for ${operation}`);
}

export function iamActionOf(call: string): string {
  const [service, operation] = call.split(':') as [string, string];
  const prefix = IAM_PREFIX[service];
  if (!prefix) throw new Error(`no IAM prefix known for service ${service}`);
  if (service === 'apigatewayv2') return `apigateway:${apiGatewayVerb(operation)}`;
  return `${prefix}:${operation}`;
}

/** The registry, built from the per-operation scopes so that every entry has exactly one. */
export const RECONCILER_ACTIONS: readonly ActionEntry[] = Object.entries(OPERATION_SCOPES)
  .map(([call, scope]) => ({ call, action: iamActionOf(call), scope }))
  .sort((a, b) => a.call.localeCompare(b.call));

/**
 * Permissions that no SDK call of ours names but that AWS checks on our behalf. Each names the call that
 * needs it, so that it disappears from the policy when that call does.
 */
export interface ImpliedGrant {
  action: string;
  impliedBy: string[];
  why: string;
}

export const IMPLIED_GRANTS: readonly ImpliedGrant[] = [
  {
    action: 'iam:PassRole',
    impliedBy: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration', 'ecs:RegisterTaskDefinition'],
    why: 'handing the stack roles to Lambda and ECS',
  },
  {
    action: 'iam:PassRole',
    impliedBy: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
    why: 'the one-off requeue schedule invokes the reconciler with the scheduler role',
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    impliedBy: ['ecs:CreateCluster', 'elbv2:CreateLoadBalancer', 'autoscaling:RegisterScalableTarget'],
    why: 'ECS, ELB and Application Auto Scaling create their service-linked role on first use',
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
  },
  {
    action: 'elasticloadbalancing:AddTags',
    impliedBy: ['elbv2:CreateLoadBalancer', 'elbv2:CreateTargetGroup', 'elbv2:CreateListener'],
    why: 'tags given at creation are authorised as AddTags',
  },
  {
    action: 'ecs:TagResource',
    impliedBy: ['ecs:CreateCluster', 'ecs:CreateService', 'ecs:RegisterTaskDefinition'],
    why: 'tags given at creation are authorised as TagResource',
  },
  {
    action: 'application-autoscaling:TagResource',
    impliedBy: ['autoscaling:RegisterScalableTarget'],
    why: 'tags given at creation are authorised as TagResource',
  },
  {
    action: 'lambda:TagResource',
    impliedBy: ['lambda:CreateFunction'],
    why: 'tags given at creation are authorised as TagResource',
  },
];
