/**
 * The traffic engine's tests' world: hand-made observations of a stack (its ALB, healthy targets and the
 * two records' weights) and the engine's input around them, with no AWS and no clock.
 */
import type { AwsTimeBounds } from '../../../reconciler/aws/aws-time';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import { DNS_KEYS, type ShiftState, type TrafficInput } from '../../../reconciler/traffic/shift';
import type { DnsLeftoversExtra } from '../../../reconciler/resources/route53/dns-leftovers';
import { NOW, testSpec } from '../resources/fixtures';

export const spec = testSpec({ mode: 'auto' });
export const STEP_MS = spec.traffic.stepSeconds * 1000;
export const DAY_MS = 24 * 3_600_000;
/**
 * Only `tier` and `key` matter to the engine (whether a Fargate-tier resource exists), and `neededBy` to
 * what a message names.
 */
const kinds = [
  { key: 'alb', tier: 'fargate', neededBy: () => true },
  { key: 'service', tier: 'fargate', neededBy: () => true },
  { key: 'lambda-function', tier: 'lambda', neededBy: () => true },
] as unknown as readonly ManagedResource[];

export function resource(key: string, extra: Partial<ObservedResource> = {}): ObservedResource {
  return { key, type: `Test::${key}`, id: `id-${key}`, tags: {}, attributes: {}, ready: true, ...extra };
}

export interface World {
  alb?: 'active' | 'provisioning';
  healthy?: number;
  /** Route 53 weights of the two records; undefined: no record. */
  lambdaWeight?: number;
  fargateWeight?: number;
  /** A Route 53 change still PENDING. */
  pending?: boolean;
}

export function world(w: World): Observation {
  const resources: Record<string, ObservedResource | undefined> = {
    'lambda-function': resource('lambda-function'),
  };
  if (w.alb) resources.alb = resource('alb', { state: w.alb, ready: w.alb === 'active' });
  if (w.healthy !== undefined)
    resources.service = resource('service', { extra: { healthyTargets: w.healthy } });
  const ready = !w.pending;
  if (w.lambdaWeight !== undefined)
    resources[DNS_KEYS.lambda] = resource(DNS_KEYS.lambda, { attributes: { weight: w.lambdaWeight }, ready });
  if (w.fargateWeight !== undefined)
    resources[DNS_KEYS.fargate] = resource(DNS_KEYS.fargate, {
      attributes: { weight: w.fargateWeight },
      ready,
    });
  return { resources, unknown: {} };
}

/** AWS's time as a pass's answers bound it when AWS answered at `at`: its Date header is exact to the second. */
export function awsAt(at: number): AwsTimeBounds {
  return { earliest: at, latest: at + 1000 };
}

export function input(
  target: TrafficInput['target'],
  w: World,
  previous?: ShiftState,
  extra: Partial<TrafficInput> = {},
): TrafficInput {
  return {
    spec,
    target,
    observation: world(w),
    kinds,
    ...(previous ? { previous } : {}),
    now: NOW,
    awsTime: awsAt(NOW),
    ...extra,
  };
}

/**
 * `base` with no `dns` in its spec and the records left at the name it dropped (the `dns-leftovers`
 * kind) as given: observed, absent, or their look-up failed ('unknown').
 */
export function withLeftovers(
  base: TrafficInput,
  left: ObservedResource<DnsLeftoversExtra> | 'unknown' | undefined,
): TrafficInput {
  const observation: Observation = {
    resources: {
      ...base.observation.resources,
      ...(left && left !== 'unknown' ? { 'dns-leftovers': left } : {}),
    },
    unknown:
      left === 'unknown' ? { 'dns-leftovers': 'finding dns-leftovers: Throttling: Rate exceeded' } : {},
  };
  return { ...base, spec: { ...spec, dns: undefined }, observation };
}
