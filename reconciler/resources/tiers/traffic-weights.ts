/**
 * Where the DNS record kinds read their weights from. The weight of the `lambda` and `fargate` records is
 * not the kinds' decision but the traffic engine's, and it must reach two places:
 *
 * - `plan`, which calls `desired(spec, refs)` and nothing else, so that a new weight is a diff (an update);
 * - the kind's `create` and `update`, which get a `ResourceContext`.
 *
 * So the engine adds one pseudo-resource, `traffic-weights`, to the observation it plans from (apply hands
 * the same map to the kinds as `refs`), and may also set `ResourceContext.weights`. The kinds read
 * `ctx.weights` first, then the ref, then the default: lambda 100 / fargate 0 (everything on the tier that
 * is always there).
 *
 * @example
 * const observation = await observe(base, kinds);
 * observation.resources = withTrafficWeights(observation.resources, { lambda: 90, fargate: 10 });
 * const steps = plan(spec, 'fargate', observation, now, kinds); // update:dns-lambda, update:dns-fargate
 */
import type { ObservedResource, ResourceContext, TrafficWeights } from '../types';

export const TRAFFIC_WEIGHTS_KEY = 'traffic-weights';
export const DEFAULT_TRAFFIC_WEIGHTS: Readonly<TrafficWeights> = Object.freeze({ lambda: 100, fargate: 0 });

/** The pseudo-resource that carries the weights to `desired`. It is no AWS resource: no kind has its key. */
export function trafficWeightsRef(weights: TrafficWeights): ObservedResource {
  return {
    key: TRAFFIC_WEIGHTS_KEY,
    type: 'LambdaFlex::Traffic::Weights',
    id: `lambda=${weights.lambda},fargate=${weights.fargate}`,
    tags: {},
    attributes: { lambda: weights.lambda, fargate: weights.fargate },
    ready: true,
  };
}

/** A copy of `resources` with the weights added, for the observation that `plan` and `apply` share. */
export function withTrafficWeights<T extends Record<string, ObservedResource | undefined>>(
  resources: T,
  weights: TrafficWeights,
): T {
  return { ...resources, [TRAFFIC_WEIGHTS_KEY]: trafficWeightsRef(weights) };
}

function isWeights(
  value: Record<string, unknown> | undefined,
): value is Record<string, unknown> & TrafficWeights {
  return typeof value?.lambda === 'number' && typeof value?.fargate === 'number';
}

/** The weights `desired` sees: the ref's, else the default. */
export function weightsFromRefs(refs: ResourceContext['refs']): TrafficWeights {
  const attributes = refs[TRAFFIC_WEIGHTS_KEY]?.attributes;
  return isWeights(attributes)
    ? { lambda: attributes.lambda, fargate: attributes.fargate }
    : { ...DEFAULT_TRAFFIC_WEIGHTS };
}

/** The weights a verb writes: the context's, else the ref's, else the default. */
export function weightsOf(ctx: Pick<ResourceContext, 'refs' | 'weights'>): TrafficWeights {
  return ctx.weights ? { ...ctx.weights } : weightsFromRefs(ctx.refs);
}
