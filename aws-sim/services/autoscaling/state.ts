/** State of the simulated Application Auto Scaling (ECS service desired count only): plain JSON. */
import type { TagMap } from '../../core/tags';

export interface ScalableTargetRecord {
  arn: string;
  serviceNamespace: 'ecs';
  resourceId: string;
  scalableDimension: 'ecs:service:DesiredCount';
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  createdAt: number;
  suspended: {
    dynamicScalingInSuspended: boolean;
    dynamicScalingOutSuspended: boolean;
    scheduledScalingSuspended: boolean;
  };
  tags: TagMap;
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
}

export interface TargetTrackingConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: Record<string, unknown>;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

export interface ScalingPolicyRecord {
  arn: string;
  name: string;
  /** Key of its scalable target in `targets`. */
  targetKey: string;
  policyType: 'TargetTrackingScaling' | 'StepScaling';
  targetTracking?: TargetTrackingConfiguration;
  stepScaling?: Record<string, unknown>;
  alarms: { AlarmName: string; AlarmARN: string }[];
  createdAt: number;
  /** The metric's latest one-minute datapoints, oldest first (null: no data), as its alarms see them. */
  datapoints?: ({ requests: number; healthyTargets: number } | null)[];
}

export interface ScalingActivityRecord {
  id: string;
  targetKey: string;
  description: string;
  cause: string;
  at: number;
}

export interface AutoscalingState {
  /** By `namespace|resourceId|dimension`. */
  targets: Record<string, ScalableTargetRecord>;
  policies: Record<string, ScalingPolicyRecord>;
  /** Newest last, at most MAX_ACTIVITIES kept. */
  activities: ScalingActivityRecord[];
}

export const MAX_ACTIVITIES = 500;

export function targetKey(namespace: string, resourceId: string, dimension: string): string {
  return `${namespace}|${resourceId}|${dimension}`;
}

export function initialAutoscalingState(): AutoscalingState {
  return { targets: {}, policies: {}, activities: [] };
}
