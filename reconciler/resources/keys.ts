/**
 * The key of every kind of a stack, spelled once: the kinds' own `key`, their `dependsOn` and their reads
 * of `refs`, the status, the traffic engine, the deciders and the dispatcher all name kinds through this
 * table. A key that is also the resource's ownership component (`lambdaflex:component`) is COMPONENTS'
 * value.
 *
 * A stack's kinds are typed `StackResource` (resources/types.ts), whose `key` and `dependsOn` are `ResourceKey`s:
 * a misspelled key in a kind's dependencies is a type error, not a graph error at the first pass.
 *
 * Readers of an observation reach a kind's `extra` through the kind itself (`extraOf(resources,
 * ecsServiceResource)`, resources/extra.ts); readers of a status, which holds ids only, through these keys.
 */
import { COMPONENTS } from '../../spec/names';

export const RESOURCE_KEYS = {
  // Lambda tier
  lambdaRole: COMPONENTS.lambdaRole,
  lambdaRoleReplaced: `${COMPONENTS.lambdaRole}-global`,
  lambdaFunction: 'lambda-function',
  lambdaPermission: 'lambda-permission',
  httpApi: 'http-api',
  apiIntegration: 'api-integration',
  apiRoute: 'api-route',
  apiStage: 'api-stage',
  apiDomain: 'api-domain',
  apiMapping: 'api-mapping',
  apiDomainLeftovers: 'api-domain-leftovers',
  dnsLambda: 'dns-lambda',
  // Fargate tier
  vpc: COMPONENTS.vpc,
  subnetA: COMPONENTS.subnetA,
  subnetB: COMPONENTS.subnetB,
  internetGateway: COMPONENTS.internetGateway,
  routeTable: COMPONENTS.routeTable,
  albSecurityGroup: COMPONENTS.albSecurityGroup,
  tasksSecurityGroup: COMPONENTS.tasksSecurityGroup,
  loadBalancer: COMPONENTS.loadBalancer,
  targetGroup: COMPONENTS.targetGroup,
  listenerHttp: 'listener-http',
  listenerHttps: 'listener-https',
  cluster: COMPONENTS.cluster,
  executionRole: COMPONENTS.executionRole,
  executionRoleReplaced: `${COMPONENTS.executionRole}-global`,
  taskRole: 'task-role',
  taskDefinition: 'task-definition',
  service: COMPONENTS.service,
  scalableTarget: 'scalable-target',
  scalingPolicy: COMPONENTS.scalingPolicy,
  dnsFargate: 'dns-fargate',
  // Both tiers
  dnsLeftovers: 'dns-leftovers',
} as const;

/** The key of one of a stack's kinds. */
export type ResourceKey = (typeof RESOURCE_KEYS)[keyof typeof RESOURCE_KEYS];

/** The keys of the two subnets, in zone order. */
export const SUBNET_KEYS = [RESOURCE_KEYS.subnetA, RESOURCE_KEYS.subnetB] as const;
