import { renderRecord } from '../../cli/render';
import type { StackRecord } from '../../reconciler/state/types';

const AT = Date.UTC(2026, 0, 1, 4, 16, 56);

function record(): StackRecord {
  const retry = {
    type: 'Warning' as const,
    reason: 'Retrying',
    message: 'deleting AWS::EC2::Subnet (subnet-a): DependencyViolation',
  };
  return {
    stack: 'catalog-api',
    spec: { image: 'img', mode: 'lambda' },
    generation: 2,
    version: 9,
    events: [
      { at: AT, ...retry },
      { at: AT + 15_000, ...retry },
      { at: AT + 30_000, type: 'Normal', reason: 'PhaseChanged', message: 'ScalingDown → Lambda' },
    ],
    bookkeeping: { pendingChanges: {}, retries: {} },
    deletionRequestedAt: AT + 60_000,
  };
}

describe('get (the summary)', () => {
  it('dates its events and the deletion request as status and events do, and collapses repeats and reads teardown waits as progress as they do', () => {
    const lines = renderRecord(record(), 'summary').split('\n');
    expect(lines).toContain('Deletion requested: 2026-01-01 04:17:56');
    const events = lines.slice(lines.indexOf('Events (last 2 of 2):') + 1);
    expect(events).toEqual([
      '  2026-01-01 04:17:11  Progress Waiting: AWS is still releasing network interfaces; subnet-a waits (DependencyViolation, retried) (×2)',
      '  2026-01-01 04:17:26  Normal   PhaseChanged: ScalingDown → Lambda',
    ]);
  });
});

describe('get (the summary): which record', () => {
  it('shows the incarnation beside the generation, so that a stack made again reads as another record', () => {
    const made = { ...record(), incarnation: '9f2c4e1a7b3d' };
    const lines = renderRecord(made, 'summary').split('\n');
    expect(lines).toContain('Generation:         2 of incarnation 9f2c4e1a7b3d (not reconciled yet)');
  });

  it('shows the generation alone for a record from before incarnations', () => {
    const lines = renderRecord(record(), 'summary').split('\n');
    expect(lines).toContain('Generation:         2 (not reconciled yet)');
  });
});
