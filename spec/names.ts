/**
 * Derived AWS resource names and ownership tags (docs/design.md "Ownership and names").
 *
 * Names are `lf-<stack>-<component>`. Where that is longer than the AWS limit for the kind, it is cut
 * and ends with `-` + the first 6 hex digits of the SHA-256 of the full name: deterministic (the
 * reconciler finds the same resource on every pass) and distinct for two long names sharing a prefix.
 */
import { createHash } from 'node:crypto';

/** AWS's name length limits per resource kind. */
export const NAME_LIMITS = {
  /** ELBv2 load balancer and target group names: letters, digits and hyphens, no hyphen at either end. */
  alb: 32,
  targetGroup: 32,
  ecsCluster: 255,
  ecsService: 255,
  taskFamily: 255,
  lambdaFunction: 64,
  iamRole: 64,
  httpApi: 128,
  /** EC2 resources have no name; the `Name` tag value is limited to 256 characters. */
  ec2NameTag: 256,
  securityGroup: 255,
  scalingPolicy: 256,
  logGroup: 512,
} as const;

const HASH_LENGTH = 6;

/** First 6 hex digits of SHA-256: enough to keep a handful of cut names per stack apart. */
function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * `lf-<stack>-<component>`, cut to `limit` characters with a hash suffix when longer.
 *
 * @example
 * resourceName('orders-api', 'alb', 32); // 'lf-orders-api-alb'
 * resourceName('a-very-long-stack-name-x', 'execution-role', 32); // 'lf-a-very-long-stack-name-3f9a1c' (hash varies)
 */
export function resourceName(stack: string, component: string, limit: number = 255): string {
  const full = `lf-${stack}-${component}`;
  if (full.length <= limit) return full;
  const suffix = `-${shortHash(full)}`;
  if (limit < suffix.length + 1) throw new RangeError(`limit ${limit} too small for a cut name`);
  // Trailing hyphens would give `--` before the hash, which ALB names reject.
  const head = full.slice(0, limit - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/** Every name the reconciler gives to a stack's resources. */
export interface StackNames {
  vpc: string;
  subnetA: string;
  subnetB: string;
  internetGateway: string;
  routeTable: string;
  albSecurityGroup: string;
  tasksSecurityGroup: string;
  loadBalancer: string;
  targetGroup: string;
  cluster: string;
  service: string;
  taskFamily: string;
  executionRole: string;
  scalingPolicy: string;
  lambdaFunction: string;
  lambdaRole: string;
  api: string;
  logGroup: string;
}

/** Ownership components, as written in the `lambdaflex:component` tag. */
export const COMPONENTS = {
  vpc: 'vpc',
  subnetA: 'subnet-a',
  subnetB: 'subnet-b',
  internetGateway: 'igw',
  routeTable: 'route-table',
  albSecurityGroup: 'sg-alb',
  tasksSecurityGroup: 'sg-tasks',
  loadBalancer: 'alb',
  targetGroup: 'tg',
  cluster: 'cluster',
  service: 'service',
  taskFamily: 'task',
  executionRole: 'execution-role',
  scalingPolicy: 'scaling-policy',
  lambdaFunction: 'function',
  lambdaRole: 'lambda-role',
  api: 'api',
  logGroup: 'logs',
} as const satisfies Record<keyof StackNames, string>;

export type Component = (typeof COMPONENTS)[keyof typeof COMPONENTS];

/**
 * All derived names of a stack.
 *
 * @example
 * names('orders-api').targetGroup; // 'lf-orders-api-tg'
 */
export function names(stack: string): StackNames {
  const c = COMPONENTS;
  const L = NAME_LIMITS;
  return {
    vpc: resourceName(stack, c.vpc, L.ec2NameTag),
    subnetA: resourceName(stack, c.subnetA, L.ec2NameTag),
    subnetB: resourceName(stack, c.subnetB, L.ec2NameTag),
    internetGateway: resourceName(stack, c.internetGateway, L.ec2NameTag),
    routeTable: resourceName(stack, c.routeTable, L.ec2NameTag),
    albSecurityGroup: resourceName(stack, c.albSecurityGroup, L.securityGroup),
    tasksSecurityGroup: resourceName(stack, c.tasksSecurityGroup, L.securityGroup),
    loadBalancer: resourceName(stack, c.loadBalancer, L.alb),
    targetGroup: resourceName(stack, c.targetGroup, L.targetGroup),
    cluster: resourceName(stack, c.cluster, L.ecsCluster),
    service: resourceName(stack, c.service, L.ecsService),
    taskFamily: resourceName(stack, c.taskFamily, L.taskFamily),
    executionRole: resourceName(stack, c.executionRole, L.iamRole),
    scalingPolicy: resourceName(stack, c.scalingPolicy, L.scalingPolicy),
    lambdaFunction: resourceName(stack, c.lambdaFunction, L.lambdaFunction),
    lambdaRole: resourceName(stack, c.lambdaRole, L.iamRole),
    api: resourceName(stack, c.api, L.httpApi),
    logGroup: `/lambdaflex/${stack}`,
  };
}

export const TAG_STACK = 'lambdaflex:stack';
export const TAG_COMPONENT = 'lambdaflex:component';
export const TAG_MANAGED_BY = 'lambdaflex:managed-by';
export const MANAGED_BY = 'lambdaflex';
/**
 * The creation nonce of a resource whose create AWS does not deduplicate: the stack records the nonce
 * before the call, so the tag proves the resource its own (docs/ownership.md).
 */
export const TAG_NONCE = 'lambdaflex:nonce';

/** `{ 'lambdaflex:nonce': nonce }`, or nothing without a nonce. */
export function nonceTags(nonce: string | undefined): Record<string, string> {
  return nonce === undefined ? {} : { [TAG_NONCE]: nonce };
}

/** A type alias, not an interface, so that it stays assignable to `Record<string, string>` tag maps. */
export type OwnershipTags = {
  [TAG_STACK]: string;
  [TAG_COMPONENT]: string;
  [TAG_MANAGED_BY]: typeof MANAGED_BY;
};

/**
 * The tags every resource gets at creation; observe finds a stack's resources by them.
 *
 * @example
 * ownershipTags('orders-api', 'alb');
 * // { 'lambdaflex:stack': 'orders-api', 'lambdaflex:component': 'alb', 'lambdaflex:managed-by': 'lambdaflex' }
 */
export function ownershipTags(stack: string, component: string): OwnershipTags {
  return { [TAG_STACK]: stack, [TAG_COMPONENT]: component, [TAG_MANAGED_BY]: MANAGED_BY };
}

/** The same tags as the `{ Key, Value }` list EC2 and ELBv2 take (ECS wants lower-case `key`/`value`). */
export function ownershipTagList(stack: string, component: string): { Key: string; Value: string }[] {
  return Object.entries(ownershipTags(stack, component)).map(([Key, Value]) => ({ Key, Value }));
}

/** True when `tags` mark a resource as owned by `stack` (docs/design.md, safety rule 3). */
export function isOwnedBy(tags: Record<string, string | undefined>, stack: string): boolean {
  return tags[TAG_STACK] === stack && tags[TAG_MANAGED_BY] === MANAGED_BY;
}
