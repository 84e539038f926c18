/**
 * The view a pass between tiers leaves for the next (reconciler/engine/transition-view.ts): what it keeps,
 * when a key may be taken from it, and which keys a plan made on it must have seen again.
 */
import { resourceGraph } from '../../../reconciler/engine/graph';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../../reconciler/engine/observation-snapshot';
import {
  actingSteps,
  editedSnapshotView,
  keysActedOn,
  keysOnlyNamed,
  keysToRefresh,
  stillTheOneSeen,
  nextTransitionView,
  reusableEntry,
  thisPassReads,
  THIS_PASS_READ_MAX_AGE_MS,
  TRANSITION_VIEW_MAX_AGE_MS,
  usableView,
  type NextViewInput,
  type OwnershipRecords,
  type TransitionView,
} from '../../../reconciler/engine/transition-view';
import type { Observation, Plan, PlanStep, StepOutcome } from '../../../reconciler/engine/types';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../../reconciler/state/types';
import type { ObservedResource } from '../../../reconciler/resources/types';
import { FakeCloud, fakeResource } from './fake-kinds';

const resource = (key: string, id: string, extra: Partial<ObservedResource> = {}): ObservedResource => ({
  key,
  type: `Fake::${key}`,
  id,
  tags: {},
  attributes: {},
  ready: true,
  ...extra,
});

const step = (id: string, dependsOn: string[] = []): PlanStep => {
  const [action, key] = id.split(':') as [PlanStep['action'], string];
  return { id, action, key, type: `Fake::${key}`, reason: 'test', dependsOn };
};

const planOf = (...steps: PlanStep[]): Plan => ({ stack: 's', at: 0, steps });

const nobodyRecorded: OwnershipRecords = { awaits: () => false, recorded: () => undefined };

describe('usableView', () => {
  const view: TransitionView = { generation: 3, entries: {} };
  const record = (overrides: Partial<StackRecord> = {}, bookkeeping = {}): StackRecord =>
    ({
      stack: 's',
      generation: 3,
      version: 1,
      spec: {},
      bookkeeping: { ...emptyBookkeeping(), transitionView: view, ...bookkeeping },
      ...overrides,
    }) as StackRecord;

  it('is the record’s view for the same generation', () => {
    expect(usableView(record())).toEqual({ usable: true, view });
  });

  it('is not used after an edit, a deletion request or a terminal error, nor when there is none', () => {
    expect(usableView(record({ generation: 4 }))).toEqual({ usable: false, why: 'the spec changed' });
    expect(usableView(record({ deletionRequestedAt: 5 }))).toMatchObject({ usable: false });
    expect(usableView(record({}, { terminal: { generation: 3, messages: ['x'] } }))).toMatchObject({
      usable: false,
    });
    expect(usableView(record({}, { transitionView: undefined }))).toMatchObject({ usable: false });
  });
});

