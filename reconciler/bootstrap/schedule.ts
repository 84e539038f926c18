/**
 * EventBridge Scheduler schedules of the reconciler: the every-minute one that bootstrap keeps, and the
 * one-off requeue schedule that only `--destroy` looks for (it deletes itself after firing, but one may be
 * pending). Schedules can't be tagged: ownership is the mark in their description (names.ts).
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type GetScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import { assertOwned } from '../resources/common/foreign-guard';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_NAMES, scheduleOwnerMark, systemTags } from './names';

const TYPE = 'AWS::Scheduler::Schedule';

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // ConflictException: a pass died between CreateSchedule and recording it; the next find sees it.
  retryable: ['ConflictException'],
  terminal: ['ValidationException', 'ServiceQuotaExceededException'],
};

function observe(key: string, answer: GetScheduleCommandOutput): ObservedResource {
  const ours = answer.Description === scheduleOwnerMark(key);
  return {
    key,
    type: TYPE,
    id: answer.Name ?? key,
    arn: answer.Arn,
    state: answer.State,
    tags: ours ? { ...systemTags(key) } : {},
    attributes: ours
      ? {
          expression: answer.ScheduleExpression,
          state: answer.State,
          targetArn: answer.Target?.Arn,
          roleArn: answer.Target?.RoleArn,
        }
      : {},
    ready: true,
    foreign: !ours,
  };
}

interface ScheduleOptions {
  key: string;
  name: string;
  /** false: only ever deleted (the requeue schedule). */
  wanted: boolean;
  dependsOn: string[];
}

function scheduleResource(options: ScheduleOptions): SystemResource {
  const { key, name } = options;
  const input = (refs: SystemContext['refs']): CreateScheduleCommandInput => ({
    Name: name,
    GroupName: SYSTEM_NAMES.scheduleGroup,
    ScheduleExpression: 'rate(1 minute)',
    Description: scheduleOwnerMark(key),
    State: 'ENABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: refs['function']?.arn,
      RoleArn: refs['scheduler-role']?.arn,
      Input: JSON.stringify({ source: 'lambdaflex.schedule' }),
      // A missed minute is made up by the next one; retries would only pile passes up.
      RetryPolicy: { MaximumRetryAttempts: 0 },
    },
  });
  const find = async (ctx: SystemContext) => {
    const answer = await orUndefinedIfGone(
      () =>
        ctx.clients.scheduler.send(
          new GetScheduleCommand({ Name: name, GroupName: SYSTEM_NAMES.scheduleGroup }),
        ),
      ERRORS,
    );
    return answer ? observe(key, answer) : undefined;
  };
  return {
    key,
    type: TYPE,
    service: 'scheduler',
    dependsOn: options.dependsOn,
    errors: ERRORS,
    neededBy: () => options.wanted,
    desiredAttributes: (_spec, refs) => ({
      expression: 'rate(1 minute)',
      state: 'ENABLED',
      targetArn: refs['function']?.arn,
      roleArn: refs['scheduler-role']?.arn,
    }),
    find,
    async create(ctx) {
      await ctx.clients.scheduler.send(new CreateScheduleCommand(input(ctx.refs)));
      return (await find(ctx))!;
    },
    async update(ctx, current) {
      assertOwned(current, 'updating');
      // UpdateSchedule replaces every setting: send the whole schedule.
      await ctx.clients.scheduler.send(new UpdateScheduleCommand(input(ctx.refs)));
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      await deleteIgnoringGone(
        () =>
          ctx.clients.scheduler.send(
            new DeleteScheduleCommand({ Name: name, GroupName: SYSTEM_NAMES.scheduleGroup }),
          ),
        ERRORS,
      );
    },
  };
}

export const everyMinuteScheduleResource = scheduleResource({
  key: 'schedule',
  name: SYSTEM_NAMES.schedule,
  wanted: true,
  dependsOn: ['function', 'scheduler-role'],
});

export const requeueScheduleResource = scheduleResource({
  key: 'requeue-schedule',
  name: SYSTEM_NAMES.requeueSchedule,
  wanted: false,
  dependsOn: ['function'],
});
