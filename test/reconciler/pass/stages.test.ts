/**
 * The stages of a pass (reconciler/pass/), each on its own: no simulator, no state store but an in-memory
 * one where a stage reads the record.
 */
import type { DesiredState } from '../../../spec/types';
import type { ApplyResult, Plan, PlanStep } from '../../../reconciler/engine/types';
import { holdOrRollBack, decidePass } from '../../../reconciler/pass/decide';
import { eventsOf } from '../../../reconciler/pass/events';
import { loadStack, stickyTerminal } from '../../../reconciler/pass/load';
import { nothingLeft, passOutcome, type OutcomeInput } from '../../../reconciler/pass/outcome';
import { passIntent, planScope, rememberedIntent } from '../../../reconciler/pass/plan';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { DEFAULT_INTENT } from '../../../reconciler/resources/intent';
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { ExtraOf } from '../../../reconciler/resources/keys';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import { InMemoryStateStore } from '../../../reconciler/state/memory-store';
import type { StackRecord, StackStatus } from '../../../reconciler/state/types';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import type { TrafficDecision } from '../../../reconciler/traffic/shift';
import { FakeCloud, fakeResource, noClients, testSpec } from '../engine/fake-kinds';
import { ledgerFor, observeAndPlan } from '../../../reconciler/pass/observation';
import { persistBeforeApply, persistInvalid, persistPass } from '../../../reconciler/pass/persist';
import { specFields } from '../../../reconciler/pass/spec-fields';

const NOW = 1_700_000_000_000;
const CALLS = { total: 0, mutating: 0, byOperation: {} };

function record(overrides: Partial<StackRecord> = {}): StackRecord {
  return {
    stack: 'orders-api',
    spec: testSpec({ mode: 'lambda' }),
    generation: 2,
    version: 5,
    events: [],
    bookkeeping: emptyBookkeeping(),
    ...overrides,
  };
}

function seen<K extends string>(
  key: K,
  extra: Partial<ObservedResource<ExtraOf<K>>> = {},
): ObservedResource<ExtraOf<K>> {
  return { key, type: `AWS::Test::${key}`, id: `id-${key}`, tags: {}, attributes: {}, ready: true, ...extra };
}

const traffic = (overrides: Partial<TrafficDecision> = {}): TrafficDecision => ({
  planTier: 'fargate',
  planResources: 'all',
  weights: { lambda: 100, fargate: 0 },
  shift: { fargateWeight: 0 },
  phase: 'Lambda',
  reason: 'on Lambda',
  observed: { lambda: 100, fargate: 0 },
  weightless: false,
  ...overrides,
});

