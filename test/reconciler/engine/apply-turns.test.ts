/**
 * A create whose call the account makes one at a time (the ALB's CreateLoadBalancer: ten at once, then
 * one every 5 s) takes its turn in the table's book first (engine/apply.ts `turns`): within a pass's wait,
 * the create runs in its turn; further off, nothing is sent and the stack comes back for it.
 */
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { applyPlan, type CreateTurns } from '../../../reconciler/engine/apply';
import type { Plan } from '../../../reconciler/engine/types';
import { TURN_COME_BACK_EARLY_MS } from '../../../reconciler/aws/rate-budget';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { loadBalancerResource } from '../../../reconciler/resources/elbv2/load-balancer';
import { awsError, NOW, observed, testClients, testSpec } from '../resources/fixtures';
import { ALB_ARN, CREATE_ALB_INPUT, fargateRefs } from '../resources/fargate-refs';

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => {
  elbv2.reset();
  // The create's own look-up finds no ALB of the stack's name.
  elbv2
    .on(DescribeLoadBalancersCommand)
    .rejects(awsError('LoadBalancerNotFound', "Load balancers '[lf-orders-api-alb]' not found"));
  elbv2.on(CreateLoadBalancerCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: ALB_ARN,
        LoadBalancerName: 'lf-orders-api-alb',
        State: { Code: 'provisioning' },
        CreatedTime: new Date(NOW),
      },
    ],
  });
});

const plan: Plan = {
  stack: 'orders-api',
  at: NOW,
  steps: [
    {
      id: 'create:alb',
      action: 'create',
      key: 'alb',
      type: loadBalancerResource.type,
      reason: 'missing',
      dependsOn: [],
    },
  ],
};

function apply(turns: CreateTurns) {
  const refs = {
    ...fargateRefs(),
    'route-table': observed('route-table', 'AWS::EC2::RouteTable', 'rtb-0abc'),
  };
  return applyPlan(
    plan,
    { resources: { ...refs, alb: undefined }, unknown: {} },
    {
      clients: testClients(),
      spec: testSpec(),
      region: 'us-east-1',
      now: () => NOW,
      kinds: ALL_RESOURCES,
      turns,
    },
  );
}

describe('a create that waits for its turn of the account', () => {
  it('sends nothing when its turn is further off than a pass waits, and comes back for it', async () => {
    const asked: [string, string, string][] = [];
    const result = await apply({
      turnFor: async (service, operation, holder) => {
        asked.push([service, operation, holder]);
        return { go: false, at: NOW + 120_000 };
      },
    });
    expect(asked).toEqual([['elbv2', 'CreateLoadBalancer', 'orders-api']]);
    expect(elbv2).toHaveReceivedCommandTimes(DescribeLoadBalancersCommand, 1);
    expect(elbv2).not.toHaveReceivedCommand(CreateLoadBalancerCommand);
    expect(result.outcomes['create:alb']).toEqual({
      status: 'waiting',
      reason: expect.stringContaining(
        "creating AWS::ElasticLoadBalancingV2::LoadBalancer (alb): the account's turn for CreateLoadBalancer comes at",
      ),
      until: NOW + 120_000 - TURN_COME_BACK_EARLY_MS,
    });
  });

  it('creates within its turn when the turn is now', async () => {
    let inTurn = 0;
    const result = await apply({
      turnFor: async () => ({
        go: true,
        within: async (call) => {
          inTurn += 1;
          return call();
        },
      }),
    });
    expect(inTurn).toBe(1);
    expect(elbv2).toHaveReceivedCommandWith(CreateLoadBalancerCommand, CREATE_ALB_INPUT);
    expect(result.outcomes['create:alb']).toMatchObject({ status: 'waiting', reason: 'ALB provisioning' });
  });
});
