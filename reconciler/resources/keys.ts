/**
 * The keys of the stack's kinds that other parts of the code base name (the status, the traffic engine,
 * the deciders, the dispatcher, the kinds that depend on them), spelled once. A key that is also the
 * resource's ownership component (`lambdaflex:component`) is COMPONENTS' value.
 *
 * Readers of an observation reach a kind's `extra` through the kind itself (`extraOf(resources,
 * ecsServiceKind)`, resources/extra.ts); readers of a status, which holds ids only, through these keys.
 */
import { COMPONENTS } from '../../spec/names';

export const KIND_KEYS = {
  lambdaFunction: 'lambda-function',
  httpApi: 'http-api',
  loadBalancer: COMPONENTS.loadBalancer,
  targetGroup: COMPONENTS.targetGroup,
  cluster: COMPONENTS.cluster,
  service: COMPONENTS.service,
  scalableTarget: 'scalable-target',
} as const;
