import { FORGOTTEN_KEPT, FORGOTTEN_MEMORY_MS } from '../../../reconciler/engine/forgotten-pairs';
import {
  CONSISTENCY_WINDOW_MS,
  INTENT_MEMORY_MS,
  OwnershipLedger,
  REFUSED_NONCES_KEPT,
} from '../../../reconciler/engine/ownership';
import type { CreateSafety, ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import type { Bookkeeping } from '../../../reconciler/state/bookkeeping';

const T0 = 1_000_000;
const TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'vpc',
  'lambdaflex:managed-by': 'lambdaflex',
};

const kind = (creates?: CreateSafety, key = 'vpc'): ManagedResource =>
  ({ key, type: 'AWS::EC2::VPC', ...(creates ? { creates } : {}) }) as unknown as ManagedResource;

function resource(id: string, tags: Record<string, string> = TAGS, extra: Partial<ObservedResource> = {}) {
  return { key: 'vpc', type: 'AWS::EC2::VPC', id, tags, attributes: {}, ready: true, ...extra };
}

function ledger(bookkeeping: Partial<Bookkeeping> = { owned: {}, intents: {} }, clock = { now: T0 }) {
  let n = 0;
  return {
    clock,
    ledger: new OwnershipLedger(bookkeeping, () => clock.now, { newNonce: () => `nonce-${++n}` }),
  };
}