describe('editedSnapshotView', () => {
  const kinds = [
    { key: 'api', dependsOn: [], steadyCheck: 'tagged' as const },
    { key: 'role', dependsOn: [], steadyCheck: 'untagged' as const },
    { key: 'route', dependsOn: ['api'], steadyCheck: 'untagged' as const },
    { key: 'new-role', dependsOn: [], steadyCheck: 'untagged' as const },
    { key: 'service', dependsOn: ['api'], steadyCheck: 'live' as const },
    { key: 'odd-role', dependsOn: [], steadyCheck: 'untagged' as const },
  ];
  const snapshot = {
    at: 1_000,
    generation: 3,
    inventory: ['arn:api'],
    resources: {
      api: resource('api', 'api-1'),
      role: resource('role', 'role-1'),
      route: resource('route', 'route-1'),
      service: resource('service', 'svc-1'),
      'odd-role': resource('odd-role', 'odd-1', { foreign: true }),
    },
  };
  const record = (overrides: Partial<StackRecord> = {}, bookkeeping = {}): StackRecord =>
    ({
      stack: 's',
      generation: 4,
      version: 1,
      spec: {},
      status: { observedGeneration: 3, phase: 'Lambda', resources: {}, conditions: [] },
      bookkeeping: { ...emptyBookkeeping(), observationSnapshot: snapshot, ...bookkeeping },
      ...overrides,
    }) as StackRecord;

  it('is what the snapshot saw of the kinds the Tagging API can’t see, read when it was made, for the new generation', () => {
    expect(editedSnapshotView(record(), kinds, 2_000)).toEqual({
      generation: 4,
      entries: {
        role: { readAt: 1_000, resource: snapshot.resources.role, deps: {} },
        route: { readAt: 1_000, resource: snapshot.resources.route, deps: { api: 'api-1' } },
        // Absent when the snapshot was made: a create looks it up again right before creating.
        'new-role': { readAt: 1_000, deps: {} },
      },
    });
  });

  it('is none without an edit, past a settled stack’s trust, or when the last pass left work', () => {
    expect(editedSnapshotView(record({ generation: 3 }), kinds, 2_000)).toBeUndefined();
    expect(editedSnapshotView(record(), kinds, 1_000 + DEFAULT_FULL_OBSERVE_EVERY_MS)).toBeUndefined();
    expect(editedSnapshotView(record(), kinds, 500)).toBeUndefined();
    expect(editedSnapshotView(record({ deletionRequestedAt: 5 }), kinds, 2_000)).toBeUndefined();
    expect(editedSnapshotView(record({}, { observationSnapshot: undefined }), kinds, 2_000)).toBeUndefined();
    const busy = [
      { retries: { 'create:x': { attempts: 1, retryAt: 0 } } },
      { pendingChanges: { zone: { changeId: 'c', submittedAt: 0 } } },
      { terminal: { generation: 3, messages: ['x'] } },
      { transitionView: { generation: 4, entries: {} } },
    ];
    for (const bookkeeping of busy) {
      expect(editedSnapshotView(record({}, bookkeeping), kinds, 2_000)).toBeUndefined();
    }
  });
});

describe('reusableEntry', () => {
  const cloud = new FakeCloud();
  const vpc = { ...fakeResource(cloud, 'vpc'), steadyCheck: 'tagged' as const };
  const subnet = { ...fakeResource(cloud, 'subnet', ['vpc']), steadyCheck: 'tagged' as const };
  const role = { ...fakeResource(cloud, 'role'), steadyCheck: 'untagged' as const, creates: 'name' as const };
  const service = fakeResource(cloud, 'service', ['subnet']);
  const now = 1_000_000;
  const view: TransitionView = {
    generation: 1,
    entries: {
      vpc: { readAt: now - 60_000, resource: resource('vpc', 'vpc-1'), deps: {} },
      subnet: { readAt: now - 60_000, resource: resource('subnet', 'subnet-1'), deps: { vpc: 'vpc-1' } },
      role: { readAt: now - 10 * 60_000, resource: resource('role', 'role-1'), deps: {} },
      service: { readAt: now - 1_000, deps: { subnet: 'subnet-1' } },
    },
  };
  const refs = { vpc: resource('vpc', 'vpc-1') };
  const roleRecorded: OwnershipRecords = { awaits: () => false, recorded: () => ({ id: 'role-1' }) };

  it('takes an entry whose dependencies are the resources it was found through', () => {
    expect(reusableEntry(view, vpc, {}, nobodyRecorded, now)).toBe(view.entries.vpc);
    expect(reusableEntry(view, subnet, refs, nobodyRecorded, now)).toBe(view.entries.subnet);
  });

  it('asks AWS when a dependency is another resource now, or gone', () => {
    expect(
      reusableEntry(view, subnet, { vpc: resource('vpc', 'vpc-2') }, nobodyRecorded, now),
    ).toBeUndefined();
    expect(reusableEntry(view, subnet, {}, nobodyRecorded, now)).toBeUndefined();
  });

  it('never takes what moves on its own (a live kind) while it exists; its absence, like any other', () => {
    const seen = { ...view.entries.service!, resource: resource('service', 'svc-1') };
    const withService = { ...view, entries: { ...view.entries, service: seen } };
    const subnetRefs = { subnet: resource('subnet', 'subnet-1') };
    expect(reusableEntry(withService, service, subnetRefs, nobodyRecorded, now)).toBe(undefined);
    expect(reusableEntry(view, service, subnetRefs, nobodyRecorded, now)).toBe(view.entries.service);
    // Its absence was seen through that subnet: another one now, AWS is asked.
    expect(
      reusableEntry(view, service, { subnet: resource('subnet', 'subnet-2') }, nobodyRecorded, now),
    ).toBe(undefined);
    expect(reusableEntry(view, service, subnetRefs, nobodyRecorded, now + TRANSITION_VIEW_MAX_AGE_MS)).toBe(
      undefined,
    );
  });

  it('trusts what the Tagging API sees five minutes, what it can’t see as long as a settled stack does', () => {
    expect(reusableEntry(view, vpc, {}, nobodyRecorded, now + TRANSITION_VIEW_MAX_AGE_MS)).toBeUndefined();
    expect(reusableEntry(view, role, {}, roleRecorded, now)).toBe(view.entries.role);
    expect(
      reusableEntry(view, role, {}, roleRecorded, now - 10 * 60_000 + DEFAULT_FULL_OBSERVE_EVERY_MS),
    ).toBeUndefined();
  });

  it('asks AWS when the ownership records moved: a create journaled, another id recorded, or adopting', () => {
    expect(reusableEntry(view, role, {}, { ...roleRecorded, awaits: () => true }, now)).toBeUndefined();
    expect(
      reusableEntry(view, role, {}, { awaits: () => false, recorded: () => ({ id: 'role-2' }) }, now),
    ).toBeUndefined();
    expect(reusableEntry(view, role, {}, { ...roleRecorded, adopting: true }, now)).toBeUndefined();
  });
});

