/**
 * How to unit-test the plan for your own spec, with AWS mocked by aws-sdk-client-mock: here, an account
 * where nothing of the stack exists yet, so the plan creates the Lambda tier and the whole Fargate tier in dependency order.
 */
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  LoadBalancerNotFoundException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { NoSuchEntityException } from '@aws-sdk/client-iam';
import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { createAwsClients } from '../reconciler/aws/clients';
import { formatPlan, planSpec } from '../reconciler/plan-spec';

const mySpec = {
  stack: 'orders-api',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2',
  mode: 'fargate',
  fargate: { cpu: 512, memoryMb: 1024, minTasks: 2, maxTasks: 8 },
};

describe('the plan for my spec in an empty account', () => {
  const clients = createAwsClients({ region: 'us-east-1' });
  const notFound = { message: 'not found', $metadata: {} };

  beforeEach(() => {
    // Nothing of this stack exists yet: empty lists, and "not found" where AWS answers so.
    mockClient(clients.ec2).onAnyCommand().resolves({});
    mockClient(clients.ecs)
      .onAnyCommand()
      .resolves({ clusters: [], services: [], taskDefinitionArns: [], failures: [] });
    mockClient(clients.autoscaling).onAnyCommand().resolves({ ScalableTargets: [], ScalingPolicies: [] });
    mockClient(clients.apigatewayv2).onAnyCommand().resolves({ Items: [] });
    mockClient(clients.lambda).onAnyCommand().rejects(new ResourceNotFoundException(notFound));
    mockClient(clients.iam).onAnyCommand().rejects(new NoSuchEntityException(notFound));
    const elbv2 = mockClient(clients.elbv2);
    elbv2.on(DescribeLoadBalancersCommand).rejects(new LoadBalancerNotFoundException(notFound));
    elbv2.on(DescribeTargetGroupsCommand).rejects(new TargetGroupNotFoundException(notFound));
  });

  it('creates both tiers, the ALB only after its subnets, group and route table', async () => {
    const plan = await planSpec({ spec: mySpec, clients, region: 'us-east-1', now: 0 });
    expect(plan.steps.every((step) => step.action === 'create')).toBe(true);
    const alb = plan.steps.find((step) => step.key === 'alb');
    expect(alb?.dependsOn).toEqual([
      'create:subnet-a',
      'create:subnet-b',
      'create:sg-alb',
      'create:route-table',
    ]);
    expect(formatPlan(plan)).toContain('+ service (AWS::ECS::Service): missing');
    expect(formatPlan(plan)).toContain('+ lambda-function (AWS::Lambda::Function): missing');
  });
});