describe('OwnershipLedger.judge', () => {
  it('passes a resource of a kind without its own ownership (a route in our API) through', () => {
    const { ledger: l } = ledger();
    const route = resource('r-1', {});
    expect(l.judge(kind(undefined), route)).toEqual({ resource: route, duplicates: [], foreign: [] });
  });

  it('proves a resource by the nonce of a journaled intent, then records its id and clears the intent', () => {
    const { ledger: l } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 - 1000 }] } });
    const found = resource('vpc-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    expect(l.judge(kind('nonce'), found)).toEqual({ resource: found, duplicates: [], foreign: [] });
    expect(l.toBookkeeping()).toEqual({
      owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: T0, seen: true } },
      intents: {},
      earlier: {},
      forgotten: {},
    });
  });

  it('proves a resource by its recorded id', () => {
    const { ledger: l } = ledger({ owned: { vpc: { id: 'vpc-1', since: 5 } }, intents: {} });
    expect(l.judge(kind('nonce'), resource('vpc-1')).resource?.id).toBe('vpc-1');
  });

  it('takes a resource with copied tags and no record for foreign: reported, not used', () => {
    const { ledger: l } = ledger();
    const copy = resource('vpc-9');
    expect(l.judge(kind('nonce'), copy)).toEqual({ duplicates: [], foreign: [copy] });
    // A wrong nonce is no better than none.
    const guessed = resource('vpc-8', { ...TAGS, 'lambdaflex:nonce': 'guess' });
    expect(l.judge(kind('nonce'), guessed).foreign).toEqual([guessed]);
  });

  it('keeps the recorded resource in use, deletes the other one the stack made, reports the copy', () => {
    const { ledger: l } = ledger({
      owned: { vpc: { id: 'vpc-2', nonce: 'n2', since: 5 } },
      intents: { vpc: [{ nonce: 'n1', at: T0 - 10 * 60_000 }] },
    });
    const inUse = resource('vpc-2', { ...TAGS, 'lambdaflex:nonce': 'n2' });
    const late = resource('vpc-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    const copy = resource('vpc-0');
    // Finders put the recorded one first: the attributes a finder reads are the one in use's.
    expect(l.isRecorded('vpc', 'vpc-2', inUse.tags)).toBe(true);
    expect(l.isRecorded('vpc', 'vpc-1', late.tags)).toBe(false);
    const judged = l.judge(kind('nonce'), { ...copy, duplicates: [late, inUse] });
    expect(judged).toEqual({ resource: inUse, duplicates: [late], foreign: [copy] });
  });

  it('waits for a journaled create not visible yet, and creates again once the window has passed', () => {
    const { ledger: l, clock } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } });
    const judged = l.judge(kind('nonce'), undefined);
    expect(judged.pending).toMatch(/nonce n1 was sent 0 s ago.*300 s more before creating again/);
    expect(l.pendingCreates()).toEqual([
      { key: 'vpc', nonce: 'n1', at: T0, until: T0 + CONSISTENCY_WINDOW_MS },
    ]);
    clock.now = T0 + CONSISTENCY_WINDOW_MS;
    expect(l.judge(kind('nonce'), undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(l.pendingCreates()).toEqual([]);
    // The old nonce is remembered: its resource, showing late, is recognised as the stack's.
    expect(l.isRecorded('vpc', 'vpc-late', { 'lambdaflex:nonce': 'n1' })).toBe(true);
  });

  it('waits for a just-created resource not visible yet; one gone for longer is made again', () => {
    const { ledger: l, clock } = ledger({ owned: { vpc: { id: 'vpc-1', since: T0 } }, intents: {} });
    expect(l.judge(kind('name'), undefined).pending).toMatch(/created vpc-1 0 s ago; not visible yet/);
    clock.now = T0 + CONSISTENCY_WINDOW_MS;
    expect(l.judge(kind('name'), undefined).pending).toBeUndefined();
    expect(l.toBookkeeping().owned).toEqual({});
  });

  it('does not hold back a create made safe by a name or a client token', () => {
    const { ledger: l } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } });
    expect(l.judge(kind('name'), undefined).pending).toBeUndefined();
    expect(l.judge(kind('client-token'), undefined).pending).toBeUndefined();
  });

  it('proves a uniquely named resource by the nonce of a pending intent; without it, a copy blocks the name', () => {
    const withIntent = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } }).ledger;
    const made = resource('alb-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    expect(withIntent.judge(kind('name'), made).resource?.id).toBe('alb-1');
    expect(withIntent.toBookkeeping().intents).toEqual({});

    // A create whose answer was lost (a 5xx, a timeout) may have made nothing: whoever took the name
    // since, with copies of the stack's tags, could not have known the nonce.
    const lost = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } }).ledger;
    const taken = resource('alb-2');
    expect(lost.judge(kind('name'), taken)).toEqual({
      resource: { ...taken, foreign: true },
      duplicates: [],
      foreign: [taken],
    });
    expect(lost.recorded('vpc')).toBeUndefined();

    const { ledger: l } = ledger();
    const copy = resource('alb-1');
    expect(l.judge(kind('name'), copy)).toEqual({
      resource: { ...copy, foreign: true },
      duplicates: [],
      foreign: [copy],
    });
  });

  it('takes a copy carrying the nonce of the recorded resource for foreign, not for a duplicate', () => {
    const { ledger: l } = ledger({ owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: 5 } }, intents: {} });
    const ours = resource('vpc-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    const copy = resource('vpc-2', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    expect(l.isRecorded('vpc', 'vpc-2', copy.tags)).toBe(false);
    expect(l.judge(kind('nonce'), { ...copy, duplicates: [ours] })).toEqual({
      resource: ours,
      duplicates: [],
      foreign: [{ ...copy, conflict: expect.stringContaining('carries the creation nonce of vpc-1') }],
    });
  });

  it('proves nothing by a lost create’s nonce that two resources carry: one is a copy, and which is unknown', () => {
    const { ledger: l } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 - 1000 }] } });
    const one = resource('vpc-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    const other = resource('vpc-2', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    const judged = l.judge(kind('nonce'), { ...one, duplicates: [other] });
    expect(judged.resource).toBeUndefined();
    expect(judged.duplicates).toEqual([]);
    expect(judged.foreign).toEqual([
      { ...one, conflict: expect.stringMatching(/answer was lost, as vpc-2 does/) },
      { ...other, conflict: expect.stringMatching(/answer was lost, as vpc-1 does/) },
    ]);
    expect(judged.pending).toMatch(/nonce n1/);
    expect(l.toBookkeeping().owned).toEqual({});
  });

  it('reports a copy at a unique name of a client-token kind as taking the name (an ECS service in its cluster)', () => {
    const { ledger: l } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } });
    const copy = resource('svc-1');
    const service = { ...kind('client-token'), uniqueName: true } as ManagedResource;
    expect(l.judge(service, copy)).toEqual({
      resource: { ...copy, foreign: true },
      duplicates: [],
      foreign: [copy],
    });
    // Without a unique name, the copy is only reported: the stack's own create may go beside it.
    expect(l.judge(kind('client-token'), copy)).toEqual({ duplicates: [], foreign: [copy] });
  });

  it('reports a name taken without our tags as before, for the plan to report', () => {
    const { ledger: l } = ledger();
    const clash = resource('sg-1', {}, { foreign: true });
    expect(l.judge(kind('nonce'), clash)).toEqual({ resource: clash, duplicates: [], foreign: [] });
  });

  it('adopts what the tags claim on a stack from before ownership was recorded, once', () => {
    const { ledger: l } = ledger({});
    expect(l.adopting).toBe(true);
    const first = resource('vpc-1');
    const second = resource('vpc-2');
    expect(l.judge(kind('nonce'), { ...first, duplicates: [second] })).toEqual({
      resource: first,
      duplicates: [second],
      foreign: [],
    });
    expect(l.toBookkeeping().owned).toBeUndefined();
    l.completeAdoption();
    expect(l.toBookkeeping().owned).toEqual({ vpc: { id: 'vpc-1', since: T0, seen: true } });
    expect(l.adopting).toBe(false);
  });
});

