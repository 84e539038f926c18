/**
 * Adversary: the spec edited while traffic shifts to Fargate (safety rule 1). Each step of the shift is
 * taken only while the ALB is active and the target group has at least `fargate.minTasks` healthy targets
 * (docs/design.md): `minTasks` raised mid-shift is the rule's bound from the pass that reads the edit on,
 * so no later step may move more traffic to Fargate before that many targets are healthy, though the
 * tasks ECS starts for it take a while to pass their health checks.
 */
import { healthyTargetCount } from '../../aws-sim/services/elbv2/api';
import type { DesiredStateInput } from '../../spec/types';
import {
  EXAMPLE_RECORD,
  exampleDns,
  fargateTier,
  exampleZoneId,
  passUntilShiftStarts,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

function healthyTargets(s: Scenario): number {
  const group = s.account
    .inventory()
    .find(
      (i) => i.type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && i.tags['lambdaflex:stack'] === STACK,
    );
  return group ? healthyTargetCount(s.account, group.id) : 0;
}

type FargateSpec = NonNullable<DesiredStateInput['fargate']>;

/** A stack on Lambda behind the example record, asked for Fargate with `fargate`: the shift has started. */
async function shiftStarted(seed: number, fargate: FargateSpec): Promise<{ s: Scenario; zone: string }> {
  const s = scenario({ seed });
  const zone = await exampleZoneId(s);
  await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
  await s.settle();
  await s.apply(specInput({ mode: 'fargate', fargate, dns: exampleDns(zone) }));
  await passUntilShiftStarts(s, zone, EXAMPLE_RECORD);
  return { s, zone };
}

/**
 * Passes until settled (80 at the most), from the Fargate weight `from`: each step that moved more traffic
 * to Fargate, with the healthy targets it was taken with, and the weight reached.
 */
async function stepsToFargate(s: Scenario, zone: string, from: number) {
  const moves: { from: number; to: number; healthy: number }[] = [];
  let weight = from;
  for (let i = 0; i < 80; i++) {
    const result = await s.pass();
    const now = (await recordWeights(s, zone, EXAMPLE_RECORD)).fargate ?? 0;
    if (now > weight) moves.push({ from: weight, to: now, healthy: healthyTargets(s) });
    weight = now;
    if (result !== 'crashed' && result.settled) break;
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return { moves, weight };
}

describe('adversary: fargate.minTasks raised while traffic shifts to Fargate', () => {
  it('no step moves more traffic to Fargate before the new minTasks targets are healthy', async () => {
    const fargate = fargateTier(1, 6);
    const { s, zone } = await shiftStarted(71, fargate);
    const started = (await recordWeights(s, zone, EXAMPLE_RECORD)).fargate!;
    expect(healthyTargets(s)).toBeLessThan(4);

    await s.apply(
      specInput({ mode: 'fargate', fargate: { ...fargate, minTasks: 4 }, dns: exampleDns(zone) }),
    );
    const { moves, weight } = await stepsToFargate(s, zone, started);
    expect(weight).toBe(100);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.filter((m) => m.healthy < 4)).toEqual([]);
  });
});

describe('adversary: the image edited while traffic shifts to Fargate', () => {
  it('the rollout ECS makes never leaves a step taken with fewer than minTasks healthy targets', async () => {
    const fargate = fargateTier(2, 4);
    const { s, zone } = await shiftStarted(73, fargate);
    await s.apply(
      specInput({
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.5.0',
        mode: 'fargate',
        fargate,
        dns: exampleDns(zone),
      }),
    );
    const { moves, weight } = await stepsToFargate(
      s,
      zone,
      (await recordWeights(s, zone, EXAMPLE_RECORD)).fargate!,
    );
    expect(weight).toBe(100);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.filter((m) => m.healthy < 2)).toEqual([]);
  });
});
