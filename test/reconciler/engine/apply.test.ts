import type { Bookkeeping } from '../../../reconciler/state/bookkeeping';
import { applyPlan, WAIT_POLL_AFTER_MS } from '../../../reconciler/engine/apply';
import { observe } from '../../../reconciler/engine/observe';
import { OwnershipLedger } from '../../../reconciler/engine/ownership';
import {
  CreateUnconfirmedError,
  NotCreatedHereError,
} from '../../../reconciler/resources/common/created-here';
import { plan } from '../../../reconciler/engine/plan';
import type { ManagedResource } from '../../../reconciler/resources/types';
import type { Observation, RetryState } from '../../../reconciler/engine/types';
import { CONFLICT_RECHECK_MS, WAIT_REQUEUE_MS } from '../../../reconciler/engine/come-back';
import { DependencyNotThereError } from '../../../reconciler/resources/common/dependency-not-there';
import { awsError, FakeCloud, fakeResource, noClients, testSpec } from './fake-kinds';

const spec = testSpec();

function setup(options: { albReadyOnCreate?: boolean } = {}) {
  const cloud = new FakeCloud();
  const kinds = [
    fakeResource(cloud, 'vpc'),
    fakeResource(cloud, 'subnet', ['vpc']),
    fakeResource(cloud, 'sg', ['vpc']),
    fakeResource(cloud, 'alb', ['subnet', 'sg'], { readyOnCreate: options.albReadyOnCreate ?? true }),
    fakeResource(cloud, 'service', ['alb']),
  ];
  let now = 1_000;
  const base = { clients: noClients, spec, region: 'us-east-1', now: () => now };
  const pass = async (target: 'fargate' | 'lambda', retries: Record<string, RetryState> = {}) => {
    const observation = await observe(base, kinds);
    const p = plan(spec, target, observation, now, kinds);
    const result = await applyPlan(p, observation, { ...base, kinds, retries, random: () => 0.5 });
    return { plan: p, result };
  };
  return { cloud, kinds, pass, advance: (ms: number) => (now += ms), base };
}