describe('load', () => {
  it('answers missing, invalid with each field and its rule, or the validated spec', async () => {
    const store = new InMemoryStateStore(() => NOW);
    await expect(loadStack(store, 'orders-api')).resolves.toEqual({ kind: 'missing' });
    await store.putSpec(testSpec({ mode: 'lambda' }));
    const valid = await loadStack(store, 'orders-api');
    expect(valid).toMatchObject({ kind: 'valid', deletionRequested: false, spec: { stack: 'orders-api' } });
    expect(valid).not.toHaveProperty('terminal');

    const invalid = await loadStack(
      { get: async () => record({ spec: { ...testSpec(), port: 70000 } }) },
      'orders-api',
    );
    expect(invalid).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/^\/?port: /) });
  });

  describe('dns the system record does not allow', () => {
    const dns = {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'api.example.com',
      ttlSeconds: 60,
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    };
    const withDns = record({ spec: testSpec({ mode: 'lambda', dns }) });
    const only = (id: string, recordNames: string[]): SystemRecord => ({
      hostedZones: [{ id, recordNames }],
      zoneNames: { [id]: 'example.com' },
    });

    it('is invalid, naming the field and the rule, and saying that nothing is changed', async () => {
      const system = jest.fn().mockResolvedValue(only('ZOTHER', ['*.example.com']));
      const loaded = await loadStack({ get: async () => withDns }, 'orders-api', system);
      expect(loaded).toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(
          /^dns\.hostedZoneId: Z0123456789ABCDEFGHIJ is not a hosted zone the reconciler may write in; allowed: ZOTHER \(example\.com\).*nothing of the stack is created, changed or deleted/,
        ),
      });
      expect(system).toHaveBeenCalledTimes(1);
    });

    it("is invalid for a record name outside the zone's names", async () => {
      const system = async () => only('Z0123456789ABCDEFGHIJ', ['shop.example.com']);
      const loaded = await loadStack({ get: async () => withDns }, 'orders-api', system);
      expect(loaded).toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(
          /^dns\.recordName: api\.example\.com is not a name the reconciler may write in Z0123456789ABCDEFGHIJ/,
        ),
      });
    });

    it('is valid when the zone and name are allowed, or no bootstrap recorded any; a spec without dns reads nothing', async () => {
      const allowed = async () => only('Z0123456789ABCDEFGHIJ', ['*.example.com']);
      await expect(loadStack({ get: async () => withDns }, 'orders-api', allowed)).resolves.toMatchObject({
        kind: 'valid',
      });
      await expect(
        loadStack({ get: async () => withDns }, 'orders-api', async () => undefined),
      ).resolves.toMatchObject({ kind: 'valid' });
      const unread = jest.fn();
      await expect(loadStack({ get: async () => record() }, 'orders-api', unread)).resolves.toMatchObject({
        kind: 'valid',
      });
      expect(unread).not.toHaveBeenCalled();
    });
  });

  it('keeps a terminal error until the spec changes or the stack is to be deleted', () => {
    const terminal = { generation: 2, messages: ['creating AWS::ECS::Service (service): bad'] };
    expect(stickyTerminal(record({ bookkeeping: { ...emptyBookkeeping(), terminal } }))).toBe(terminal);
    expect(
      stickyTerminal(record({ generation: 3, bookkeeping: { ...emptyBookkeeping(), terminal } })),
    ).toBeUndefined();
    expect(
      stickyTerminal(record({ deletionRequestedAt: NOW, bookkeeping: { ...emptyBookkeeping(), terminal } })),
    ).toBeUndefined();
  });
});

describe('decide', () => {
  const spec = testSpec({ mode: 'lambda', dns: undefined });

  it('takes the pinned decision without a decider, and the pinned one when the stack is to be deleted', async () => {
    const decide = jest.fn();
    const observation = { resources: {}, unknown: {} };
    const common = { spec, observation, kinds: ALL_RESOURCES, now: NOW, dnsOnly: false };
    const pinned = await decidePass({ ...common, record: record() });
    expect(pinned.decision.tier).toBe('lambda');
    const deleting = await decidePass({ ...common, record: record({ deletionRequestedAt: NOW }), decide });
    expect(deleting.decision.tier).toBe('none');
    expect(decide).not.toHaveBeenCalled();
  });

  it('asks the decider otherwise, with what the pass observed', async () => {
    const observation = { resources: {}, unknown: {} };
    const decide = jest.fn().mockResolvedValue({ tier: 'lambda', reason: 'quiet' });
    const decided = await decidePass({
      spec,
      record: record(),
      observation,
      kinds: ALL_RESOURCES,
      now: NOW,
      decide,
      dnsOnly: false,
    });
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ observation, now: NOW }));
    expect(decided.decision.reason).toBe('quiet');
  });

  it('after a terminal error, claims no rollback for an unhealthy Fargate tier without dns', () => {
    const unhealthy = traffic({
      observed: { lambda: 100, fargate: 0 },
      reason: 'the Fargate tier is unhealthy (no ALB); no custom domain, so nothing to move back',
      unhealthy: { why: 'no ALB', since: NOW },
    });
    const held = holdOrRollBack(testSpec(), { resources: {}, unknown: {} }, unhealthy, undefined);
    expect(held).toMatchObject({
      rollback: undefined,
      unhealthy: { why: 'no ALB', since: NOW },
      reason:
        'the Fargate tier is unhealthy (no ALB); no custom domain, so nothing to move back (changes stopped by a terminal error)',
    });
  });

  it('after a terminal error, rolls traffic back to Lambda from unhealthy Fargate targets, else holds it', () => {
    const onFargate = traffic({ observed: { lambda: 50, fargate: 50 } });
    const noAlb = { resources: {}, unknown: {} };
    expect(holdOrRollBack(testSpec(), noAlb, onFargate, undefined)).toMatchObject({
      planResources: 'existing-records',
      weights: { lambda: 100, fargate: 0 },
      rollback: 'no ALB',
    });
    const onLambda = traffic();
    expect(holdOrRollBack(testSpec(), noAlb, onLambda, undefined)).toMatchObject({
      weights: { lambda: 100, fargate: 0 },
      reason: expect.stringContaining('traffic held at Fargate 0 %'),
      rollback: undefined,
    });
  });
});

