import { ResourceGraph } from '../../../reconciler/engine/graph';
import { heldMisses, reviewMisses } from '../../../reconciler/engine/held-by-dependents';
import { CONSISTENCY_WINDOW_MS, OwnershipLedger } from '../../../reconciler/engine/ownership';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import type { ManagedResource } from '../../../reconciler/resources/types';
import { found, heldKind as kind, known, observation, recorder } from './held-kinds';

const T0 = 1_000_000;

const VPC = kind('vpc');
const SUBNET = kind('subnet', ['vpc'], { vpc: 'vpcId' });
const GROUP = kind('sg', ['vpc'], { vpc: 'vpcId' });
/** Names the VPC, but AWS lets the VPC be deleted under it: not a hold. */
const TARGET_GROUP = kind('tg', ['vpc']);
const ALB = kind('alb', ['subnet', 'sg'], { subnet: 'subnets', sg: 'securityGroups' });
const LISTENER = kind('listener', ['alb', 'tg'], { tg: 'defaultAction.targetGroupArn' }, null);
const GRAPH = ResourceGraph.of([VPC, SUBNET, GROUP, TARGET_GROUP, ALB, LISTENER]);

describe('heldMisses: a miss a dependent found by the same pass contradicts', () => {
  it('holds a VPC its finder missed while a subnet found names it, with every dependent that does', () => {
    const seen = observation({
      vpc: undefined,
      subnet: found('subnet', 'subnet-1', { vpcId: 'vpc-1' }),
      sg: found('sg', 'sg-1', { vpcId: 'vpc-1' }),
    });
    expect(heldMisses(GRAPH, seen, known({ vpc: ['vpc-1'] }))).toEqual([
      {
        key: 'vpc',
        id: 'vpc-1',
        by: [
          { key: 'subnet', id: 'subnet-1' },
          { key: 'sg', id: 'sg-1' },
        ],
      },
    ]);
  });

  it('holds nothing when the dependents are gone too: a VPC really deleted is made again', () => {
    const seen = observation({ vpc: undefined, subnet: undefined, sg: undefined });
    expect(heldMisses(GRAPH, seen, known({ vpc: ['vpc-1'] }))).toEqual([]);
  });

  it('holds nothing on a dependent AWS lets outlive it (a target group names a VPC it does not hold)', () => {
    const seen = observation({ vpc: undefined, tg: found('tg', 'tg-arn', { vpcId: 'vpc-1' }) });
    expect(heldMisses(GRAPH, seen, known({ vpc: ['vpc-1'] }))).toEqual([]);
  });

  it('holds nothing when the dependent names an id the stack does not hold for the key', () => {
    const seen = observation({ vpc: undefined, subnet: found('subnet', 'subnet-1', { vpcId: 'vpc-other' }) });
    expect(heldMisses(GRAPH, seen, known({ vpc: ['vpc-1'] }))).toEqual([]);
    expect(heldMisses(GRAPH, seen, known({}))).toEqual([]);
  });

  it('is proven nothing by a foreign dependent, nor by one taken from an earlier pass instead of found', () => {
    const foreign = observation({
      vpc: undefined,
      subnet: found('subnet', 'subnet-9', { vpcId: 'vpc-1' }, true),
    });
    expect(heldMisses(GRAPH, foreign, known({ vpc: ['vpc-1'] }))).toEqual([]);
    const reused = observation({ vpc: undefined, subnet: found('subnet', 'subnet-1', { vpcId: 'vpc-1' }) });
    expect(heldMisses(GRAPH, reused, known({ vpc: ['vpc-1'] }), new Set(['subnet']))).toEqual([]);
  });

  it('reads a list of ids and a dotted path: an ALB holds its subnets, a listener its target group', () => {
    const seen = observation({
      vpc: found('vpc', 'vpc-1'),
      subnet: undefined,
      sg: found('sg', 'sg-1', { vpcId: 'vpc-1' }),
      tg: undefined,
      alb: found('alb', 'alb-arn', { subnets: ['subnet-0', 'subnet-1'], securityGroups: ['sg-1'] }),
      listener: found('listener', 'l-arn', { defaultAction: { type: 'forward', targetGroupArn: 'tg-arn' } }),
    });
    expect(heldMisses(GRAPH, seen, known({ subnet: ['subnet-1'], tg: ['tg-arn'] }))).toEqual([
      { key: 'subnet', id: 'subnet-1', by: [{ key: 'alb', id: 'alb-arn' }] },
      { key: 'tg', id: 'tg-arn', by: [{ key: 'listener', id: 'l-arn' }] },
    ]);
  });

  it('leaves a resource found alone, and a kind the stack does not record (inside a parent)', () => {
    const seen = observation({
      vpc: found('vpc', 'vpc-1'),
      subnet: found('subnet', 'subnet-1', { vpcId: 'vpc-1' }),
    });
    expect(heldMisses(GRAPH, seen, known({ vpc: ['vpc-1'] }))).toEqual([]);
    const inside = ResourceGraph.of([
      kind('api', [], undefined, null),
      kind('route', ['api'], { api: 'apiId' }),
    ]);
    const missed = observation({ api: undefined, route: found('route', 'r-1', { apiId: 'api-1' }) });
    expect(heldMisses(inside, missed, known({ api: ['api-1'] }))).toEqual([]);
  });
});