describe('applyPlan', () => {
  it('builds everything in dependency order and then settles', async () => {
    const { cloud, pass } = setup();
    const { result } = await pass('fargate');
    expect(result.settled).toBe(true);
    expect([...cloud.resources.keys()].sort()).toEqual(['alb', 'service', 'sg', 'subnet', 'vpc']);
    const creates = cloud.calls.filter((c) => c.startsWith('create:'));
    expect(creates.indexOf('create:vpc')).toBeLessThan(creates.indexOf('create:subnet'));
    expect(creates.indexOf('create:alb')).toBeLessThan(creates.indexOf('create:service'));
    const next = await pass('fargate');
    expect(next.plan.steps).toEqual([]);
  });

  it('looks up by tag right before every create', async () => {
    const { cloud, pass } = setup();
    await pass('fargate');
    const vpcCalls = cloud.calls.filter((c) => c.endsWith(':vpc'));
    expect(vpcCalls).toEqual(['find:vpc', 'find:vpc', 'create:vpc']);
  });

  it('stops at a resource that is not ready yet and blocks what depends on it', async () => {
    const { cloud, pass } = setup({ albReadyOnCreate: false });
    const { result } = await pass('fargate');
    expect(result.outcomes['create:alb']).toEqual({ status: 'waiting', reason: 'alb provisioning' });
    expect(result.outcomes['create:service']).toMatchObject({
      status: 'blocked',
      reason: expect.stringContaining('alb provisioning'),
    });
    expect(cloud.resources.has('service')).toBe(false);
    cloud.resources.get('alb')!.ready = true;
    const second = await pass('fargate');
    expect(second.plan.steps.map((s) => s.id)).toEqual(['create:service']);
    expect(second.result.settled).toBe(true);
  });

  describe('a create AWS answers with a state that usually ends within seconds (EC2 `pending`)', () => {
    function pendingSubnet(options: { flagged?: boolean } = {}) {
      const cloud = new FakeCloud();
      const kinds = [
        fakeResource(cloud, 'vpc'),
        fakeResource(cloud, 'subnet', ['vpc'], {
          readyOnCreate: false,
          readySoonAfterCreate: options.flagged ?? true,
        }),
        fakeResource(cloud, 'sg', ['vpc']),
        fakeResource(cloud, 'alb', ['subnet', 'sg']),
      ];
      const base = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
      const pass = async () => {
        const observation = await observe(base, kinds);
        const p = plan(spec, 'fargate', observation, 1_000, kinds);
        return applyPlan(p, observation, { ...base, kinds, retries: {}, random: () => 0.5 });
      };
      return { cloud, pass };
    }

    it('is looked at once more when nothing else can run: seen ready, what needs it runs in the same pass', async () => {
      const { cloud, pass } = pendingSubnet();
      cloud.readyWhenFound.add('subnet');
      const result = await pass();
      expect(result.outcomes['create:subnet']).toEqual({ status: 'done' });
      expect(result.outcomes['create:alb']).toEqual({ status: 'done' });
      expect(cloud.resources.has('alb')).toBe(true);
      const subnetCalls = cloud.calls.filter((c) => c.endsWith(':subnet'));
      // The observation's look-up, the create's own, the create, and the one look again.
      expect(subnetCalls).toEqual(['find:subnet', 'find:subnet', 'create:subnet', 'find:subnet']);
      // Only once the other steps it could run (the security group) had ended.
      expect(cloud.calls.lastIndexOf('find:subnet')).toBeGreaterThan(cloud.calls.indexOf('create:sg'));
    });

    it('still pending on that look, blocks what needs it as before, looked at only once', async () => {
      const { cloud, pass } = pendingSubnet();
      const result = await pass();
      expect(result.outcomes['create:subnet']).toMatchObject({ status: 'waiting' });
      expect(result.outcomes['create:alb']).toMatchObject({ status: 'blocked' });
      expect(cloud.resources.has('alb')).toBe(false);
      expect(cloud.calls.filter((c) => c === 'find:subnet')).toHaveLength(3);
    });

    it('a failed look again reads as neither ready nor absent: the step stays waiting, its resource recorded', async () => {
      const { cloud, pass } = pendingSubnet();
      cloud.readyWhenFound.add('subnet');
      // The observation's and the create's look-ups answer; the look again fails.
      cloud.failures.set('find:subnet', [
        undefined as unknown as Error,
        undefined as unknown as Error,
        awsError('FakeBusy'),
      ]);
      const result = await pass();
      expect(result.outcomes['create:subnet']).toMatchObject({ status: 'waiting' });
      expect(result.outcomes['create:alb']).toMatchObject({ status: 'blocked' });
      expect(cloud.resources.has('subnet')).toBe(true);
      expect(cloud.resources.has('alb')).toBe(false);
    });

    it('another resource found on that look (not the one created) unblocks nothing', async () => {
      const { cloud, pass } = pendingSubnet();
      cloud.readyWhenFound.add('subnet');
      const realFind = cloud.take.bind(cloud);
      cloud.take = (key, verb) => {
        realFind(key, verb);
        // Between the create and the look again, the subnet is replaced by another of the same tags.
        if (verb === 'create' && key === 'sg')
          cloud.resources.set('subnet', { id: 'fake-other', size: 1, ready: true });
      };
      const result = await pass();
      expect(result.outcomes['create:subnet']).toMatchObject({ status: 'waiting' });
      expect(result.outcomes['create:alb']).toMatchObject({ status: 'blocked' });
      expect(cloud.resources.has('alb')).toBe(false);
    });

    it('the one created, seen as someone else’s on that look, unblocks nothing', async () => {
      const { cloud, pass } = pendingSubnet();
      cloud.readyWhenFound.add('subnet');
      const realTake = cloud.take.bind(cloud);
      cloud.take = (key, verb) => {
        realTake(key, verb);
        if (verb === 'create' && key === 'sg') cloud.resources.get('subnet')!.foreign = true;
      };
      const result = await pass();
      expect(result.outcomes['create:subnet']).toMatchObject({ status: 'waiting' });
      expect(result.outcomes['create:alb']).toMatchObject({ status: 'blocked' });
      expect(cloud.resources.has('alb')).toBe(false);
    });

    it('a bug on that look (no AWS answer) ends the pass, as anywhere else', async () => {
      const { cloud, pass } = pendingSubnet();
      cloud.failures.set('find:subnet', [
        undefined as unknown as Error,
        undefined as unknown as Error,
        new Error('bug in the finder'),
      ]);
      await expect(pass()).rejects.toThrow('bug in the finder');
      expect(cloud.resources.has('alb')).toBe(false);
    });

    it('is not looked at again for a kind that does not say it is ready soon', async () => {
      const { cloud, pass } = pendingSubnet({ flagged: false });
      cloud.readyWhenFound.add('subnet');
      const result = await pass();
      expect(result.outcomes['create:alb']).toMatchObject({ status: 'blocked' });
      expect(cloud.calls.filter((c) => c === 'find:subnet')).toHaveLength(2);
    });
  });

  it('retries a retryable error after a backoff kept between passes', async () => {
    const { cloud, pass, advance } = setup();
    cloud.failures.set('create:sg', [awsError('Throttling')]);
    const retries: Record<string, RetryState> = {};
    const first = await pass('fargate', retries);
    expect(first.result.outcomes['create:sg']).toMatchObject({ status: 'retryable', code: 'Throttling' });
    expect(retries['create:sg']).toMatchObject({ attempts: 1 });
    expect(first.result.outcomes['create:alb'].status).toBe('blocked');
    const tooSoon = await pass('fargate', retries);
    expect(tooSoon.result.outcomes['create:sg'].status).toBe('backoff');
    advance(retries['create:sg'].retryAt);
    const later = await pass('fargate', retries);
    expect(later.result.settled).toBe(true);
    expect(retries).toEqual({});
  });

  it('retries a code the kind calls busy after the first backoff delay every time, other codes after a growing one', async () => {
    const { cloud, kinds, pass, advance } = setup();
    const sg = kinds.find((k) => k.key === 'sg')!;
    (sg as { errors: typeof sg.errors }).errors = { ...sg.errors, busy: ['FakeBusy'] };
    const delays = async (code: string): Promise<number[]> => {
      cloud.failures.set(
        'create:sg',
        [1, 2, 3, 4].map(() => awsError(code)),
      );
      const retries: Record<string, RetryState> = {};
      const seen: number[] = [];
      for (let i = 0; i < 4; i++) {
        const startedAt = (await pass('fargate', retries)).plan.at;
        seen.push(retries['create:sg']!.retryAt - startedAt);
        advance(retries['create:sg']!.retryAt - startedAt);
      }
      return seen;
    };
    // random 0.5: three quarters of the ceiling (5 s, doubled each attempt).
    expect(await delays('FakeBusy')).toEqual([3_750, 3_750, 3_750, 3_750]);
    expect(await delays('Throttling')).toEqual([3_750, 7_500, 15_000, 30_000]);
  });

  it('ends a step with a terminal error and AWS message, without retry state', async () => {
    const { cloud, pass } = setup();
    cloud.failures.set('create:vpc', [awsError('FakeInvalid')]);
    const retries: Record<string, RetryState> = {};
    const { result } = await pass('fargate', retries);
    expect(result.outcomes['create:vpc']).toEqual({
      status: 'terminal',
      code: 'FakeInvalid',
      message: 'creating Fake::vpc (vpc): FakeInvalid: FakeInvalid (fake)',
    });
    expect(retries).toEqual({});
  });

  it('leaves what is not the stack’s alone as a conflict to look at again, and a change the spec must undo terminal', async () => {
    const { kinds, base } = setup();
    const foreign = {
      key: 'vpc',
      type: 'Fake::vpc',
      id: 'vpc-theirs',
      tags: {},
      attributes: { size: 1 },
      ready: true,
      foreign: true,
      conflict: 'vpc-theirs carries copied tags',
    };
    const observation = { resources: { vpc: foreign }, unknown: {} };
    const p = plan(spec, 'fargate', observation, 0, kinds.slice(0, 1));
    const { outcomes } = await applyPlan(p, observation, { ...base, kinds });
    expect(outcomes['conflict:vpc']).toEqual({
      status: 'conflict',
      message: 'vpc-theirs carries copied tags; it is left alone',
    });

    const immutable = [{ ...kinds[0]!, immutable: ['size'] }];
    const drifted = {
      resources: { vpc: { ...foreign, foreign: false, attributes: { size: 9 } } },
      unknown: {},
    };
    const q = plan(spec, 'fargate', drifted, 0, immutable);
    const second = await applyPlan(q, drifted, { ...base, kinds: immutable });
    expect(second.outcomes['conflict:vpc']).toMatchObject({ status: 'terminal' });
  });

  it('lets an error that is not AWS’s through (a crash is not swallowed)', async () => {
    const { cloud, pass } = setup();
    cloud.failures.set('create:vpc', [new TypeError('bug')]);
    await expect(pass('fargate')).rejects.toThrow('bug');
  });

  it('counts a delete of something already gone as done', async () => {
    const { cloud, pass } = setup();
    await pass('fargate');
    cloud.failures.set('delete:vpc', [awsError('FakeNotFound')]);
    const { result } = await pass('lambda');
    expect(result.outcomes['delete:vpc']).toEqual({ status: 'done' });
  });

  it('tears down in reverse order, retrying a DependencyViolation on a later pass', async () => {
    const { cloud, pass, advance } = setup();
    await pass('fargate');
    cloud.failures.set('delete:subnet', [awsError('DependencyViolation')]);
    const retries: Record<string, RetryState> = {};
    const first = await pass('lambda', retries);
    expect(first.result.outcomes['delete:subnet'].status).toBe('retryable');
    expect(first.result.outcomes['delete:vpc'].status).toBe('blocked');
    expect(cloud.resources.has('vpc')).toBe(true);
    advance(600_000);
    const second = await pass('lambda', retries);
    expect(second.result.settled).toBe(true);
    expect(cloud.resources.size).toBe(0);
  });

  it('never runs more steps at once than its concurrency', async () => {
    const { kinds, base } = setup();
    let inFlight = 0;
    let most = 0;
    const slow = kinds.map((k) => ({
      ...k,
      dependsOn: [],
      find: async () => undefined,
      create: async (ctx: Parameters<typeof k.create>[0]) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight -= 1;
        return {
          key: k.key,
          type: k.type,
          id: k.key,
          tags: {},
          attributes: {},
          ready: true,
          ...(ctx ? {} : {}),
        };
      },
    }));
    const p = plan(spec, 'fargate', { resources: {}, unknown: {} }, 0, slow);
    await applyPlan(p, { resources: {}, unknown: {} }, { ...base, kinds: slow, concurrency: 2 });
    expect(most).toBe(2);
  });

  it('stops starting steps when the time budget is spent and says so', async () => {
    const { kinds, base } = setup();
    let elapsed = 0;
    const p = plan(spec, 'fargate', { resources: {}, unknown: {} }, 0, kinds);
    const result = await applyPlan(
      p,
      { resources: {}, unknown: {} },
      {
        ...base,
        kinds,
        budgetMs: 1,
        elapsed: () => elapsed++,
        concurrency: 1,
      },
    );
    expect(result.outOfTime).toBe(true);
    expect(
      Object.values(result.outcomes).some(
        (o) => o.status === 'blocked' && o.reason === 'the pass ran out of time',
      ),
    ).toBe(true);
  });

  it('records an observation failure as unknown rather than absent', async () => {
    const { cloud, kinds, base } = setup();
    cloud.failures.set('find:vpc', [awsError('Throttling')]);
    const observation = await observe(base, kinds);
    expect(observation.unknown.vpc).toContain('Throttling');
    expect('vpc' in observation.resources).toBe(false);
  });

  it('does not read a dependent as absent when its dependency could not be observed', async () => {
    const { cloud, kinds, base } = setup();
    cloud.resources.set('sg', { id: 'sg-1', size: 1, ready: true });
    cloud.failures.set('find:vpc', [awsError('Throttling')]);
    const observation = await observe(base, kinds);
    // Finders that look a resource up by its parent's id find nothing without it: not "absent".
    expect(observation.unknown.subnet).toBe(
      'finding Fake::subnet (subnet): its dependency vpc could not be observed',
    );
    expect('subnet' in observation.resources).toBe(false);
    // What was found all the same is known.
    expect(observation.resources.sg?.id).toBe('sg-1');
    expect(observation.unknown.alb).toContain('its dependency subnet could not be observed');
  });

  it('does not call a resource gone when found through a dependency still unknown', async () => {
    const { cloud, kinds, base } = setup();
    const observation = { resources: {}, unknown: { vpc: 'Throttling', subnet: 'vpc unknown' } };
    // The plan orders the look-ups; applied in the wrong order on purpose, the vpc's is throttled again.
    cloud.failures.set('find:vpc', [awsError('Throttling')]);
    const p = {
      stack: 'orders-api',
      targetTier: 'lambda' as const,
      at: 0,
      steps: [
        {
          id: 'wait:subnet',
          action: 'wait' as const,
          key: 'subnet',
          type: 'Fake::subnet',
          reason: '',
          dependsOn: [],
          waitUntil: 'gone' as const,
        },
        {
          id: 'wait:vpc',
          action: 'wait' as const,
          key: 'vpc',
          type: 'Fake::vpc',
          reason: '',
          dependsOn: [],
          waitUntil: 'gone' as const,
        },
      ],
    };
    const result = await applyPlan(p, observation, { ...base, kinds, random: () => 0.5 });
    expect(result.outcomes['wait:subnet']).toEqual({
      status: 'waiting',
      reason: 'subnet: its dependency vpc could not be observed',
    });
    expect(result.settled).toBe(false);
  });

  it('keeps dependents waiting while a delete has only started (a draining service)', async () => {
    const { cloud, kinds, pass } = setup();
    await pass('fargate');
    const service = kinds.find((k) => k.key === 'service')!;
    const draining = { ...cloud.resources.get('service')!, state: 'DRAINING' };
    service.delete = async () => {
      cloud.take('service', 'delete');
      cloud.resources.set('service', draining);
    };
    const { result } = await pass('lambda');
    expect(result.outcomes['delete:service']).toEqual({
      status: 'waiting',
      reason: 'service is still being deleted (DRAINING)',
    });
    expect(result.outcomes['delete:alb']).toMatchObject({ status: 'blocked' });
    expect(cloud.calls).not.toContain('delete:alb');
  });

  it('drops retry state of steps that left the plan, so a settled stack is not called back for them', async () => {
    const { cloud, pass } = setup();
    cloud.failures.set('create:sg', [awsError('Throttling')]);
    const retries: Record<string, RetryState> = {};
    await pass('fargate', retries);
    expect(Object.keys(retries)).toEqual(['create:sg']);
    await pass('lambda', retries);
    expect(retries).toEqual({});
  });

  it('on a fatal error, lets the steps already started end before it throws', async () => {
    const { kinds, base } = setup();
    let slowEnded = false;
    const twoAtOnce = kinds.slice(0, 2).map((k, i) => ({
      ...k,
      dependsOn: [],
      find: async () => undefined,
      create: async () => {
        if (i === 0) throw new TypeError('bug');
        await new Promise((r) => setTimeout(r, 20));
        slowEnded = true;
        return { key: k.key, type: k.type, id: k.key, tags: {}, attributes: {}, ready: true };
      },
    }));
    const p = plan(spec, 'fargate', { resources: {}, unknown: {} }, 0, twoAtOnce);
    await expect(applyPlan(p, { resources: {}, unknown: {} }, { ...base, kinds: twoAtOnce })).rejects.toThrow(
      'bug',
    );
    expect(slowEnded).toBe(true);
  });
});

