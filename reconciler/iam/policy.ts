/**
 * The reconciler role's least-privilege policy, generated from the registry of operations the reconciler
 * sends (registry.ts) and how narrowly each can be granted (scopes.ts), for one region of one account.
 *
 * A statement holds one set of resources under one condition. Actions are merged only into a statement
 * with exactly the same resources and condition, which grants nothing more than the statements apart
 * would; resource lists are never merged, so a condition written for one resource type never stretches
 * to another (API Gateway's verbs are shared by every resource type of the service).
 *
 * The document is delivered as customer managed policies (bootstrap attaches them to the reconciler's
 * role), split by service family so that each part stays under IAM's limit for a managed policy.
 *
 * @example
 * const parts = reconcilerPolicies({ partition: 'aws', region: 'eu-west-1', account: '123456789012',
 *   tableName: 'lambdaflex', hostedZones: [] });
 * parts.map((p) => policySize(p.document)); // each < MANAGED_POLICY_LIMIT
 */
import { RECONCILER_ACTIONS } from './registry';
import { IMPLIED_GRANTS, OPERATION_SCOPES, type Condition, type PolicyContext, type Scope } from './scopes';

export type { Condition, PolicyContext } from './scopes';

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Condition;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: Statement[];
}

/** IAM's limit for one customer managed policy, in characters without whitespace (IAM quotas). */
export const MANAGED_POLICY_LIMIT = 6_144;
/** IAM's limit for all inline policies of one role together, in characters without whitespace. */
export const ROLE_INLINE_LIMIT = 10_240;

/** The parts the policy is delivered in, by IAM service prefix. */
export const POLICY_PARTS = {
  network: ['ec2'],
  balancing: ['elasticloadbalancing'],
  containers: ['ecs', 'application-autoscaling'],
  functions: ['lambda', 'apigateway'],
  // One statement per configured hosted zone: apart, so that many zones never crowd the rest out.
  dns: ['route53'],
  control: ['iam', 'dynamodb', 'scheduler', 'cloudwatch', 'tag', 'sqs'],
} as const satisfies Record<string, readonly string[]>;

export type PolicyPart = keyof typeof POLICY_PARTS;

export interface PolicyPartDocument {
  part: PolicyPart;
  document: IamPolicy;
}

/** One action on one scope, before grouping. */
interface Grant {
  action: string;
  scope: Scope;
}

function allGrants(context: PolicyContext): Grant[] {
  const grants: Grant[] = [];
  for (const entry of RECONCILER_ACTIONS) {
    for (const scope of OPERATION_SCOPES[entry.call]!(context)) grants.push({ action: entry.action, scope });
  }
  for (const implied of IMPLIED_GRANTS) {
    for (const scope of implied.scopes(context)) grants.push({ action: implied.action, scope });
  }
  // A scope over no resource (no hosted zone configured) grants nothing: no statement.
  return grants.filter((g) => g.scope.resources.length > 0);
}

const serviceOf = (action: string) => action.split(':')[0]!;

function sidOf(service: string, condition: Condition | undefined, taken: Set<string>): string {
  const name = service.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  const json = JSON.stringify(condition ?? {});
  const how = json.includes('aws:RequestTag')
    ? 'NewTagged'
    : json.includes('aws:ResourceTag')
      ? 'Owned'
      : condition
        ? 'Conditioned'
        : 'Scoped';
  const base = `${name}${how}`;
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  taken.add(sid);
  return sid;
}

/** Statements for these grants: one per (resources, condition), actions sorted, order deterministic. */
function statementsOf(grants: Grant[]): Statement[] {
  const groups = new Map<
    string,
    { service: string; resources: string[]; condition?: Condition; actions: Set<string> }
  >();
  for (const { action, scope } of grants) {
    const resources = [...new Set(scope.resources)].sort();
    const service = serviceOf(action);
    const key = JSON.stringify([service, resources, scope.condition ?? null]);
    const group = groups.get(key) ?? { service, resources, condition: scope.condition, actions: new Set() };
    group.actions.add(action);
    groups.set(key, group);
  }
  const taken = new Set<string>();
  return [...groups.values()]
    .map((g) => ({ ...g, actions: [...g.actions].sort() }))
    .sort(
      (a, b) =>
        a.actions[0]!.localeCompare(b.actions[0]!) ||
        a.resources[0]!.localeCompare(b.resources[0]!) ||
        JSON.stringify(a.condition ?? {}).localeCompare(JSON.stringify(b.condition ?? {})),
    )
    .map((g) => ({
      Sid: sidOf(g.service, g.condition, taken),
      Effect: 'Allow' as const,
      Action: g.actions,
      Resource: g.resources.length === 1 ? g.resources[0]! : g.resources,
      ...(g.condition ? { Condition: g.condition } : {}),
    }));
}

function partOf(action: string): PolicyPart {
  const service = serviceOf(action);
  for (const [part, services] of Object.entries(POLICY_PARTS) as [PolicyPart, readonly string[]][]) {
    if (services.includes(service)) return part;
  }
  throw new Error(`no policy part holds ${service} (reconciler/iam/policy.ts POLICY_PARTS)`);
}

/**
 * The reconciler's policy for one region of one account, as the managed policies bootstrap keeps.
 * Deterministic: same context, same JSON. Without a configured hosted zone the `dns` part is left out
 * (an IAM policy must have a statement).
 */
export function reconcilerPolicies(context: PolicyContext): PolicyPartDocument[] {
  const grants = allGrants(context);
  return (Object.keys(POLICY_PARTS) as PolicyPart[])
    .map((part) => ({
      part,
      document: {
        Version: '2012-10-17' as const,
        Statement: statementsOf(grants.filter((g) => partOf(g.action) === part)),
      },
    }))
    .filter((p) => p.document.Statement.length > 0);
}

/** The whole policy as one document (what the parts grant together), for reading and evaluating. */
export function reconcilerPolicy(context: PolicyContext): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: reconcilerPolicies(context).flatMap((p) => p.document.Statement),
  };
}

/** A policy's size as IAM counts it: characters of its JSON, whitespace left out. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}
