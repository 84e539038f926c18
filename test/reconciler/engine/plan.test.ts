import fc from 'fast-check';
import { formatPlan } from '../../../reconciler/engine/format';
import { plan, planChangesSomething, planSummary, planWanted } from '../../../reconciler/engine/plan';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import type { ExtraOf } from '../../../reconciler/resources/keys';
import { FakeCloud, fakeResource, testSpec } from './fake-kinds';

const cloud = new FakeCloud();
// A small graph shaped like the Fargate tier: vpc → subnet, sg → alb → service.
const kinds = [
  fakeResource(cloud, 'vpc'),
  fakeResource(cloud, 'subnet', ['vpc']),
  fakeResource(cloud, 'sg', ['vpc']),
  fakeResource(cloud, 'alb', ['subnet', 'sg']),
  fakeResource(cloud, 'service', ['alb', 'subnet', 'sg'], { waiters: { gone: { pending: ['DRAINING'] } } }),
];
const spec = testSpec();

function seen<K extends string>(
  key: K,
  extra: Partial<ObservedResource<ExtraOf<K>>> = {},
): ObservedResource<ExtraOf<K>> {
  return {
    key,
    type: `Fake::${key}`,
    id: `id-${key}`,
    tags: {},
    attributes: { size: 1 },
    ready: true,
    ...extra,
  };
}

function observation(
  resources: Record<string, ObservedResource | undefined>,
  unknown: Record<string, string> = {},
): Observation {
  return { resources, unknown };
}

const everything = () => observation(Object.fromEntries(kinds.map((k) => [k.key, seen(k.key)])));

