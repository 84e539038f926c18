/**
 * Simulated EventBridge Scheduler: schedules in groups (the `default` group always exists). Schedules are
 * stored, listed and answered; the simulator does not fire them (tests call the reconciler directly).
 */
import { paginate } from '../core/pagination';
import type { InventoryItem, OperationContext, SimService } from '../core/service';

export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  flexibleTimeWindow: Record<string, unknown>;
  target: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface SchedulerState {
  schedules: Record<string, ScheduleRecord>;
}

type Ctx = OperationContext<SchedulerState>;
type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const keyOf = (group: string, name: string) => `${group}/${name}`;

function groupOf(input: Input): string {
  return String(input.GroupName ?? 'default');
}

function findSchedule(ctx: Ctx, input: Input): ScheduleRecord {
  const schedule = ctx.state.schedules[keyOf(groupOf(input), String(input.Name))];
  return (
    schedule ??
    ctx.fail('ResourceNotFoundException', `Schedule ${String(input.Name)} does not exist.`, {
      httpStatusCode: 404,
    })
  );
}

/** Fields both CreateSchedule and UpdateSchedule set; UpdateSchedule replaces them all, as AWS documents. */
function settingsFrom(
  ctx: Ctx,
  input: Input,
): Omit<ScheduleRecord, 'name' | 'groupName' | 'arn' | 'createdAt' | 'updatedAt'> {
  if (!/^(rate|cron|at)\(.+\)$/.test(String(input.ScheduleExpression))) {
    ctx.fail('ValidationException', `Invalid Schedule Expression ${String(input.ScheduleExpression)}.`);
  }
  if (!input.Target?.Arn || !input.Target?.RoleArn)
    ctx.fail('ValidationException', 'Target needs Arn and RoleArn.');
  return {
    scheduleExpression: String(input.ScheduleExpression),
    ...(input.ScheduleExpressionTimezone
      ? { scheduleExpressionTimezone: String(input.ScheduleExpressionTimezone) }
      : {}),
    ...(input.Description === undefined ? {} : { description: String(input.Description) }),
    state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    flexibleTimeWindow: { ...input.FlexibleTimeWindow },
    target: structuredClone(input.Target),
  };
}

function view(s: ScheduleRecord): Record<string, unknown> {
  return {
    Arn: s.arn,
    Name: s.name,
    GroupName: s.groupName,
    ScheduleExpression: s.scheduleExpression,
    ...(s.scheduleExpressionTimezone ? { ScheduleExpressionTimezone: s.scheduleExpressionTimezone } : {}),
    ...(s.description === undefined ? {} : { Description: s.description }),
    State: s.state,
    FlexibleTimeWindow: { ...s.flexibleTimeWindow },
    Target: structuredClone(s.target),
    CreationDate: new Date(s.createdAt),
    LastModificationDate: new Date(s.updatedAt),
  };
}

export const schedulerService: SimService<SchedulerState> = {
  name: 'scheduler',
  validationErrorCode: 'ValidationException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {},
  operations: {
    CreateSchedule: {
      mutating: true,
      required: ['Name', 'ScheduleExpression', 'Target', 'FlexibleTimeWindow'],
      handle: (input, ctx) => {
        const group = groupOf(input);
        const key = keyOf(group, String(input.Name));
        if (ctx.state.schedules[key]) {
          ctx.fail('ConflictException', `Schedule ${String(input.Name)} already exists.`, {
            httpStatusCode: 409,
          });
        }
        const schedule: ScheduleRecord = {
          name: String(input.Name),
          groupName: group,
          arn: ctx.account.arn('scheduler', `schedule/${group}/${String(input.Name)}`),
          ...settingsFrom(ctx, input),
          createdAt: ctx.now,
          updatedAt: ctx.now,
        };
        ctx.state.schedules[key] = schedule;
        return { ScheduleArn: schedule.arn };
      },
    },
    GetSchedule: {
      mutating: false,
      required: ['Name'],
      handle: (input, ctx) => view(findSchedule(ctx, input)),
    },
    UpdateSchedule: {
      mutating: true,
      required: ['Name', 'ScheduleExpression', 'Target', 'FlexibleTimeWindow'],
      handle: (input, ctx) => {
        const schedule = findSchedule(ctx, input);
        const settings = settingsFrom(ctx, input);
        delete schedule.description;
        delete schedule.scheduleExpressionTimezone;
        Object.assign(schedule, settings, { updatedAt: ctx.now });
        return { ScheduleArn: schedule.arn };
      },
    },
    DeleteSchedule: {
      mutating: true,
      required: ['Name'],
      handle: (input, ctx) => {
        const schedule = findSchedule(ctx, input);
        delete ctx.state.schedules[keyOf(schedule.groupName, schedule.name)];
      },
    },
    ListSchedules: {
      mutating: false,
      handle: (input, ctx) => {
        const all = Object.values(ctx.state.schedules)
          .filter((s) => input.GroupName === undefined || s.groupName === input.GroupName)
          .filter((s) => input.NamePrefix === undefined || s.name.startsWith(String(input.NamePrefix)))
          .filter((s) => input.State === undefined || s.state === input.State)
          .sort((a, b) => keyOf(a.groupName, a.name).localeCompare(keyOf(b.groupName, b.name)));
        const page = paginate(all, input.NextToken, input.MaxResults, 100);
        return {
          Schedules: page.items.map((s) => ({
            Arn: s.arn,
            Name: s.name,
            GroupName: s.groupName,
            State: s.state,
            CreationDate: new Date(s.createdAt),
            LastModificationDate: new Date(s.updatedAt),
            Target: { Arn: s.target.Arn },
          })),
          NextToken: page.nextToken,
        };
      },
    },
  },
  initialState: () => ({ schedules: {} }),
  // Schedules can't be tagged (only schedule groups can).
  inventory: (state): InventoryItem[] =>
    Object.values(state.schedules).map((s) => ({
      type: 'AWS::Scheduler::Schedule',
      id: `${s.groupName}/${s.name}`,
      name: s.name,
      arn: s.arn,
      state: s.state,
      tags: {},
    })),
};
