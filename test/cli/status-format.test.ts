import { formatStatus } from '../../cli/commands/status';
import { renderRecord } from '../../cli/render';
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

describe('formatStatus: which record', () => {
  const pass = { at: 0, durationMs: 40, apiCalls: { total: 3, mutating: 0 } };

  it('shows the incarnation beside the generation, so that a stack made again reads as another record', () => {
    const made = { ...record(pass), incarnation: '9f2c4e1a7b3d' };
    expect(formatStatus(made).split('\n')).toContain(
      'Generation: 1 of incarnation 9f2c4e1a7b3d (observed: 1)',
    );
    const fresh = { ...made, status: undefined };
    expect(formatStatus(fresh).split('\n')).toContain(
      'Generation: 1 of incarnation 9f2c4e1a7b3d (not reconciled yet)',
    );
  });

  it('shows the generation alone for a record from before incarnations', () => {
    expect(formatStatus(record(pass)).split('\n')).toContain('Generation: 1 (observed: 1)');
  });
});

describe('get and status: the generation', () => {
  const pass = { at: 0, durationMs: 40, apiCalls: { total: 3, mutating: 0 } };
  /** The value of the "Generation:" row, as a command prints it. */
  const generationRow = (text: string) =>
    text
      .split('\n')
      .find((line) => line.startsWith('Generation:'))
      ?.replace(/^Generation:\s+/, '');

  it.each([
    ['reconciled', { ...record(pass), incarnation: '9f2c4e1a7b3d' }],
    ['not reconciled yet', { ...record(pass), incarnation: '9f2c4e1a7b3d', status: undefined }],
    ['from before incarnations', record(pass)],
  ])('read the same in both, %s', (_, made) => {
    expect(generationRow(formatStatus(made))).toBe(generationRow(renderRecord(made, 'summary')));
  });
});