describe('thisPassReads: what a pass asked AWS itself, for its confirming full observation', () => {
  const cloud = new FakeCloud();
  const vpc = { ...fakeResource(cloud, 'vpc'), steadyCheck: 'tagged' as const };
  const subnet = { ...fakeResource(cloud, 'subnet', ['vpc']), steadyCheck: 'tagged' as const };
  const tg = { ...fakeResource(cloud, 'tg', ['vpc']), steadyCheck: 'tagged' as const };
  const listener = { ...fakeResource(cloud, 'listener', ['tg']), steadyCheck: 'tagged' as const };
  const service = fakeResource(cloud, 'service', ['subnet']);
  const role = { ...fakeResource(cloud, 'role'), steadyCheck: 'untagged' as const };
  const kinds = [vpc, subnet, tg, listener, service, role];
  const readAt = 5_000_000;
  const observation: Observation = {
    resources: {
      vpc: resource('vpc', 'vpc-1'),
      subnet: resource('subnet', 'subnet-1'),
      tg: resource('tg', 'tg-1'),
      listener: resource('listener', 'listener-1'),
      service: resource('service', 'svc-1'),
      role: resource('role', 'role-1'),
    } as Observation['resources'],
    unknown: {},
  };

  it('keeps what the pass read cleanly, with the dependencies it was found through, and leaves out what it did not ask', () => {
    const view = thisPassReads(observation, kinds, new Set(['role', 'tg']), readAt, 4);
    expect(view.generation).toBe(4);
    expect(Object.keys(view.entries).sort()).toEqual(['listener', 'service', 'subnet', 'vpc']);
    expect(view.entries.listener).toEqual({
      readAt,
      resource: observation.resources.listener,
      deps: { tg: 'tg-1' },
    });
  });

  it('leaves out what was unknown, not ready, another’s, or had duplicates', () => {
    const messy: Observation = {
      resources: {
        ...observation.resources,
        subnet: resource('subnet', 'subnet-1', { ready: false }),
        tg: resource('tg', 'tg-1', { foreign: true }),
      } as Observation['resources'],
      unknown: { vpc: 'throttled' },
      duplicates: { listener: [resource('listener', 'listener-2')] },
      foreign: { service: [resource('service', 'svc-x')] },
    };
    expect(thisPassReads(messy, kinds, new Set(), readAt, 4).entries).toEqual({
      role: expect.objectContaining({ readAt }),
    });
  });

  it('stands for asking again, what moves on its own included, while its dependencies are the ones re-read and for a minute', () => {
    const view = thisPassReads(observation, kinds, new Set(['tg']), readAt, 4);
    const refs = { subnet: resource('subnet', 'subnet-1'), tg: resource('tg', 'tg-1') };
    const own = (kind: (typeof kinds)[number], r = refs, at = readAt + 20_000) =>
      reusableEntry(view, kind, r, nobodyRecorded, at, THIS_PASS_READ_MAX_AGE_MS, true);
    expect(own(service)?.resource?.id).toBe('svc-1');
    expect(own(listener)?.resource?.id).toBe('listener-1');
    // Not this pass's own read: a live kind that exists is asked again, as from any view.
    expect(reusableEntry(view, service, refs, nobodyRecorded, readAt + 20_000)).toBeUndefined();
    // The target group re-read is another one now: the listener found through it is asked again.
    expect(own(listener, { ...refs, tg: resource('tg', 'tg-2') })).toBeUndefined();
    expect(own(service, refs, readAt + THIS_PASS_READ_MAX_AGE_MS)).toBeUndefined();
    expect(
      reusableEntry(
        view,
        service,
        refs,
        { ...nobodyRecorded, adopting: true },
        readAt,
        THIS_PASS_READ_MAX_AGE_MS,
        true,
      ),
    ).toBeUndefined();
  });
});

