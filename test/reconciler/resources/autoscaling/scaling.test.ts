import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { diffAttributes } from '../../../../reconciler/engine/diff';
import {
  scalableTargetResource,
  scalingPolicyResource,
} from '../../../../reconciler/resources/autoscaling/scaling';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { fargateRefs } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const autoscaling = mockClient(ApplicationAutoScalingClient);
beforeEach(() => autoscaling.reset());

const RESOURCE_ID = 'service/lf-orders-api-cluster/lf-orders-api-service';
const TARGET_ARN = 'arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec5abcdef';
const LABEL = 'app/lf-orders-api-alb/50dc6c495c0c9188/targetgroup/lf-orders-api-tg/73e2d6bc24d8a067';
const OWN_TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'scalable-target',
  'lambdaflex:managed-by': 'lambdaflex',
};
const ctx = (refs = fargateRefs()) => testContext({ refs });

function answerTarget(min = 1, max = 10, tags: Record<string, string> = OWN_TAGS): void {
  autoscaling.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [
      {
        ServiceNamespace: 'ecs',
        ResourceId: RESOURCE_ID,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: min,
        MaxCapacity: max,
        RoleARN:
          'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/x',
        CreationTime: new Date(0),
        ScalableTargetARN: TARGET_ARN,
      },
    ],
  });
  autoscaling.on(ListTagsForResourceCommand).resolves({ Tags: tags });
}