describe('plan', () => {
  it('remembers what AWS cannot be asked by tag, then adds the decisions', () => {
    const bookkeeping = {
      ...emptyBookkeeping(),
      pendingChanges: { 'dns-lambda': '/change/C1' },
      zones: { a: 'az1' },
    };
    const names = [{ hostedZoneId: 'Z1', recordName: 'api.example.com.' }];
    const remembered = rememberedIntent(record({ bookkeeping }), names, 'my-table');
    expect(remembered).toEqual({
      ...DEFAULT_INTENT,
      pendingChanges: { 'dns-lambda': '/change/C1' },
      dnsNames: names,
      zones: { a: 'az1' },
      stateTable: 'my-table',
    });
    const decided = {
      decision: { tier: 'fargate' as const, reason: 'rise', fargateMinTasks: 3 },
      traffic: traffic({ weights: { lambda: 90, fargate: 10 }, fargateMinTasks: 5 }),
    };
    expect(passIntent(remembered, decided, { zones: { a: 'az1', b: 'az2' } })).toEqual({
      ...remembered,
      weights: { lambda: 90, fargate: 10 },
      fargateMinTasks: 5,
      zones: { a: 'az1', b: 'az2' },
    });
    // The decider's tasks count only when it wants Fargate.
    const toLambda = {
      decision: { tier: 'lambda' as const, reason: 'quiet', fargateMinTasks: 3 },
      traffic: traffic(),
    };
    expect(passIntent(remembered, toLambda, { zones: {}, shortOf: 'one zone' })).toEqual({
      ...remembered,
      zones: {},
      zonesShortOf: 'one zone',
    });
  });

  it('scopes the plan to the Lambda tier and the existing records while traffic drains', () => {
    const observation = { resources: { 'dns-fargate': seen('dns-fargate') }, unknown: {} };
    const keys = (planResources: TrafficDecision['planResources']) =>
      planScope(ALL_RESOURCES, planResources, observation)
        .topological()
        .map((k) => k.key);
    expect(keys('all')).toHaveLength(ALL_RESOURCES.length);
    const draining = keys('lambda-tier-and-records');
    expect(draining).toContain('lambda-function');
    expect(draining).toContain('dns-fargate');
    expect(draining).not.toContain('alb');
    expect(keys('existing-records')).toEqual(['dns-fargate']);
  });
});