describe('actingSteps and keysToRefresh', () => {
  const cloud = new FakeCloud();
  const graph = resourceGraph([
    fakeResource(cloud, 'vpc'),
    fakeResource(cloud, 'tg', ['vpc']),
    fakeResource(cloud, 'alb', ['vpc']),
    fakeResource(cloud, 'listener', ['alb', 'tg']),
    fakeResource(cloud, 'role'),
    fakeResource(cloud, 'old', ['vpc']),
  ]);

  it('takes a wait as still waiting: what is behind it does not act in this pass', () => {
    const p = planOf(step('wait:alb'), step('create:listener', ['wait:alb']), step('update:role'));
    expect(actingSteps(p, {}, 0).map((s) => s.id)).toEqual(['update:role']);
  });

  it('leaves out a step in backoff and what depends on it', () => {
    const p = planOf(step('create:tg'), step('create:listener', ['create:tg']));
    expect(actingSteps(p, {}, 0).map((s) => s.id)).toEqual(['create:tg', 'create:listener']);
    const retries = { 'create:tg': { attempts: 1, retryAt: 10, lastError: 'x' } };
    expect(actingSteps(p, retries, 5)).toEqual([]);
    expect(actingSteps(p, retries, 10).map((s) => s.id)).toEqual(['create:tg', 'create:listener']);
  });

  it('refreshes what an acting step reads among the keys taken from the view: a create’s dependencies, an update’s or delete’s own key too', () => {
    const reused = new Set(['vpc', 'tg', 'alb', 'role', 'old']);
    expect(keysToRefresh(planOf(step('create:listener')), graph, reused, {}, 0).sort()).toEqual([
      'alb',
      'tg',
    ]);
    expect(keysToRefresh(planOf(step('update:role')), graph, reused, {}, 0)).toEqual(['role']);
    expect(keysToRefresh(planOf(step('delete:old')), graph, reused, {}, 0).sort()).toEqual(['old', 'vpc']);
    expect(
      keysToRefresh(planOf(step('wait:alb'), step('create:listener', ['wait:alb'])), graph, reused, {}, 0),
    ).toEqual([]);
    expect(keysToRefresh(planOf(step('create:listener')), graph, new Set(['role']), {}, 0)).toEqual([]);
  });

  it('does not refresh a dependency that a create of the same pass makes (its create looks it up itself)', () => {
    // The view had no target group: the plan creates it, and the listener reads the create's answer.
    const reused = new Set(['vpc', 'tg', 'alb']);
    const plan = planOf(step('create:tg'), step('create:listener', ['create:tg']));
    expect(keysToRefresh(plan, graph, reused, {}, 0).sort()).toEqual(['alb', 'vpc']);
    // A create in backoff does not act: what its dependents read is theirs to find again, were they to act.
    const backoff = { 'create:tg': { attempts: 1, retryAt: 10, lastError: 'x' } };
    expect(keysToRefresh(planOf(step('create:tg')), graph, reused, backoff, 0)).toEqual([]);
  });
});

