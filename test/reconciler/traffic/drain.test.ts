/**
 * The way down (safety rule 2, traffic/drain.ts) through decideTraffic: traffic back to Lambda and in
 * sync before the Fargate tier goes.
 */
import { DEREGISTRATION_DELAY_MS, decideTraffic, type ShiftState } from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';
import { input, type World } from './world';

describe('decideTraffic: scaling down (safety rule 2)', () => {
  const fargateUp: World = { alb: 'active', healthy: 1 };

  it('serves from Lambda and plans everything when no Fargate tier exists', () => {
    const decision = decideTraffic(input('lambda', { lambdaWeight: 100 }));
    expect(decision).toMatchObject({
      phase: 'Lambda',
      planResources: 'all',
      weights: { lambda: 100, fargate: 0 },
    });
  });

  it.each<[string, World, ShiftState | undefined, number, string, string, RegExp]>([
    [
      'Fargate still has traffic: back to Lambda first, records only',
      { ...fargateUp, lambdaWeight: 0, fargateWeight: 100 },
      { fargateWeight: 100 },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /moving traffic back to Lambda \(Fargate has 100 %\)/,
    ],
    [
      'Route 53 change pending',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0, pending: true },
      { fargateWeight: 0 },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /Route 53 change pending/,
    ],
    [
      'in sync, within TTL × 2 + deregistration delay',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
      { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1000 } },
      NOW,
      'lambda-tier-and-records',
      'fargate',
      /waiting \d+ s more \(TTL × 2 \+ deregistration delay, in AWS's time\)/,
    ],
    [
      'drained: the Fargate tier may go',
      { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
      { fargateWeight: 0, knownChange: true, drain: { since: NOW - 2 * 60_000 - DEREGISTRATION_DELAY_MS } },
      NOW,
      'all',
      'lambda',
      /traffic drained from Fargate; deleting the Fargate tier/,
    ],
  ])('%s', (_, w, previous, now, planResources, planTier, reason) => {
    const decision = decideTraffic({ ...input('lambda', w, previous), now });
    expect(decision.weights).toEqual({ lambda: 100, fargate: 0 });
    expect(decision.phase).toBe('ScalingDown');
    expect(decision.planResources).toBe(planResources);
    expect(decision.planTier).toBe(planTier);
    expect(decision.reason).toMatch(reason);
  });

  it('says what the drain still awaits, without the traffic already back on Lambda and in sync', () => {
    const decision = decideTraffic(
      input(
        'lambda',
        { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
        { fargateWeight: 0, knownChange: true, drain: { since: NOW - 1000 } },
      ),
    );
    expect(decision.reason).toMatch(/^traffic on Lambda and in sync; waiting \d+ s more/);
    expect(decision.awaiting).toMatch(
      /^\d+ s more of the drain \(TTL × 2 \+ deregistration delay, in AWS's time\) before deleting the Fargate tier$/,
    );
  });

  it('says both tiers go when the stack is being deleted: while draining, and once drained', () => {
    const drainedSince = NOW - 1000;
    const waiting = decideTraffic(
      input(
        'none',
        { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
        { fargateWeight: 0, knownChange: true, drain: { since: drainedSince } },
      ),
    );
    expect(waiting.awaiting).toMatch(
      /^\d+ s more of the drain \(TTL × 2 \+ deregistration delay, in AWS's time\) before deleting both tiers$/,
    );
    const drained = decideTraffic({
      ...input(
        'none',
        { ...fargateUp, lambdaWeight: 100, fargateWeight: 0 },
        {
          fargateWeight: 0,
          knownChange: true,
          drain: { since: NOW - 2 * 60_000 - DEREGISTRATION_DELAY_MS },
        },
      ),
      now: NOW,
    });
    expect(drained.reason).toBe('traffic drained from Fargate; deleting both tiers');
  });

  it('is phase Deleting, not ScalingDown, when the stack is being deleted', () => {
    const decision = decideTraffic(input('none', { ...fargateUp, lambdaWeight: 0, fargateWeight: 100 }));
    expect(decision.phase).toBe('Deleting');
    expect(decision.weights.fargate).toBe(0);
  });
});