describe('events', () => {
  const status = (phase: StackStatus['phase'], errors?: string): StackStatus => ({
    observedGeneration: 1,
    phase,
    resources: {},
    conditions: errors
      ? [{ type: 'Errors', status: 'True', reason: 'Terminal', message: errors, lastTransitionTime: NOW }]
      : [],
  });

  it('logs a phase change, a new error once, and a rollback', () => {
    expect(eventsOf(status('Lambda'), status('Lambda'), NOW, {})).toEqual([]);
    expect(eventsOf(status('Lambda'), status('ScalingUp'), NOW, {}).map((e) => e.reason)).toEqual([
      'PhaseChanged',
    ]);
    expect(eventsOf(status('Lambda'), status('Lambda', 'boom'), NOW, {}).map((e) => e.message)).toEqual([
      'boom',
    ]);
    expect(eventsOf(status('Lambda', 'boom'), status('Lambda', 'boom'), NOW, {})).toEqual([]);
    expect(eventsOf(status('Fargate'), status('Fargate'), NOW, { rollback: 'no ALB' })).toEqual([
      expect.objectContaining({ reason: 'RolledBack', message: 'traffic moved back to Lambda: no ALB' }),
    ]);
    // Without dns nothing moves back: the Fargate tier turning unhealthy is logged once, at the turn.
    const unhealthy = { why: '0 of 1 targets healthy', since: NOW };
    expect(eventsOf(status('Fargate'), status('Fargate'), NOW, { unhealthy })).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'FargateUnhealthy',
        message: expect.stringMatching(
          /^the Fargate tier turned unhealthy \(0 of 1 targets healthy\); no custom domain, so no traffic to move back: clients calling the ALB's URL should call the API's URL/,
        ),
      }),
    ]);
    expect(eventsOf(status('ScalingUp'), status('ScalingUp'), NOW + 1, { unhealthy })).toEqual([]);
  });

  it('logs the spec the pass first acts on: its mode, against the one acted on before', () => {
    const at = (observedGeneration: number, mode?: unknown): StackStatus =>
      ({ ...status('Lambda'), observedGeneration, ...(mode === undefined ? {} : { mode }) }) as StackStatus;
    const specChanged = (before: StackStatus | undefined, after: StackStatus) =>
      eventsOf(before, after, NOW, {}).filter((e) => e.reason === 'SpecChanged');
    expect(specChanged(at(1, 'lambda'), at(2, 'fargate'))).toEqual([
      { at: NOW, type: 'Normal', reason: 'SpecChanged', message: 'mode lambda → fargate (generation 2)' },
    ]);
    expect(specChanged(at(2, 'auto'), at(4, 'auto')).map((e) => e.message)).toEqual([
      'mode auto, unchanged (generation 4)',
    ]);
    // A status from before the mode was kept in it, or one edited by hand: the mode alone.
    expect(specChanged(at(1), at(2, 'fargate')).map((e) => e.message)).toEqual([
      'mode fargate (generation 2)',
    ]);
    expect(specChanged(at(1, { $: 1 }), at(2, 'auto')).map((e) => e.message)).toEqual([
      'mode auto (generation 2)',
    ]);
    // Nothing for the same generation, nor for a new stack's first pass (its phase change says it).
    expect(specChanged(at(2, 'lambda'), at(2, 'lambda'))).toEqual([]);
    expect(specChanged(undefined, at(1, 'lambda'))).toEqual([]);
    // The other fields that changed, by name (never their values: environment holds secrets).
    expect(
      eventsOf(at(3, 'auto'), at(4, 'auto'), NOW, {}, ['image', 'environment']).map((e) => e.message),
    ).toEqual(['mode auto, unchanged; image, environment changed (generation 4)']);
    expect(
      eventsOf(at(1, 'lambda'), at(2, 'fargate'), NOW, {}, ['mode', 'fargate']).map((e) => e.message),
    ).toEqual(['mode lambda → fargate; fargate changed (generation 2)']);
    // The cause before its effect: the spec change first, then the phase change it brings.
    const both = eventsOf(at(1, 'lambda'), { ...at(2, 'fargate'), phase: 'ScalingUp' }, NOW, {});
    expect(both.map((e) => e.reason)).toEqual(['SpecChanged', 'PhaseChanged']);
  });
});

