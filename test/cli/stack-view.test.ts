import { problemsOf, waitingFor } from '../../cli/stack-view';
import type { StackRecord } from '../../reconciler/state/types';

function record(conditions: NonNullable<StackRecord['status']>['conditions']): StackRecord {
  return {
    stack: 'billing-api',
    spec: {},
    generation: 1,
    version: 3,
    events: [],
    bookkeeping: { pendingChanges: {}, retries: {} },
    status: { observedGeneration: 1, phase: 'Lambda', conditions, resources: {} },
  };
}

describe('problemsOf', () => {
  it('shows what is in the way of a stack kept from a name it does not own', () => {
    const message =
      'api.example.test. is owned by stack orders-api (us-east-1): its ownership TXT lambdaflex-a.api.example.test. names it; it is left alone';
    const conflict = {
      type: 'Conflict',
      status: 'True' as const,
      reason: 'NotOwned',
      message,
      lastTransitionTime: 1,
    };
    expect(problemsOf(record([conflict]))).toEqual([
      `left alone, not this stack's (looked at again every pass): ${message}`,
    ]);
    expect(problemsOf(record([]))).toEqual([]);
  });
});

describe('waitingFor', () => {
  const ready = (status: 'True' | 'False', reason: string, message: string) => ({
    type: 'Ready',
    status,
    reason,
    message,
    lastTransitionTime: 1,
  });

  it('names the next pass checking what one just applied, in a settled phase with nothing else waiting', () => {
    const applied = record([ready('False', 'Progressing', '2 steps done; the next pass checks the result')]);
    expect(waitingFor(applied)).toEqual(['2 steps done; the next pass checks the result']);
    expect(waitingFor(record([ready('True', 'Settled', 'nothing to do')]))).toEqual([]);
  });
});
