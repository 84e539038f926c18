/**
 * AWS's time as its answers' Date headers bound it (reconciler/aws/aws-time.ts): the bounds on a monotonic
 * clock, and the sampling middleware on the simulated clients, whose answers are dated on the account's
 * clock as AWS dates its own.
 */
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { createSimulatedAws } from '../../../aws-sim';
import { AwsClock, instrumentAwsTime } from '../../../reconciler/aws/aws-time';

const NOON = Date.UTC(2026, 11, 1, 12, 0, 0);
const httpDate = (at: number) => new Date(at).toUTCString();

describe('AwsClock', () => {
  it('bounds AWS’s time from a Date: no earlier than it plus the time since the answer, no later than it plus a second plus the time since the request', () => {
    const mono = { now: 5_000 };
    const clock = new AwsClock(() => mono.now);
    expect(clock.bounds()).toBeUndefined();
    const sent = clock.sent();
    mono.now = 5_300; // the answer arrives 300 ms later, dated 12:00:00 (AWS wrote it between 12:00:00.000 and .999)
    clock.sample(httpDate(NOON), sent);
    mono.now = 65_300; // a minute later on the monotonic clock
    expect(clock.bounds()).toEqual({ earliest: NOON + 60_000, latest: NOON + 1_000 + 60_300 });
  });

  it('keeps the tightest bounds of all the answers, and ignores a Date it cannot read', () => {
    const mono = { now: 0 };
    const clock = new AwsClock(() => mono.now);
    // A slow call: sent at 0, answered at 2 s, dated 12:00:01.
    mono.now = 2_000;
    clock.sample(httpDate(NOON + 1_000), 0);
    clock.sample('not a date', 0);
    // A quick one: sent at 2 s, answered at once, dated 12:00:01 too.
    clock.sample(httpDate(NOON + 1_000), 2_000);
    expect(clock.bounds()).toEqual({ earliest: NOON + 1_000, latest: NOON + 2_000 });
  });

  it('takes what all answers allow together when they contradict each other (clocks seconds apart)', () => {
    const clock = new AwsClock(() => 0);
    clock.sample(httpDate(NOON + 5_000), 0);
    clock.sample(httpDate(NOON), 0);
    // One says 12:00:05 to 12:00:06, the other 12:00:00 to 12:00:01: a wait starts at the latest of all
    // and ends on the earliest of all.
    expect(clock.bounds()).toEqual({ earliest: NOON, latest: NOON + 6_000 });
  });

  it('never reads the wall clock', () => {
    const wall = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('read the wall clock');
    });
    try {
      const clock = new AwsClock(() => 0);
      clock.sample(httpDate(NOON), clock.sent());
      expect(clock.bounds()).toEqual({ earliest: NOON, latest: NOON + 1_000 });
    } finally {
      wall.mockRestore();
    }
  });
});

describe('instrumentAwsTime', () => {
  it('samples each pass’s own answers, on the account’s clock, and none outside a pass', async () => {
    const { account, clients } = createSimulatedAws({ seed: 1 });
    instrumentAwsTime(clients);
    instrumentAwsTime(clients); // once per client, however often it is asked
    const monotonic = () => account.now() - account.startTime;
    const a = new AwsClock(monotonic);
    const b = new AwsClock(monotonic);
    await clients.ec2.send(new DescribeVpcsCommand({}));
    account.advance(30_000);
    await a.run(() => clients.ec2.send(new DescribeVpcsCommand({})));
    expect(b.bounds()).toBeUndefined();
    account.advance(90_000);
    // Ninety seconds on the monotonic clock since the answer: AWS's time moved as much.
    expect(a.bounds()).toEqual({
      earliest: account.startTime + 120_000,
      latest: account.startTime + 121_000,
    });
  });

  it('does not sample an answer served from a cache (an Age header)', async () => {
    const { account, clients } = createSimulatedAws({ seed: 1 });
    instrumentAwsTime(clients);
    clients.ec2.middlewareStack.add(
      (next) => async (args) => {
        const answer = await next(args);
        const response = answer.response as { headers: Record<string, string> };
        response.headers.age = '30';
        return answer;
      },
      { step: 'initialize', priority: 'low', name: 'cachedOnTheWay' },
    );
    const clock = new AwsClock(() => account.now());
    await clock.run(() => clients.ec2.send(new DescribeVpcsCommand({})));
    expect(clock.bounds()).toBeUndefined();
  });
});