describe('scalableTargetResource', () => {
  it('registers the service desired count between minTasks and maxTasks, tagged', async () => {
    autoscaling.on(RegisterScalableTargetCommand).resolves({ ScalableTargetARN: TARGET_ARN });
    const created = await scalableTargetResource.create(ctx());
    expect(autoscaling).toHaveReceivedCommandWith(RegisterScalableTargetCommand, {
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE_ID,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 10,
      Tags: OWN_TAGS,
    });
    expect(created).toMatchObject({ id: RESOURCE_ID, arn: TARGET_ARN, foreign: false });
  });

  it('finds it by resource id, checks ownership on its ARN, and sees no drift when unchanged', async () => {
    answerTarget();
    const found = await scalableTargetResource.find(ctx());
    expect(autoscaling).toHaveReceivedCommandWith(DescribeScalableTargetsCommand, {
      ServiceNamespace: 'ecs',
      ResourceIds: [RESOURCE_ID],
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    expect(autoscaling).toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceARN: TARGET_ARN });
    expect(found).toMatchObject({ foreign: false });
    expect(
      diffAttributes(
        scalableTargetResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT),
        found!.attributes,
      ),
    ).toEqual([]);
  });

  it('answers undefined when nothing is registered, and foreign without our tags', async () => {
    autoscaling.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    await expect(scalableTargetResource.find(ctx())).resolves.toBeUndefined();
    answerTarget(1, 10, { team: 'x' });
    await expect(scalableTargetResource.find(ctx())).resolves.toMatchObject({ foreign: true });
  });

  it('updates the bounds by registering again, without tags (AWS refuses tags on re-registration)', async () => {
    answerTarget(1, 4);
    const current = (await scalableTargetResource.find(ctx()))!;
    autoscaling.on(RegisterScalableTargetCommand).resolves({ ScalableTargetARN: TARGET_ARN });
    const updated = await scalableTargetResource.update!(ctx(), current, []);
    const input = autoscaling.commandCalls(RegisterScalableTargetCommand)[0].args[0].input;
    expect(input).toMatchObject({ MinCapacity: 1, MaxCapacity: 10 });
    expect(input.Tags).toBeUndefined();
    expect(updated.attributes).toMatchObject({ minCapacity: 1, maxCapacity: 10 });
  });

  it('deregisters; already gone is done', async () => {
    answerTarget();
    const current = (await scalableTargetResource.find(ctx()))!;
    autoscaling.on(DeregisterScalableTargetCommand).rejects(awsError('ObjectNotFoundException'));
    await expect(scalableTargetResource.delete(ctx(), current)).resolves.toBeUndefined();
    expect(autoscaling).toHaveReceivedCommandWith(DeregisterScalableTargetCommand, {
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE_ID,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  it.each([
    ['ObjectNotFoundException', 'x', 'notFound'],
    ['ConcurrentUpdateException', 'x', 'retryable'],
    ['ValidationException', `ECS service doesn't exist: ${RESOURCE_ID}`, 'retryable'],
    ['ValidationException', 'Maximum capacity cannot be less than minimum capacity', 'terminal'],
    ['LimitExceededException', 'x', 'terminal'],
  ])('classifies %s (%s) as %s', (code, message, verdict) => {
    expect(classify(awsError(code, message), scalableTargetResource.errors)).toBe(verdict);
  });
});

describe('scalingPolicyResource', () => {
  const refsWithTarget = () => ({
    ...fargateRefs(),
    'scalable-target': observed(
      'scalable-target',
      'AWS::ApplicationAutoScaling::ScalableTarget',
      RESOURCE_ID,
    ),
  });

  function answerPolicy(targetValue = 6000): void {
    autoscaling.on(DescribeScalingPoliciesCommand).resolves({
      ScalingPolicies: [
        {
          PolicyARN:
            'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/x:policyName/lf-orders-api-scaling-policy',
          PolicyName: 'lf-orders-api-scaling-policy',
          ServiceNamespace: 'ecs',
          ResourceId: RESOURCE_ID,
          ScalableDimension: 'ecs:service:DesiredCount',
          PolicyType: 'TargetTrackingScaling',
          CreationTime: new Date(0),
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: targetValue,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ALBRequestCountPerTarget',
              ResourceLabel: LABEL,
            },
            ScaleOutCooldown: 60,
            ScaleInCooldown: 300,
            DisableScaleIn: false,
          },
          Alarms: [{ AlarmName: 'TargetTracking-high', AlarmARN: 'arn:aws:cloudwatch:x' }],
        },
      ],
    });
  }

  it('puts a target-tracking policy on ALBRequestCountPerTarget with the ALB/target group label', async () => {
    autoscaling.on(PutScalingPolicyCommand).resolves({ PolicyARN: 'arn:policy', Alarms: [] });
    await scalingPolicyResource.create(ctx(refsWithTarget()));
    expect(autoscaling).toHaveReceivedCommandWith(PutScalingPolicyCommand, {
      PolicyName: 'lf-orders-api-scaling-policy',
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE_ID,
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        // 100 requests per second per task, as ALBRequestCountPerTarget counts them: per minute.
        TargetValue: 6000,
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: LABEL,
        },
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
        DisableScaleIn: false,
      },
    });
  });

  it('finds it by name with no drift, and sees a new targetRequestsPerTask as drift', async () => {
    answerPolicy(6000);
    const found = await scalingPolicyResource.find(ctx(refsWithTarget()));
    expect(autoscaling).toHaveReceivedCommandWith(DescribeScalingPoliciesCommand, {
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE_ID,
      ScalableDimension: 'ecs:service:DesiredCount',
      PolicyNames: ['lf-orders-api-scaling-policy'],
    });
    expect(found).toMatchObject({ foreign: false });
    expect(
      diffAttributes(
        scalingPolicyResource.desiredAttributes(testSpec(), refsWithTarget(), DEFAULT_INTENT),
        found!.attributes,
      ),
    ).toEqual([]);
    const busier = testSpec({ fargate: { ...testSpec().fargate, targetRequestsPerTask: 250 } });
    expect(
      diffAttributes(
        scalingPolicyResource.desiredAttributes(busier, refsWithTarget(), DEFAULT_INTENT),
        found!.attributes,
      ),
    ).toEqual([{ path: 'targetValue', from: 6000, to: 15000 }]);
  });

  it('answers undefined without a policy, and follows the target for ownership', async () => {
    autoscaling.on(DescribeScalingPoliciesCommand).resolves({ ScalingPolicies: [] });
    await expect(scalingPolicyResource.find(ctx(refsWithTarget()))).resolves.toBeUndefined();
    answerPolicy();
    const foreignTarget = { ...refsWithTarget()['scalable-target'], foreign: true };
    const found = await scalingPolicyResource.find(
      ctx({ ...refsWithTarget(), 'scalable-target': foreignTarget }),
    );
    expect(found?.foreign).toBe(true);
  });

  it('deletes the policy; already gone is done', async () => {
    answerPolicy();
    const current = (await scalingPolicyResource.find(ctx(refsWithTarget())))!;
    autoscaling.on(DeleteScalingPolicyCommand).rejects(awsError('ObjectNotFoundException'));
    await expect(scalingPolicyResource.delete(ctx(refsWithTarget()), current)).resolves.toBeUndefined();
    expect(autoscaling).toHaveReceivedCommandWith(DeleteScalingPolicyCommand, {
      PolicyName: 'lf-orders-api-scaling-policy',
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE_ID,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
  });

  it.each([
    ['ObjectNotFoundException', 'No scalable target registered', 'notFound'],
    ['ConcurrentUpdateException', 'x', 'retryable'],
    ['FailedResourceAccessException', 'x', 'retryable'],
    ['ValidationException', 'Target group is not associated with the load balancer', 'retryable'],
    ['ValidationException', 'TargetValue must be positive', 'terminal'],
  ])('classifies %s (%s) as %s', (code, message, verdict) => {
    expect(classify(awsError(code, message), scalingPolicyResource.errors)).toBe(verdict);
  });
});
