/**
 * Names of what `lambdaflex bootstrap` creates. They start with `lambdaflex-`, not `lf-`, on purpose: the
 * reconciler may change roles and functions named `lf-*` (the stacks'), so its own role, function and
 * schedule must be outside that pattern, or it could widen its own permissions.
 */
import { ownershipTags, type OwnershipTags } from '../../spec/names';
import { schedulerRoleName } from '../iam/scopes';

/** The ownership tag `lambdaflex:stack` of everything bootstrap creates. */
export const SYSTEM_STACK = 'lambdaflex-system';

export const SYSTEM_NAMES = {
  function: 'lambdaflex-reconciler',
  schedule: 'lambdaflex-reconciler-every-minute',
  /** The handler's one-off "come back sooner" schedule (see reconciler/iam/scopes.ts REQUEUE_SCHEDULE). */
  requeueSchedule: 'lambdaflex-reconciler-requeue',
  scheduleGroup: 'default',
} as const;

/**
 * The names of bootstrap's roles in a region. IAM names are global and bootstraps regional: each region
 * has its own roles, granting that region's table and resources only, so that bootstrapping or
 * destroying one region never touches another's.
 */
export function systemRoleNames(region: string) {
  return {
    reconcilerRole: `lambdaflex-reconciler-${region}`,
    schedulerRole: schedulerRoleName(region),
  };
}

/** Environment variables the reconciler Lambda reads (reconciler/handler.ts). */
export const HANDLER_ENV = {
  table: 'LAMBDAFLEX_TABLE',
  schedulerRoleArn: 'LAMBDAFLEX_SCHEDULER_ROLE_ARN',
  parallelism: 'LAMBDAFLEX_PARALLELISM',
  marginMs: 'LAMBDAFLEX_MARGIN_MS',
  /** The work queue (SQS FIFO): with it, the schedule dispatches and workers reconcile (reconciler/dispatch/). */
  queueUrl: 'LAMBDAFLEX_QUEUE_URL',
  /** The work queue's redrive maxReceiveCount: on that receive a failing stack is marked dead-lettered. */
  maxReceiveCount: 'LAMBDAFLEX_MAX_RECEIVE_COUNT',
  deadLetterQueue: 'LAMBDAFLEX_DEAD_LETTER_QUEUE',
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
