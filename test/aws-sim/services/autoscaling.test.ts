import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand,
  ValidationException,
  type PutScalingPolicyCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { findTargetGroup } from '../../../aws-sim/services/elbv2';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import type { LoadBalancing } from './elbv2-fixture';
import { resourceLabel, serviceBehindAlb } from './service-fixture';

const TARGET = {
  ServiceNamespace: 'ecs',
  ResourceId: 'service/web/web',
  ScalableDimension: 'ecs:service:DesiredCount',
} as const;

function policy(
  lb: LoadBalancing,
  extra: Partial<PutScalingPolicyCommandInput> = {},
): PutScalingPolicyCommandInput {
  return {
    ...TARGET,
    PolicyName: 'requests',
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 100,
      PredefinedMetricSpecification: {
        PredefinedMetricType: 'ALBRequestCountPerTarget',
        ResourceLabel: resourceLabel(lb),
      },
    },
    ...extra,
  };
}

async function desiredCount(sim: SimulatedAws): Promise<number> {
  const out = await sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'web', services: ['web'] }));
  return out.services![0].desiredCount!;
}

describe('simulated Application Auto Scaling: scalable targets', () => {
  it('registers an ECS service target with tags, describes it, and updates min/max on a second call', async () => {
    const { sim } = await serviceBehindAlb();
    const { ScalableTargetARN } = await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ...TARGET,
        MinCapacity: 1,
        MaxCapacity: 4,
        Tags: { 'lambdaflex:stack': 'web' },
      }),
    );
    expect(ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-f]{36}$/,
    );
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 2, MaxCapacity: 6 }),
    );
    const out = await sim.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(out.ScalableTargets).toHaveLength(1);
    expect(out.ScalableTargets![0]).toMatchObject({
      ResourceId: 'service/web/web',
      MinCapacity: 2,
      MaxCapacity: 6,
      ScalableTargetARN,
    });
    // The new minimum (2) is above the service's desired count (1): it is raised at once.
    expect(await desiredCount(sim)).toBe(2);
    await sim.clients.autoscaling.send(
      new TagResourceCommand({ ResourceARN: ScalableTargetARN, Tags: { team: 'a' } }),
    );
    const tags = await sim.clients.autoscaling.send(
      new ListTagsForResourceCommand({ ResourceARN: ScalableTargetARN }),
    );
    expect(tags.Tags).toEqual({ 'lambdaflex:stack': 'web', team: 'a' });
  });

  it('refuses an unknown ECS service and min > max with ValidationException', async () => {
    const { sim } = await serviceBehindAlb();
    await expect(
      sim.clients.autoscaling.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ResourceId: 'service/web/ghost',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/ECS service doesn't exist/),
    });
    await expect(
      sim.clients.autoscaling.send(
        new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 3, MaxCapacity: 2 }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('deregisters a target with its policies; ObjectNotFoundException once gone', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 4 }),
    );
    await sim.clients.autoscaling.send(new PutScalingPolicyCommand(policy(lb)));
    await sim.clients.autoscaling.send(new DeregisterScalableTargetCommand(TARGET));
    const policies = await sim.clients.autoscaling.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(policies.ScalingPolicies).toEqual([]);
    await expect(
      sim.clients.autoscaling.send(new DeregisterScalableTargetCommand(TARGET)),
    ).rejects.toBeInstanceOf(ObjectNotFoundException);
  });
});

