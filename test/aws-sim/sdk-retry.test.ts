/**
 * The simulated account answers each attempt inside the SDK's own retry middleware: the SDK's standard
 * retry strategy decides what to try again (by the SDK's error classification and the client's
 * `maxAttempts`), each attempt reaches the account as a request AWS would count, no client-wide retry quota
 * runs out, and retries wait no real time (no timer at all).
 */
import {
  CreateRouteTableCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { SimAccount } from '../../aws-sim/core/account';
import { simError } from '../../aws-sim/core/errors';
import { attachSimulator } from '../../aws-sim/core/middleware';
import type { SimService } from '../../aws-sim/core/service';
import { createSimulatedAws, simulatedRetries } from '../../aws-sim';
import { countCalls, instrumentClients } from '../../reconciler/aws/call-counter';

interface FlakyState {
  /** The errors the next DescribeVpcs calls answer with, one each, before it answers normally. */
  answers: string[];
}

/** An EC2 stand-in whose DescribeVpcs fails with the queued codes (as 4xx answers), then succeeds. */
const flakyEc2: SimService<FlakyState> = {
  name: 'ec2',
  validationErrorCode: 'MissingParameter',
  throttlingErrorCode: 'RequestLimitExceeded',
  buckets: {},
  operations: {
    DescribeVpcs: {
      mutating: false,
      handle: (_input, ctx) => {
        const code = ctx.state.answers.shift();
        if (code) throw simError('ec2', code, `${code} (test)`, { httpStatusCode: 400 });
        return { Vpcs: [] };
      },
    },
  },
  initialState: () => ({ answers: [] }),
};

function flakyClient(maxAttempts: number) {
  const account = new SimAccount([flakyEc2], {});
  const ec2 = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    ...simulatedRetries(maxAttempts),
  });
  attachSimulator(ec2, 'ec2', account);
  return { account, ec2, answers: account.stateOf<FlakyState>('ec2').answers };
}

describe('the simulated account under the SDK retry step', () => {
  it('retries what the SDK retries, by the SDK own list (SlowDown is throttling to the SDK)', async () => {
    const { account, ec2, answers } = flakyClient(3);
    answers.push('SlowDown', 'SlowDown');
    const out = await ec2.send(new DescribeVpcsCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect(out.$metadata.totalRetryDelay).toBe(0);
    expect(account.callCounts()).toEqual([
      { service: 'ec2', operation: 'DescribeVpcs', mutating: false, count: 3 },
    ]);
  });

  it('waits no real time between attempts: not even a timer turn (a millisecond of idle each)', async () => {
    const { ec2, answers } = flakyClient(3);
    answers.push('Throttling', 'SlowDown');
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const out = await ec2.send(new DescribeVpcsCommand({}));
      expect(out.$metadata).toMatchObject({ attempts: 3, totalRetryDelay: 0 });
      expect(timers).not.toHaveBeenCalled();
    } finally {
      timers.mockRestore();
    }
  });

  it('does not retry what the SDK does not: a client error reaches the caller at the first attempt', async () => {
    const { account, ec2, answers } = flakyClient(3);
    answers.push('InvalidParameterValue');
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      $metadata: { attempts: 1 },
    });
    expect(account.callCounts()[0]!.count).toBe(1);
  });

  it('stops at the client maxAttempts and hands AWS error to the caller', async () => {
    const { ec2, answers } = flakyClient(2);
    answers.push('Throttling', 'Throttling', 'Throttling');
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { attempts: 2, totalRetryDelay: 0 },
    });
    expect(answers).toEqual(['Throttling']);
  });

  it('counts a retried call once for the pass, and every attempt for AWS', async () => {
    const { account, clients } = createSimulatedAws({ seed: 4 });
    instrumentClients(clients);
    account.setFaults({ throttle: 1 });
    const { result, calls } = await countCalls(() =>
      clients.ec2.send(new DescribeVpcsCommand({})).catch((error: unknown) => error),
    );
    expect(result).toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { attempts: 3, totalRetryDelay: 0 },
    });
    expect(calls.total).toBe(1);
    expect(account.callCounts().find((c) => c.operation === 'DescribeVpcs')?.count).toBe(3);
  });

  it('retries a 5xx, which the SDK counts as transient', async () => {
    const { account, clients } = createSimulatedAws({ seed: 4 });
    account.setFaults({ error5xx: 1 });
    await expect(clients.ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 503, attempts: 3, totalRetryDelay: 0 },
    });
  });

  it('gives each call its attempts however many calls failed before (no client-wide retry quota)', async () => {
    const { account, clients } = createSimulatedAws({ seed: 5 });
    account.setFaults({ throttle: 1 });
    const attempts: unknown[] = [];
    // The SDK's quota (500 tokens, 5 a throttled retry) would be spent after 50 such calls.
    for (let i = 0; i < 60; i++) {
      const error = await clients.ec2
        .send(new DescribeVpcsCommand({}))
        .catch((e: { $metadata: unknown }) => e);
      attempts.push((error as { $metadata: { attempts: number } }).$metadata.attempts);
    }
    expect(new Set(attempts)).toEqual(new Set([3]));
  });

  it('answers a create that took effect with a 5xx once, when asked: the SDK retries it and a create without idempotency makes two', async () => {
    const { account, clients } = createSimulatedAws({ seed: 3 });
    account.setFaults({ error5xxAfterOperation: 'CreateVpc' });
    const answer = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    expect(answer.$metadata.attempts).toBe(2);
    account.advance(60_000);
    const vpcs = await clients.ec2.send(new DescribeVpcsCommand({}));
    const made = (vpcs.Vpcs ?? []).filter((vpc) => vpc.CidrBlock === '10.0.0.0/16');
    expect(made).toHaveLength(2);
    // Once: the next call is answered as usual.
    const again = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
    expect(again.$metadata.attempts).toBe(1);
  });

  it('gives a call the idempotency token the SDK fills in when none is given, the same on each attempt: a CreateRouteTable retried after a 5xx that took effect makes one table, as in AWS', async () => {
    const { account, clients } = createSimulatedAws({ seed: 6 });
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc!.VpcId!;
    account.setFaults({ error5xxAfterOperation: 'CreateRouteTable' });
    const input = { VpcId: vpcId };
    const answer = await clients.ec2.send(new CreateRouteTableCommand(input));
    expect(answer.$metadata.attempts).toBe(2);
    // The caller's input is not written to; the account saw one token, twice.
    expect(input).toEqual({ VpcId: vpcId });
    expect(answer.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    account.advance(60_000);
    const tables = await clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    // The VPC's main table and the one made.
    expect(tables.RouteTables?.filter((t) => !t.Associations?.some((a) => a.Main))).toHaveLength(1);
    // Another call is another request: another token, another table.
    await clients.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    account.advance(60_000);
    const after = await clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(after.RouteTables?.filter((t) => !t.Associations?.some((a) => a.Main))).toHaveLength(2);
  });
});
