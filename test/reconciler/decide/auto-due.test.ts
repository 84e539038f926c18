import { autoPassDue } from '../../../reconciler/decide/auto-due';
import type { AutoLedger } from '../../../reconciler/decide/ledger';
import type { TierDecision } from '../../../reconciler/decide/pinned';
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { DesiredState } from '../../../spec/types';

const SPEC: Pick<DesiredState, 'fargate'> = {
  fargate: { cpu: 512, memoryMb: 1024, minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
};
const target = (minCapacity: number): Record<string, ObservedResource> => ({
  'scalable-target': {
    key: 'scalable-target',
    type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    id: 'service/lf-web/lf-web',
    tags: {},
    attributes: { minCapacity, maxCapacity: 10 },
    ready: true,
    foreign: false,
  },
});
const onFargate = (extra: Partial<TierDecision> = {}): TierDecision => ({
  tier: 'fargate',
  reason: 'rising 4.0 rps/min: 3 tasks for 210 rps in 5 min',
  ...extra,
});
const burst = (start: number) => ({ start, minutes: 5, extra: 0.1 });
const ledger = (...starts: number[]): AutoLedger => ({ bursts: starts.map(burst) });

describe('autoPassDue', () => {
  it.each([
    [
      'tasks ahead the target lacks',
      onFargate({ fargateMinTasks: 3 }),
      1,
      /^auto mode wants at least 3 tasks \(the scalable target's minimum is 1\): rising/,
    ],
    [
      'a minimum to lower once the rise is over',
      onFargate(),
      3,
      /^auto mode wants at least 1 tasks \(the scalable target's minimum is 3\)/,
    ],
    ['nothing when the target has the minimum wanted', onFargate({ fargateMinTasks: 3 }), 3, undefined],
    ['nothing on Lambda', { tier: 'lambda', reason: 'quiet' } as TierDecision, 3, undefined],
  ])('%s', (_, decision, minCapacity, expected) => {
    const due = autoPassDue({ decision, spec: SPEC, resources: target(minCapacity), ledger: undefined });
    if (expected === undefined) expect(due).toBeUndefined();
    else expect(due).toMatch(expected);
  });

  it('is due when the decider learned a burst the stack’s ledger does not hold yet', () => {
    const decision: TierDecision = {
      tier: 'lambda',
      reason: 'quiet',
      bookkeepingPatch: { autoLedger: ledger(100, 300) },
    };
    expect(autoPassDue({ decision, spec: SPEC, resources: {}, ledger: ledger(100) })).toBe(
      'auto mode learned a burst of 5 min (from minute 300)',
    );
    expect(autoPassDue({ decision, spec: SPEC, resources: {}, ledger: ledger(100, 300) })).toBeUndefined();
  });
});
