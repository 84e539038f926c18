import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ClusterContainsServicesException } from '@aws-sdk/client-ecs';
import { SimAccount, type AccountExtension } from '../../aws-sim/core/account';
import { simError, SimulatedCrashError } from '../../aws-sim/core/errors';
import { parseFaults } from '../../aws-sim/core/faults';
import { attachSimulator } from '../../aws-sim/core/middleware';
import { paginate } from '../../aws-sim/core/pagination';
import type { SimService } from '../../aws-sim/core/service';

interface CounterState {
  vpcs: string[];
  ticks: number[];
  /** Answered by reference by GetStored, as a careless service would. */
  stored: { Items: { Name: string; Tags: string[] }[]; At: Date };
}

/** A tiny stand-in service, so the core is tested apart from the real service models. */
const fakeEc2: SimService<CounterState> = {
  name: 'ec2',
  validationErrorCode: 'MissingParameter',
  throttlingErrorCode: 'RequestLimitExceeded',
  buckets: { describe: { capacity: 3, refillPerSecond: 1 } },
  operations: {
    DescribeVpcs: {
      mutating: false,
      handle: (input, ctx) => {
        const page = paginate(ctx.state.vpcs, input.NextToken, input.MaxResults);
        return { Vpcs: page.items.map((VpcId) => ({ VpcId })), NextToken: page.nextToken };
      },
    },
    GetStored: { mutating: false, handle: (_input, ctx) => ctx.state.stored },
    CreateVpc: {
      mutating: true,
      required: ['CidrBlock'],
      handle: (_input, ctx) => {
        const VpcId = ctx.account.newId('vpc-');
        ctx.state.vpcs.push(VpcId);
        return { Vpc: { VpcId } };
      },
    },
  },
  initialState: () => ({
    vpcs: [],
    ticks: [],
    stored: { Items: [{ Name: 'a', Tags: ['x'] }], At: new Date(0) },
  }),
  tick: (state, _account, minute) => {
    state.ticks.push(minute);
  },
};

function setup(options: ConstructorParameters<typeof SimAccount>[1] = {}) {
  const account = new SimAccount([fakeEc2], options);
  const ec2 = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
  attachSimulator(ec2, 'ec2', account);
  return { account, ec2 };
}

