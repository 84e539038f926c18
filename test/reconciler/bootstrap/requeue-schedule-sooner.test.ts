/**
 * The one-off requeue schedule is set by every dispatcher run, each from the stacks it saw (a change
 * feed's batch): the handler keeps one of its own still due sooner instead of moving it later, or a stack
 * that asked to come back then waited for the minute's run.
 */
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { SYSTEM_NAMES } from '../../../reconciler/bootstrap/names';
import { atExpression, upsertRequeueSchedule } from '../../../reconciler/bootstrap/requeue-schedule';
import { createSimulatedAws } from '../../../aws-sim';

function world() {
  const { account, clients } = createSimulatedAws({ seed: 7 });
  const target = {
    functionArn: account.arn('lambda', `function:${SYSTEM_NAMES.function}`),
    roleArn: account.arn('iam', 'role/lambdaflex-reconciler-scheduler-us-east-1', { region: false }),
  };
  const expression = async () =>
    (
      await clients.scheduler.send(
        new GetScheduleCommand({ Name: SYSTEM_NAMES.requeueSchedule, GroupName: SYSTEM_NAMES.scheduleGroup }),
      )
    ).ScheduleExpression;
  return { account, clients, target, expression };
}

describe('upsertRequeueSchedule, keeping a sooner one', () => {
  it('keeps its own schedule still to come before the time asked, and moves it sooner', async () => {
    const { account, clients, target, expression } = world();
    const now = account.now();
    expect(await upsertRequeueSchedule(clients.scheduler, now + 20_000, target)).toBe('created');
    const keep = { keepSoonerThan: { now } };
    expect(await upsertRequeueSchedule(clients.scheduler, now + 50_000, target, keep)).toBe('kept');
    expect(await expression()).toBe(atExpression(now + 20_000));
    expect(await upsertRequeueSchedule(clients.scheduler, now + 10_000, target, keep)).toBe('updated');
    expect(await expression()).toBe(atExpression(now + 10_000));
  });

  it('moves one whose time has come (firing, or about to delete itself)', async () => {
    const { account, clients, target, expression } = world();
    const now = account.now();
    await upsertRequeueSchedule(clients.scheduler, now + 10_000, target);
    const later = now + 15_000;
    expect(
      await upsertRequeueSchedule(clients.scheduler, later + 30_000, target, {
        keepSoonerThan: { now: later },
      }),
    ).toBe('updated');
    expect(await expression()).toBe(atExpression(later + 30_000));
  });
});