describe('keysOnlyNamed, keysActedOn and stillTheOneSeen', () => {
  const cloud = new FakeCloud();
  const graph = resourceGraph([
    fakeResource(cloud, 'vpc'),
    fakeResource(cloud, 'tg', ['vpc']),
    fakeResource(cloud, 'alb', ['vpc']),
    fakeResource(cloud, 'listener', ['alb', 'tg']),
  ]);

  it('names the dependencies acting steps only read, never a key a step of the pass acts on', () => {
    expect([...keysOnlyNamed(planOf(step('create:listener')), graph, {}, 0)].sort()).toEqual(['alb', 'tg']);
    const updating = planOf(step('update:tg'), step('create:listener', ['update:tg']));
    expect([...keysActedOn(updating, {}, 0)]).toEqual(['tg']);
    expect([...keysOnlyNamed(updating, graph, {}, 0)].sort()).toEqual(['alb', 'vpc']);
    // Behind a wait, nothing acts in this pass: nothing is named.
    expect([
      ...keysOnlyNamed(planOf(step('wait:alb'), step('create:listener', ['wait:alb'])), graph, {}, 0),
    ]).toEqual([]);
  });

  it('takes what a look-up by id found only when it is the one seen, ready and the stack’s', () => {
    const seen = { key: 'tg', type: 'T', id: 'arn:tg/1', tags: {}, attributes: {}, ready: true };
    expect(stillTheOneSeen(seen, { ...seen, attributes: { port: 81 } })).toBe(true);
    expect(stillTheOneSeen(seen, undefined)).toBe(false);
    expect(stillTheOneSeen(seen, { ...seen, id: 'arn:tg/2' })).toBe(false);
    expect(stillTheOneSeen(seen, { ...seen, ready: false })).toBe(false);
    expect(stillTheOneSeen(seen, { ...seen, foreign: true })).toBe(false);
    expect(stillTheOneSeen(undefined, seen)).toBe(false);
  });
});

