/** Which stacks a dispatcher run sends, and why (reconciler/dispatch/due.ts): a table of records. */
import { dueVerdict, DEFAULT_DUE_OPTIONS } from '../../../reconciler/dispatch/due';
import { changeReason } from '../../../reconciler/dispatch/dispatcher';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord, StackStatus } from '../../../reconciler/state/types';

const NOW = Date.UTC(2026, 0, 1, 12);

function record(overrides: Partial<StackRecord> = {}, status?: Partial<StackStatus>): StackRecord {
  return {
    stack: 'web',
    spec: {},
    generation: 2,
    version: 5,
    events: [],
    bookkeeping: emptyBookkeeping(),
    ...(status
      ? {
          status: {
            observedGeneration: 2,
            phase: 'Lambda',
            conditions: [],
            resources: {},
            lastPass: { at: NOW - 20_000, durationMs: 100, apiCalls: { total: 3, mutating: 0 } },
            ...status,
          },
        }
      : {}),
    ...overrides,
  };
}

const lastPass = (at: number, requeueAfterMs?: number) => ({
  at,
  durationMs: 100,
  apiCalls: { total: 1, mutating: 0 },
  ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
});

describe('dueVerdict', () => {
  it.each<[string, StackRecord, ReturnType<typeof dueVerdict>]>([
    ['a record never passed', record(), { due: true, reason: 'new stack' }],
    [
      'a spec edited since the last pass',
      record({}, { observedGeneration: 1 }),
      { due: true, reason: 'spec changed' },
    ],
    [
      'a deletion asked for',
      record({ deletionRequestedAt: NOW - 1 }, {}),
      { due: true, reason: 'deletion requested' },
    ],
    [
      'a pass that asked to come back by now',
      record({}, { phase: 'ScalingUp', lastPass: lastPass(NOW - 10_000, 5_000) }),
      { due: true, reason: 'requeue time reached' },
    ],
    [
      'a pass that asked to come back later',
      record({}, { phase: 'ScalingUp', lastPass: lastPass(NOW - 1_000, 5_000) }),
      { due: false, nextAt: NOW + 4_000 },
    ],
    [
      'between tiers, passed 55 s ago and asked to come back in three minutes: not before then',
      record({}, { phase: 'ScalingUp', lastPass: lastPass(NOW - 55_000, 180_000) }),
      { due: false, nextAt: NOW + 125_000 },
    ],
    [
      'between tiers without a requeue time',
      record({}, { phase: 'ScalingDown' }),
      { due: true, reason: 'between tiers' },
    ],
    ['settled, passed 20 s ago', record({}, {}), { due: false, nextAt: NOW + 40_000 }],
    [
      'settled, passed 55 s ago (within the slack)',
      record({}, { lastPass: lastPass(NOW - 55_000) }),
      { due: true, reason: 'periodic resync' },
    ],
    [
      'an invalid spec not edited since it was judged',
      record(
        {},
        {
          observedGeneration: 1,
          lastPass: lastPass(NOW - 20_000),
          conditions: [
            {
              type: 'SpecValid',
              status: 'False',
              reason: 'Invalid',
              message: 'x',
              lastTransitionTime: NOW - 20_000,
            },
          ],
        },
      ),
      { due: false, nextAt: NOW + 40_000 },
    ],
    [
      'a terminal error on this generation (traffic watched)',
      record(
        { bookkeeping: { ...emptyBookkeeping(), terminal: { generation: 2, messages: ['quota'] } } },
        {},
      ),
      { due: true, reason: 'stopped by a terminal error: traffic watched' },
    ],
  ])('%s', (_name, r, expected) => {
    expect(dueVerdict(r, NOW, DEFAULT_DUE_OPTIONS)).toEqual(expected);
  });

  it('leaves a dead-lettered stack alone until the retry interval, an edit or a delete', () => {
    const dead = { generation: 2, at: NOW - 60_000, receiveCount: 5, error: 'boom' };
    const r = record(
      { bookkeeping: { ...emptyBookkeeping(), deadLettered: dead } },
      { observedGeneration: 1 },
    );
    expect(dueVerdict(r, NOW)).toEqual({
      due: false,
      nextAt: dead.at + DEFAULT_DUE_OPTIONS.deadLetterRetryMs,
    });
    expect(dueVerdict(r, dead.at + DEFAULT_DUE_OPTIONS.deadLetterRetryMs)).toEqual({
      due: true,
      reason: 'dead-letter retry',
    });
    expect(dueVerdict({ ...r, generation: 3 }, NOW)).toEqual({ due: true, reason: 'spec changed' });
    expect(dueVerdict({ ...r, deletionRequestedAt: NOW - 1 }, NOW)).toEqual({
      due: true,
      reason: 'deletion requested',
    });
  });
});

describe('changeReason (the change feed)', () => {
  it("sends a new record, an edited spec and a deletion request; not the reconciler's own writes", () => {
    const before = record({}, {});
    expect(changeReason(undefined, before)).toBe('new stack');
    expect(changeReason(before, { ...before, generation: 3 })).toBe('spec changed');
    expect(changeReason(before, { ...before, deletionRequestedAt: NOW })).toBe('deletion requested');
    expect(
      changeReason(before, { ...before, version: 6, lease: { holder: 'x', expiresAt: NOW } }),
    ).toBeUndefined();
    expect(changeReason(before, undefined)).toBeUndefined();
  });

  it('sends a deletion mark edited by hand into no time, and one taken away again, at once', () => {
    // Neither is a deletion requested nor a new generation: without it, the hold would be said, and lifted,
    // only at the next resync.
    const before = record({}, {});
    const held = { ...before, unreadableDeletionMark: 'null' };
    expect(changeReason(before, held)).toBe('deletion mark changed');
    expect(changeReason(held, before)).toBe('deletion mark changed');
    expect(changeReason(held, { ...held, unreadableDeletionMark: 'the string "x"' })).toBe(
      'deletion mark changed',
    );
    expect(changeReason(held, { ...held, version: 9 })).toBeUndefined();
    // Replaced by a delete: a deletion requested.
    expect(changeReason(held, { ...before, deletionRequestedAt: NOW })).toBe('deletion requested');
  });
});