describe('outcome', () => {
  const plan: Plan = { stack: 'orders-api', at: NOW, steps: [] };
  const applied = (overrides: Partial<ApplyResult> = {}): ApplyResult => ({
    outcomes: {},
    observation: { resources: {}, unknown: {} },
    settled: true,
    outOfTime: false,
    ...overrides,
  });
  const input = (overrides: Partial<OutcomeInput> = {}): OutcomeInput => ({
    stack: 'orders-api',
    deletionRequested: false,
    terminal: undefined,
    plan,
    result: applied(),
    kinds: ALL_RESOURCES,
    status: {
      observedGeneration: 2,
      phase: 'Lambda',
      resources: {},
      conditions: [],
      lastPass: { requeueAfterMs: 60_000 } as StackStatus['lastPass'],
    },
    settled: true,
    calls: CALLS,
    ...overrides,
  });

  it('deletes the record of a stack to delete once nothing of it is left, and only then', () => {
    expect(passOutcome(input({ deletionRequested: true }))).toMatchObject({
      deleteRecord: true,
      result: { outcome: 'deleted', settled: true },
    });
    const unseen = applied({ observation: { resources: {}, unknown: { vpc: 'throttled' } } });
    expect(nothingLeft(ALL_RESOURCES, unseen)).toBe(false);
    expect(passOutcome(input({ deletionRequested: true, result: unseen })).deleteRecord).toBe(false);
    const foreign = applied({
      observation: { resources: { vpc: seen('vpc', { foreign: true }) }, unknown: {} },
    });
    expect(nothingLeft(ALL_RESOURCES, foreign)).toBe(true);
    const duplicate = applied({
      observation: { resources: {}, unknown: {}, duplicates: { vpc: [seen('vpc')] } },
    });
    expect(nothingLeft(ALL_RESOURCES, duplicate)).toBe(false);
  });

  it('ends terminal with the messages carried over and new, each once', () => {
    const result = applied({
      outcomes: { 'create:service': { status: 'terminal', message: 'bad' }, 'create:tg': { status: 'done' } },
      settled: false,
    });
    const terminal = { generation: 2, messages: ['bad', 'older'] };
    expect(passOutcome(input({ result, terminal })).result).toMatchObject({
      outcome: 'terminal',
      reason: 'bad; older',
      settled: false,
    });
    // A stack being deleted is not stopped by a terminal error of its own steps.
    expect(passOutcome(input({ result, deletionRequested: true })).result.outcome).toBe('reconciled');
  });

  it('reports a reconciled pass settled only in a stable phase, with when to come back', () => {
    expect(passOutcome(input()).result).toMatchObject({
      outcome: 'reconciled',
      settled: true,
      requeueAfterMs: 60_000,
    });
    const moving = input({ status: { ...input().status, phase: 'ScalingUp' } });
    expect(passOutcome(moving).result.settled).toBe(false);
  });
});

