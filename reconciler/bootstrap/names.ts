/**
 * Names of what `lambdaflex bootstrap` creates. They start with `lambdaflex-`, not `lf-`, on purpose: the
 * reconciler may change roles and functions named `lf-*` (the stacks'), so its own role, function and
 * schedule must be outside that pattern, or it could widen its own permissions.
 */
import { ownershipTags, type OwnershipTags } from '../../spec/names';

/** The ownership tag `lambdaflex:stack` of everything bootstrap creates. */
export const SYSTEM_STACK = 'lambdaflex-system';

export const SYSTEM_NAMES = {
  reconcilerRole: 'lambdaflex-reconciler',
  schedulerRole: 'lambdaflex-reconciler-scheduler',
  function: 'lambdaflex-reconciler',
  schedule: 'lambdaflex-reconciler-every-minute',
  /** The handler's one-off "come back sooner" schedule (see reconciler/iam/scopes.ts REQUEUE_SCHEDULE). */
  requeueSchedule: 'lambdaflex-reconciler-requeue',
  scheduleGroup: 'default',
  /** The inline policy of each bootstrap role. */
  inlinePolicy: 'lambdaflex',
} as const;

/** Environment variables the reconciler Lambda reads (reconciler/handler.ts). */
export const HANDLER_ENV = {
  table: 'LAMBDAFLEX_TABLE',
  schedulerRoleArn: 'LAMBDAFLEX_SCHEDULER_ROLE_ARN',
  parallelism: 'LAMBDAFLEX_PARALLELISM',
  marginMs: 'LAMBDAFLEX_MARGIN_MS',
} as const;

export function systemTags(component: string): OwnershipTags {
  return ownershipTags(SYSTEM_STACK, component);
}

/**
 * EventBridge Scheduler schedules can't be tagged, so ownership is written in their description, which
 * nobody else has a reason to copy.
 */
export function scheduleOwnerMark(component: string): string {
  return `managed by LambdaFlex (lambdaflex:stack=${SYSTEM_STACK}, lambdaflex:component=${component})`;
}