describe('applyPlan: journaled creates', () => {
  function journaled(creates: 'nonce' | 'name' = 'nonce') {
    const cloud = new FakeCloud();
    const base = fakeResource(cloud, 'vpc');
    const nonces: (string | undefined)[] = [];
    const vpc: ManagedResource = {
      ...base,
      creates,
      create: (ctx) => {
        nonces.push(ctx.nonce);
        return base.create(ctx);
      },
    };
    const ledger = new OwnershipLedger({ owned: {}, intents: {} }, () => 1_000, { newNonce: () => 'n1' });
    const journal = async (key: string) => {
      cloud.calls.push(`journal:${key}:${JSON.stringify(ledger.toBookkeeping().intents?.[key])}`);
    };
    const ctx = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    const apply = async () => {
      const observation = await observe(ctx, [vpc], { judge: (k, found) => ledger.judge(k, found) });
      const p = plan(spec, 'fargate', observation, 1_000, [vpc]);
      return applyPlan(p, observation, { ...ctx, kinds: [vpc], ownership: { ledger, journal } });
    };
    return { cloud, ledger, nonces, apply };
  }

  it('journals the intent before the create call, which carries its nonce; the id is then recorded', async () => {
    const { cloud, ledger, nonces, apply } = journaled();
    const result = await apply();
    expect(result.settled).toBe(true);
    expect(cloud.calls).toEqual([
      'find:vpc',
      'find:vpc',
      'journal:vpc:[{"nonce":"n1","at":1000,"until":301000}]',
      'create:vpc',
    ]);
    expect(nonces).toEqual(['n1']);
    expect(ledger.toBookkeeping()).toEqual({
      owned: { vpc: { id: 'fake-1', nonce: 'n1', since: 1_000 } },
      intents: {},
      earlier: {},
      forgotten: {},
    });
  });

  it('no longer awaits the create AWS refused (its nonce only remembered), keeps it when the answer is unknown (5xx)', async () => {
    const refused = journaled();
    refused.cloud.failures.set('create:vpc', [awsError('FakeInvalid')]);
    await refused.apply();
    expect(refused.ledger.toBookkeeping().intents).toEqual({
      vpc: [{ nonce: 'n1', at: 1_000, refused: true }],
    });
    expect(refused.ledger.awaits('vpc')).toBe(false);
    expect(refused.ledger.pendingCreates()).toEqual([]);

    const unknown = journaled();
    unknown.cloud.failures.set('create:vpc', [awsError('InternalError', 'server')]);
    await unknown.apply();
    expect(unknown.ledger.toBookkeeping().intents).toEqual({
      vpc: [{ nonce: 'n1', at: 1_000, until: 301_000 }],
    });
    // The next look finds nothing yet: it waits instead of creating a second one.
    const again = await unknown.apply();
    expect(Object.values(again.outcomes)).toEqual([
      expect.objectContaining({ status: 'waiting', reason: expect.stringMatching(/nonce n1/) }),
    ]);
    expect(unknown.cloud.calls.filter((c) => c === 'create:vpc')).toHaveLength(1);
  });

  it('a uniquely named create AWS refused proves nothing of a copy made under the name (without its nonce)', async () => {
    const refused = journaled('name');
    refused.cloud.failures.set('create:vpc', [awsError('EntityAlreadyExists')]);
    await refused.apply();
    expect(refused.ledger.awaits('vpc')).toBe(false);
    const copy = { 'lambdaflex:stack': 'orders-api', 'lambdaflex:component': 'vpc' };
    expect(refused.ledger.isRecorded('vpc', 'copy-1', copy)).toBe(false);
    expect(refused.ledger.isRecorded('vpc', 'copy-1', { ...copy, 'lambdaflex:nonce': 'guess' })).toBe(false);
  });

  it.each(['nonce', 'name'] as const)(
    'keeps the intent (%s) when the 4xx came after a retried attempt, which may have made the resource',
    async (creates) => {
      const retried = journaled(creates);
      const error = awsError('EntityAlreadyExists');
      Object.assign((error as unknown as { $metadata: object }).$metadata, { attempts: 2 });
      retried.cloud.failures.set('create:vpc', [error]);
      await retried.apply();
      expect(retried.ledger.toBookkeeping().intents?.vpc).toEqual([
        expect.objectContaining({ nonce: 'n1', at: 1_000 }),
      ]);
    },
  );

  it('waits instead of ending terminally when a retried attempt hears a refusal the first attempt may have caused', async () => {
    const retried = journaled();
    const error = awsError('InvalidSubnet.Conflict');
    Object.assign((error as unknown as { $metadata: object }).$metadata, { attempts: 2 });
    retried.cloud.failures.set('create:vpc', [error]);
    const result = await retried.apply();
    expect(result.outcomes['create:vpc']).toEqual({
      status: 'waiting',
      reason: expect.stringMatching(
        /InvalidSubnet.Conflict.*on a retry after a server error.*next pass looks for it/,
      ),
    });

    const first = journaled();
    first.cloud.failures.set('create:vpc', [awsError('InvalidSubnet.Conflict')]);
    expect((await first.apply()).outcomes['create:vpc']).toMatchObject({ status: 'terminal' });
  });

  it('records what a create made even when a later call of the same create failed', async () => {
    const cloud = new FakeCloud();
    const vpc: ManagedResource = {
      ...fakeResource(cloud, 'vpc'),
      creates: 'nonce',
      create: async (ctx) => {
        ctx.answered?.('vpc-made');
        throw awsError('FakeBusy');
      },
    };
    const ledger = new OwnershipLedger({ owned: {}, intents: {} }, () => 1_000, { newNonce: () => 'n1' });
    const nothing = { resources: {}, unknown: {} };
    const ctx = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    const p = plan(spec, 'fargate', nothing, 1_000, [vpc]);
    const journal = async () => {};
    const result = await applyPlan(p, nothing, { ...ctx, kinds: [vpc], ownership: { ledger, journal } });
    expect(result.outcomes['create:vpc']).toMatchObject({ status: 'retryable' });
    expect(ledger.toBookkeeping()).toEqual({
      owned: { vpc: { id: 'vpc-made', nonce: 'n1', since: 1_000 } },
      intents: {},
      earlier: {},
      forgotten: {},
    });
  });

  /** One pass creating an ALB kind whose create does `create`, over a ledger holding `intents`. */
  async function createAlb(create: ManagedResource['create'], intents: Bookkeeping['intents'] = {}) {
    const alb: ManagedResource = { ...fakeResource(new FakeCloud(), 'alb'), creates: 'name', create };
    const ledger = new OwnershipLedger({ owned: {}, intents }, () => 1_000, { newNonce: () => 'n1' });
    const nothing = { resources: {}, unknown: {} };
    const ctx = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    const p = plan(spec, 'fargate', nothing, 1_000, [alb]);
    const result = await applyPlan(p, nothing, {
      ...ctx,
      kinds: [alb],
      ownership: { ledger, journal: async () => {} },
    });
    return { result, ledger };
  }

  it('reports a create answered with someone else’s resource as a conflict, records nothing and keeps the nonce only as refused', async () => {
    const { result, ledger } = await createAlb(async () => {
      throw new NotCreatedHereError('alb', 'arn:theirs', 'CreateLoadBalancer');
    });
    expect(result.outcomes['create:alb']).toEqual({
      status: 'conflict',
      message: expect.stringContaining('CreateLoadBalancer answered with arn:theirs'),
    });
    expect(result.observation.resources.alb).toBeUndefined();
    expect(ledger.toBookkeeping()).toEqual({
      owned: {},
      intents: { alb: [{ nonce: 'n1', at: 1_000, refused: true }] },
      earlier: {},
      forgotten: {},
    });
    expect(ledger.awaits('alb')).toBe(false);
    expect(ledger.isRecorded('alb', 'arn:theirs', {})).toBe(false);
  });

  it('records an idempotent create’s answer under the nonce it carries (an earlier create’s); neither is awaited', async () => {
    const made = {
      key: 'alb',
      type: 'Fake::Alb',
      id: 'arn:made-earlier',
      tags: { 'lambdaflex:nonce': 'n0' },
      attributes: {},
      ready: true,
    };
    const { ledger } = await createAlb(async () => made, { alb: [{ nonce: 'n0', at: 500, until: 500 }] });
    expect(ledger.toBookkeeping()).toEqual({
      owned: { alb: { id: 'arn:made-earlier', nonce: 'n0', since: 1_000 } },
      intents: { alb: [{ nonce: 'n1', at: 1_000, refused: true }] },
      earlier: {},
      forgotten: {},
    });
    expect(ledger.awaits('alb')).toBe(false);
  });

  it('waits, keeping the intent, when a create’s answer cannot be told the stack’s yet', async () => {
    const { result, ledger } = await createAlb(async () => {
      throw new CreateUnconfirmedError('alb', 'arn:new', 'CreateLoadBalancer');
    });
    expect(result.outcomes['create:alb']).toMatchObject({ status: 'waiting' });
    expect(ledger.toBookkeeping()).toEqual({
      owned: {},
      intents: { alb: [{ nonce: 'n1', at: 1_000, until: 1_000 }] },
      earlier: {},
      forgotten: {},
    });
  });

  it('does not create when the journal write fails (the lease was lost)', async () => {
    const cloud = new FakeCloud();
    const vpc: ManagedResource = { ...fakeResource(cloud, 'vpc'), creates: 'nonce' };
    const ledger = new OwnershipLedger({ owned: {}, intents: {} }, () => 1_000);
    const journal = async () => {
      throw new Error('writing status (orders-api): lease no longer held by scenario');
    };
    const nothing = { resources: {}, unknown: {} };
    const p = plan(spec, 'fargate', nothing, 1_000, [vpc]);
    const ctx = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    await expect(
      applyPlan(p, nothing, { ...ctx, kinds: [vpc], ownership: { ledger, journal } }),
    ).rejects.toThrow(/lease no longer held/);
    expect(cloud.calls).not.toContain('create:vpc');
  });
});

