/**
 * Where the simulated account answers a real SDK client (aws-sim/core/middleware.ts): after every
 * middleware of the initialize step, through the SDK's own retry middleware, with the client's resolved
 * middleware cached per command class and the cache dropped whenever the client's stack changes.
 */
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { createSimulatedAws } from '../../aws-sim';

describe('the simulated clients', () => {
  it('resolve a command class’s middleware once, not on every call', async () => {
    const { clients } = createSimulatedAws({ seed: 1 });
    const resolve = jest.spyOn(DescribeVpcsCommand.prototype, 'resolveMiddleware');
    try {
      for (let i = 0; i < 3; i++) await clients.ec2.send(new DescribeVpcsCommand({}));
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
  });

  it('run a middleware added to a client after its first calls, from the next call on', async () => {
    const { clients } = createSimulatedAws({ seed: 1 });
    await clients.ec2.send(new DescribeVpcsCommand({}));
    const seen: string[] = [];
    clients.ec2.middlewareStack.add(
      (next, context) => (args) => {
        seen.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'addedLate' },
    );
    await clients.ec2.send(new DescribeVpcsCommand({}));
    expect(seen).toEqual(['DescribeVpcsCommand']);
    clients.ec2.middlewareStack.remove('addedLate');
    await clients.ec2.send(new DescribeVpcsCommand({}));
    expect(seen).toEqual(['DescribeVpcsCommand']);
  });

  it('answer after every middleware of the initialize step, the last one included', async () => {
    const { account, clients } = createSimulatedAws({ seed: 1 });
    const seen: unknown[] = [];
    clients.route53.middlewareStack.add(
      (next) => (args) => {
        seen.push(args.input);
        return next(args);
      },
      { step: 'initialize', priority: 'low', name: 'lastOfInitialize' },
    );
    // Route 53's own initialize step has stripped the `/hostedzone/` prefix by then.
    const error = await clients.route53
      .send(new GetHostedZoneCommand({ Id: '/hostedzone/Z0NOSUCHZONE' }))
      .catch((e: Error) => e);
    expect(seen).toEqual([{ Id: 'Z0NOSUCHZONE' }]);
    expect(error).toMatchObject({ name: 'NoSuchHostedZone' });
    expect(account.callCounts()).toMatchObject([{ operation: 'GetHostedZone', count: 1 }]);
  });

  it('answer with an HTTP response dated on the account’s clock, to the second, as AWS’s Date header is', async () => {
    const { account, clients } = createSimulatedAws({ seed: 1 });
    const dates: unknown[] = [];
    clients.ec2.middlewareStack.add(
      (next) => async (args) => {
        const answer = await next(args);
        dates.push((answer.response as { headers?: Record<string, string> }).headers?.date);
        return answer;
      },
      { step: 'initialize', priority: 'low', name: 'readsDate' },
    );
    account.advance(90_500);
    await clients.ec2.send(new DescribeVpcsCommand({}));
    account.advance(3_600_000);
    await clients.ec2.send(new DescribeVpcsCommand({}));
    const start = account.startTime;
    expect(dates).toEqual([
      new Date(start + 90_000).toUTCString(),
      new Date(start + 90_000 + 3_600_000).toUTCString(),
    ]);
    expect(dates[0]).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('share no handler between clients', async () => {
    const one = createSimulatedAws({ seed: 1 });
    const two = createSimulatedAws({ seed: 2 });
    await one.clients.ec2.send(new DescribeVpcsCommand({}));
    await two.clients.ec2.send(new DescribeVpcsCommand({}));
    expect(one.account.callCounts()).toEqual([
      { service: 'ec2', operation: 'DescribeVpcs', mutating: false, count: 1 },
    ]);
    expect(two.account.callCounts()).toEqual(one.account.callCounts());
  });
});