describe('OwnershipLedger: intents', () => {
  it('journals a fresh nonce per create; a client-token create reuses the pending one', () => {
    const { ledger: l, clock } = ledger();
    expect(l.intend(kind('nonce'))).toBe('nonce-1');
    expect(l.intend(kind('nonce'))).toBe('nonce-2');
    expect(l.intend(kind('client-token', 'route-table'))).toBe('nonce-3');
    expect(l.intend(kind('client-token', 'route-table'))).toBe('nonce-3');
    clock.now += CONSISTENCY_WINDOW_MS;
    expect(l.intend(kind('client-token', 'route-table'))).toBe('nonce-4');
  });

  it('clears an intent whose create answered and records what was made; a refused one is no longer awaited', () => {
    const { ledger: l } = ledger();
    const nonce = l.intend(kind('nonce'));
    l.created('vpc', 'vpc-5', nonce);
    const refused = l.intend(kind('nonce', 'subnet-a'));
    l.refused('subnet-a', refused);
    expect(l.toBookkeeping()).toEqual({
      owned: { vpc: { id: 'vpc-5', nonce: 'nonce-1', since: T0 } },
      intents: { 'subnet-a': [{ nonce: 'nonce-2', at: T0, refused: true }] },
      earlier: {},
      forgotten: {},
    });
    expect(l.awaits('subnet-a')).toBe(false);
    expect(l.pendingCreates()).toEqual([]);
    // Not pending: nothing visible is absent, and the next create is made at once.
    expect(l.judge(kind('nonce', 'subnet-a'), undefined).pending).toBeUndefined();
  });

  it('recognises a resource carrying the nonce of a create whose refusal was misread, for as long as it exists', () => {
    // The tag read-back after CreateLoadBalancer answered, throttled on its only attempt, passed for the
    // create's refusal: the ALB carrying the nonce was then judged foreign for good.
    const { ledger: l, clock } = ledger();
    const alb = kind('name', 'alb');
    const nonce = l.intend(alb);
    l.refused('alb', nonce);
    clock.now += CONSISTENCY_WINDOW_MS * 3;
    const ours = resource('arn:alb-1', { ...TAGS, 'lambdaflex:nonce': nonce });
    const judged = l.judge(alb, ours);
    expect(judged.resource?.id).toBe('arn:alb-1');
    expect(judged.foreign).toEqual([]);
    expect(l.toBookkeeping().owned?.alb).toMatchObject({ id: 'arn:alb-1', nonce, seen: true });
    // Carried by two, it proves neither (one is a copy of the other's tags).
    const { ledger: again } = ledger();
    const n = again.intend(alb);
    again.refused('alb', n);
    const twice = resource(
      'arn:alb-1',
      { ...TAGS, 'lambdaflex:nonce': n },
      {
        duplicates: [resource('arn:alb-2', { ...TAGS, 'lambdaflex:nonce': n })],
      },
    );
    expect(
      again
        .judge(alb, twice)
        .foreign.map((f) => f.id)
        .sort(),
    ).toEqual(['arn:alb-1', 'arn:alb-2']);
  });

  it('remembers only the last few refused nonces of a key: the record stays bounded', () => {
    const { ledger: l } = ledger();
    for (let i = 0; i < REFUSED_NONCES_KEPT + 4; i++) l.refused('vpc', l.intend(kind('nonce')));
    const pending = l.intend(kind('nonce'));
    const kept = l.toBookkeeping().intents?.vpc ?? [];
    expect(kept.filter((i) => i.refused)).toHaveLength(REFUSED_NONCES_KEPT);
    expect(kept.filter((i) => !i.refused).map((i) => i.nonce)).toEqual([pending]);
  });

  it('forgets a deleted resource, and follows an id an update changed', () => {
    const { ledger: l } = ledger({
      owned: { vpc: { id: 'vpc-5', since: 1 }, 'task-definition': { id: 'td:1', since: 1 } },
      intents: {},
    });
    l.deleted('vpc', resource('vpc-5'));
    l.updated('task-definition', resource('td:2'));
    expect(l.toBookkeeping().owned).toEqual({ 'task-definition': { id: 'td:2', since: 1 } });
  });

  it('says which keys await a create, from the intent until its resource is seen', () => {
    const { ledger: l } = ledger({ owned: { vpc: { id: 'vpc-1', since: 1 } }, intents: {} });
    expect(l.awaits('vpc')).toBe(false);
    const nonce = l.intend(kind('nonce'));
    expect(l.awaits('vpc')).toBe(true);
    expect(l.awaits('subnet-a')).toBe(false);
    l.judge(kind('nonce'), resource('vpc-2', { ...TAGS, 'lambdaflex:nonce': nonce }));
    expect(l.awaits('vpc')).toBe(false);
  });

  it('drops intents never seen after a long while', () => {
    const { ledger: l, clock } = ledger({ owned: {}, intents: { vpc: [{ nonce: 'n1', at: T0 }] } });
    clock.now = T0 + CONSISTENCY_WINDOW_MS + INTENT_MEMORY_MS;
    expect(l.toBookkeeping().intents).toEqual({});
  });
});

