/**
 * The key of every kind of a stack, spelled once: the kinds' own `key`, their `dependsOn` and their reads
 * of `refs`, the status, the traffic engine, the deciders and the dispatcher all name kinds through this
 * table. A key that is also the resource's ownership component (`lambdaflex:component`) is COMPONENTS'
 * value.
 *
 * A stack's kinds are typed `StackResource` (resources/types.ts), whose `key` and `dependsOn` are `ResourceKey`s:
 * a misspelled key in a kind's dependencies is a type error, not a graph error at the first pass.
 *
 * What a kind's finder keeps in `extra` is registered by key in `ExtraByKey`: the kind is typed by its
 * key (`StackResource<typeof RESOURCE_KEYS.loadBalancer>`), so its finder must report that shape, and a
 * reader of an observation gets it typed (`refs[RESOURCE_KEYS.loadBalancer]?.extra?.dnsName`, or
 * `extraOf(resources, loadBalancerResource)`, resources/extra.ts); nobody casts it. Readers of a status,
 * which holds ids only, go through these keys.
 */
import { COMPONENTS } from '../../spec/names';
import type { ApiDomainLeftoversExtra } from './apigateway/domain-leftovers';
import type { ApiDomainExtra } from './apigateway/domain';
import type { HttpApiExtra } from './apigateway/support';
import type { ApiIntegrationExtra } from './apigateway/integration';
import type { ApiMappingExtra } from './apigateway/mapping';
import type { ApiRouteExtra } from './apigateway/route';
import type { ApiStageExtra } from './apigateway/stage';
import type { RouteTableExtra } from './ec2/route-table';
import type { EcsServiceExtra } from './ecs/service';
import type { TaskDefinitionExtra } from './ecs/task-definition';
import type { LoadBalancerExtra } from './elbv2/load-balancer';
import type { TargetGroupExtra } from './elbv2/target-group';
import type { LambdaFunctionExtra } from './lambda/function';
import type { LambdaPermissionExtra } from './lambda/permission';
import type { DnsLeftoversExtra } from './route53/dns-leftovers';
import type { DnsRecordExtra } from './route53/dns-record';

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

/**
 * The shape of `extra` each key's finder reports, for the kind's own verbs and for its readers. A key
 * not listed reports none that anyone reads (its `extra` is `unknown`).
 */
export interface ExtraByKey {
  [RESOURCE_KEYS.lambdaFunction]: LambdaFunctionExtra;
  [RESOURCE_KEYS.lambdaPermission]: LambdaPermissionExtra;
  [RESOURCE_KEYS.httpApi]: HttpApiExtra;
  [RESOURCE_KEYS.apiIntegration]: ApiIntegrationExtra;
  [RESOURCE_KEYS.apiRoute]: ApiRouteExtra;
  [RESOURCE_KEYS.apiStage]: ApiStageExtra;
  [RESOURCE_KEYS.apiDomain]: ApiDomainExtra;
  [RESOURCE_KEYS.apiMapping]: ApiMappingExtra;
  [RESOURCE_KEYS.apiDomainLeftovers]: ApiDomainLeftoversExtra;
  [RESOURCE_KEYS.dnsLambda]: DnsRecordExtra;
  [RESOURCE_KEYS.routeTable]: RouteTableExtra;
  [RESOURCE_KEYS.loadBalancer]: LoadBalancerExtra;
  [RESOURCE_KEYS.targetGroup]: TargetGroupExtra;
  [RESOURCE_KEYS.taskDefinition]: TaskDefinitionExtra;
  [RESOURCE_KEYS.service]: EcsServiceExtra;
  [RESOURCE_KEYS.dnsFargate]: DnsRecordExtra;
  [RESOURCE_KEYS.dnsLeftovers]: DnsLeftoversExtra;
}

/** The shape of `extra` for key K: registered in ExtraByKey, else `unknown`. */
export type ExtraOf<K extends string> = K extends keyof ExtraByKey ? ExtraByKey[K] : unknown;
