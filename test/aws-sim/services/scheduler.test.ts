import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { createSimulatedAws } from '../../../aws-sim';

const schedule = {
  Name: 'lambdaflex-reconciler',
  ScheduleExpression: 'rate(1 minute)',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: {
    Arn: 'arn:aws:lambda:us-east-1:123456789012:function:reconciler',
    RoleArn: 'arn:aws:iam::123456789012:role/s',
  },
};

describe('simulated EventBridge Scheduler', () => {
  it('creates, reads, replaces, lists and deletes a schedule', async () => {
    const { clients, account } = createSimulatedAws();
    const created = await clients.scheduler.send(new CreateScheduleCommand(schedule));
    expect(created.ScheduleArn).toBe(
      'arn:aws:scheduler:us-east-1:123456789012:schedule/default/lambdaflex-reconciler',
    );
    expect(await clients.scheduler.send(new GetScheduleCommand({ Name: schedule.Name }))).toMatchObject({
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'rate(1 minute)',
    });
    await clients.scheduler.send(
      new UpdateScheduleCommand({ ...schedule, ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' }),
    );
    expect(await clients.scheduler.send(new GetScheduleCommand({ Name: schedule.Name }))).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'DISABLED',
    });
    expect(
      (await clients.scheduler.send(new ListSchedulesCommand({ NamePrefix: 'lambdaflex' }))).Schedules,
    ).toHaveLength(1);
    expect(account.inventory().find((i) => i.type === 'AWS::Scheduler::Schedule')).toMatchObject({
      id: 'default/lambdaflex-reconciler',
    });
    await clients.scheduler.send(new DeleteScheduleCommand({ Name: schedule.Name }));
    expect((await clients.scheduler.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
  });

  it('answers ConflictException for a duplicate and ResourceNotFoundException for an unknown schedule', async () => {
    const { clients } = createSimulatedAws();
    await clients.scheduler.send(new CreateScheduleCommand(schedule));
    await expect(clients.scheduler.send(new CreateScheduleCommand(schedule))).rejects.toMatchObject({
      name: 'ConflictException',
    });
    await expect(clients.scheduler.send(new GetScheduleCommand({ Name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(clients.scheduler.send(new DeleteScheduleCommand({ Name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      clients.scheduler.send(
        new CreateScheduleCommand({ ...schedule, Name: 'bad', ScheduleExpression: 'every minute' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