describe('OwnershipLedger: a stack from before', () => {
  it('keeps the resource its last status listed in use, whatever the ids, and deletes the others', () => {
    const l = new OwnershipLedger({}, () => T0, { lastSeen: { vpc: 'vpc-9' } });
    const listed = resource('vpc-9');
    const older = resource('vpc-1');
    expect(l.judge(kind('nonce'), { ...older, duplicates: [listed] })).toEqual({
      resource: listed,
      duplicates: [older],
      foreign: [],
    });
  });
});

describe('OwnershipLedger: a kind whose resources show sooner', () => {
  it('waits only its own window for them', () => {
    const { ledger: l, clock } = ledger();
    const api = { ...kind('nonce', 'http-api'), visibleWithinMs: 60_000 } as ManagedResource;
    l.intend(api);
    expect(l.pendingCreates()).toEqual([{ key: 'http-api', nonce: 'nonce-1', at: T0, until: T0 + 60_000 }]);
    clock.now = T0 + 60_000;
    expect(l.judge(api, undefined).pending).toBeUndefined();
  });
});

describe('OwnershipLedger: creates made safe by a name', () => {
  it('are not listed as pending: finding the name is enough', () => {
    const { ledger: l } = ledger();
    l.intend(kind('name', 'alb'));
    expect(l.pendingCreates()).toEqual([]);
    expect(l.toBookkeeping().intents).toEqual({ alb: [{ nonce: 'nonce-1', at: T0, until: T0 }] });
  });
});