describe('applyPlan: journaled deletes', () => {
  /** A stack's VPC, made and recorded by a first pass, then deleted by a pass to Lambda whose delete fails with `error`. */
  async function deleteFailing(error: Error) {
    const cloud = new FakeCloud();
    const vpc: ManagedResource = { ...fakeResource(cloud, 'vpc'), creates: 'nonce' };
    const ledger = new OwnershipLedger({ owned: {}, intents: {} }, () => 1_000, { newNonce: () => 'n1' });
    const journaled: unknown[] = [];
    const journal = async (key: string) => {
      journaled.push(ledger.toBookkeeping().owned?.[key]?.deleteSentAt);
    };
    const ctx = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    const pass = async (target: 'fargate' | 'lambda') => {
      const observation = await observe(ctx, [vpc], { judge: (k, found) => ledger.judge(k, found) });
      const p = plan(spec, target, observation, 1_000, [vpc]);
      return applyPlan(p, observation, { ...ctx, kinds: [vpc], ownership: { ledger, journal } });
    };
    await pass('fargate');
    journaled.length = 0;
    cloud.failures.set('delete:vpc', [error]);
    await pass('lambda');
    return { journaled, deleteSentAt: ledger.toBookkeeping().owned?.vpc?.deleteSentAt };
  }

  it('journals the delete before it is sent, and takes the mark back when AWS refused it on its first attempt', async () => {
    const refused = await deleteFailing(awsError('DependencyViolation'));
    expect(refused.journaled).toEqual([1_000]);
    expect(refused.deleteSentAt).toBeUndefined();
  });

  it('keeps the mark when the answer may hide a delete that happened (a 5xx, a 4xx after a retried attempt)', async () => {
    const server = await deleteFailing(awsError('InternalError', 'server'));
    expect(server.deleteSentAt).toBe(1_000);
    // The first attempt may have deleted it behind a 5xx; the retry then heard a refusal (throttled).
    const error = awsError('Throttling');
    Object.assign((error as unknown as { $metadata: object }).$metadata, { attempts: 2 });
    const retried = await deleteFailing(error);
    expect(retried.deleteSentAt).toBe(1_000);
  });
});

