/**
 * How to unit-test the plan for your own spec, with AWS mocked by aws-sdk-client-mock: here, an account
 * where nothing of the stack exists yet, so the plan creates the whole Fargate tier in dependency order.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  LoadBalancerNotFoundException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { createAwsClients } from '../reconciler/aws/clients';
import { formatPlan, planSpec } from '../reconciler/plan-spec';

const mySpec = {
  stack: 'orders-api',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2',
  mode: 'fargate',
  fargate: { cpu: 512, memoryMb: 1024, minTasks: 2, maxTasks: 8 },
};

describe('the plan for my spec in an empty account', () => {
  beforeEach(() => {
    // Nothing tagged for this stack exists: empty lists, and "not found" where AWS answers so.
    mockClient(EC2Client).onAnyCommand().resolves({});
    mockClient(ECSClient)
      .onAnyCommand()
      .resolves({ clusters: [], services: [], taskDefinitionArns: [], failures: [] });
    mockClient(ApplicationAutoScalingClient)
      .onAnyCommand()
      .resolves({ ScalableTargets: [], ScalingPolicies: [] });
    mockClient(IAMClient)
      .onAnyCommand()
      .rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));
    const elbv2 = mockClient(ElasticLoadBalancingV2Client);
    elbv2
      .on(DescribeLoadBalancersCommand)
      .rejects(new LoadBalancerNotFoundException({ message: 'not found', $metadata: {} }));
    elbv2
      .on(DescribeTargetGroupsCommand)
      .rejects(new TargetGroupNotFoundException({ message: 'not found', $metadata: {} }));
  });

  it('creates the Fargate tier, the ALB only after its subnets, group and route table', async () => {
    const plan = await planSpec({
      spec: mySpec,
      clients: createAwsClients({ region: 'us-east-1' }),
      region: 'us-east-1',
      now: 0,
    });
    expect(plan.steps.every((step) => step.action === 'create')).toBe(true);
    const alb = plan.steps.find((step) => step.key === 'alb');
    expect(alb?.dependsOn).toEqual([
      'create:subnet-a',
      'create:subnet-b',
      'create:sg-alb',
      'create:route-table',
    ]);
    expect(formatPlan(plan)).toContain('+ service (AWS::ECS::Service): missing');
  });
});
