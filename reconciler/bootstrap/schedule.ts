/**
 * EventBridge Scheduler schedules of the reconciler: the every-minute one that bootstrap keeps, and the
 * one-off requeue schedule that only `--destroy` looks for (it deletes itself after firing, but one may be
 * pending). Schedules can't be tagged: ownership is the mark in their description (names.ts), with the
 * creation nonce after it, and, for the every-minute one, its creation date recorded (proven.ts).
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
import { nonceTags, TAG_NONCE } from '../../spec/names';
import { SYSTEM_NAMES, scheduleOwnerMark, systemTags } from './names';

const TYPE = 'AWS::Scheduler::Schedule';

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // ConflictException: a pass died between CreateSchedule and recording it; the next find sees it.
  retryable: ['ConflictException'],
  terminal: ['ValidationException', 'ServiceQuotaExceededException'],
};

/** The description: the owner mark, and the creation nonce (proven.ts) when there is one. */
const descriptionOf = (key: string, nonce: string | undefined) =>
  nonce === undefined ? scheduleOwnerMark(key) : `${scheduleOwnerMark(key)} nonce=${nonce}`;

function observe(key: string, answer: GetScheduleCommandOutput): ObservedResource {
  const description = answer.Description ?? '';
  const nonce = /^ nonce=([0-9a-f]+)$/.exec(description.slice(scheduleOwnerMark(key).length))?.[1];
  const ours = description === scheduleOwnerMark(key) || description === descriptionOf(key, nonce);
  return {
    key,
    type: TYPE,
    id: answer.Name ?? key,
    arn: answer.Arn,
    // Its identity (proven.ts): a schedule made again under the name has another creation date.
    uniqueId: answer.CreationDate?.toISOString(),
    state: answer.State,
    tags: ours ? { ...systemTags(key), ...nonceTags(nonce) } : {},
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
  const input = (refs: SystemContext['refs'], nonce: string | undefined): CreateScheduleCommandInput => ({
    Name: name,
    GroupName: SYSTEM_NAMES.scheduleGroup,
    ScheduleExpression: 'rate(1 minute)',
    Description: descriptionOf(key, nonce),
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
      await ctx.clients.scheduler.send(new CreateScheduleCommand(input(ctx.refs, ctx.nonce)));
      return (await find(ctx))!;
    },
    async update(ctx, current) {
      assertOwned(current, 'updating');
      // UpdateSchedule replaces every setting: send the whole schedule.
      await ctx.clients.scheduler.send(new UpdateScheduleCommand(input(ctx.refs, current.tags[TAG_NONCE])));
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
