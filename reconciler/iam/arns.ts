/**
 * Typed builders of every ARN and name the reconciler's IAM policies hold. A policy is made from a
 * `Where` (partition, region, account) and nothing else, so a document cannot carry a placeholder: there
 * is no template to fill, in resources or in conditions.
 *
 * IAM names are global while stacks and bootstraps are regional: every IAM name LambdaFlex gives (stack
 * roles, the reconciler's roles and policies, the permissions boundary) carries the region, and the stack
 * roles live under the path `/lambdaflex/<region>/`, so one region's reconciler can neither see nor change
 * another region's roles.
 */
import { resourceName, NAME_LIMITS } from '../../spec/names';
import type { Partition } from '../aws/partition';

export { partitionOf, type Partition } from '../aws/partition';

/** Where a policy applies: one account, one region. */
export interface Where {
  partition: Partition;
  region: string;
  account: string;
}

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/x` → where it is. */
export function whereOf(arn: string): Where {
  const [prefix, partition, , region, account] = arn.split(':');
  if (prefix !== 'arn' || !partition || !region || !account || !/^\d{12}$/.test(account)) {
    throw new Error(`not a regional ARN with an account: ${arn}`);
  }
  return { partition: partition as Partition, region, account };
}

const regional = (w: Where, service: string, resource: string) =>
  `arn:${w.partition}:${service}:${w.region}:${w.account}:${resource}`;
/** API Gateway's ARNs name the region but no account. */
const apiGateway = (w: Where, path: string) => `arn:${w.partition}:apigateway:${w.region}::${path}`;
const iam = (w: Where, resource: string) => `arn:${w.partition}:iam::${w.account}:${resource}`;

/** Every name of `lf-<stack>-*` resources, as ARN patterns of this region and account. */
export const arn = {
  ec2: (w: Where, type: 'vpc' | 'subnet' | 'security-group' | 'internet-gateway' | 'route-table') =>
    regional(w, 'ec2', `${type}/*`),
  loadBalancers: (w: Where) => regional(w, 'elasticloadbalancing', 'loadbalancer/app/lf-*/*'),
  targetGroups: (w: Where) => regional(w, 'elasticloadbalancing', 'targetgroup/lf-*/*'),
  listeners: (w: Where) => regional(w, 'elasticloadbalancing', 'listener/app/lf-*/*/*'),
  clusters: (w: Where) => regional(w, 'ecs', 'cluster/lf-*'),
  services: (w: Where) => regional(w, 'ecs', 'service/lf-*/lf-*'),
  taskDefinitions: (w: Where) => regional(w, 'ecs', 'task-definition/lf-*:*'),
  scalableTargets: (w: Where) => regional(w, 'application-autoscaling', 'scalable-target/*'),
  functions: (w: Where) => regional(w, 'lambda', 'function:lf-*'),
  apis: (w: Where) => apiGateway(w, '/apis'),
  api: (w: Where) => apiGateway(w, '/apis/*'),
  apiChildren: (w: Where, child: 'integrations' | 'routes' | 'stages') => [
    apiGateway(w, `/apis/*/${child}`),
    apiGateway(w, `/apis/*/${child}/*`),
  ],
  domainNames: (w: Where) => apiGateway(w, '/domainnames'),
  domainName: (w: Where) => apiGateway(w, '/domainnames/*'),
  apiMappings: (w: Where) => [
    apiGateway(w, '/domainnames/*/apimappings'),
    apiGateway(w, '/domainnames/*/apimappings/*'),
  ],
  apiTags: (w: Where) => apiGateway(w, '/tags/*'),
  hostedZone: (w: Where, id: string) => `arn:${w.partition}:route53:::hostedzone/${id}`,
  route53Changes: (w: Where) => `arn:${w.partition}:route53:::change/*`,
  schedule: (w: Where, group: string, name: string) => regional(w, 'scheduler', `schedule/${group}/${name}`),
  table: (w: Where, name: string) => regional(w, 'dynamodb', `table/${name}`),
  /** Every stream of the table (each enabling of its stream gets a new label). */
  tableStreams: (w: Where, name: string) => regional(w, 'dynamodb', `table/${name}/stream/*`),
  queue: (w: Where, name: string) => regional(w, 'sqs', name),
  logGroups: (w: Where, pattern: string) => [
    regional(w, 'logs', `log-group:${pattern}`),
    regional(w, 'logs', `log-group:${pattern}:*`),
  ],
  /** The stack roles of this region: `/lambdaflex/<region>/lf-*`. */
  stackRoles: (w: Where) => iam(w, `role${stackRolePath(w.region)}lf-*`),
  /**
   * Stack roles named before names carried the region (`/lf-*`): only ever emptied and deleted, once
   * the stack has moved to its regional role.
   */
  legacyStackRoles: (w: Where) => iam(w, 'role/lf-*'),
  role: (w: Where, name: string, path = '/') => iam(w, `role${path}${name}`),
  serviceLinkedRoles: (w: Where) => iam(w, 'role/aws-service-role/*'),
  /** A customer managed policy of LambdaFlex's, under the region's path. */
  policy: (w: Where, name: string) => iam(w, `policy${stackRolePath(w.region)}${name}`),
  awsManagedPolicy: (partition: Partition, name: string) =>
    `arn:${partition}:iam::aws:policy/service-role/${name}`,
} as const;

/** IAM path of everything regional LambdaFlex keeps in IAM (stack roles, its customer managed policies). */
export function stackRolePath(region: string): string {
  return `/lambdaflex/${region}/`;
}

/**
 * A stack role's name: `lf-<stack>-<component>-<region>`, cut with a hash suffix at IAM's 64 characters.
 *
 * @example
 * stackRoleName('web', 'lambda-role', 'eu-west-1'); // 'lf-web-lambda-role-eu-west-1'
 */
export function stackRoleName(stack: string, component: string, region: string): string {
  return resourceName(stack, `${component}-${region}`, NAME_LIMITS.iamRole);
}

/** Names of the customer managed policies bootstrap keeps in each region (under `stackRolePath`). */
export const POLICY_NAMES = {
  /** The permissions boundary every stack role is created with. */
  boundary: (region: string) => `lambdaflex-stack-boundary-${region}`,
  /** What a task execution role needs beyond AWS's managed policy: creating the stack's log group. */
  stackLogs: (region: string) => `lambdaflex-stack-logs-${region}`,
  /**
   * What a stack's function role needs to serve /desired-state and /stack-status: its own item of the
   * state table (dynamodb:LeadingKeys = the role's `lambdaflex:stack` tag).
   */
  stackTable: (region: string) => `lambdaflex-stack-table-${region}`,
  /** One part of the reconciler's own policy. */
  reconciler: (region: string, part: string) => `lambdaflex-reconciler-${part}-${region}`,
  /** What the scheduler role may do: invoke the reconciler function of the region. */
  invoke: (region: string) => `lambdaflex-reconciler-invoke-${region}`,
} as const;
