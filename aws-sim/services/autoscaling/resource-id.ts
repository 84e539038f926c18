/**
 * The scalable targets the simulator supports: ECS services' desired count, named by the resource id
 * `service/<cluster>/<service>` (Application Auto Scaling API reference, RegisterScalableTarget ResourceId).
 */
import type { OperationContext } from '../../core/service';
import type { AutoscalingState, ScalableTargetRecord } from './state';
import { targetKey } from './state';

type Ctx = OperationContext<AutoscalingState>;

export interface TargetName {
  key: string;
  resourceId: string;
  clusterName: string;
  serviceName: string;
}

export function readTargetName(
  input: { ServiceNamespace?: string; ResourceId?: string; ScalableDimension?: string },
  ctx: Ctx,
): TargetName {
  if (input.ServiceNamespace !== 'ecs') {
    ctx.fail(
      'ValidationException',
      `The simulated AWS scales only the ecs namespace, not '${input.ServiceNamespace}'`,
    );
  }
  if (input.ScalableDimension !== 'ecs:service:DesiredCount') {
    ctx.fail(
      'ValidationException',
      `Unsupported scalable dimension '${input.ScalableDimension}' for service namespace ecs`,
    );
  }
  const match = /^service\/([^/]+)\/([^/]+)$/.exec(input.ResourceId ?? '');
  if (!match)
    ctx.fail(
      'ValidationException',
      `Unsupported resource ID '${input.ResourceId}' for service namespace ecs`,
    );
  return {
    key: targetKey('ecs', input.ResourceId!, 'ecs:service:DesiredCount'),
    resourceId: input.ResourceId!,
    clusterName: match[1],
    serviceName: match[2],
  };
}

export function describedTarget(name: TargetName): string {
  return `service namespace: ecs, resource ID: ${name.resourceId}, scalable dimension: ecs:service:DesiredCount`;
}

export function targetOrFail(ctx: Ctx, name: TargetName, verb: 'registered' | 'found'): ScalableTargetRecord {
  return (
    ctx.state.targets[name.key] ??
    ctx.fail('ObjectNotFoundException', `No scalable target ${verb} for ${describedTarget(name)}`)
  );
}

/** Cluster and service of a resource id known to be valid. */
export function ecsServiceOf(resourceId: string): { clusterName: string; serviceName: string } {
  const [, clusterName, serviceName] = resourceId.split('/');
  return { clusterName, serviceName };
}
