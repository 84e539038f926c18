/**
 * The one-off schedule that brings the reconciler back sooner than the every-minute schedule while a
 * stack is mid-transition. One fixed name, so at most one exists: creating it again moves it (Conflict →
 * Update), when the schedule of that name is the one LambdaFlex made. It deletes itself after it fires
 * (ActionAfterCompletion DELETE).
 */
import {
  CreateScheduleCommand,
  GetScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { errorCode } from '../aws/classify';
import { SYSTEM_NAMES, scheduleOwnerMark } from './names';

const TYPE = 'AWS::Scheduler::Schedule';

export interface RequeueTarget {
  /** The reconciler function's ARN (the handler's own, from its context). */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
}

/** `at(2026-01-01T00:00:30)`: Scheduler's one-time expression, in UTC, to the second. */
export function atExpression(at: number): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

export function requeueScheduleInput(at: number, target: RequeueTarget): CreateScheduleCommandInput {
  return {
    Name: SYSTEM_NAMES.requeueSchedule,
    GroupName: SYSTEM_NAMES.scheduleGroup,
    ScheduleExpression: atExpression(at),
    ScheduleExpressionTimezone: 'UTC',
    Description: scheduleOwnerMark('requeue-schedule'),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ source: 'lambdaflex.requeue' }),
      // A missed requeue is harmless: the every-minute schedule comes anyway.
      RetryPolicy: { MaximumRetryAttempts: 0 },
    },
  };
}

/**
 * Creates the requeue schedule for `at`, or moves the existing one there. Idempotent by name. The schedule
 * may fire and delete itself at any moment (ActionAfterCompletion DELETE), also between the Conflict and
 * the calls that move it: gone by then, it is created again, once.
 */
export async function upsertRequeueSchedule(
  scheduler: SchedulerClient,
  at: number,
  target: RequeueTarget,
  options: { keepSoonerThan?: { now: number } } = {},
): Promise<'created' | 'updated' | 'kept'> {
  const input = requeueScheduleInput(at, target);
  for (let attempt = 1; ; attempt++) {
    try {
      await scheduler.send(new CreateScheduleCommand(input));
      return 'created';
    } catch (error) {
      if (errorCode(error) !== 'ConflictException') throw error;
    }
    try {
      return await moveOurs(scheduler, input, options.keepSoonerThan?.now);
    } catch (error) {
      if (errorCode(error) !== 'ResourceNotFoundException' || attempt === 2) throw error;
    }
  }
}

/**
 * The name is taken: the schedule is moved only when it is the one LambdaFlex made, never someone else's
 * of the same name. Schedules can't be tagged; LambdaFlex's carries the mark as its description, and
 * invokes this reconciler: one with the mark copied but another target is someone else's (a copied mark
 * alone would have it rewritten to invoke the reconciler).
 */
async function moveOurs(
  scheduler: SchedulerClient,
  input: CreateScheduleCommandInput,
  /** Given: ours still to come after this instant and before `input`'s time is kept, not moved later. */
  keepSoonerAfter?: number,
): Promise<'updated' | 'kept'> {
  const current = await scheduler.send(
    new GetScheduleCommand({ Name: input.Name, GroupName: input.GroupName }),
  );
  const notOurs =
    current.Description !== input.Description
      ? `it is not marked as LambdaFlex's (its description is not "${input.Description}")`
      : current.Target?.Arn !== input.Target?.Arn
        ? `it invokes ${current.Target?.Arn}, not this reconciler (${input.Target?.Arn})`
        : undefined;
  if (notOurs) throw new Error(`updating ${TYPE} (${input.Name}): ${notOurs}, so LambdaFlex leaves it alone`);
  const currentAt = atOf(current.ScheduleExpression);
  const wanted = atOf(input.ScheduleExpression);
  if (
    keepSoonerAfter !== undefined &&
    currentAt !== undefined &&
    wanted !== undefined &&
    currentAt > keepSoonerAfter &&
    currentAt <= wanted
  )
    return 'kept';
  await scheduler.send(new UpdateScheduleCommand(input));
  return 'updated';
}

/** The epoch ms of an `at(…)` expression in UTC (atExpression's), or undefined for any other. */
function atOf(expression: string | undefined): number | undefined {
  const time = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression ?? '')?.[1];
  const ms = time === undefined ? NaN : Date.parse(`${time}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