describe('applyPlan: keys taken from an earlier pass’s view', () => {
  /**
   * A stack whose ALB is provisioning, the service's create (it reads the VPC and the ALB) blocked
   * behind it; the VPC taken from a view.
   */
  async function waitingOnAlb() {
    const cloud = new FakeCloud();
    const kinds = [
      fakeResource(cloud, 'vpc'),
      fakeResource(cloud, 'alb', ['vpc'], { readyOnCreate: false }),
      fakeResource(cloud, 'service', ['vpc', 'alb']),
    ];
    let now = 1_000;
    const base = { clients: noClients, spec, region: 'us-east-1', now: () => now };
    const first = await observe(base, kinds);
    await applyPlan(plan(spec, 'fargate', first, now, kinds), first, { ...base, kinds });
    now += 15_000;
    const observation = await observe(base, kinds);
    const p = plan(spec, 'fargate', observation, now, kinds);
    expect(p.steps.map((s) => s.id)).toEqual(['wait:alb', 'create:service']);
    // The ALB turns active between the observation and its wait: the service's create is unblocked.
    cloud.resources.get('alb')!.ready = true;
    cloud.calls.length = 0;
    return { cloud, kinds, base, observation, p };
  }

  it('finds a key again before a step reads it, and acts when AWS still shows what the plan saw', async () => {
    const { cloud, kinds, base, observation, p } = await waitingOnAlb();
    const result = await applyPlan(p, observation, { ...base, kinds, reused: new Set(['vpc']) });
    expect(result.outcomes['create:service']).toEqual({ status: 'done' });
    // The VPC (read by the service's create, taken from the view) was found again first.
    expect(cloud.calls).toEqual(['find:alb', 'find:vpc', 'find:service', 'create:service']);
  });

  it('does not act when a key from the view is gone or changed: the next pass plans again', async () => {
    const { cloud, kinds, base, observation, p } = await waitingOnAlb();
    // Deleted behind the stack's back since the view saw it.
    cloud.resources.delete('vpc');
    const result = await applyPlan(p, observation, { ...base, kinds, reused: new Set(['vpc']) });
    expect(result.outcomes['create:service']).toEqual({
      status: 'waiting',
      reason: 'vpc is not as the plan saw it; the next pass plans again',
    });
    expect(cloud.calls).toEqual(['find:alb', 'find:vpc']);
    expect(result.observation.resources.vpc).toBeUndefined();
    expect(cloud.resources.has('service')).toBe(false);
  });

  /** The VPC kind able to find itself again by id (as the target group and ALB kinds do), counted as 'byId:vpc'. */
  function withFindById(cloud: FakeCloud, kinds: ManagedResource[]): ManagedResource[] {
    return kinds.map((kind) =>
      kind.key !== 'vpc'
        ? kind
        : {
            ...kind,
            findById: async (ctx, seen) => {
              cloud.calls.push('byId:vpc');
              const found = await kind.find(ctx);
              cloud.calls.pop();
              return found?.id === seen.id ? found : undefined;
            },
          },
    );
  }

  it('finds a key a step only names again by its id alone, and acts when it is still the one seen', async () => {
    const { cloud, kinds, base, observation, p } = await waitingOnAlb();
    const byId = withFindById(cloud, kinds);
    const result = await applyPlan(p, observation, { ...base, kinds: byId, reused: new Set(['vpc']) });
    expect(result.outcomes['create:service']).toEqual({ status: 'done' });
    expect(cloud.calls).toEqual(['find:alb', 'byId:vpc', 'find:service', 'create:service']);
  });

  it('finds a key named by id in full when it is gone, and does not act', async () => {
    const { cloud, kinds, base, observation, p } = await waitingOnAlb();
    cloud.resources.delete('vpc');
    const byId = withFindById(cloud, kinds);
    const result = await applyPlan(p, observation, { ...base, kinds: byId, reused: new Set(['vpc']) });
    expect(result.outcomes['create:service']).toEqual({
      status: 'waiting',
      reason: 'vpc is not as the plan saw it; the next pass plans again',
    });
    expect(cloud.calls).toEqual(['find:alb', 'byId:vpc', 'find:vpc']);
    expect(cloud.resources.has('service')).toBe(false);
  });

  it('finds in full, before acting on it, a key the pass found again by id alone (its tags the view’s)', async () => {
    const cloud = new FakeCloud();
    const kinds = [
      fakeResource(cloud, 'alb', [], { readyOnCreate: false }),
      fakeResource(cloud, 'tg', ['alb']),
    ];
    const now = 1_000;
    const base = { clients: noClients, spec, region: 'us-east-1', now: () => now };
    cloud.resources.set('alb', { id: 'alb-1', size: spec.fargate.minTasks, ready: false });
    // Changed by hand: the plan updates it once the ALB it waits on is active.
    cloud.resources.set('tg', { id: 'tg-1', size: 99, ready: true });
    const observation = await observe(base, kinds);
    const p = plan(spec, 'fargate', observation, now, kinds);
    expect(p.steps.map((s) => s.id)).toEqual(['wait:alb', 'update:tg']);
    cloud.resources.get('alb')!.ready = true;
    cloud.calls.length = 0;
    const result = await applyPlan(p, observation, { ...base, kinds, foundById: new Set(['tg']) });
    expect(result.outcomes['update:tg']).toEqual({ status: 'done' });
    expect(cloud.calls).toEqual(['find:alb', 'find:tg', 'update:tg']);
  });

  it('says when a waited-for resource is usually ready, for the pass to come back then', async () => {
    const cloud = new FakeCloud();
    const alb = fakeResource(cloud, 'alb', [], { readyOnCreate: false });
    const usually = {
      ...alb,
      find: async (ctx: Parameters<typeof alb.find>[0]) => {
        const found = await alb.find(ctx);
        return found && { ...found, readyExpectedAt: 181_000 };
      },
    };
    const base = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
    cloud.resources.set('alb', { id: 'alb-1', size: 1, ready: false });
    const observation = await observe(base, [usually]);
    const p = plan(spec, 'fargate', observation, 1_000, [usually]);
    expect(p.steps.map((s) => s.id)).toEqual(['wait:alb']);
    const result = await applyPlan(p, observation, { ...base, kinds: [usually] });
    expect(result.outcomes['wait:alb']).toEqual({
      status: 'waiting',
      reason: 'alb provisioning',
      until: 181_000,
    });
  });

  it('takes what the observation has just seen for a wait instead of asking again, unless it is older', async () => {
    const { cloud, kinds, base, observation, p } = await waitingOnAlb();
    cloud.resources.get('alb')!.ready = false;
    const justSeen = await applyPlan(p, observation, { ...base, kinds, observedAt: base.now() });
    expect(justSeen.outcomes['wait:alb']).toEqual({ status: 'waiting', reason: 'alb provisioning' });
    expect(cloud.calls).toEqual([]);
    const earlier = await applyPlan(p, observation, {
      ...base,
      kinds,
      observedAt: base.now() - WAIT_POLL_AFTER_MS,
    });
    expect(earlier.outcomes['wait:alb']).toEqual({ status: 'waiting', reason: 'alb provisioning' });
    expect(cloud.calls).toEqual(['find:alb']);
  });
});