describe('OwnershipLedger: a resource seen and then missing', () => {
  /** The ledger of the next pass: a new one, from the bookkeeping this one leaves. */
  const nextPass = (l: OwnershipLedger, clock: { now: number }) =>
    new OwnershipLedger(l.toBookkeeping(), () => clock.now);

  it('is gone once a second pass misses it too, however soon after its creation', () => {
    const { ledger: first, clock } = ledger({ owned: { alb: { id: 'alb-1', since: T0 } }, intents: {} });
    const alb = kind('name', 'alb');
    first.judge(alb, resource('alb-1'));
    expect(first.toBookkeeping().owned).toEqual({ alb: { id: 'alb-1', since: T0, seen: true } });

    // Deleted by someone else 20 s after its creation: not "not visible yet", it was seen.
    clock.now = T0 + 20_000;
    const second = nextPass(first, clock);
    const missed = second.judge(alb, undefined);
    expect(missed.pending).toMatch(/alb-1 was seen by an earlier pass and is missing now/);
    expect(missed.pending).not.toMatch(/not visible yet/);
    // Read again within the same pass: still one pass's word, not confirmed.
    expect(second.judge(alb, undefined).pending).toBeDefined();
    expect(second.toBookkeeping().owned).toEqual({
      alb: { id: 'alb-1', since: T0, seen: true, missedAt: T0 + 20_000 },
    });

    clock.now = T0 + 35_000;
    const third = nextPass(second, clock);
    expect(third.judge(alb, undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(third.toBookkeeping().owned).toEqual({});
  });

  it('missed once and then found again, it is kept, and the miss forgotten', () => {
    const { ledger: first, clock } = ledger({
      owned: { vpc: { id: 'vpc-1', since: T0, seen: true } },
      intents: {},
    });
    clock.now = T0 + 20_000;
    expect(first.judge(kind('nonce'), undefined).pending).toBeDefined();
    clock.now = T0 + 35_000;
    const second = nextPass(first, clock);
    expect(second.judge(kind('nonce'), resource('vpc-1')).resource?.id).toBe('vpc-1');
    expect(second.toBookkeeping().owned).toEqual({ vpc: { id: 'vpc-1', since: T0, seen: true } });
    // Missed again later: one pass's miss is not enough again.
    clock.now = T0 + 50_000;
    const third = nextPass(second, clock);
    expect(third.judge(kind('nonce'), undefined).pending).toMatch(/missing now/);
  });

  it('a resource created and never seen is still waited for through the window', () => {
    const { ledger: l, clock } = ledger({ owned: {}, intents: {} });
    l.created('vpc', 'vpc-1', undefined);
    clock.now = T0 + 60_000;
    const next = new OwnershipLedger(l.toBookkeeping(), () => clock.now);
    expect(next.judge(kind('nonce'), undefined).pending).toMatch(/created vpc-1 60 s ago; not visible yet/);
  });
});

describe('OwnershipLedger: a resource seen and then found without the stack’s tags', () => {
  it('is not missing: it is let go at once, and the name it holds reported', () => {
    const { ledger: l } = ledger({ owned: { vpc: { id: 'vpc-1', since: T0, seen: true } }, intents: {} });
    const untagged = resource('vpc-1', {}, { foreign: true });
    expect(l.judge(kind('nonce'), untagged)).toEqual({ resource: untagged, duplicates: [], foreign: [] });
    expect(l.toBookkeeping().owned).toEqual({});
  });
});

describe('OwnershipLedger: what an update replaced and left beside the one in use (task definition revisions)', () => {
  const KEY = 'task-definition';
  const revisionKind = {
    key: KEY,
    type: 'AWS::ECS::TaskDefinition',
    creates: 'name',
    updateCreates: () => true,
  } as unknown as ManagedResource;
  const rev = (n: number, extra: Partial<ObservedResource> = {}, nonce = `n${n}`) => ({
    ...resource(`td:${n}`, { ...TAGS, 'lambdaflex:component': KEY, 'lambdaflex:nonce': nonce }, extra),
    key: KEY,
  });

  it('records the one an update replaced among the earlier ones, and drops those found retired', () => {
    const { ledger: l } = ledger({
      owned: { [KEY]: { id: 'td:1', nonce: 'n1', since: T0, seen: true } },
      intents: {},
    });
    const nonce = l.intend(revisionKind);
    l.replaced(KEY, 'td:2', nonce);
    l.updated(KEY, rev(2, {}, nonce));
    expect(l.earlier(KEY)).toEqual(['td:1']);
    l.replaced(KEY, 'td:3', l.intend(revisionKind));
    expect(l.earlier(KEY)).toEqual(['td:1', 'td:2']);
    // The finder saw td:1 retired: it drops out; what was never recorded is never added.
    l.judge(revisionKind, rev(3, { earlierRetired: ['td:1', 'td:0'] }, 'nonce-2'));
    expect(l.toBookkeeping()).toMatchObject({
      owned: { [KEY]: { id: 'td:3' } },
      earlier: { [KEY]: ['td:2'] },
    });
  });

  it('a registration whose answer was lost, proven by its nonce, puts the recorded one among the earlier ones', () => {
    const { ledger: l } = ledger({
      owned: { [KEY]: { id: 'td:1', nonce: 'n1', since: T0, seen: true } },
      intents: { [KEY]: [{ nonce: 'n2', at: T0, until: T0 }] },
      earlier: { [KEY]: ['td:0'] },
    });
    expect(l.journaled(KEY, { 'lambdaflex:nonce': 'n2' })).toBe(true);
    // The recorded one's own nonce, or a stranger's, is no journaled registration.
    expect(l.journaled(KEY, { 'lambdaflex:nonce': 'n1' })).toBe(false);
    expect(l.journaled(KEY, { 'lambdaflex:nonce': 'other-installation' })).toBe(false);
    const found = rev(2);
    expect(l.judge(revisionKind, found)).toEqual({ resource: found, duplicates: [], foreign: [] });
    expect(l.toBookkeeping()).toMatchObject({
      owned: { [KEY]: { id: 'td:2', nonce: 'n2' } },
      intents: {},
      earlier: { [KEY]: ['td:0', 'td:1'] },
    });
  });

  it('two registrations whose answers were both lost: the newest in use, the older one among the earlier ones, a stranger never', () => {
    const { ledger: l } = ledger({
      owned: { [KEY]: { id: 'td:1', nonce: 'n1', since: T0, seen: true } },
      intents: {
        [KEY]: [
          { nonce: 'n2', at: T0, until: T0 },
          { nonce: 'n4', at: T0, until: T0 },
        ],
      },
    });
    const found = rev(4, {
      earlierFound: [
        { id: 'td:2', nonce: 'n2' },
        // Named by a finder, but carrying no nonce the stack journaled: not the stack's.
        { id: 'td:3', nonce: 'other-installation' },
      ],
    });
    expect(l.judge(revisionKind, found)).toMatchObject({ resource: found, duplicates: [], foreign: [] });
    expect(l.toBookkeeping()).toMatchObject({
      owned: { [KEY]: { id: 'td:4', nonce: 'n4' } },
      intents: {},
      earlier: { [KEY]: ['td:1', 'td:2'] },
    });
  });

  it('forgets the earlier ones with the one in use once the kind deleted it', () => {
    const { ledger: l } = ledger({
      owned: { [KEY]: { id: 'td:3', nonce: 'n3', since: T0, seen: true } },
      intents: {},
      earlier: { [KEY]: ['td:1', 'td:2'] },
    });
    // A duplicate deleted is not the one in use: the earlier ones stay.
    l.deleted(KEY, rev(9));
    expect(l.earlier(KEY)).toEqual(['td:1', 'td:2']);
    l.deleted(KEY, rev(3));
    expect(l.toBookkeeping()).toEqual({ owned: {}, intents: {}, earlier: {}, forgotten: {} });
  });

  it('keeps the earlier ones, the one in use that went missing among them, when it is made again', () => {
    const { ledger: l, clock } = ledger({
      owned: { [KEY]: { id: 'td:3', nonce: 'n3', since: T0, seen: true, missedAt: T0 } },
      intents: {},
      earlier: { [KEY]: ['td:2'] },
    });
    clock.now = T0 + 30_000;
    // Missed by a second pass: gone from ACTIVE (deregistered), yet the stack's: among the earlier ones,
    // to delete; a create registers it again, beside them.
    expect(l.judge(revisionKind, undefined).resource).toBeUndefined();
    l.created(KEY, 'td:4', l.intend(revisionKind));
    expect(l.toBookkeeping()).toMatchObject({
      owned: { [KEY]: { id: 'td:4' } },
      earlier: { [KEY]: ['td:2', 'td:3'] },
    });
  });
});

describe('OwnershipLedger: a resource forgotten after its not-found window, seen again', () => {
  /** The ledger of the next pass: a new one, from the bookkeeping this one leaves. */
  const nextPass = (l: OwnershipLedger, clock: { now: number }) =>
    new OwnershipLedger(l.toBookkeeping(), () => clock.now);
  /** An ALB: its id is an ARN with a random part, which AWS never gives another load balancer. */
  const alb = { ...kind('name', 'alb'), idsNeverReused: true } as ManagedResource;
  const ARN = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/lf-orders-api-alb/aaaa';
  const OTHER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/lf-orders-api-alb/bbbb';
  const albTags = (nonce?: string) => ({
    ...TAGS,
    'lambdaflex:component': 'alb',
    ...(nonce ? { 'lambdaflex:nonce': nonce } : {}),
  });
  const albResource = (id: string, nonce?: string) => ({ ...resource(id, albTags(nonce)), key: 'alb' });

  /** A pass that forgets the stack's ALB: seen, missed by one pass, then missed by this one too. */
  function forgotten(kindOf: ManagedResource = alb) {
    const clock = { now: T0 };
    const l = new OwnershipLedger(
      { owned: { alb: { id: ARN, nonce: 'n1', since: T0, seen: true, missedAt: T0 } }, intents: {} },
      () => clock.now,
    );
    clock.now = T0 + 30_000;
    expect(l.judge(kindOf, undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(l.recorded('alb')).toBeUndefined();
    return { clock, l };
  }

  it('is the stack’s again with exactly its id and its nonce: recorded again, the pair no longer kept', () => {
    const { clock, l } = forgotten();
    expect(l.toBookkeeping().forgotten).toEqual({ alb: [{ id: ARN, nonce: 'n1', at: T0 + 30_000 }] });
    // Missed for longer than the window (a throttled or stale finder), then seen again.
    clock.now = T0 + 30_000 + CONSISTENCY_WINDOW_MS * 2;
    const next = nextPass(l, clock);
    // What a create answered with (CreateLoadBalancer answers with the ALB holding the name) is taken back.
    expect(next.isRecorded('alb', ARN, albTags('n1'))).toBe(true);
    const ours = albResource(ARN, 'n1');
    expect(next.judge(alb, ours)).toEqual({ resource: ours, duplicates: [], foreign: [] });
    expect(next.toBookkeeping()).toMatchObject({
      owned: { alb: { id: ARN, nonce: 'n1', seen: true } },
      forgotten: {},
    });
  });

  it('deleted by the stack itself and gone once AWS finished: forgotten as so, the pair kept to take it back', () => {
    const clock = { now: T0 };
    const service = { ...kind('name', 'service'), idsNeverReused: true } as ManagedResource;
    const SERVICE = 'arn:aws:ecs:us-east-1:1:service/lf-orders-api-cluster/lf-orders-api-service';
    const draining = { ...resource(SERVICE, { ...TAGS, 'lambdaflex:nonce': 's1' }), key: 'service' };
    const first = new OwnershipLedger(
      { owned: { service: { id: SERVICE, nonce: 's1', since: T0, seen: true } }, intents: {} },
      () => clock.now,
    );
    // About to send DeleteService: marked as the stack's own delete (journaled before the call); a
    // refusal takes the mark back, the next attempt marks it again.
    expect(first.deleting('service', draining)).toBe(true);
    first.deleteRefused('service', SERVICE);
    expect(first.toBookkeeping().owned?.service).not.toHaveProperty('deleteSentAt');
    expect(first.deleting('service', draining)).toBe(true);
    expect(first.deleting('service', draining)).toBe(false);
    expect(first.deleting('service', { ...draining, id: `${SERVICE}-other` })).toBe(false);
    // A refused delete of another resource under the key (not the one recorded) leaves the mark.
    first.deleteRefused('service', `${SERVICE}-other`);
    expect(first.toBookkeeping().owned?.service).toMatchObject({ id: SERVICE, deleteSentAt: T0 });
    // ECS drains it; found again draining by the next pass: still marked.
    clock.now = T0 + 15_000;
    const second = nextPass(first, clock);
    expect(second.judge(service, draining).resource?.id).toBe(SERVICE);
    expect(second.toBookkeeping().owned?.service).toMatchObject({ deleteSentAt: T0 });
    // INACTIVE, no finder shows it: missed by two passes, forgotten with the mark.
    clock.now = T0 + 30_000;
    const third = nextPass(second, clock);
    expect(third.judge(service, undefined).pending).toMatch(/missing now/);
    clock.now = T0 + 45_000;
    const fourth = nextPass(third, clock);
    expect(fourth.judge(service, undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(fourth.toBookkeeping().forgotten).toEqual({
      service: [{ id: SERVICE, nonce: 's1', at: T0 + 45_000, deleteSentAt: T0 }],
    });
    // A pair edited by hand with a mark that is no time keeps the pair, not the mark.
    const edited = new OwnershipLedger(
      {
        owned: {},
        intents: {},
        forgotten: { service: [{ id: SERVICE, nonce: 's1', at: T0, deleteSentAt: 'soon' as never }] },
      },
      () => clock.now,
    );
    expect(edited.toBookkeeping().forgotten).toEqual({ service: [{ id: SERVICE, nonce: 's1', at: T0 }] });
  });

  it('a copy carrying the forgotten nonce under another id stays foreign, reported, and is no duplicate', () => {
    const { clock, l } = forgotten();
    clock.now += 60_000;
    const next = nextPass(l, clock);
    const copy = albResource(OTHER_ARN, 'n1');
    expect(next.isRecorded('alb', OTHER_ARN, copy.tags)).toBe(false);
    const judged = next.judge(alb, copy);
    // The name it holds is the stack's ALB's: reported as taken, never the one in use.
    expect(judged.resource).toMatchObject({ id: OTHER_ARN, foreign: true });
    expect(judged.duplicates).toEqual([]);
    expect(judged.foreign).toEqual([
      { ...copy, conflict: expect.stringContaining(`carries the creation nonce of ${ARN}`) },
    ]);
    expect(next.recorded('alb')).toBeUndefined();
    // Our id without our nonce (retagged by someone) proves nothing either.
    expect(next.isRecorded('alb', ARN, albTags('n2'))).toBe(false);
    expect(next.isRecorded('alb', ARN, albTags())).toBe(false);
    expect(next.judge(alb, albResource(ARN, 'n2')).resource).toMatchObject({ foreign: true });
  });

  it('seen beside the one made in its place since, it is put back in use and the one made since deleted; a copy stays foreign', () => {
    const vpc = { ...kind('nonce'), idsNeverReused: true } as ManagedResource;
    const { ledger: l, clock } = ledger({
      owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: T0, seen: true, missedAt: T0 } },
      intents: {},
    });
    clock.now = T0 + 30_000;
    expect(l.judge(vpc, undefined).resource).toBeUndefined();
    l.created('vpc', 'vpc-2', l.intend(vpc));
    clock.now += CONSISTENCY_WINDOW_MS * 3;
    const next = nextPass(l, clock);
    const made = resource('vpc-2', { ...TAGS, 'lambdaflex:nonce': 'nonce-1' });
    const back = resource('vpc-1', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    const copy = resource('vpc-3', { ...TAGS, 'lambdaflex:nonce': 'n1' });
    // The finder puts the recorded one first: the one taken back is in use all the same (what depends on
    // it was built on it, and never moved: only a finder missed it).
    const judged = next.judge(vpc, { ...made, duplicates: [back, copy] });
    expect(judged.resource?.id).toBe('vpc-1');
    expect(judged.duplicates.map((d) => d.id)).toEqual(['vpc-2']);
    expect(judged.foreign.map((f) => f.id)).toEqual(['vpc-3']);
    expect(next.toBookkeeping()).toMatchObject({
      owned: { vpc: { id: 'vpc-1', nonce: 'n1', seen: true } },
      forgotten: {},
    });
    next.deleted('vpc', made);
    expect(next.toBookkeeping().owned).toMatchObject({ vpc: { id: 'vpc-1' } });
  });

  it('a task definition revision seen again beside the one registered since is not put back: the service moved', () => {
    const revisions = {
      ...kind('name', 'task-definition'),
      idsNeverReused: true,
      updateCreates: () => true,
    } as unknown as ManagedResource;
    const rev = (id: string, nonce: string) => ({
      ...resource(id, { ...TAGS, 'lambdaflex:nonce': nonce }),
      key: 'task-definition',
    });
    const { ledger: l, clock } = ledger({
      owned: { 'task-definition': { id: 'td:1', nonce: 'n1', since: T0, seen: true, missedAt: T0 } },
      intents: {},
    });
    clock.now = T0 + 30_000;
    l.judge(revisions, undefined);
    l.created('task-definition', 'td:2', l.intend(revisions));
    clock.now += 60_000;
    const judged = nextPass(l, clock).judge(revisions, {
      ...rev('td:2', 'nonce-1'),
      duplicates: [rev('td:1', 'n1')],
    });
    expect(judged.resource?.id).toBe('td:2');
    expect(judged.duplicates.map((d) => d.id)).toEqual(['td:1']);
  });

  it('a kind whose ids AWS gives again (a name), with nothing AWS gave it alone, remembers no pair: a resource made later under the name would pass', () => {
    const role = kind('name', 'alb');
    const { clock, l } = forgotten(role);
    expect(l.toBookkeeping().forgotten).toEqual({});
    clock.now += 60_000;
    const next = nextPass(l, clock);
    expect(next.isRecorded('alb', ARN, albTags('n1'))).toBe(false);
    expect(next.judge(role, albResource(ARN, 'n1')).resource).toMatchObject({ foreign: true });
  });

  it('a kind whose id is a name is taken back only with what AWS gave it alone too (a role’s RoleId)', () => {
    const role = kind('name', 'role');
    const roleTags = { ...TAGS, 'lambdaflex:component': 'role', 'lambdaflex:nonce': 'n1' };
    const named = (uniqueId?: string) => ({
      ...resource('lf-orders-api-role', roleTags),
      key: 'role',
      ...(uniqueId ? { uniqueId } : {}),
    });
    const { ledger: first, clock } = ledger({
      owned: { role: { id: 'lf-orders-api-role', nonce: 'n1', since: T0, seen: true } },
      intents: {},
    });
    // Seen: what AWS gave it alone is recorded with it.
    first.judge(role, named('AROA1'));
    expect(first.recorded('role')).toMatchObject({ uniqueId: 'AROA1' });
    clock.now = T0 + 20_000;
    const second = nextPass(first, clock);
    second.judge(role, undefined);
    clock.now = T0 + 35_000;
    const third = nextPass(second, clock);
    expect(third.judge(role, undefined)).toEqual({ duplicates: [], foreign: [] });
    expect(third.toBookkeeping().forgotten).toEqual({
      role: [{ id: 'lf-orders-api-role', nonce: 'n1', uniqueId: 'AROA1', at: T0 + 35_000 }],
    });

    clock.now += CONSISTENCY_WINDOW_MS * 2;
    // Made again under the name since, every tag copied: another RoleId, so someone else's.
    const again = nextPass(third, clock);
    const copy = named('AROA2');
    const judged = again.judge(role, copy);
    expect(judged.resource).toMatchObject({ id: 'lf-orders-api-role', foreign: true });
    expect(judged.foreign).toEqual([
      { ...copy, conflict: expect.stringContaining('made again under its name since') },
    ]);
    // The name and nonce alone (a create's answer read back by its tags) prove nothing.
    expect(again.isRecorded('role', 'lf-orders-api-role', roleTags)).toBe(false);
    // The role the stack made, seen again: its own again.
    const back = nextPass(third, clock);
    expect(back.judge(role, named('AROA1'))).toEqual({
      resource: named('AROA1'),
      duplicates: [],
      foreign: [],
    });
    expect(back.toBookkeeping()).toMatchObject({
      owned: { role: { id: 'lf-orders-api-role', uniqueId: 'AROA1', seen: true } },
      forgotten: {},
    });
  });

  it('a resource found at its id without the stack’s tags is let go, not remembered', () => {
    const { ledger: l } = ledger({
      owned: { alb: { id: ARN, nonce: 'n1', since: T0, seen: true } },
      intents: {},
    });
    l.judge(alb, { ...albResource(ARN), tags: {}, foreign: true });
    expect(l.toBookkeeping()).toMatchObject({ owned: {}, forgotten: {} });
  });

  it('a resource created and never seen within the window is remembered too', () => {
    const { ledger: l, clock } = ledger({ owned: {}, intents: {} });
    l.created('alb', ARN, 'n1');
    clock.now = T0 + CONSISTENCY_WINDOW_MS;
    expect(l.judge(alb, undefined).pending).toBeUndefined();
    expect(l.toBookkeeping().forgotten).toEqual({ alb: [{ id: ARN, nonce: 'n1', at: clock.now }] });
  });

  it('keeps the last few pairs of a key, for a bounded time: the record stays small', () => {
    const { ledger: l, clock } = ledger({ owned: {}, intents: {} });
    for (let i = 0; i < FORGOTTEN_KEPT + 2; i++) {
      l.created('alb', `${ARN}-${i}`, `n${i}`);
      clock.now += CONSISTENCY_WINDOW_MS;
      l.judge(alb, undefined);
    }
    const kept = l.toBookkeeping().forgotten?.alb ?? [];
    expect(kept.map((pair) => pair.id)).toEqual(
      Array.from({ length: FORGOTTEN_KEPT }, (_, i) => `${ARN}-${i + 2}`),
    );
    clock.now = kept[0]!.at + FORGOTTEN_MEMORY_MS;
    expect(l.toBookkeeping().forgotten?.alb?.map((pair) => pair.id)).toEqual(kept.slice(1).map((p) => p.id));
    clock.now = kept.at(-1)!.at + FORGOTTEN_MEMORY_MS;
    expect(l.toBookkeeping().forgotten).toEqual({});
  });

  it('reads a hand-edited record’s pairs leniently: what is not a pair is dropped', () => {
    const l = new OwnershipLedger(
      {
        owned: {},
        intents: {},
        forgotten: { alb: [{ id: ARN, nonce: 'n1', at: T0 }, { id: 7 }, null], vpc: 'junk' },
      } as unknown as Bookkeeping,
      () => T0,
    );
    expect(l.toBookkeeping().forgotten).toEqual({ alb: [{ id: ARN, nonce: 'n1', at: T0 }] });
    expect(l.isRecorded('alb', ARN, albTags('n1'))).toBe(true);
  });
});
