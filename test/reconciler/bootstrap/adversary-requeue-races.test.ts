/**
 * adversary: the requeue schedule (one name, ActionAfterCompletion DELETE: EventBridge Scheduler deletes
 * a one-time schedule after its last invocation) racing its own firing, and a foreign schedule carrying
 * LambdaFlex's mark. Between CreateSchedule's Conflict and the GetSchedule/UpdateSchedule that follow, the
 * schedule may fire and be deleted: the requeue must then be created, not lost. A schedule someone made
 * with LambdaFlex's description copied is not LambdaFlex's (safety rule 3: tags AND a recorded identity).
 */
import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SYSTEM_NAMES } from '../../../reconciler/bootstrap/names';
import { requeueScheduleInput, upsertRequeueSchedule } from '../../../reconciler/bootstrap/requeue-schedule';
import { createSimulatedAws } from '../../../aws-sim';

const TARGET = {
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambdaflex-reconciler',
  roleArn: 'arn:aws:iam::123456789012:role/lambdaflex-reconciler-scheduler-us-east-1',
};
const AT = Date.UTC(2026, 0, 1, 0, 0, 30);
const conflict = () =>
  new ConflictException({
    message: 'Schedule already exists.',
    Message: 'Schedule already exists.',
    $metadata: {},
  });
const gone = () =>
  new ResourceNotFoundException({
    message: 'Schedule not found.',
    Message: 'Schedule not found.',
    $metadata: {},
  });

describe('adversary: the requeue schedule fires and deletes itself while it is being moved', () => {
  // mockClient mocks every SchedulerClient, the simulated account's too, until restored.
  afterEach(() => mockClient(SchedulerClient).restore());

  it('gone between the Conflict and the GetSchedule: created again', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn' });
    scheduler.on(GetScheduleCommand).rejects(gone());
    expect(await upsertRequeueSchedule(new SchedulerClient({}), AT, TARGET)).toBe('created');
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
    expect(scheduler.commandCalls(CreateScheduleCommand)[1].args[0].input).toEqual(
      requeueScheduleInput(AT, TARGET),
    );
  });

  it('gone between the GetSchedule and the UpdateSchedule: created again', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn' });
    scheduler.on(GetScheduleCommand).resolves({
      Name: SYSTEM_NAMES.requeueSchedule,
      Description: requeueScheduleInput(AT, TARGET).Description,
      Target: { Arn: TARGET.functionArn, RoleArn: TARGET.roleArn },
    });
    scheduler.on(UpdateScheduleCommand).rejects(gone());
    expect(await upsertRequeueSchedule(new SchedulerClient({}), AT, TARGET)).toBe('created');
    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
  });
});

describe('adversary: a foreign schedule of the requeue name carrying LambdaFlex’s description', () => {
  it('is left as it was', async () => {
    const { account, clients } = createSimulatedAws({ seed: 7 });
    const theirs = {
      Arn: 'arn:aws:lambda:us-east-1:123456789012:function:someone-elses',
      RoleArn: 'arn:aws:iam::123456789012:role/someone-elses-scheduler',
    };
    await clients.scheduler.send(
      new CreateScheduleCommand({
        Name: SYSTEM_NAMES.requeueSchedule,
        GroupName: SYSTEM_NAMES.scheduleGroup,
        ScheduleExpression: 'rate(5 minutes)',
        Description: requeueScheduleInput(AT, TARGET).Description,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: theirs,
      }),
    );
    await expect(upsertRequeueSchedule(clients.scheduler, account.now() + 30_000, TARGET)).rejects.toThrow(
      /it invokes arn:aws:lambda:us-east-1:123456789012:function:someone-elses, not this reconciler/,
    );
    const kept = await clients.scheduler.send(
      new GetScheduleCommand({ Name: SYSTEM_NAMES.requeueSchedule, GroupName: SYSTEM_NAMES.scheduleGroup }),
    );
    expect(kept.Target?.Arn).toBe(theirs.Arn);
    expect(kept.ScheduleExpression).toBe('rate(5 minutes)');
  });
});
