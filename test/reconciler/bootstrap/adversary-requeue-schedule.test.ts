/**
 * adversary: a schedule of the requeue schedule's name (`lambdaflex-reconciler-requeue`, group default)
 * that LambdaFlex did not make: someone's own, or one of another tool. The handler moves its own one-off
 * schedule by name (CreateSchedule, and UpdateSchedule on Conflict); it must never rewrite one that is not
 * marked as its own (schedules can't be tagged: the mark is the description, reconciler/bootstrap/names.ts).
 */
import { CreateScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { SYSTEM_NAMES } from '../../../reconciler/bootstrap/names';
import { upsertRequeueSchedule } from '../../../reconciler/bootstrap/requeue-schedule';
import { createSimulatedAws } from '../../../aws-sim';

const FOREIGN_TARGET = {
  Arn: 'arn:aws:lambda:us-east-1:123456789012:function:someone-elses',
  RoleArn: 'arn:aws:iam::123456789012:role/someone-elses-scheduler',
};

describe('adversary: the requeue schedule’s name taken by someone else', () => {
  it('is left as it was, and the upsert fails saying why', async () => {
    const { account, clients } = createSimulatedAws({ seed: 5 });
    await clients.scheduler.send(
      new CreateScheduleCommand({
        Name: SYSTEM_NAMES.requeueSchedule,
        GroupName: SYSTEM_NAMES.scheduleGroup,
        ScheduleExpression: 'rate(5 minutes)',
        Description: 'our nightly job',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: FOREIGN_TARGET,
      }),
    );
    const target = {
      functionArn: account.arn('lambda', `function:${SYSTEM_NAMES.function}`),
      roleArn: account.arn('iam', 'role/lambdaflex-reconciler-scheduler-us-east-1', { region: false }),
    };
    await expect(upsertRequeueSchedule(clients.scheduler, account.now() + 30_000, target)).rejects.toThrow(
      `updating AWS::Scheduler::Schedule (${SYSTEM_NAMES.requeueSchedule}): it is not marked as LambdaFlex's`,
    );
    const kept = await clients.scheduler.send(
      new GetScheduleCommand({ Name: SYSTEM_NAMES.requeueSchedule, GroupName: SYSTEM_NAMES.scheduleGroup }),
    );
    expect(kept.Description).toBe('our nightly job');
    expect(kept.ScheduleExpression).toBe('rate(5 minutes)');
    expect(kept.Target?.Arn).toBe(FOREIGN_TARGET.Arn);
  });

  it('its own is still moved: created once, then updated', async () => {
    const { account, clients } = createSimulatedAws({ seed: 5 });
    const target = {
      functionArn: account.arn('lambda', `function:${SYSTEM_NAMES.function}`),
      roleArn: account.arn('iam', 'role/lambdaflex-reconciler-scheduler-us-east-1', { region: false }),
    };
    expect(await upsertRequeueSchedule(clients.scheduler, account.now() + 30_000, target)).toBe('created');
    expect(await upsertRequeueSchedule(clients.scheduler, account.now() + 60_000, target)).toBe('updated');
  });
});