describe('applyPlan: what holds a step, and when a step held by another comes back', () => {
  it('names on a blocked step the step that holds it: the first of its chain that did not end blocked', async () => {
    const { cloud, pass } = setup();
    cloud.failures.set('create:vpc', [awsError('FakeBusy')]);
    const { result } = await pass('fargate');
    expect(result.outcomes['create:vpc']).toMatchObject({ status: 'retryable' });
    // subnet and sg wait for the vpc; the alb for them, the service for the alb: all held by the vpc.
    for (const id of ['create:subnet', 'create:sg', 'create:alb', 'create:service'])
      expect(result.outcomes[id]).toMatchObject({ status: 'blocked', heldBy: 'create:vpc' });
  });

  /** A record ordered after its ALB that can't be made without it (as the fargate record's alias). */
  function recordSetup() {
    const cloud = new FakeCloud();
    const alb = fakeResource(cloud, 'alb', ['vpc']);
    const record = fakeResource(cloud, 'record', ['alb'], { strength: () => 'order' });
    const kinds = [
      fakeResource(cloud, 'vpc'),
      alb,
      {
        ...record,
        create: async (ctx: Parameters<typeof record.create>[0]) => {
          // An ALB at its name that is not the stack's is never a target (safety rule 3).
          if (!ctx.refs.alb || ctx.refs.alb.foreign)
            throw new DependencyNotThereError('alb', 'its ALB is not made yet');
          return record.create(ctx);
        },
      },
    ];
    const now = 50_000;
    const base = { clients: noClients, spec, region: 'us-east-1', now: () => now };
    const pass = async (observed?: Observation) => {
      const retries: Record<string, RetryState> = {};
      const observation = observed ?? (await observe(base, kinds));
      const p = plan(spec, 'fargate', observation, now, kinds);
      const result = await applyPlan(p, observation, { ...base, kinds, retries, random: () => 0.5 });
      return { result, retries, now };
    };
    return { cloud, pass };
  }

  it('gives a step waiting for a dependency not made yet the time its dependency’s step comes back', async () => {
    // The ALB's create throttled: the record comes back at the ALB's retry.
    const throttled = recordSetup();
    throttled.cloud.failures.set('create:alb', [awsError('FakeBusy')]);
    const first = await throttled.pass();
    expect(first.result.outcomes['create:record']).toEqual({
      status: 'waiting',
      reason: expect.stringContaining('its ALB is not made yet'),
      until: first.retries['create:alb']!.retryAt,
    });

    // Held behind the ALB's own dependency: the time of what holds the ALB.
    const held = recordSetup();
    held.cloud.failures.set('create:vpc', [awsError('FakeBusy')]);
    const second = await held.pass();
    expect(second.result.outcomes['create:alb']).toMatchObject({ status: 'blocked', heldBy: 'create:vpc' });
    expect(second.result.outcomes['create:record']).toMatchObject({
      status: 'waiting',
      until: second.retries['create:vpc']!.retryAt,
    });
  });

  it('gives it the conflict’s interval when an ALB not the stack’s holds the name', async () => {
    const { pass } = recordSetup();
    const theirs = {
      key: 'alb',
      type: 'Fake::alb',
      id: 'alb-theirs',
      tags: {},
      attributes: { size: 1 },
      ready: true,
      foreign: true,
      conflict: 'alb-theirs is at the stack’s name',
    };
    const vpc = {
      key: 'vpc',
      type: 'Fake::vpc',
      id: 'vpc-1',
      tags: {},
      attributes: { size: 1 },
      ready: true,
    };
    const { result, now } = await pass({ resources: { vpc, alb: theirs }, unknown: {} });
    expect(result.outcomes['conflict:alb']).toMatchObject({ status: 'conflict' });
    expect(result.outcomes['create:record']).toMatchObject({
      status: 'waiting',
      until: now + CONFLICT_RECHECK_MS,
    });
  });

  it('gives it the usual 15 s when its dependency’s step says nothing of when', async () => {
    const { cloud, pass } = recordSetup();
    // The ALB's create waits for an earlier create's answer (a pending intent): no time given.
    cloud.failures.set('create:alb', [new CreateUnconfirmedError('alb', 'alb-1', 'CreateLoadBalancer')]);
    const { result, now } = await pass();
    expect(result.outcomes['create:alb']).toMatchObject({ status: 'waiting' });
    expect(result.outcomes['create:alb']).not.toHaveProperty('until');
    expect(result.outcomes['create:record']).toMatchObject({
      status: 'waiting',
      until: now + WAIT_REQUEUE_MS,
    });
  });
});