describe('persist', () => {
  async function leased() {
    const store = new InMemoryStateStore(() => NOW);
    await store.putSpec(testSpec({ mode: 'lambda' }));
    await store.acquireLease('orders-api', 'me');
    return { store, record: (await store.get('orders-api'))! };
  }

  it('reports an invalid spec in the SpecValid condition, with one event per new message', async () => {
    const { store, record } = await leased();
    const result = await persistInvalid(store, 'me', record, 'port: must be ≤ 65535', NOW);
    expect(result).toMatchObject({ outcome: 'invalid', reason: 'port: must be ≤ 65535', settled: false });
    const after = (await store.get('orders-api'))!;
    expect(after.status?.conditions).toEqual([
      expect.objectContaining({ type: 'SpecValid', status: 'False', message: 'port: must be ≤ 65535' }),
    ]);
    await persistInvalid(store, 'me', after, 'port: must be ≤ 65535', NOW);
    expect((await store.get('orders-api'))!.events.map((e) => e.reason)).toEqual(['SpecInvalid']);
  });

  it('remembers a DNS name before a step writes records there, and writes nothing for a plan without steps', async () => {
    const { store, record } = await leased();
    const spec = testSpec({
      dns: {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        recordName: 'api.example.com',
        ttlSeconds: 60,
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    });
    const idle: Plan = { stack: 'orders-api', at: NOW, steps: [] };
    const kept = { generation: record.generation, spec };
    await expect(persistBeforeApply(store, 'me', record, spec, idle, kept)).resolves.toEqual([]);
    expect((await store.get('orders-api'))!.version).toBe(record.version);
    const writes: Plan = {
      stack: 'orders-api',
      at: NOW,
      steps: [
        {
          id: 'create:dns-lambda',
          action: 'create',
          key: 'dns-lambda',
          type: 'T',
          reason: 'missing',
          dependsOn: [],
        },
      ],
    };
    const names = await persistBeforeApply(store, 'me', record, spec, writes, kept);
    expect(names).toEqual([{ hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com.' }]);
    expect((await store.get('orders-api'))!.bookkeeping.dnsNames).toEqual(names);
  });

  describe("the drain's mark of a known change, before the records are written", () => {
    const dns = {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'api.example.com',
      ttlSeconds: 60,
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    };
    const remembered = [{ hostedZoneId: dns.hostedZoneId, recordName: 'api.example.com.' }];
    const draining = { fargateWeight: 0, knownChange: true as const, drain: { since: NOW - 30_000 } };
    const pending = { 'dns-lambda': '/change/C1' };

    /**
     * A leased record mid-drain, its DNS name already remembered, `spec` kept as reconciled and no snapshot:
     * nothing else to write.
     */
    async function midDrain(spec: DesiredState) {
      const { store, record } = await leased();
      const written = await store.writeReconcilerState(
        'orders-api',
        (current) => ({
          bookkeeping: {
            ...current.bookkeeping,
            shift: draining,
            dnsNames: remembered,
            pendingChanges: pending,
            reconciledSpec: { generation: record.generation, spec },
          },
        }),
        { leaseHolder: 'me' },
      );
      expect(record.version).toBeLessThan(written.version);
      return { store, record: written };
    }

    const planOf = (...steps: Array<[PlanStep['action'], string]>): Plan => ({
      stack: 'orders-api',
      at: NOW,
      steps: steps.map(([action, key]) => ({
        id: `${action}:${key}`,
        action,
        key,
        type: 'T',
        reason: 'test',
        dependsOn: [],
      })),
    });

    it.each<[PlanStep['action'], string]>([
      ['update', 'dns-lambda'],
      ['update', 'dns-fargate'],
      ['create', 'dns-fargate'],
    ])('drops the mark and the drain in one write before a plan that %ss %s', async (action, key) => {
      const spec = testSpec({ mode: 'fargate', dns });
      const { store, record } = await midDrain(spec);
      const names = await persistBeforeApply(
        store,
        'me',
        record,
        spec,
        planOf(['update', 'lambda-function'], [action, key]),
        { generation: record.generation, spec },
      );
      expect(names).toEqual(remembered);
      const after = (await store.get('orders-api'))!;
      expect(after.version).toBe(record.version + 1);
      // The weight asked for stays; what the drain may start from goes; the rest of the bookkeeping stays.
      expect(after.bookkeeping.shift).toEqual({ fargateWeight: 0 });
      expect(after.bookkeeping.pendingChanges).toEqual(pending);
      expect(after.bookkeeping.dnsNames).toEqual(remembered);
    });

    it.each<[string, Plan]>([
      ['writes no record', planOf(['update', 'lambda-function'])],
      ['deletes a record only', planOf(['delete', 'dns-fargate'], ['delete', 'load-balancer'])],
    ])('writes nothing and keeps the mark when the plan %s', async (_what, plan) => {
      const spec = testSpec({ mode: 'lambda', dns });
      const { store, record } = await midDrain(spec);
      await persistBeforeApply(store, 'me', record, spec, plan, { generation: record.generation, spec });
      const after = (await store.get('orders-api'))!;
      expect(after.version).toBe(record.version);
      expect(after.bookkeeping.shift).toEqual(draining);
    });
  });
});

describe('choosing the observation', () => {
  it('observes in full for a dry run, then decides and plans on it (no simulator: fake kinds)', async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const kinds = [fakeResource(cloud, 'vpc'), fakeResource(cloud, 'subnet', ['vpc'])];
    const spec = testSpec({ mode: 'fargate', dns: undefined });
    const planned = await observeAndPlan(
      { store: { tableName: 't' }, clients: noClients, region: 'us-east-1', kinds, now: () => NOW },
      spec,
      record({ spec }),
    );
    expect(cloud.calls).toEqual(['find:vpc', 'find:subnet']);
    expect(planned).toMatchObject({ observedBy: 'full', fullBecause: 'a dry run observes in full' });
    expect(planned.decision.tier).toBe('fargate');
    expect(planned.plan.steps.map((s) => s.id)).toEqual(['create:subnet']);
    expect(planned.intent).toMatchObject({ stateTable: 't', weights: planned.traffic.weights });
  });
});

describe('persisting a pass (persistPass)', () => {
  const spec = testSpec({ mode: 'fargate', dns: undefined });

  async function applied(cloud: FakeCloud, overrides: Partial<StackRecord> = {}) {
    const store = new InMemoryStateStore(() => NOW);
    await store.putSpec(spec);
    await store.acquireLease('orders-api', 'me');
    const stored = { ...(await store.get('orders-api'))!, ...overrides };
    const kinds = [fakeResource(cloud, 'vpc'), fakeResource(cloud, 'subnet', ['vpc'])];
    const planned = await observeAndPlan(
      { store: { tableName: 't' }, clients: noClients, region: 'us-east-1', kinds, now: () => NOW },
      spec,
      stored,
    );
    return { store, record: stored, kinds, planned, ledger: ledgerFor(stored, () => NOW) };
  }

  type PersistInput = Parameters<typeof persistPass>[0];
  type PassResult = PersistInput['pass']['result'];
  /** persistPass on `applied`'s fixture: a pass of `planned` with no DNS names, no retries and no calls,
   * its result `result` over an unsettled one with no outcomes; `rest` overrides the other inputs. */
  function persist(
    { store, record, kinds, planned, ledger }: Awaited<ReturnType<typeof applied>>,
    {
      plan = planned.plan,
      result = {},
      ...rest
    }: Partial<Omit<PersistInput, 'pass'>> & {
      plan?: PersistInput['pass']['plan'];
      result?: Partial<PassResult>;
    } = {},
  ) {
    return persistPass({
      store,
      holder: 'me',
      record,
      spec,
      reconciledSpec: { generation: record.generation, spec },
      deletionRequested: false,
      terminal: undefined,
      kinds,
      pass: {
        ...planned,
        plan,
        dnsNames: [],
        result: {
          outcomes: {},
          observation: planned.observation,
          settled: false,
          outOfTime: false,
          ...result,
        },
      },
      ledger,
      retries: {},
      calls: CALLS,
      startedAt: NOW,
      durationMs: 0,
      now: NOW,
      ...rest,
    });
  }

  it('writes status, bookkeeping and events in one record write, and keeps the record', async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const fixture = await applied(cloud);
    const { store, record, planned } = fixture;
    expect(planned.plan.steps.map((s) => s.id)).toEqual(['create:subnet']);
    const message = 'creating Fake::subnet (subnet): FakeBusy';
    const retries = { 'create:subnet': { attempts: 1, retryAt: NOW + 5_000, lastError: message } };
    const versionBefore = (await store.get('orders-api'))!.version;

    const result = await persist(fixture, {
      result: { outcomes: { 'create:subnet': { status: 'retryable', code: 'FakeBusy', message } } },
      retries,
      calls: { total: 2, mutating: 1, byOperation: {} },
      startedAt: NOW - 1_000,
      durationMs: 1_000,
    });

    expect(result).toMatchObject({ stack: 'orders-api', outcome: 'reconciled', settled: false });
    const after = (await store.get('orders-api'))!;
    expect(after.version).toBe(versionBefore + 1);
    expect(after.status).toMatchObject({
      observedGeneration: record.generation,
      resources: { vpc: expect.objectContaining({ id: 'vpc-1' }) },
      lastPass: {
        at: NOW - 1_000,
        durationMs: 1_000,
        apiCalls: { total: 2, mutating: 1 },
        observedBy: 'full',
      },
    });
    expect(after.status?.resources).not.toHaveProperty('subnet');
    expect(after.status?.conditions).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
    expect(after.bookkeeping.retries).toEqual(retries);
    expect(after.bookkeeping.terminal).toBeUndefined();
    expect(after.events.length).toBeGreaterThan(0);
    expect(after.events.every((e) => e.at === NOW)).toBe(true);
  });

  it('keeps a terminal step in the bookkeeping for the generation and reports the pass terminal', async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const fixture = await applied(cloud);
    const { store, record } = fixture;
    const message = 'creating Fake::subnet (subnet): FakeInvalid';

    const result = await persist(fixture, {
      result: { outcomes: { 'create:subnet': { status: 'terminal', code: 'FakeInvalid', message } } },
    });

    expect(result).toMatchObject({ outcome: 'terminal', reason: message, settled: false });
    const after = (await store.get('orders-api'))!;
    expect(after.bookkeeping.terminal).toEqual({ generation: record.generation, messages: [message] });
  });

  it('deletes the record once a requested deletion left nothing behind', async () => {
    const cloud = new FakeCloud();
    const fixture = await applied(cloud, { deletionRequestedAt: NOW - 60_000 });
    const { store } = fixture;

    const result = await persist(fixture, {
      deletionRequested: true,
      plan: { stack: 'orders-api', at: NOW, steps: [] },
      result: { observation: { resources: {}, unknown: {} }, settled: true },
    });

    expect(result).toMatchObject({ outcome: 'deleted', settled: true });
    await expect(store.get('orders-api')).resolves.toBeUndefined();
  });

  it('keeps the record while a requested deletion still has resources', async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const fixture = await applied(cloud, { deletionRequestedAt: NOW - 60_000 });
    const { store } = fixture;

    const result = await persist(fixture, {
      deletionRequested: true,
      plan: { stack: 'orders-api', at: NOW, steps: [] },
      result: { settled: true },
    });

    expect(result.outcome).not.toBe('deleted');
    expect((await store.get('orders-api'))!.status?.resources).toHaveProperty('vpc');
  });

  // Why the bookkeeping keeps `specFields` beside `reconciledSpec`, though the digests could be computed
  // from the kept spec: a pass that died after keeping the new generation's spec (persistBeforeApply)
  // leaves the kept spec already the new one, and only the digests of the last completed pass say what
  // the new generation changed.
  it("names the fields a new generation changed after a pass that kept its spec died, from the last completed pass's digests", async () => {
    const cloud = new FakeCloud();
    const store = new InMemoryStateStore(() => NOW);
    await store.putSpec(spec);
    const generation = (await store.get('orders-api'))!.generation;
    const fixture = await applied(cloud, {
      status: { observedGeneration: generation - 1, phase: 'Fargate', resources: {}, conditions: [] },
      bookkeeping: {
        ...emptyBookkeeping(),
        specFields: specFields({ ...spec, image: `${spec.image}-before` }),
        // Kept by the pass that died: already this generation's spec.
        reconciledSpec: { generation, spec },
      },
    });

    await persist(fixture);

    const changed = (await fixture.store.get('orders-api'))!.events.filter((e) => e.reason === 'SpecChanged');
    expect(changed.map((e) => e.message)).toEqual([`mode fargate; image changed (generation ${generation})`]);
  });
});