describe('reviewMisses: what the pass makes of a held miss', () => {
  it('makes the held key unknown with the reason, and what was looked up through it unknown, its verdict taken back', () => {
    const seen = observation({
      vpc: undefined,
      subnet: found('subnet', 'subnet-1', { vpcId: 'vpc-1' }),
      sg: undefined,
      tg: undefined,
      alb: found('alb', 'alb-arn', { subnets: ['subnet-1'], securityGroups: ['sg-1'] }),
    });
    const { calls, review } = recorder({ vpc: ['vpc-1'] });
    expect(reviewMisses(GRAPH, seen, review)).toHaveLength(1);
    expect(calls).toEqual(['held vpc vpc-1', 'unjudged sg', 'unjudged tg', 'unjudged listener']);
    expect(seen.unknown.vpc).toBe(
      'finding Test::vpc (vpc): vpc-1 was not found, but subnet (subnet-1), found by this pass, names it, and AWS deletes no vpc that these are in or use: a stale or partial read, not a deletion; not made again, read again by the next pass',
    );
    expect(seen.unknown.sg).toBe('finding Test::sg (sg): its dependency vpc could not be observed');
    expect(seen.unknown.tg).toBe('finding Test::tg (tg): its dependency vpc could not be observed');
    // Not found through the target group, unknown now: unknown too, however indirectly.
    expect(seen.unknown.listener).toBe(
      'finding Test::listener (listener): its dependency tg could not be observed',
    );
    // Found: judged as found.
    expect(seen.unknown.subnet).toBeUndefined();
    expect(seen.unknown.alb).toBeUndefined();
  });

  it('changes nothing when no miss is held', () => {
    const seen = observation({ vpc: undefined, subnet: undefined, sg: undefined });
    const { calls, review } = recorder({ vpc: ['vpc-1'] });
    expect(reviewMisses(GRAPH, seen, review)).toEqual([]);
    expect(calls).toEqual([]);
    expect(seen.unknown).toEqual({});
  });
});

