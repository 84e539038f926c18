/**
 * Target tracking as its CloudWatch alarms decide (docs/aws-facts.md): the scale-out alarm needs three
 * one-minute datapoints above the target, the scale-in alarm fifteen below 90 % of it; a minute without
 * data breaks the run.
 */
import {
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { findTargetGroup, healthyTargetCount } from '../../../aws-sim/services/elbv2';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import {
  DEFAULT_TARGET_TRACKING_ALARMS,
  trackingProposal,
  type RequestCountDatapoint,
} from '../../../aws-sim/services/autoscaling/target-tracking';
import { resourceLabel, serviceBehindAlb } from './service-fixture';

const TARGET = {
  ServiceNamespace: 'ecs',
  ResourceId: 'service/web/web',
  ScalableDimension: 'ecs:service:DesiredCount',
} as const;

const p = (requests: number, healthyTargets = 1): RequestCountDatapoint => ({ requests, healthyTargets });
const repeat = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('target tracking alarms (pure rule)', () => {
  it('scales out only after three datapoints above the target, to ceil(requests / target)', () => {
    expect(trackingProposal([p(50), p(250), p(250)], 100, 1)).toBeUndefined();
    expect(trackingProposal([p(250), p(250), p(250)], 100, 1)).toEqual({ direction: 'out', capacity: 3 });
    // The latest datapoint sets the capacity.
    expect(trackingProposal([p(250), p(250), p(730)], 100, 1)).toEqual({ direction: 'out', capacity: 8 });
  });

  it('counts requests per healthy target: 250 requests over 3 targets are below a target of 100', () => {
    expect(trackingProposal(repeat(3, p(250, 3)), 100, 3)).toBeUndefined();
    expect(trackingProposal(repeat(3, p(450, 3)), 100, 3)).toEqual({ direction: 'out', capacity: 5 });
  });

  it('scales in only after fifteen datapoints below 90 % of the target', () => {
    expect(trackingProposal(repeat(14, p(100, 5)), 100, 5)).toBeUndefined();
    expect(trackingProposal(repeat(15, p(100, 5)), 100, 5)).toEqual({ direction: 'in', capacity: 1 });
    // 95 requests per target is below the target but not below 90 % of it: no scale-in.
    expect(trackingProposal(repeat(15, p(475, 5)), 100, 5)).toBeUndefined();
  });

  it('takes a minute without data (no healthy target) as breaking the run', () => {
    expect(trackingProposal([p(250), null, p(250), p(250)], 100, 1)).toBeUndefined();
    expect(
      trackingProposal([p(250), { requests: 0, healthyTargets: 0 }, p(250), p(250)], 100, 1),
    ).toBeUndefined();
    expect(trackingProposal([...repeat(14, p(10, 5)), null], 100, 5)).toBeUndefined();
  });

  it('has the documented scale-out alarm and the scale-in settings as defaults', () => {
    expect(DEFAULT_TARGET_TRACKING_ALARMS).toEqual({
      scaleOutDatapoints: 3,
      scaleInDatapoints: 15,
      scaleInThresholdRatio: 0.9,
    });
  });
});

async function desiredCount(sim: SimulatedAws): Promise<number> {
  const out = await sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'web', services: ['web'] }));
  return out.services![0].desiredCount!;
}

describe('simulated Application Auto Scaling: target tracking through its alarms', () => {
  async function tracked(
    metricDelayMs = 0,
  ): Promise<{ sim: SimulatedAws; minuteOf: (requests: number) => void }> {
    const { sim, lb } = await serviceBehindAlb();
    setMetricDelay(sim.account, metricDelayMs);
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 10 }),
    );
    await sim.clients.autoscaling.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'requests',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: resourceLabel(lb),
          },
        },
      }),
    );
    // The task becomes a healthy target first (no request data meanwhile: nothing scales).
    sim.account.advance(10 * 60_000);
    expect(healthyTargetCount(sim.account, lb.targetGroupArn)).toBe(1);
    expect(await desiredCount(sim)).toBe(1);
    const minuteOf = (requests: number) => {
      findTargetGroup(sim.account, lb.targetGroupArn)!.requestCountLastMinute = requests;
      sim.account.advance(60_000);
    };
    return { sim, minuteOf };
  }

  it('does not scale out on one or two busy minutes; the third scales out', async () => {
    const { sim, minuteOf } = await tracked();
    minuteOf(300);
    expect(await desiredCount(sim)).toBe(1);
    minuteOf(300);
    expect(await desiredCount(sim)).toBe(1);
    minuteOf(300);
    expect(await desiredCount(sim)).toBe(3);
    const activities = await sim.clients.autoscaling.send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(activities.ScalingActivities!.map((a) => a.Description)).toEqual(['Setting desired count to 3.']);
  });

  it('forgets a burst that ended before the alarm fired', async () => {
    const { sim, minuteOf } = await tracked();
    minuteOf(300);
    minuteOf(300);
    minuteOf(50);
    minuteOf(300);
    expect(await desiredCount(sim)).toBe(1);
  });

  it('scales in only after fifteen quiet minutes, not at the end of the scale-in cooldown', async () => {
    const { sim, minuteOf } = await tracked();
    for (let i = 0; i < 3; i++) minuteOf(600);
    expect(await desiredCount(sim)).toBe(6);
    // Tasks take minutes to become healthy; then the traffic falls to 100 requests a minute.
    for (let i = 0; i < 14; i++) minuteOf(100);
    expect(await desiredCount(sim)).toBe(6);
    for (let i = 0; i < 6; i++) minuteOf(100);
    expect(await desiredCount(sim)).toBe(1);
  });

  it('sees a minute only once CloudWatch has published it: two minutes later by default', async () => {
    const { sim, minuteOf } = await tracked(120_000);
    for (let i = 0; i < 4; i++) minuteOf(300);
    expect(await desiredCount(sim)).toBe(1);
    minuteOf(300);
    expect(await desiredCount(sim)).toBe(3);
  });
});