describe('simulated account core', () => {
  it('answers a real SDK client through the middleware and counts the call', async () => {
    const { account, ec2 } = setup();
    account.stateOf<CounterState>('ec2').vpcs.push('vpc-1');
    const out = await ec2.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toEqual([{ VpcId: 'vpc-1' }]);
    expect(account.callCounts()).toEqual([
      { service: 'ec2', operation: 'DescribeVpcs', mutating: false, count: 1 },
    ]);
  });

  it('answers with a copy: a caller changing the answer does not change the account', async () => {
    const { account } = setup();
    const first = (await account.call('ec2', 'GetStored', {})) as CounterState['stored'];
    first.Items[0]!.Name = 'changed';
    first.Items[0]!.Tags.push('y');
    first.Items.push({ Name: 'added', Tags: [] });
    first.At.setTime(1);
    expect(await account.call('ec2', 'GetStored', {})).toEqual({
      Items: [{ Name: 'a', Tags: ['x'] }],
      At: new Date(0),
    });
    expect(account.stateOf<CounterState>('ec2').stored.At.getTime()).toBe(0);
  });

  it('pages with NextToken and rejects an invented token', async () => {
    const { account, ec2 } = setup({ seed: 3 });
    account.stateOf<CounterState>('ec2').vpcs.push('a', 'b', 'c');
    const first = await ec2.send(new DescribeVpcsCommand({ MaxResults: 2 }));
    expect(first.Vpcs?.map((v) => v.VpcId)).toEqual(['a', 'b']);
    const second = await ec2.send(new DescribeVpcsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Vpcs?.map((v) => v.VpcId)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
    await expect(ec2.send(new DescribeVpcsCommand({ NextToken: 'bogus' }))).rejects.toMatchObject({
      name: 'MissingParameter',
    });
  });

  it('throttles with a token bucket on the virtual clock', async () => {
    const { account, ec2 } = setup();
    for (let i = 0; i < 3; i++) await ec2.send(new DescribeVpcsCommand({}));
    await expect(ec2.send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
    });
    account.advance(1000);
    await expect(ec2.send(new DescribeVpcsCommand({}))).resolves.toBeDefined();
  });

  it('refuses a call missing a required member, as AWS validates server-side', async () => {
    const { ec2 } = setup();
    await expect(ec2.send(new CreateVpcCommand({}))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: expect.stringContaining('CidrBlock'),
    });
  });

  it('crashes after N calls, keeping what the N-th call did', async () => {
    const { account } = setup({ faults: { crashAfterCalls: 2 } });
    await account.call('ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' });
    await expect(account.call('ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' })).rejects.toBeInstanceOf(
      SimulatedCrashError,
    );
    expect(account.stateOf<CounterState>('ec2').vpcs).toHaveLength(2);
    await expect(account.call('ec2', 'DescribeVpcs', {})).rejects.toBeInstanceOf(SimulatedCrashError);
    account.restart();
    await expect(account.call('ec2', 'DescribeVpcs', {})).resolves.toBeDefined();
  });

  it('is deterministic for a seed and survives save/load', async () => {
    const a = setup({ seed: 7 }).account;
    const b = setup({ seed: 7 }).account;
    const idA = a.newId('vpc-');
    expect(b.newId('vpc-')).toBe(idA);
    expect(idA).toMatch(/^vpc-[0-9a-f]{17}$/);
    const c = setup({ seed: 1 }).account;
    c.restore(a.toJSON());
    expect(c.newId('vpc-')).toBe(a.newId('vpc-'));
  });

  it('saves and restores copies: the saved state and the accounts share nothing', () => {
    const { account } = setup();
    account.stateOf<CounterState>('ec2').vpcs.push('vpc-1');
    const saved = account.toJSON();
    (saved.services.ec2 as CounterState).vpcs.push('vpc-only-in-the-save');
    expect(account.stateOf<CounterState>('ec2').vpcs).toEqual(['vpc-1']);
    const loaded = setup().account;
    loaded.restore(saved);
    loaded.stateOf<CounterState>('ec2').vpcs.push('vpc-only-in-the-loaded');
    expect((saved.services.ec2 as CounterState).vpcs).toEqual(['vpc-1', 'vpc-only-in-the-save']);
    expect(loaded.stateOf<CounterState>('ec2').stored.At).toEqual(new Date(0));
  });

  it('runs per-minute processes at each minute boundary crossed', () => {
    const { account } = setup();
    account.advance(30_000);
    account.advance(150_000);
    expect(account.stateOf<CounterState>('ec2').ticks).toEqual([1, 2, 3]);
    expect(account.minute()).toBe(3);
  });

  it('ticks an attached extension after every service, and saves its state with the account', () => {
    const order: string[] = [];
    const extension: AccountExtension<{ minutes: number[] }> = {
      name: 'world',
      initialState: () => ({ minutes: [] }),
      tick: (state, account, minute) => {
        // The services have moved for this minute before the extension sees them.
        order.push(`world sees ec2 ticks ${account.stateOf<CounterState>('ec2').ticks.join(',')}`);
        state.minutes.push(minute);
      },
    };
    const { account } = setup();
    account.advance(60_000);
    const state = account.attach(extension);
    expect(account.attach(extension)).toBe(state);
    account.advance(120_000);
    expect(state.minutes).toEqual([2, 3]);
    expect(order).toEqual(['world sees ec2 ticks 1,2', 'world sees ec2 ticks 1,2,3']);

    const loaded = setup().account;
    loaded.attach(extension);
    loaded.restore(account.toJSON());
    expect(loaded.attach(extension)).toEqual({ minutes: [2, 3] });
    loaded.advance(60_000);
    expect(loaded.attach(extension).minutes).toEqual([2, 3, 4]);
  });

  it('leaves the state of an extension nobody attached alone, and ticks nothing for it', () => {
    const { account } = setup();
    account.attach<{ minutes: number[] }>({ name: 'world', initialState: () => ({ minutes: [] }) });
    const loaded = setup().account;
    loaded.restore(account.toJSON());
    loaded.advance(60_000);
    expect(loaded.toJSON().extensions).toEqual({ world: { minutes: [] } });
  });

  it('builds modeled SDK exceptions where the client has them', () => {
    const error = simError('ecs', 'ClusterContainsServicesException', 'has services');
    expect(error).toBeInstanceOf(ClusterContainsServicesException);
    expect(simError('ec2', 'DependencyViolation', 'in use')).toMatchObject({
      name: 'DependencyViolation',
      $fault: 'client',
    });
  });

  it('parses LAMBDAFLEX_SIM_FAULTS and names the bad part', () => {
    expect(
      parseFaults('throttle=0.2,error5xx=0.05,latencyMs=50,crashAfterCalls=17,seed=42,unhealthy=1'),
    ).toEqual({
      throttle: 0.2,
      error5xx: 0.05,
      latencyMs: 50,
      crashAfterCalls: 17,
      seed: 42,
      unhealthy: true,
    });
    expect(parseFaults('error5xxAfterOperation=CreateVpc')).toEqual({ error5xxAfterOperation: 'CreateVpc' });
    expect(() => parseFaults('error5xxAfterOperation=create vpc')).toThrow(/must name an operation/);
    expect(() => parseFaults('throttel=0.2')).toThrow(/unknown fault 'throttel'/);
    expect(() => parseFaults('throttle=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('throttle')).toThrow(/not key=value/);
  });
});