describe('OwnershipLedger as the review’s records', () => {
  const vpcKind = kind('vpc');
  const sgKind = kind('sg', ['vpc']);

  it('keeps a VPC missed twice (forgotten by judge) recorded, as seen, its miss not counted', () => {
    const clock = { now: T0 };
    const ledger = new OwnershipLedger(
      {
        owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: 5, seen: true, missedAt: T0 - 10_000 } },
        intents: {},
      },
      () => clock.now,
    );
    expect(ledger.judge(vpcKind, undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(ledger.recorded('vpc')).toBeUndefined();
    expect(ledger.knownIds('vpc')).toEqual(['vpc-1']);
    ledger.heldByDependent('vpc', 'vpc-1');
    expect(ledger.toBookkeeping()).toMatchObject({
      owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: 5, seen: true } },
      forgotten: {},
    });
    expect(ledger.recorded('vpc')?.missedAt).toBeUndefined();
    // Looked up again by the same pass (a wait step) and missed: waited for, not made again, not counted.
    expect(ledger.judge(vpcKind, undefined).pending).toMatch(/a dependent found by this pass names it/);
    expect(ledger.recorded('vpc')?.missedAt).toBeUndefined();
  });

  it('takes a VPC forgotten in an earlier pass back from its pair when a dependent names it', () => {
    const ledger = new OwnershipLedger(
      { owned: {}, intents: {}, forgotten: { vpc: [{ id: 'vpc-1', nonce: 'n1', at: T0 - 60_000 }] } },
      () => T0,
    );
    expect(ledger.knownIds('vpc')).toEqual(['vpc-1']);
    ledger.heldByDependent('vpc', 'vpc-1');
    expect(ledger.toBookkeeping()).toMatchObject({
      owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: T0 - 60_000, seen: true } },
      forgotten: {},
    });
  });

  it('keeps another id recorded since as it is', () => {
    const owned = { vpc: { id: 'vpc-2', nonce: 'n2', since: T0 - 1000 } };
    const ledger = new OwnershipLedger(
      { owned, intents: {}, forgotten: { vpc: [{ id: 'vpc-1', nonce: 'n1', at: T0 - 60_000 }] } },
      () => T0,
    );
    ledger.heldByDependent('vpc', 'vpc-1');
    expect(ledger.toBookkeeping()).toMatchObject({ owned, forgotten: { vpc: [{ id: 'vpc-1' }] } });
  });

  it('takes back the verdict of a key judged through a dependency held unknown: its records as the pass found them', () => {
    const clock = { now: T0 };
    const before = { id: 'sg-1', nonce: 'n3', since: 5, seen: true as const, missedAt: T0 - 10_000 };
    const ledger = new OwnershipLedger({ owned: { sg: before }, intents: {} }, () => clock.now);
    // Its finder needed the VPC's id: it found nothing, and the ledger forgot it (second miss).
    ledger.judge({ ...sgKind, idsNeverReused: true } as ManagedResource, undefined);
    expect(ledger.recorded('sg')).toBeUndefined();
    expect(ledger.toBookkeeping().forgotten).toEqual({ sg: [{ id: 'sg-1', nonce: 'n3', at: T0 }] });
    ledger.unjudged('sg');
    expect(ledger.toBookkeeping()).toMatchObject({ owned: { sg: before }, forgotten: {} });
  });

  it('a first miss taken back is not counted either', () => {
    const clock = { now: T0 + CONSISTENCY_WINDOW_MS };
    const before = { id: 'sg-1', nonce: 'n3', since: 5, seen: true as const };
    const ledger = new OwnershipLedger({ owned: { sg: before }, intents: {} }, () => clock.now);
    expect(ledger.judge(sgKind, undefined).pending).toBeDefined();
    expect(ledger.recorded('sg')?.missedAt).toBe(clock.now);
    ledger.unjudged('sg');
    expect(ledger.recorded('sg')).toEqual(before);
  });
});

describe('the kinds’ holds', () => {
  it('name only their own dependencies (a hold on anything else would be read by nobody)', () => {
    for (const kind of ALL_RESOURCES) {
      for (const held of Object.keys(kind.holds ?? {}))
        expect([kind.key, kind.dependsOn]).toEqual([kind.key, expect.arrayContaining([held])]);
    }
    const holders = ALL_RESOURCES.filter((k) => k.holds).map((k) => [k.key, Object.keys(k.holds!)]);
    expect(holders).toEqual(
      expect.arrayContaining([
        ['subnet-a', ['vpc']],
        ['subnet-b', ['vpc']],
        ['igw', ['vpc']],
        ['route-table', ['vpc', 'igw']],
        ['sg-alb', ['vpc']],
        ['sg-tasks', ['vpc']],
        ['alb', ['subnet-a', 'subnet-b', 'sg-alb']],
        ['listener-http', ['tg']],
        ['listener-https', ['tg']],
        ['service', ['cluster']],
        ['api-mapping', ['http-api']],
      ]),
    );
  });
});