describe('simulated Application Auto Scaling: target tracking policies', () => {
  it('needs a registered target: ObjectNotFoundException "No scalable target registered" (seen in cloudposse PR #36)', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await expect(sim.clients.autoscaling.send(new PutScalingPolicyCommand(policy(lb)))).rejects.toMatchObject(
      {
        name: 'ObjectNotFoundException',
        message: expect.stringMatching(/No scalable target registered for service namespace: ecs/),
      },
    );
  });

  it('creates or replaces a policy by name, with its alarms, validates the ResourceLabel, and deletes it', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 4 }),
    );
    const first = await sim.clients.autoscaling.send(new PutScalingPolicyCommand(policy(lb)));
    expect(first.PolicyARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/web\/web:policyName\/requests$/,
    );
    expect(first.Alarms!.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-service\/web\/web-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-service\/web\/web-AlarmLow-/),
    ]);
    const second = await sim.clients.autoscaling.send(
      new PutScalingPolicyCommand(
        policy(lb, {
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 200,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ALBRequestCountPerTarget',
              ResourceLabel: resourceLabel(lb),
            },
          },
        }),
      ),
    );
    expect(second.PolicyARN).toBe(first.PolicyARN);
    const described = await sim.clients.autoscaling.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/web/web' }),
    );
    expect(
      described.ScalingPolicies!.map((p) => p.TargetTrackingScalingPolicyConfiguration!.TargetValue),
    ).toEqual([200]);
    await expect(
      sim.clients.autoscaling.send(
        new PutScalingPolicyCommand(
          policy(lb, {
            TargetTrackingScalingPolicyConfiguration: {
              TargetValue: 100,
              PredefinedMetricSpecification: {
                PredefinedMetricType: 'ALBRequestCountPerTarget',
                ResourceLabel: 'tg-web',
              },
            },
          }),
        ),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
    await sim.clients.autoscaling.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: 'requests' }));
    await expect(
      sim.clients.autoscaling.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: 'requests' })),
    ).rejects.toBeInstanceOf(ObjectNotFoundException);
  });

  it('raises the desired count toward requests / target value, within max, once the scale-out alarm fires', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 4 }),
    );
    await sim.clients.autoscaling.send(new PutScalingPolicyCommand(policy(lb)));
    // The task becomes a healthy target: the metric counts requests per healthy target. Minutes are
    // published at once here (the publication delay has its own test).
    setMetricDelay(sim.account, 0);
    sim.account.advance(10 * 60_000);
    // Set as the traffic model does each minute; the scale-out alarm needs three such datapoints.
    const minutesOf = (requests: number, minutes: number) => {
      for (let i = 0; i < minutes; i++) {
        findTargetGroup(sim.account, lb.targetGroupArn)!.requestCountLastMinute = requests;
        sim.account.advance(60_000);
      }
    };
    minutesOf(250, 3);
    expect(await desiredCount(sim)).toBe(3); // ceil(250 / 100)
    // 5,000 requests over the healthy targets: above the target from the first minute; the default
    // scale-out cooldown (300 s) holds the next scale-out.
    minutesOf(5_000, 4);
    expect(await desiredCount(sim)).toBe(3);
    minutesOf(5_000, 1);
    expect(await desiredCount(sim)).toBe(4); // capped by MaxCapacity
    const activities = await sim.clients.autoscaling.send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(activities.ScalingActivities!.map((a) => a.Description)).toEqual([
      'Setting desired count to 4.',
      'Setting desired count to 3.',
    ]);
  });

  it('waits for the scale-out cooldown between scale-outs and the scale-in cooldown before scaling in', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 10 }),
    );
    await sim.clients.autoscaling.send(
      new PutScalingPolicyCommand(
        policy(lb, {
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 100,
            ScaleOutCooldown: 120,
            ScaleInCooldown: 1_800,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ALBRequestCountPerTarget',
              ResourceLabel: resourceLabel(lb),
            },
          },
        }),
      ),
    );
    setMetricDelay(sim.account, 0);
    sim.account.advance(10 * 60_000);
    // The traffic model writes the count every minute; a minute of `requests` is set, then lived through.
    const minuteOf = (requests: number) => {
      findTargetGroup(sim.account, lb.targetGroupArn)!.requestCountLastMinute = requests;
      sim.account.advance(60_000);
    };
    for (let i = 0; i < 3; i++) minuteOf(300);
    expect(await desiredCount(sim)).toBe(3);
    minuteOf(1_200);
    expect(await desiredCount(sim)).toBe(3); // 60 s after the last scale-out: still cooling down
    minuteOf(1_200);
    expect(await desiredCount(sim)).toBe(10); // ceil(1,200 / 100) = 12, capped by MaxCapacity
    // Fifteen quiet datapoints put the scale-in alarm in ALARM long before the 30-minute cooldown ends.
    for (let i = 0; i < 28; i++) minuteOf(100);
    expect(await desiredCount(sim)).toBe(10);
    for (let i = 0; i < 2; i++) minuteOf(100);
    expect(await desiredCount(sim)).toBe(1);
  });

  it('changes nothing without request data', async () => {
    const { sim, lb } = await serviceBehindAlb();
    await sim.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 4 }),
    );
    await sim.clients.autoscaling.send(new PutScalingPolicyCommand(policy(lb)));
    sim.account.advance(10 * 60_000);
    expect(await desiredCount(sim)).toBe(1);
    expect(sim.account.inventory().map((i) => i.type)).toEqual(
      expect.arrayContaining([
        'AWS::ApplicationAutoScaling::ScalableTarget',
        'AWS::ApplicationAutoScaling::ScalingPolicy',
      ]),
    );
  });
});