describe('plan', () => {
  it('creates everything from nothing, each step after the steps of what it needs', () => {
    const p = plan(spec, 'fargate', observation({}), 0, kinds);
    expect(p.steps.map((s) => s.id)).toEqual([
      'create:vpc',
      'create:subnet',
      'create:sg',
      'create:alb',
      'create:service',
    ]);
    expect(p.steps.find((s) => s.key === 'alb')!.dependsOn).toEqual(['create:subnet', 'create:sg']);
    expect(p.steps.find((s) => s.key === 'service')!.dependsOn).toEqual([
      'create:alb',
      'create:subnet',
      'create:sg',
    ]);
  });

  it('plans nothing when everything exists, is ready and matches (steady state)', () => {
    const p = plan(spec, 'fargate', everything(), 0, kinds);
    expect(p.steps).toEqual([]);
    expect(planChangesSomething(p)).toBe(false);
  });

  it('updates a drifted resource with its changes, and waits for an unready one', () => {
    const obs = everything();
    obs.resources.sg = seen('sg', { attributes: { size: 3 } });
    obs.resources.alb = seen('alb', { ready: false, notReadyReason: 'ALB provisioning' });
    const p = plan(spec, 'fargate', obs, 0, kinds);
    expect(p.steps.map((s) => s.id)).toEqual(['update:sg', 'wait:alb']);
    expect(p.steps[0].changes).toEqual([{ path: 'size', from: 3, to: 1 }]);
    expect(p.steps[1]).toMatchObject({
      waitsFor: 'ALB provisioning',
      waitUntil: 'ready',
      dependsOn: ['update:sg'],
    });
  });

  it('deletes in reverse dependency order when the tier is not wanted', () => {
    const p = plan(spec, 'lambda', everything(), 0, kinds);
    const order = p.steps.map((s) => s.id);
    expect(order).toEqual(['delete:service', 'delete:alb', 'delete:sg', 'delete:subnet', 'delete:vpc']);
    expect(p.steps.find((s) => s.key === 'vpc')!.dependsOn.sort()).toEqual(['delete:sg', 'delete:subnet']);
    expect(p.steps.find((s) => s.key === 'subnet')!.dependsOn.sort()).toEqual([
      'delete:alb',
      'delete:service',
    ]);
  });

  it("deletes the stack's duplicates, leaving the one in use; a parent goes after its children's duplicates", () => {
    const obs = everything();
    obs.duplicates = {
      subnet: [seen('subnet', { id: 'id-subnet-2' })],
      vpc: [seen('vpc', { id: 'id-vpc-2' })],
    };
    const kept = plan(spec, 'fargate', obs, 0, kinds);
    expect(kept.steps).toEqual([
      expect.objectContaining({
        id: 'delete:subnet@id-subnet-2',
        action: 'delete',
        target: 'id-subnet-2',
        reason: 'a second subnet the stack made (id-subnet is the one in use)',
        dependsOn: [],
      }),
      expect.objectContaining({ id: 'delete:vpc@id-vpc-2', dependsOn: ['delete:subnet@id-subnet-2'] }),
    ]);
    const down = plan(spec, 'lambda', obs, 0, kinds);
    expect(down.steps.find((s) => s.id === 'delete:vpc')!.dependsOn.sort()).toEqual([
      'delete:sg',
      'delete:subnet',
      'delete:subnet@id-subnet-2',
    ]);
  });

  it('never plans anything for a resource with copied tags (foreign): it is only reported', () => {
    const obs = everything();
    obs.foreign = { vpc: [seen('vpc', { id: 'id-vpc-copy' })] };
    expect(plan(spec, 'fargate', obs, 0, kinds).steps).toEqual([]);
    expect(plan(spec, 'lambda', obs, 0, kinds).steps.map((s) => s.target ?? s.id)).not.toContain(
      'id-vpc-copy',
    );
  });

  it('waits for a resource AWS is already deleting instead of deleting it again', () => {
    const obs = everything();
    obs.resources.service = seen('service', { state: 'DRAINING', ready: false });
    const p = plan(spec, 'lambda', obs, 0, kinds);
    expect(p.steps[0]).toMatchObject({ id: 'wait:service', waitUntil: 'gone' });
    expect(p.steps.find((s) => s.key === 'alb')!.dependsOn).toEqual(['wait:service']);
  });

  it("reads the deleting states from each kind's waiters: a state another kind declares means nothing", () => {
    const obs = everything();
    obs.resources.alb = seen('alb', { state: 'DRAINING', ready: false });
    const p = plan(spec, 'lambda', obs, 0, kinds);
    expect(p.steps.map((s) => s.id)).toContain('delete:alb');
  });

  it('honours an edge to a kind listed later: creates after it, deletes before it', () => {
    const c = new FakeCloud();
    // Listed against their dependencies' order: `alb` first, though it needs `subnet`, which needs `vpc`.
    const listed = [
      fakeResource(c, 'alb', ['subnet']),
      fakeResource(c, 'subnet', ['vpc']),
      fakeResource(c, 'vpc'),
    ];
    const up = plan(spec, 'fargate', observation({}), 0, listed);
    expect(up.steps.map((s) => s.id)).toEqual(['create:vpc', 'create:subnet', 'create:alb']);
    expect(up.steps.find((s) => s.key === 'alb')!.dependsOn).toEqual(['create:subnet']);
    const all = observation(Object.fromEntries(listed.map((k) => [k.key, seen(k.key)])));
    const down = plan(spec, 'lambda', all, 0, listed);
    expect(down.steps.map((s) => s.id)).toEqual(['delete:alb', 'delete:subnet', 'delete:vpc']);
    expect(down.steps.find((s) => s.key === 'vpc')!.dependsOn).toEqual(['delete:subnet']);
  });

  it('refuses kinds whose graph is broken instead of planning around it', () => {
    const c = new FakeCloud();
    expect(() => plan(spec, 'fargate', observation({}), 0, [fakeResource(c, 'alb', ['subnet'])])).toThrow(
      'resource kind alb depends on subnet, which no resource kind is',
    );
  });

  it('plans for any spec type from the set of wanted keys (no tier)', () => {
    const c = new FakeCloud();
    const system = [
      fakeResource(c, 'table'),
      fakeResource(c, 'role', ['table']),
    ] as unknown as ManagedResource<{
      stack: string;
    }>[];
    const make = planWanted({
      spec: { stack: 'lambdaflex-system' },
      kinds: system,
      wanted: new Set(['table', 'role']),
      observation: observation({}),
      now: 7,
    });
    expect(make).toEqual({ stack: 'lambdaflex-system', at: 7, steps: expect.any(Array) });
    expect(make.steps.map((s) => s.id)).toEqual(['create:table', 'create:role']);
    const destroy = planWanted({
      spec: { stack: 'lambdaflex-system' },
      kinds: system,
      wanted: new Set(),
      observation: observation({ table: seen('table'), role: seen('role') }),
      now: 7,
      unwantedBecause: () => 'destroying',
    });
    expect(destroy.steps.map((s) => [s.id, s.reason, s.dependsOn])).toEqual([
      ['delete:role', 'destroying', []],
      ['delete:table', 'destroying', ['delete:role']],
    ]);
  });

  it('never touches a same-named resource without our tag (safety rule 3)', () => {
    const obs = observation({ vpc: seen('vpc', { foreign: true }) });
    const up = plan(spec, 'fargate', obs, 0, kinds);
    expect(up.steps[0]).toMatchObject({ id: 'conflict:vpc', action: 'conflict' });
    expect(up.steps.find((s) => s.key === 'subnet')!.dependsOn).toEqual(['conflict:vpc']);
    const down = plan(spec, 'lambda', obs, 0, kinds);
    expect(down.steps).toEqual([]);
  });

  it('names what is in the way: the kind’s own words when it has them, else the missing tag', () => {
    const byKind = seen('vpc', { foreign: true, conflict: 'api.example.com. is owned by stack billing-api' });
    const [step] = plan(spec, 'fargate', observation({ vpc: byKind }), 0, kinds).steps;
    expect(step).toMatchObject({
      id: 'conflict:vpc',
      inTheWay: 'api.example.com. is owned by stack billing-api',
      reason: 'api.example.com. is owned by stack billing-api; it is left alone',
    });
    const [untagged] = plan(
      spec,
      'fargate',
      observation({ vpc: seen('vpc', { foreign: true }) }),
      0,
      kinds,
    ).steps;
    expect(untagged!.inTheWay).toMatch(/has this stack's name but not its lambdaflex:stack tag$/);
  });

  it('reports a resource whose last change AWS failed as a terminal conflict, not the same update again', () => {
    const obs = everything();
    obs.resources.service = seen('service', { attributes: { size: 0 }, failed: 'the rollout of x:2 failed' });
    const steps = plan(spec, 'fargate', obs, 0, kinds).steps;
    expect(steps).toEqual([
      expect.objectContaining({
        id: 'conflict:service',
        action: 'conflict',
        reason: 'the rollout of x:2 failed',
      }),
    ]);
    expect(steps[0]!.inTheWay).toBeUndefined();
  });

  it('does not create what could not be observed (unknown is not absent)', () => {
    const p = plan(spec, 'fargate', observation({}, { vpc: 'Throttling' }), 0, kinds);
    expect(p.steps[0]).toMatchObject({ id: 'wait:vpc', action: 'wait' });
    expect(p.steps.some((s) => s.id === 'create:vpc')).toBe(false);
  });

  it('reports an immutable change as a conflict instead of updating forever', () => {
    const immutableResources = [{ ...fakeResource(cloud, 'vpc'), immutable: ['size'] }];
    const p = plan(
      spec,
      'fargate',
      observation({ vpc: seen('vpc', { attributes: { size: 9 } }) }),
      0,
      immutableResources,
    );
    expect(p.steps).toEqual([
      expect.objectContaining({ id: 'conflict:vpc', reason: 'cannot change size in place' }),
    ]);
    expect(p.steps[0]!.inTheWay).toBeUndefined();
  });

  it('reports a dependent made on another of its dependency than the one in use as a conflict looked at every pass, not a terminal one', () => {
    // A subnet in vpc-old while vpc-new is the VPC in use: no spec change moves it (a subnet can't change
    // VPC); it ends when the stack's VPC is settled (the other taken back) or a hand deletes the subnet.
    const subnet = {
      ...fakeResource(cloud, 'subnet', ['vpc']),
      immutable: ['vpcId', 'cidr'],
      desiredAttributes: (_spec: unknown, refs: Record<string, ObservedResource | undefined>) => ({
        vpcId: refs.vpc?.id,
        cidr: '10.0.0.0/24',
      }),
    } as ManagedResource;
    const vpc = fakeResource(cloud, 'vpc');
    const inOld = seen('subnet', { attributes: { vpcId: 'vpc-old', cidr: '10.0.0.0/24' } });
    const p = plan(spec, 'fargate', observation({ vpc: seen('vpc', { id: 'vpc-new' }), subnet: inOld }), 0, [
      { ...vpc, desiredAttributes: () => ({}) },
      subnet,
    ]);
    expect(p.steps).toEqual([
      expect.objectContaining({
        id: 'conflict:subnet',
        reason: expect.stringMatching(
          /^cannot change vpcId in place: id-subnet was made in vpc-old .*vpc-new/,
        ),
        inTheWay: expect.stringContaining('vpc-old'),
      }),
    ]);
    // A change the spec asks for (its CIDR) stays terminal: only the spec can undo it.
    const moved = seen('subnet', { attributes: { vpcId: 'vpc-new', cidr: '10.9.0.0/24' } });
    const q = plan(spec, 'fargate', observation({ vpc: seen('vpc', { id: 'vpc-new' }), subnet: moved }), 0, [
      { ...vpc, desiredAttributes: () => ({}) },
      subnet,
    ]);
    expect(q.steps).toEqual([
      expect.objectContaining({ id: 'conflict:subnet', reason: 'cannot change cidr in place' }),
    ]);
    expect(q.steps[0]!.inTheWay).toBeUndefined();
  });

  it('prints like terraform plan', () => {
    const obs = everything();
    obs.resources.sg = seen('sg', { attributes: { size: 3 } });
    delete obs.resources.service;
    const text = formatPlan(plan(spec, 'fargate', obs, 0, kinds));
    expect(text).toContain('1 to create, 1 to update, 0 to delete');
    expect(text).toContain('  ~ sg (Fake::sg): size differs');
    expect(text).toContain('      size: 3 → 1');
    expect(text).toContain('  + service (Fake::service): missing');
  });

  it('is deterministic and every dependency names an earlier step (property)', () => {
    const keys = kinds.map((k) => k.key);
    fc.assert(
      fc.property(
        fc.record(
          Object.fromEntries(keys.map((k) => [k, fc.constantFrom('absent', 'ready', 'unready', 'drifted')])),
        ),
        fc.constantFrom('fargate' as const, 'lambda' as const, 'none' as const),
        (states, tier) => {
          const resources: Record<string, ObservedResource | undefined> = {};
          for (const [key, state] of Object.entries(states)) {
            if (state === 'absent') continue;
            resources[key] = seen(key, {
              ready: state !== 'unready',
              attributes: { size: state === 'drifted' ? 2 : 1 },
            });
          }
          const a = plan(spec, tier, observation(resources), 0, kinds);
          const b = plan(spec, tier, observation(resources), 0, kinds);
          expect(a).toEqual(b);
          const seenIds = new Set<string>();
          for (const step of a.steps) {
            for (const dep of step.dependsOn) expect(seenIds.has(dep)).toBe(true);
            seenIds.add(step.id);
          }
          if (tier !== 'fargate') expect(a.steps.every((s) => s.action === 'delete')).toBe(true);
          expect(Object.values(planSummary(a)).reduce((x, y) => x + y, 0)).toBe(a.steps.length);
        },
      ),
    );
  });
});

describe('plan with failed look-ups', () => {
  it('looks again for a dependency before what is found through it', () => {
    const p = plan(spec, 'lambda', observation({}, { vpc: 'Throttling', subnet: 'vpc unknown' }), 0, kinds);
    expect(p.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ['wait:vpc', []],
      ['wait:subnet', ['wait:vpc']],
    ]);
  });

  it('deletes nothing a resource that could not be observed may still stand on', () => {
    // The ALB's look-up failed: it may still be there, on its subnet and security group.
    const obs = everything();
    delete obs.resources.alb;
    obs.unknown.alb = 'Throttling';
    const p = plan(spec, 'lambda', obs, 0, kinds);
    expect(p.steps.find((s) => s.key === 'alb')).toMatchObject({ id: 'wait:alb', waitUntil: 'gone' });
    expect(p.steps.find((s) => s.key === 'subnet')!.dependsOn.sort()).toEqual(['delete:service', 'wait:alb']);
    expect(p.steps.find((s) => s.key === 'sg')!.dependsOn.sort()).toEqual(['delete:service', 'wait:alb']);
  });

  it('does not call a teardown done while an unwanted resource could not be observed', () => {
    const p = plan(spec, 'lambda', observation({}, { vpc: 'Throttling' }), 0, kinds);
    expect(p.steps).toEqual([
      expect.objectContaining({ id: 'wait:vpc', action: 'wait', waitUntil: 'gone', waitsFor: 'Throttling' }),
    ]);
  });
});
