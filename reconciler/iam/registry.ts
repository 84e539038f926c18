/**
 * Every AWS operation the reconciler Lambda sends, as data: the SDK call (`service:Operation`, the names
 * the call counter uses), the IAM action it needs, and the statements that grant it (scopes.ts).
 *
 * The list is checked against the code in both directions (test/reconciler/iam/): a scan of the
 * reconciler's sources must find exactly these operations, and the scenario runs against the simulated
 * AWS must call nothing outside them. Add an operation to scopes.ts when a kind starts sending it.
 */
import { IMPLIED_GRANTS, OPERATION_SCOPES } from './scopes';

export { IMPLIED_GRANTS, type ImpliedGrant } from './scopes';

export interface ActionEntry {
  /** `service:Operation` as reconciler/aws/call-counter.ts counts it (`elbv2:CreateLoadBalancer`). */
  call: string;
  /** The IAM action (`elasticloadbalancing:CreateLoadBalancer`, `apigateway:POST`). */
  action: string;
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
  sqs: 'sqs',
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

/** The registry, one entry per operation of scopes.ts. */
export const RECONCILER_ACTIONS: readonly ActionEntry[] = Object.keys(OPERATION_SCOPES)
  .map((call) => ({ call, action: iamActionOf(call) }))
  .sort((a, b) => a.call.localeCompare(b.call));

/** Every IAM action the policy grants, implied ones included. */
export function grantedActions(): string[] {
  return [
    ...new Set([...RECONCILER_ACTIONS.map((a) => a.action), ...IMPLIED_GRANTS.map((g) => g.action)]),
  ].sort();
}
