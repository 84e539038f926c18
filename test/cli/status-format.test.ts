import { formatStatus } from '../../cli/commands/status';
import { emptyBookkeeping } from '../../reconciler/state/bookkeeping';
import type { StackRecord, StackStatus } from '../../reconciler/state/types';

function record(lastPass: StackStatus['lastPass']): StackRecord {
  return {
    stack: 'orders-api',
    spec: {},
    generation: 1,
    version: 2,
    events: [],
    bookkeeping: emptyBookkeeping(),
    status: { observedGeneration: 1, phase: 'Fargate', conditions: [], resources: {}, lastPass },
  };
}

describe('formatStatus: the last pass', () => {
  const pass = { at: 0, durationMs: 40, apiCalls: { total: 3, mutating: 0 } };

  it('says when the pass confirmed the last full observation instead of finding everything', () => {
    expect(formatStatus(record({ ...pass, observedBy: 'inventory' }))).toContain(
      '3 API calls (0 mutating), confirmed from the last full observation',
    );
  });

  it('says when a pass took what it did not wait for or act on from an earlier pass (a switch’s view, an edited stack’s snapshot)', () => {
    expect(formatStatus(record({ ...pass, observedBy: 'view' }))).toContain(
      '3 API calls (0 mutating), what it did not wait for or act on as an earlier pass saw it',
    );
  });

  it('says nothing of it after a full observation', () => {
    const text = formatStatus(record({ ...pass, apiCalls: { total: 37, mutating: 0 }, observedBy: 'full' }));
    expect(text).toContain('37 API calls (0 mutating)');
    expect(text).not.toContain('confirmed');
  });
});
