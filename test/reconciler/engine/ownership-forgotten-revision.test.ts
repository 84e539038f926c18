/**
 * A resource of a kind whose updates leave the replaced one beside the one in use (a task definition
 * revision), missed by its finder for its not-found window: a revision deregistered by hand is missed for
 * good (the finder lists ACTIVE ones only), yet it is the stack's, INACTIVE, and stays in the account for
 * ever unless deleted. The ledger keeps it among the earlier ones, which the kind retires, beside its
 * forgotten pair (which only a revision ACTIVE after all can match).
 */
import { OwnershipLedger } from '../../../reconciler/engine/ownership';
import type { ManagedResource } from '../../../reconciler/resources/types';

const T0 = 1_000_000;
const KEY = 'task-definition';
const revisionKind = {
  key: KEY,
  type: 'AWS::ECS::TaskDefinition',
  creates: 'name',
  idsNeverReused: true,
  updateCreates: () => true,
} as unknown as ManagedResource;
const vpcKind = {
  key: 'vpc',
  type: 'AWS::EC2::VPC',
  creates: 'nonce',
  idsNeverReused: true,
} as unknown as ManagedResource;

/** The pass that forgets `key`'s resource: seen, missed by the pass before, missed by this one too. */
function forgets(kind: ManagedResource, id: string) {
  const clock = { now: T0 };
  const l = new OwnershipLedger(
    {
      owned: { [kind.key]: { id, nonce: 'n1', since: T0, seen: true, missedAt: T0 } },
      intents: {},
      earlier: { [KEY]: ['td:1'] },
    },
    () => clock.now,
  );
  clock.now = T0 + 30_000;
  expect(l.judge(kind, undefined)).toEqual({ duplicates: [], foreign: [] });
  expect(l.recorded(kind.key)).toBeUndefined();
  return l;
}

describe('OwnershipLedger: a forgotten resource of a kind whose updates make a new one', () => {
  it('is kept among the earlier ones, to retire, after those already there (its pair too)', () => {
    const l = forgets(revisionKind, 'td:2');
    expect(l.earlier(KEY)).toEqual(['td:1', 'td:2']);
    expect(l.toBookkeeping()).toMatchObject({
      earlier: { [KEY]: ['td:1', 'td:2'] },
      forgotten: { [KEY]: [{ id: 'td:2', nonce: 'n1', at: T0 + 30_000 }] },
    });
  });

  it('taken back in use by its pair (ACTIVE after all, nothing registered since), it is no earlier one to retire', () => {
    const l = forgets(revisionKind, 'td:2');
    const next = new OwnershipLedger(l.toBookkeeping(), () => T0 + 60_000);
    const seen = {
      key: KEY,
      type: 'AWS::ECS::TaskDefinition',
      id: 'td:2',
      tags: { 'lambdaflex:stack': 'orders-api', 'lambdaflex:component': KEY, 'lambdaflex:nonce': 'n1' },
      attributes: {},
      ready: true,
    };
    expect(next.judge(revisionKind, seen).resource?.id).toBe('td:2');
    expect(next.earlier(KEY)).toEqual(['td:1']);
    expect(next.toBookkeeping()).toMatchObject({ owned: { [KEY]: { id: 'td:2' } }, forgotten: {} });
  });

  it('retired (deleted) among the earlier ones, its pair goes too: nothing of it is left to take back', () => {
    const l = forgets(revisionKind, 'td:2');
    const next = new OwnershipLedger(l.toBookkeeping(), () => T0 + 60_000);
    next.updated(KEY, {
      key: KEY,
      type: 'AWS::ECS::TaskDefinition',
      id: 'td:3',
      tags: {},
      attributes: {},
      ready: true,
      earlierRetired: ['td:1', 'td:2'],
    });
    expect(next.earlier(KEY)).toEqual([]);
    expect(next.toBookkeeping().forgotten).toEqual({});
  });

  it('a kind whose updates change the resource in place keeps the forgotten pair only', () => {
    const l = forgets(vpcKind, 'vpc-1');
    expect(l.earlier('vpc')).toEqual([]);
    expect(l.toBookkeeping().forgotten).toEqual({ vpc: [{ id: 'vpc-1', nonce: 'n1', at: T0 + 30_000 }] });
  });
});
