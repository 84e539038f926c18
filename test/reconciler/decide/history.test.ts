import {
  AUTO_HISTORY_FIELD,
  MAX_RECENT_DECISIONS,
  MAX_RECENT_TRANSITIONS,
  emptyHistory,
  readAutoHistory,
  recordDecision,
  type AutoHistory,
} from '../../../reconciler/decide/history';
import type { StackStatus } from '../../../reconciler/state/types';

const status = (history: unknown): StackStatus => ({
  observedGeneration: 1,
  phase: 'Lambda',
  conditions: [],
  resources: {},
  // As a hand edit may leave it: anything at all.
  [AUTO_HISTORY_FIELD]: history as AutoHistory,
});

describe('auto history', () => {
  it('is empty without a status or with a malformed one', () => {
    expect(readAutoHistory(undefined)).toEqual(emptyHistory());
    expect(readAutoHistory(status('nonsense'))).toEqual(emptyHistory());
  });

  it('drops the malformed parts of a hand-edited history', () => {
    const read = readAutoHistory(
      status({
        tier: 'ec2',
        lastTransitionMinute: 12,
        meanDurationMs: -1,
        decisions: [{ minute: 1, tier: 'lambda', reason: 'ok' }, { minute: 'x' }],
        transitions: 'none',
      }),
    );
    expect(read).toEqual({
      lastTransitionMinute: 12,
      decisions: [{ minute: 1, tier: 'lambda', reason: 'ok' }],
      transitions: [],
    });
  });

  it('keeps the mode that pinned a move, and drops a pinnedBy edited by hand into no tier', () => {
    const pinned = { minute: 3, from: 'lambda', to: 'fargate', reason: 'mode fargate pins the Fargate tier' };
    const read = readAutoHistory(
      status({
        decisions: [],
        transitions: [
          { ...pinned, pinnedBy: 'fargate' },
          { ...pinned, minute: 4, pinnedBy: 'yes' },
        ],
      }),
    );
    expect(read.transitions).toEqual([
      { ...pinned, pinnedBy: 'fargate' },
      { ...pinned, minute: 4 },
    ]);
  });

  it('stays bounded, newest last, and marks only changes of tier as transitions', () => {
    let history = emptyHistory();
    for (let minute = 0; minute < 100; minute++) {
      const tier = minute % 7 === 0 ? 'fargate' : 'lambda';
      history = recordDecision(history, {
        minute,
        tier,
        reason: `m${minute}`,
        from: history.tier ?? 'lambda',
      });
    }
    expect(history.decisions).toHaveLength(MAX_RECENT_DECISIONS);
    expect(history.decisions.at(-1)).toEqual({ minute: 99, tier: 'lambda', reason: 'm99' });
    expect(history.transitions).toHaveLength(MAX_RECENT_TRANSITIONS);
    expect(history.transitions.at(-1)).toEqual({ minute: 99, from: 'fargate', to: 'lambda', reason: 'm99' });
    expect(history.lastTransitionMinute).toBe(99);
    expect(readAutoHistory(status(history))).toEqual(history);
  });
});
