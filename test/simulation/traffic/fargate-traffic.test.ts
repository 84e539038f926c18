import { CreateDomainNameCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { costByMinute } from '../../../simulation/cost';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import { findTargetGroup } from '../../../aws-sim/services/elbv2';
import {
  loadBalancerDimension,
  setStackCapacity,
  setTraffic,
  targetGroupDimension,
  trafficLog,
} from '../../../simulation/traffic';
import { createLoadBalancing, type LoadBalancing } from '../../aws-sim/services/elbv2-fixture';
import { createNetwork, simulatedAccount } from '../../aws-sim/services/network-fixture';
import { registerWebTask, webServiceInput } from '../../aws-sim/services/service-fixture';
import { metricValues, MINUTE } from './fixtures';

/** A stack 'web' with a Fargate tier of `tasks` 0.25 vCPU / 0.5 GB tasks behind an ALB (fixtures of the ELBv2 and ECS tests). */
async function fargateStack(tasks: number): Promise<{ sim: SimulatedAws; lb: LoadBalancing }> {
  const sim = simulatedAccount(21);
  const network = await createNetwork(sim);
  const lb = await createLoadBalancing(sim, network); // the ALB is tagged lambdaflex:stack=web
  await sim.clients.ecs.send(new CreateClusterCommand({ clusterName: 'web' }));
  await registerWebTask(sim, 'repo/image:1');
  await sim.clients.ecs.send(
    new CreateServiceCommand(
      webServiceInput(network, lb, {
        desiredCount: tasks,
        tags: [{ key: 'lambdaflex:stack', value: 'web' }],
      }),
    ),
  );
  return { sim, lb };
}

/**
 * Points the stack's name at its ALB only: the custom domain (which tells the traffic model the stack's
 * record name) and a weighted alias record `fargate` of weight 100, then waits for INSYNC.
 */
async function routeAllToAlb(sim: SimulatedAws, lb: LoadBalancing): Promise<void> {
  await sim.clients.apigatewayv2.send(
    new CreateDomainNameCommand({ DomainName: 'web.example.test', Tags: { 'lambdaflex:stack': 'web' } }),
  );
  const alb = await sim.clients.elbv2.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.loadBalancerArn] }),
  );
  const zones = await sim.clients.route53.send(new ListHostedZonesCommand({}));
  await sim.clients.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zones.HostedZones![0]!.Id,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: 'web.example.test',
              Type: 'A',
              SetIdentifier: 'fargate',
              Weight: 100,
              AliasTarget: {
                HostedZoneId: alb.LoadBalancers![0]!.CanonicalHostedZoneId!,
                DNSName: `dualstack.${alb.LoadBalancers![0]!.DNSName!}`,
                EvaluateTargetHealth: true,
              },
            },
          },
        ],
      },
    }),
  );
}

describe('traffic on the Fargate tier', () => {
  it('reports HealthyHostCount every minute once the ALB is active, and serves nothing before', async () => {
    const { sim, lb } = await fargateStack(2);
    setMetricDelay(sim.account, 0);
    await routeAllToAlb(sim, lb);
    setTraffic(sim.account, 30, { stack: 'web' });
    sim.account.advance(10 * MINUTE);
    const dims = {
      LoadBalancer: loadBalancerDimension(lb.loadBalancerArn),
      TargetGroup: targetGroupDimension(lb.targetGroupArn),
    };
    const healthy = await metricValues(sim, 'AWS/ApplicationELB', 'HealthyHostCount', dims, 'Maximum');
    expect(healthy.values[0]).toBe(2);
    expect(healthy.values.at(-1)).toBe(0);
    const log = trafficLog(sim.account, 'web');
    // Minute 0: the record is not INSYNC yet, lookups get no answer.
    expect(log[0]).toMatchObject({ fargateRequests: 0, unrouted: 1800 });
    // Minute 1: resolvers answer with the ALB, which still provisions (180 s): nothing is served.
    expect(log[1]).toMatchObject({ fargateRequests: 1800, unrouted: 1800, fargateOverCapacity: 0 });
    expect(log.at(-1)).toMatchObject({
      fargateRequests: 1800,
      unrouted: 0,
      fargateOverCapacity: 0,
      tasks: 2,
    });
    expect(findTargetGroup(sim.account, lb.targetGroupArn)?.requestCountLastMinute).toBe(1800);
    const perTarget = await metricValues(sim, 'AWS/ApplicationELB', 'RequestCountPerTarget', {
      TargetGroup: dims.TargetGroup,
    });
    expect(perTarget.values[0]).toBe(900);
  });

  it('answers HTTP 5xx from the ALB for demand beyond the healthy tasks’ capacity (HTTPCode_ELB_5XX_Count)', async () => {
    const { sim, lb } = await fargateStack(2);
    setMetricDelay(sim.account, 0);
    setStackCapacity(sim.account, 'web', 10); // 2 tasks × 10 rps = 20 rps
    await routeAllToAlb(sim, lb);
    setTraffic(sim.account, 30, { stack: 'web' });
    sim.account.advance(10 * MINUTE);
    const lbDimension = { LoadBalancer: loadBalancerDimension(lb.loadBalancerArn) };
    const errors = await metricValues(sim, 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', lbDimension);
    expect(errors.values[0]).toBe(600); // (30 − 20) rps × 60 s
    expect((await metricValues(sim, 'AWS/ApplicationELB', 'RequestCount', lbDimension)).values[0]).toBe(1800);
    expect(trafficLog(sim.account, 'web').at(-1)).toMatchObject({ fargateOverCapacity: 600, tasks: 2 });
    const cpu = await metricValues(
      sim,
      'AWS/ECS',
      'CPUUtilization',
      { ClusterName: 'web', ServiceName: 'web' },
      'Average',
    );
    expect(cpu.values[0]).toBe(100);
  });

  it('meters a minute of the Fargate tier: ALB, its two IPs, LCUs and each task with its public IP', async () => {
    const { sim, lb } = await fargateStack(1);
    await routeAllToAlb(sim, lb);
    setTraffic(sim.account, 25, { stack: 'web' }); // 25 new connections per second: one LCU
    sim.account.advance(60 * MINUTE);
    const minute = costByMinute(sim.account).at(-1)!;
    const alb = (0.0225 + 0.008 + 2 * 0.005) / 60;
    const task = (0.25 * 0.04048 + 0.5 * 0.004445 + 0.005) / 60;
    expect(minute.fargate).toBeCloseTo(alb + task, 12);
    expect(minute.lambda).toBe(0);
    expect(trafficLog(sim.account, 'web').at(-1)!.cost).toBeCloseTo(alb + task, 12);
  });
});
