/**
 * A decision's reason read against the phase the stack is in now: the pass that ends a move decides
 * before it changes anything, and its "moving to Fargate (…)" must not stand beside the phase Fargate.
 */
import { reasonForPhase } from '../../../reconciler/decide/move-progress';

describe('reasonForPhase', () => {
  it('says "staying on" once the phase is the tier the reason was moving to', () => {
    expect(
      reasonForPhase('10.0 rps ≥ 9: moving to Fargate (shifting traffic to it in steps)', 'Fargate'),
    ).toBe('10.0 rps ≥ 9: staying on Fargate');
    expect(
      reasonForPhase(
        '1.0 rps ≤ 4: moving to Lambda (traffic back on it; draining, then deleting the ALB (and its tasks))',
        'Lambda',
      ),
    ).toBe('1.0 rps ≤ 4: staying on Lambda');
    expect(reasonForPhase('no rate yet: starting on Lambda (the stack is being created)', 'Lambda')).toBe(
      'no rate yet: staying on Lambda',
    );
    expect(
      reasonForPhase('pinned: moving to Fargate (all traffic shifted to it); weights 0/100', 'Fargate'),
    ).toBe('pinned: staying on Fargate; weights 0/100');
  });

  it('keeps the reason while the move is under way, or names another tier', () => {
    const moving = '10.0 rps ≥ 9: moving to Fargate (shifting traffic to it in steps)';
    expect(reasonForPhase(moving, 'ScalingUp')).toBe(moving);
    expect(reasonForPhase(moving, 'Lambda')).toBe(moving);
    expect(reasonForPhase(moving, undefined)).toBe(moving);
    expect(reasonForPhase('moving to Fargate (unclosed', 'Fargate')).toBe('moving to Fargate (unclosed');
  });
});