describe('nextTransitionView', () => {
  const cloud = new FakeCloud();
  const tagged = <K extends ReturnType<typeof fakeResource>>(k: K) => ({
    ...k,
    steadyCheck: 'tagged' as const,
  });
  const kinds = [
    tagged(fakeResource(cloud, 'vpc')),
    tagged(fakeResource(cloud, 'tg', ['vpc'])),
    tagged(fakeResource(cloud, 'alb', ['vpc'])),
    tagged(fakeResource(cloud, 'listener', ['alb', 'tg'])),
    tagged(fakeResource(cloud, 'role')),
    tagged(fakeResource(cloud, 'copy')),
    fakeResource(cloud, 'service', ['listener']),
  ];
  const observed: Observation = {
    resources: {
      vpc: resource('vpc', 'vpc-1'),
      tg: resource('tg', 'tg-1'),
      alb: resource('alb', 'alb-1', { ready: false, state: 'provisioning' }),
      listener: undefined,
      role: resource('role', 'role-1'),
      copy: resource('copy', 'copy-1'),
      service: undefined,
    } as Observation['resources'],
    unknown: {},
    foreign: { copy: [resource('copy', 'copy-2')] },
  };
  const input = (overrides: Partial<NextViewInput> = {}): NextViewInput => ({
    keep: true,
    generation: 2,
    reused: new Set(),
    observedAt: 5_000,
    observed,
    after: observed,
    outcomes: {
      'wait:alb': { status: 'waiting', reason: 'provisioning' },
      'create:listener': { status: 'blocked', reason: 'x' },
    },
    plan: planOf(step('wait:alb'), step('create:listener', ['wait:alb'])),
    kinds,
    ...overrides,
  });

  it('keeps what the pass saw and did not touch, ready, clean and the stack’s; a blocked create’s absence too', () => {
    const view = nextTransitionView(input())!;
    expect(view.generation).toBe(2);
    // The service (live) is kept as seen absent, not once it exists.
    expect(Object.keys(view.entries).sort()).toEqual(['listener', 'role', 'service', 'tg', 'vpc']);
    expect(view.entries.service).toEqual({ readAt: 5_000, deps: {} });
    const running: Observation = {
      ...observed,
      resources: { ...observed.resources, service: resource('service', 'svc-1') } as Observation['resources'],
    };
    expect(nextTransitionView(input({ observed: running, after: running }))!.entries.service).toBeUndefined();
    expect(view.entries.tg).toEqual({
      readAt: 5_000,
      resource: observed.resources.tg,
      deps: { vpc: 'vpc-1' },
    });
    // The listener was seen absent, through the ALB it depends on (a wait does not change the ALB).
    expect(view.entries.listener).toEqual({ readAt: 5_000, deps: { alb: 'alb-1', tg: 'tg-1' } });
  });

  it('keeps a reused entry’s age', () => {
    const previous: TransitionView = {
      generation: 2,
      entries: { role: { readAt: 1_000, resource: observed.resources.role!, deps: {} } },
    };
    const view = nextTransitionView(input({ previous, reused: new Set(['role']) }))!;
    expect(view.entries.role!.readAt).toBe(1_000);
    expect(view.entries.vpc!.readAt).toBe(5_000);
  });

  it('drops what a step created, changed or deleted, what depends on it, and what was found otherwise while applying', () => {
    const outcomes: Record<string, StepOutcome> = {
      'update:tg': { status: 'done' },
      'delete:role': { status: 'retryable', message: 'x' },
    };
    const after: Observation = {
      ...observed,
      resources: { ...observed.resources, vpc: resource('vpc', 'vpc-9') },
    };
    const view = nextTransitionView(
      input({ outcomes, plan: planOf(step('update:tg'), step('delete:role')), after }),
    )!;
    // tg and role touched; the listener depends on the changed tg; the vpc was found otherwise. The
    // service, seen absent, depends on none of them.
    expect(Object.keys(view.entries)).toEqual(['service']);
  });

  it('keeps what a create answered in full (a listener) as read then; never another kind’s, nor one whose dependency a step changed', () => {
    const inFull = kinds.map((k) =>
      k.key === 'listener' ? { ...k, createAnswersInFull: true as const } : k,
    );
    const made = resource('listener', 'listener-1', { tags: { stack: 's' } });
    const after: Observation = { ...observed, resources: { ...observed.resources, listener: made } };
    const created = {
      outcomes: { 'create:listener': { status: 'done' } as StepOutcome },
      plan: planOf(step('create:listener')),
      after,
    };
    expect(nextTransitionView(input({ ...created, kinds: inFull }))!.entries.listener).toEqual({
      readAt: 5_000,
      resource: made,
      deps: { alb: 'alb-1', tg: 'tg-1' },
    });
    // A kind whose create's answer is not said to be in full: found again by the next pass.
    expect(nextTransitionView(input(created))!.entries.listener).toBeUndefined();
    // One whose ownership a create proves with a look-up of its own ('creates'): found again too.
    const proven = inFull.map((k) => (k.key === 'listener' ? { ...k, creates: 'name' as const } : k));
    expect(nextTransitionView(input({ ...created, kinds: proven }))!.entries.listener).toBeUndefined();
    // Its target group updated in the same pass: found again.
    const withUpdate = {
      outcomes: { ...created.outcomes, 'update:tg': { status: 'done' } as StepOutcome },
      plan: planOf(step('update:tg'), step('create:listener')),
      after,
    };
    expect(nextTransitionView(input({ ...withUpdate, kinds: inFull }))!.entries.listener).toBeUndefined();
    // A create that did not end done (waiting, refused): found again.
    const waiting = {
      ...created,
      outcomes: { 'create:listener': { status: 'waiting', reason: 'x' } as StepOutcome },
    };
    expect(nextTransitionView(input({ ...waiting, kinds: inFull }))!.entries.listener).toBeUndefined();
  });

  it('keeps nothing once the stack is at rest (a snapshot instead), and nothing unknown', () => {
    expect(nextTransitionView(input({ keep: false }))).toBeUndefined();
    const view = nextTransitionView(input({ observed: { ...observed, unknown: { vpc: 'throttled' } } }))!;
    expect(view.entries.vpc).toBeUndefined();
  });
});
