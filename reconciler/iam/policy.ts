/**
 * The reconciler role's least-privilege policy, generated from the registry of operations the reconciler
 * sends (registry.ts) and how narrowly each can be granted (scopes.ts). Grants of the same
 * service and condition share one statement, so the document stays well under IAM's 10,240-character limit for a
 * role's inline policies.
 *
 * @example
 * const doc = reconcilerPolicy({ tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/lambdaflex' });
 * JSON.stringify(doc).length; // < 10240
 */
import { MANAGED_BY, TAG_MANAGED_BY } from '../../spec/names';
import { IMPLIED_GRANTS, RECONCILER_ACTIONS } from './registry';
import { IMPLIED_SCOPES, type Scope } from './scopes';

export type Condition = Record<string, Record<string, string | string[]>>;

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

export interface PolicyContext {
  /** ARN of the state table. */
  tableArn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`; by default taken from the table's ARN. */
  partition?: string;
}

/** One action on some resources under one condition, before grouping. */
interface Grant {
  action: string;
  resources: string[];
  condition?: Condition;
}

const REQUEST_TAG: Condition = { StringEquals: { [`aws:RequestTag/${TAG_MANAGED_BY}`]: MANAGED_BY } };
const RESOURCE_TAG: Condition = { StringEquals: { [`aws:ResourceTag/${TAG_MANAGED_BY}`]: MANAGED_BY } };

function merge(a: Condition | undefined, b: Condition | undefined): Condition | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Condition = structuredClone(a);
  for (const [operator, keys] of Object.entries(b)) out[operator] = { ...(out[operator] ?? {}), ...keys };
  return out;
}

/** The statements one scope asks for: alternatives (request or resource tag) and parents are separate. */
export function grantsOf(action: string, scope: Scope): Grant[] {
  const grants: Grant[] = [];
  const tagged = scope.requestTag || scope.resourceTag;
  if (!tagged) grants.push({ action, resources: scope.resources, condition: scope.condition });
  if (scope.requestTag) {
    grants.push({ action, resources: scope.resources, condition: merge(REQUEST_TAG, scope.condition) });
  }
  if (scope.resourceTag) {
    grants.push({ action, resources: scope.resources, condition: merge(RESOURCE_TAG, scope.condition) });
  }
  if (scope.parents) grants.push({ action, resources: scope.parents, condition: RESOURCE_TAG });
  return grants;
}

function allGrants(): Grant[] {
  const grants = RECONCILER_ACTIONS.flatMap((entry) => grantsOf(entry.action, entry.scope));
  const implied = new Set(IMPLIED_GRANTS.map((g) => g.action));
  for (const action of implied) {
    for (const scope of IMPLIED_SCOPES[action] ?? []) grants.push(...grantsOf(action, scope));
  }
  return grants;
}

function sidOf(actions: string[], condition: Condition | undefined, taken: Set<string>): string {
  const prefixes = [...new Set(actions.map((a) => a.split(':')[0]!))];
  // Several services share a statement only for grants on `*`: one short name keeps the document small.
  const services =
    prefixes.length > 1
      ? 'Any'
      : prefixes[0]!.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  const json = JSON.stringify(condition ?? {});
  const how = json.includes('aws:RequestTag')
    ? 'NewTagged'
    : json.includes('aws:ResourceTag')
      ? 'Owned'
      : condition
        ? 'Conditioned'
        : 'Scoped';
  const base = `${services}${how}`.slice(0, 90);
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  taken.add(sid);
  return sid;
}

function fill(resource: string, context: PolicyContext, partition: string): string {
  return resource.replace('{p}', partition).replace('{table}', context.tableArn);
}

/** The reconciler role's policy document for the given state table. Deterministic: same input, same JSON. */
export function reconcilerPolicy(context: PolicyContext): IamPolicy {
  const partition = context.partition ?? context.tableArn.split(':')[1] ?? 'aws';
  const groups = new Map<string, { resources: string[]; condition?: Condition; actions: Set<string> }>();
  for (const grant of allGrants()) {
    const resources = grant.resources.map((r) => fill(r, context, partition));
    // Within one service and condition the resource lists are merged: an action only ever applies to its
    // own resource types, so DeleteVpc listed beside `subnet/*` gains nothing, and the document shrinks
    // below IAM's limit. Grants on `*` are merged across services for the same reason.
    const service = resources.includes('*') ? '*' : grant.action.split(':')[0]!;
    const key = JSON.stringify([service, grant.condition ?? null]);
    const group = groups.get(key) ?? {
      resources: [],
      condition: grant.condition,
      actions: new Set<string>(),
    };
    group.actions.add(grant.action);
    group.resources = [...new Set([...group.resources, ...resources])].sort();
    groups.set(key, group);
  }
  const taken = new Set<string>();
  const statements = [...groups.values()]
    .map((g) => ({ ...g, actions: [...g.actions].sort() }))
    .sort(
      (a, b) => a.actions[0]!.localeCompare(b.actions[0]!) || a.resources[0]!.localeCompare(b.resources[0]!),
    );
  return {
    Version: '2012-10-17',
    Statement: statements.map((g) => ({
      Sid: sidOf(g.actions, g.condition, taken),
      Effect: 'Allow',
      Action: g.actions,
      Resource: g.resources.length === 1 ? g.resources[0]! : g.resources,
      ...(g.condition ? { Condition: g.condition } : {}),
    })),
  };
}
